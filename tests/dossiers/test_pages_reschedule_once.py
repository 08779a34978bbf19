"""R-RES-2 on the page: a second rescheduling is refused with a clear, translated message and
changes nothing."""

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import DossierEvent, Reschedule
from tests.dossiers.pages import html, travel
from tests.helpers import at

pytestmark = pytest.mark.django_db

VI = "Hồ sơ này đã được hẹn lại một lần; không được hẹn lại lần thứ hai."
EN = "This dossier has already been rescheduled once; a second rescheduling is not allowed."


@pytest.fixture
def rescheduled(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ xác minh",
        new_due_date=at(2026, 3, 12).date(),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    return dossier


def _second(client, dossier):
    with travel(2026, 3, 6, 10):
        return client.post(
            reverse("dossiers:act", args=[dossier.pk, "reschedule"]),
            {"reschedule-reason": "Chậm nữa", "reschedule-new_due_date": "2026-03-20"},
        )


def test_second_reschedule_is_refused_in_the_page_r_res_2(client, officer, rescheduled):
    client.force_login(officer)
    events = DossierEvent.objects.count()

    response = _second(client, rescheduled)

    rescheduled.refresh_from_db()
    assert response.status_code == 409
    assert VI in html(response)
    assert "Chậm nữa</textarea>" in html(response)  # what was typed is kept
    assert rescheduled.due_at == at(2026, 3, 12, 17)
    assert Reschedule.objects.count() == 1
    assert DossierEvent.objects.count() == events


def test_second_reschedule_message_in_english_r_res_2(client, officer, rescheduled):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = _second(client, rescheduled)

    assert response.status_code == 409
    assert EN in html(response)
