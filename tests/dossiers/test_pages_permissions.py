"""Who may see a dossier and act on it from the pages (R-UNIT-3, R-PRIV-1): outside one's
units a dossier does not exist (404); actions one's role does not allow are neither offered
nor accepted (403 with the service's message)."""

import re

import pytest
from django.urls import reverse

from dossiers.models import DossierEvent
from tests.dossiers.pages import html, messages_text, travel
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    return dossier


def _offered(page):
    return re.findall(r'<details class="action action--(\w+)"', page)


def test_outsider_gets_404_for_the_dossier_its_actions_and_prints(client, charlie, dossier):
    client.force_login(charlie)
    urls = [
        reverse("dossiers:detail", args=[dossier.pk]),
        reverse("dossiers:received", args=[dossier.pk]),
        reverse("dossiers:receipt_pdf", args=[dossier.pk]),
        reverse("dossiers:control_slip_pdf", args=[dossier.pk]),
    ]

    responses = [client.get(url) for url in urls]
    action = client.post(
        reverse("dossiers:act", args=[dossier.pk, "refuse"]),
        {"refuse-reason": "x", "refuse-legal_basis": "y"},
    )

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert action.status_code == 404
    assert dossier.applicant_name not in html(responses[0])
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_district_leader_sees_the_dossier_and_only_leader_actions(client, bob, dossier):
    client.force_login(bob)

    with travel(2026, 3, 3, 10):  # early enough to reschedule and to refuse
        response = client.get(reverse("dossiers:detail", args=[dossier.pk]))

    assert response.status_code == 200
    assert dossier.applicant_name in html(response)
    assert _offered(html(response)) == ["supplement", "complete", "reschedule", "refuse"]


def test_an_action_the_role_does_not_allow_is_refused_with_403(client, alice, dossier):
    """Alice is a receptionist: completing is for officers and leaders."""
    client.force_login(alice)
    events = DossierEvent.objects.count()

    with travel(2026, 3, 3, 10):
        response = client.post(reverse("dossiers:act", args=[dossier.pk, "complete"]), {})

    dossier.refresh_from_db()
    assert response.status_code == 403
    assert "Bạn không có vai trò tại đơn vị này cho phép thao tác này." in messages_text(response)
    assert dossier.status == "received"
    assert DossierEvent.objects.count() == events
    assert "complete" not in _offered(html(response))


def test_an_action_the_status_does_not_allow_is_refused_with_409(client, alice, dossier):
    client.force_login(alice)

    with travel(2026, 3, 3, 10):
        response = client.post(
            reverse("dossiers:act", args=[dossier.pk, "return"]), {"return-mode": "desk"}
        )

    dossier.refresh_from_db()
    assert response.status_code == 409
    assert "không thể" in messages_text(response)
    assert dossier.status == "received"


def test_unknown_action_is_404(client, alice, dossier):
    client.force_login(alice)

    response = client.post(reverse("dossiers:act", args=[dossier.pk, "delete"]), {})

    assert response.status_code == 404


def test_actions_are_post_only(client, alice, dossier):
    client.force_login(alice)

    response = client.get(reverse("dossiers:act", args=[dossier.pk, "refuse"]))

    assert response.status_code == 405
