"""The dossier page offers an action only when the lifecycle table, the user's role and the
service's own rules allow it (R-LIFE-4, R-RES-1, R-RES-2): no "Reschedule" after the one
rescheduling or when it is too late, no second supplement request for a non-leader, no refusal
past the due date. The services still refuse a POST (tests/dossiers/test_pages_reschedule_once.py)."""

import re

import pytest
from django.urls import reverse

from dossiers import services
from tests.dossiers.pages import html, travel
from tests.helpers import at

pytestmark = pytest.mark.django_db


def _offered(client, dossier) -> list[str]:
    page = html(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    return re.findall(r'id="action-([a-z]+)"', page)


@pytest.fixture
def dossier(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # 5 working days: due Mon 9 March
    return dossier


def test_reschedule_is_offered_once_r_res_2(client, officer, dossier):
    client.force_login(officer)
    with travel(2026, 3, 4, 10):
        assert "reschedule" in _offered(client, dossier)
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chờ xác minh",
            new_due_date=at(2026, 3, 12).date(),
            actor=officer,
        )
        after = _offered(client, dossier)

    assert "reschedule" not in after
    assert "complete" in after  # the rest is still there


def test_reschedule_is_not_offered_when_it_is_too_late_r_res_1(client, officer, dossier):
    client.force_login(officer)
    with travel(2026, 3, 6, 10):  # Friday: one working day (Monday) is left, enough
        assert "reschedule" in _offered(client, dossier)
    with travel(2026, 3, 9, 10):  # Monday, the due date itself
        assert "reschedule" not in _offered(client, dossier)


def test_a_second_supplement_request_is_offered_to_a_leader_only_r_life_4(
    client, officer, leader, alice, dossier
):
    services.dossier_request_supplement(
        dossier=dossier, items=[{"name": "Giấy chứng sinh"}], actor=alice, at=at(2026, 3, 2, 10)
    )
    services.dossier_resubmit(dossier=dossier, actor=alice, at=at(2026, 3, 3, 9))

    with travel(2026, 3, 3, 10):
        client.force_login(officer)
        by_officer = _offered(client, dossier)
        client.force_login(leader)
        by_leader = _offered(client, dossier)

    assert "supplement" not in by_officer
    assert "supplement" in by_leader


def test_refusal_is_not_offered_past_the_due_date_r_life_4(client, alice, dossier):
    client.force_login(alice)
    with travel(2026, 3, 9, 16):
        assert "refuse" in _offered(client, dossier)
    with travel(2026, 3, 10, 9):
        assert "refuse" not in _offered(client, dossier)
