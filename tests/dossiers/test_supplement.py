"""Supplement requests stop the clock (R-DUE-5, R-LIFE-4)."""

import pytest
from django.utils import translation

from dossiers import services
from dossiers.exceptions import SupplementNotAllowed
from dossiers.models import Pause, RuleSet
from tests.helpers import at

ITEMS = [{"name": "Bản sao giấy chứng nhận kết hôn", "guidance": "Bản sao có chứng thực"}]


def test_supplement_stops_the_clock_and_restarts_from_zero_r_due_5(receive, officer):
    """Received Mon 2 Mar (due Mon 9 Mar); paused Wed 4; complete again Tue 10 Mar 10:00 →
    the 5 working days count again from Wed 11: due Tue 17 Mar."""
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    assert dossier.due_at == at(2026, 3, 9, 17)
    services.dossier_request_supplement(
        dossier=dossier, items=ITEMS, actor=officer, at=at(2026, 3, 4, 9)
    )
    dossier.refresh_from_db()
    assert dossier.status == "waiting_supplement"
    services.dossier_resubmit(dossier=dossier, actor=officer, at=at(2026, 3, 10, 10))
    dossier.refresh_from_db()
    assert dossier.status == "received"
    assert dossier.due_at == at(2026, 3, 17, 17)
    pause = dossier.pauses.get()
    assert (pause.requested_at, pause.resumed_at) == (at(2026, 3, 4, 9), at(2026, 3, 10, 10))


def test_supplement_resumes_where_it_stopped_when_the_procedure_says_so_r_due_5(
    receive, officer, procedure
):
    """Paused Wed 4 Mar with Thu, Fri, Mon left (3 days); resumed Tue 10 → due Fri 13."""
    procedure.supplement_clock = RuleSet.SupplementClock.RESUME
    procedure.save()
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_request_supplement(
        dossier=dossier, items=ITEMS, actor=officer, at=at(2026, 3, 4, 9)
    )
    assert dossier.pauses.get().remaining_days == 3
    services.dossier_resubmit(dossier=dossier, actor=officer, at=at(2026, 3, 10, 10))
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 13, 17)


def test_the_pause_is_counted_in_the_working_calendar_across_tet_r_due_5(
    receive, officer, procedure
):
    """Resume mode: paused Thu 12 Feb 2026 with Fri 13 and after-Tết days left; resumed
    Mon 23 Feb → the remaining 4 working days run Tue 24 .. Fri 27."""
    procedure.supplement_clock = RuleSet.SupplementClock.RESUME
    procedure.save()
    dossier, _pin = receive(received_at=at(2026, 2, 11, 9))  # Wed; due Wed 25 Feb
    assert dossier.due_at == at(2026, 2, 25, 17)
    services.dossier_request_supplement(
        dossier=dossier, items=ITEMS, actor=officer, at=at(2026, 2, 12, 9)
    )
    assert dossier.pauses.get().remaining_days == 4  # Fri 13, Mon 23, Tue 24, Wed 25
    services.dossier_resubmit(dossier=dossier, actor=officer, at=at(2026, 2, 23, 9))
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 2, 27, 17)


def test_second_supplement_needs_a_leader_r_life_4(receive, officer, leader, alice):
    """After the first request, only a leader of the unit can ask again; the leader is
    recorded as the one who allowed it."""
    dossier, _pin = receive()
    services.dossier_request_supplement(
        dossier=dossier, items=ITEMS, actor=officer, at=at(2026, 3, 2, 10)
    )
    services.dossier_resubmit(dossier=dossier, actor=officer, at=at(2026, 3, 3, 9))
    for user in (officer, alice):  # an officer, a receptionist
        with translation.override("en"), pytest.raises(SupplementNotAllowed, match="only a leader"):
            services.dossier_request_supplement(
                dossier=dossier, items=ITEMS, actor=user, at=at(2026, 3, 3, 10)
            )
    assert Pause.objects.count() == 1
    services.dossier_request_supplement(
        dossier=dossier, items=ITEMS, actor=leader, at=at(2026, 3, 3, 10)
    )
    second = dossier.pauses.order_by("requested_at").last()
    assert (second.requested_by, second.allowed_by) == (leader, leader)
    assert dossier.pauses.filter(allowed_by__isnull=True).count() == 1


def test_supplement_lists_everything_missing_with_names_r_life_4(receive, officer):
    dossier, _pin = receive()
    with pytest.raises(SupplementNotAllowed):
        services.dossier_request_supplement(dossier=dossier, items=[], actor=officer)
    with pytest.raises(SupplementNotAllowed):
        services.dossier_request_supplement(
            dossier=dossier, items=[{"guidance": "x"}], actor=officer
        )
    dossier.refresh_from_db()
    assert dossier.status == "received" and dossier.supplement_count == 0


def test_supplement_after_three_working_days_is_flagged_late_r_due_5(receive, officer):
    """Received Mon 2 Mar: a request by Thu 5 Mar is in time, on Fri 6 Mar it is late."""
    in_time, _pin = receive(received_at=at(2026, 3, 2, 9))
    late, _pin = receive(received_at=at(2026, 3, 2, 9))
    p1 = services.dossier_request_supplement(
        dossier=in_time, items=ITEMS, actor=officer, at=at(2026, 3, 5, 16)
    )
    p2 = services.dossier_request_supplement(
        dossier=late, items=ITEMS, actor=officer, at=at(2026, 3, 6, 9)
    )
    assert (p1.is_late_request, p2.is_late_request) == (False, True)
