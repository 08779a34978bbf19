"""Properties of the working calendar that must hold for any receipt time (R-DUE-1, R-DUE-3)."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.working_calendar import DeskHours, WorkingCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = DeskHours(
    opens_at=dt.time(7, 30),
    closes_at=dt.time(17, 0),
    lunch_starts_at=dt.time(11, 30),
    lunch_ends_at=dt.time(13, 30),
)
CAL = WorkingCalendar(overrides=None)  # library data only: pure, no database

moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(HCM)
)
day_counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=300, deadline=None)
@given(received=moments, days=st.integers(min_value=1, max_value=60))
def test_a_due_date_is_never_a_non_working_day_r_due_1(received, days):
    due = CAL.due_moment(received, days=days, desk_hours=HOURS)
    assert CAL.is_working_day(due.date())
    assert due.timetz().replace(tzinfo=None) == HOURS.closes_at


@settings(max_examples=300, deadline=None)
@given(received=moments, days=day_counts, more=st.integers(min_value=1, max_value=30))
def test_more_days_never_give_an_earlier_date_r_due_3(received, days, more):
    earlier = CAL.due_date(received, days, HOURS)
    later = CAL.due_date(received, days + more, HOURS)
    assert later > earlier


@settings(max_examples=200, deadline=None)
@given(
    received=moments,
    later_by=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20)),
    days=day_counts,
)
def test_a_later_receipt_never_gives_an_earlier_due_date_r_due_3(received, later_by, days):
    assert CAL.due_date(received + later_by, days, HOURS) >= CAL.due_date(received, days, HOURS)


@settings(max_examples=200, deadline=None)
@given(received=moments, days=day_counts)
def test_exactly_the_processing_days_lie_between_receipt_and_due_date_r_due_3(received, days):
    start = CAL.effective_receipt_date(received, HOURS)
    assert CAL.working_days_between(start, CAL.add_working_days(start, days)) == days


@settings(max_examples=200, deadline=None)
@given(start=moments, hours=st.integers(min_value=0, max_value=80))
def test_working_hours_added_are_working_hours_counted_r_due_1(start, hours):
    end = CAL.add_working_time(start, dt.timedelta(hours=hours), HOURS)
    assert end >= start
    assert CAL.working_time_between(start, end, HOURS) == dt.timedelta(hours=hours)
