"""The deadline rules are plain functions of a calendar and moments: no database needed
(R-DUE-6, R-RES-1)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from dossiers.deadlines import classify, reschedule_deadline_ok
from portal.working_calendar import WorkingCalendar
from tests.helpers import at

CAL = WorkingCalendar(overrides=None)  # the holiday library only: no query
DUE = at(2026, 3, 9, 17)  # Monday 9 March 2026, end of the working day


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2026, 3, 6, 16), "early"),
        (at(2026, 3, 9, 8), "on_time"),
        (DUE, "on_time"),
        (DUE + dt.timedelta(minutes=1), "late"),
    ],
)
def test_classification_compares_dates_then_the_due_moment_r_due_6(finished, expected):
    assert classify(finished_at=finished, due_at=DUE, cal=CAL) == expected


def test_reschedule_needs_a_working_day_left_before_the_due_date_r_res_1():
    dossier = SimpleNamespace(
        desk=None, due_at=DUE, rule_set=SimpleNamespace(reschedule_min_working_days=1)
    )
    assert reschedule_deadline_ok(dossier=dossier, at=at(2026, 3, 6, 16, 59), cal=CAL)
    assert not reschedule_deadline_ok(dossier=dossier, at=at(2026, 3, 7, 10), cal=CAL)
