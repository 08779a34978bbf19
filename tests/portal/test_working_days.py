"""Which days are working days (R-DUE-1, R-DUE-2)."""

import datetime as dt

import pytest

from portal.models import CalendarOverride
from portal.working_calendar import WorkingCalendar, get_calendar, library_year

D = dt.date


@pytest.fixture
def cal():
    """The library calendar without admin overrides (no database needed)."""
    return WorkingCalendar(overrides=None)


def test_weekends_are_not_working_days_r_due_1(cal):
    assert cal.is_working_day(D(2026, 3, 6))  # Friday
    assert not cal.is_working_day(D(2026, 3, 7))  # Saturday
    assert not cal.is_working_day(D(2026, 3, 8))  # Sunday
    assert cal.is_working_day(D(2026, 3, 9))  # Monday


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 1, 1),  # Tết Dương lịch
        D(2026, 2, 16),  # Tết Nguyên đán: 29 Tháng Chạp (no 30th in 2026) .. Mùng 4
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        D(2026, 4, 30),  # Ngày Chiến thắng
        D(2026, 5, 1),  # Quốc tế Lao động
        D(2026, 9, 1),  # Quốc khánh, adjacent day
        D(2026, 9, 2),  # Quốc khánh
    ],
)
def test_labour_code_public_holidays_of_2026_are_days_off_r_due_2(cal, day):
    assert not cal.is_working_day(day)


def test_lunar_holidays_are_computed_not_typed_r_due_2(cal):
    """R-DUE-2: Tết and Giỗ Tổ move with the lunar calendar; 2027's Tết is in early February."""
    tet_2025 = [d for d, n in library_year(2025).days_off.items() if "Tết Nguyên" in str(n)]
    tet_2027 = [d for d, n in library_year(2027).days_off.items() if "Tết Nguyên" in str(n)]
    assert D(2025, 1, 29) in tet_2025  # Mùng 1 Tết Ất Tỵ
    assert D(2027, 2, 6) in tet_2027  # Mùng 1 Tết Đinh Mùi
    assert not cal.is_working_day(D(2025, 4, 7))  # Giỗ Tổ 10/3 Ất Tỵ


def test_hung_kings_day_2026_on_sunday_moves_to_monday_27_april_r_due_2(cal):
    """Giỗ Tổ 2026 (10/3 lunar) falls on Sunday 26 April; the day off moves to Monday 27."""
    assert D(2026, 4, 26).weekday() == 6
    assert not cal.is_working_day(D(2026, 4, 26))
    assert not cal.is_working_day(D(2026, 4, 27))
    assert cal.is_working_day(D(2026, 4, 28))


def test_library_make_up_saturday_is_a_working_day_r_due_1(cal):
    """The government swapped Monday 31 Aug 2026 off for Saturday 22 Aug 2026 worked."""
    assert D(2026, 8, 22).weekday() == 5
    assert cal.is_working_day(D(2026, 8, 22))
    assert not cal.is_working_day(D(2026, 8, 31))


@pytest.mark.django_db
def test_admin_make_up_saturday_is_a_working_day_r_due_1():
    saturday = D(2026, 3, 7)
    assert not get_calendar().is_working_day(saturday)
    CalendarOverride.objects.create(
        date=saturday, kind=CalendarOverride.Kind.WORKING_DAY, name="Làm bù"
    )
    assert get_calendar().is_working_day(saturday)


@pytest.mark.django_db
def test_admin_extra_day_off_is_not_a_working_day_r_due_1():
    monday = D(2026, 3, 9)
    CalendarOverride.objects.create(date=monday, kind=CalendarOverride.Kind.DAY_OFF, name="Nghỉ bù")
    assert not get_calendar().is_working_day(monday)


@pytest.mark.django_db
def test_admin_can_correct_a_library_holiday_r_due_2():
    """An admin override beats the library, e.g. when a holiday the library lists is not
    observed by the public sector."""
    CalendarOverride.objects.create(
        date=D(2026, 11, 24), kind=CalendarOverride.Kind.WORKING_DAY, name="Sửa lịch"
    )
    assert get_calendar().is_working_day(D(2026, 11, 24))


@pytest.mark.django_db
def test_calendar_loads_each_year_once(django_assert_num_queries):
    cal = get_calendar()
    with django_assert_num_queries(1):
        for day in range(1, 29):
            cal.is_working_day(D(2026, 2, day))
        cal.add_working_days(D(2026, 3, 1), 40)


def test_add_working_days_does_not_count_the_start_day_r_due_3(cal):
    assert cal.add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)  # Monday → Tuesday
    assert cal.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday → Monday
    assert cal.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_working_days_between_counts_the_half_open_range(cal):
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5  # across Tết
    assert cal.working_days_between(D(2026, 3, 9), D(2026, 3, 9)) == 0
    assert cal.working_days_between(D(2026, 3, 10), D(2026, 3, 9)) == 0


def test_negative_days_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(D(2026, 3, 2), -1)
