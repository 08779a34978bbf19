"""Early / on time / late with 2 / 1 / 0 points at completion (R-DUE-6)."""

import pytest

from dossiers import services
from dossiers.selectors import overdue_in_process
from tests.helpers import at


@pytest.mark.parametrize(
    ("completed", "classification", "points"),
    [
        (at(2026, 3, 6, 16), "early", 2),  # before the due date (Mon 9 Mar)
        (at(2026, 3, 9, 8), "on_time", 1),  # on the due date
        (at(2026, 3, 9, 17, 0), "on_time", 1),  # at the due moment itself
        (at(2026, 3, 9, 17, 1), "late", 0),  # after the due moment
        (at(2026, 3, 10, 9), "late", 0),
    ],
)
def test_result_is_classified_at_completion_r_due_6(
    receive, officer, completed, classification, points
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_complete(dossier=dossier, actor=officer, at=completed)
    dossier.refresh_from_db()
    assert (dossier.classification, dossier.points) == (classification, points)
    assert dossier.completed_at == completed


def test_dossiers_past_due_in_process_are_overdue_r_due_6(receive, officer, tree, bob, alice):
    late, _pin = receive(received_at=at(2026, 3, 2, 9))
    done, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_complete(dossier=done, actor=officer, at=at(2026, 3, 5))
    fresh, _pin = receive(received_at=at(2026, 3, 9, 9))
    now = at(2026, 3, 10, 8)
    assert list(overdue_in_process(user=alice, now=now)) == [late]
    assert list(overdue_in_process(user=bob, now=now)) == [late]
    assert fresh not in overdue_in_process(user=alice, now=now)
