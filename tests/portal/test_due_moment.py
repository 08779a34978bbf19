"""Due moments from a receipt time and a processing time (R-DUE-3, R-DUE-4)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from portal.working_calendar import DeskHours, WorkingCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = DeskHours(
    opens_at=dt.time(7, 30),
    closes_at=dt.time(17, 0),
    lunch_starts_at=dt.time(11, 30),
    lunch_ends_at=dt.time(13, 30),
)


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


@pytest.fixture
def cal():
    return WorkingCalendar(overrides=None)


def test_tet_2026_example_from_the_rules_r_due_3(cal):
    """Received Friday 2026-02-13, 5 working days, Tết 16–20 Feb → due Friday 2026-02-27."""
    due = cal.due_moment(at(2026, 2, 13, 10), days=5, desk_hours=HOURS)
    assert due == at(2026, 2, 27, 17, 0)


def test_due_moment_is_end_of_the_desks_working_day_r_due_4(cal):
    late_desk = DeskHours(opens_at=dt.time(8), closes_at=dt.time(17, 30))
    assert cal.due_moment(at(2026, 3, 2), days=3, desk_hours=late_desk) == at(2026, 3, 5, 17, 30)


def test_receipt_after_closing_hour_counts_as_next_working_day_r_due_3(cal):
    """Thursday 17:30 counts as received Friday: 1 working day → due Monday."""
    assert cal.effective_receipt_date(at(2026, 3, 5, 17, 30), HOURS) == dt.date(2026, 3, 6)
    assert cal.due_moment(at(2026, 3, 5, 17, 30), days=1, desk_hours=HOURS) == at(2026, 3, 9, 17)


def test_receipt_just_before_closing_counts_the_same_day_r_due_3(cal):
    assert cal.due_moment(at(2026, 3, 5, 16, 59), days=1, desk_hours=HOURS) == at(2026, 3, 6, 17)


def test_online_receipt_on_a_sunday_counts_as_monday_r_due_3(cal):
    """Sunday 8 March counts as received Monday 9; counting starts Tuesday: 2 days → Wed 11."""
    assert cal.due_moment(at(2026, 3, 8, 10), days=2, desk_hours=HOURS) == at(2026, 3, 11, 17)


def test_receipt_on_a_holiday_counts_as_next_working_day_r_due_3(cal):
    """Received online on Mùng 1 Tết (17 Feb 2026) → counts as Monday 23; 1 day → Tue 24."""
    assert cal.due_moment(at(2026, 2, 17, 10), days=1, desk_hours=HOURS) == at(2026, 2, 24, 17)


def test_due_date_skips_hung_kings_day_2026_on_monday_27_april_r_due_2(cal):
    """Received Friday 24 April, 1 working day: Mon 27 is the moved day off → due Tue 28."""
    assert cal.due_moment(at(2026, 4, 24), days=1, desk_hours=HOURS) == at(2026, 4, 28, 17)


def test_due_date_counts_a_make_up_saturday_r_due_1(cal):
    """Saturday 22 Aug 2026 is worked (for Monday 31 Aug off): received Fri 21, 1 day → Sat 22."""
    assert cal.due_moment(at(2026, 8, 21), days=1, desk_hours=HOURS) == at(2026, 8, 22, 17)


def test_working_hours_skip_lunch_and_night_r_due_1(cal):
    """Fast procedure: 4 working hours from 10:00 → 11:30 (1.5 h), 13:30–16:00 (2.5 h)."""
    assert cal.due_moment(at(2026, 3, 2, 10), hours_of_work=4, desk_hours=HOURS) == at(
        2026, 3, 2, 16
    )
    # 8 h from Friday 15:00: 2 h Friday, then Monday 7:30–11:30 (4 h), 13:30–15:30 (2 h).
    assert cal.due_moment(at(2026, 3, 6, 15), hours_of_work=8, desk_hours=HOURS) == at(
        2026, 3, 9, 15, 30
    )


def test_working_hours_received_after_closing_start_next_morning_r_due_3(cal):
    assert cal.due_moment(at(2026, 3, 5, 18), hours_of_work=2, desk_hours=HOURS) == at(
        2026, 3, 6, 9, 30
    )


def test_working_time_between_is_the_inverse_of_adding_it(cal):
    start = at(2026, 2, 13, 15, 45)
    end = cal.add_working_time(start, dt.timedelta(hours=11), HOURS)
    assert cal.working_time_between(start, end, HOURS) == dt.timedelta(hours=11)


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError):
        cal.due_moment(dt.datetime(2026, 3, 2, 9), days=1, desk_hours=HOURS)


def test_exactly_one_of_days_or_hours_is_required(cal):
    with pytest.raises(ValueError):
        cal.due_moment(at(2026, 3, 2), desk_hours=HOURS)
    with pytest.raises(ValueError):
        cal.due_moment(at(2026, 3, 2), days=1, hours_of_work=1, desk_hours=HOURS)
