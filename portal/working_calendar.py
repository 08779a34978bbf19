"""The working calendar: which days are working days, and due moments (R-DUE-1..4).

Sources, in order of precedence for a date:
1. an admin's ``CalendarOverride`` for that date (an extra day off, or a make-up working day);
2. the ``holidays`` package for Vietnam: public holidays of the Labour Code 2019 with lunar dates
   computed (Tết, Giỗ Tổ Hùng Vương), their compensatory days off, and Saturdays declared
   make-up working days (``weekend_workdays``);
3. the week: Saturday and Sunday are days off.

A ``WorkingCalendar`` loads each year once (one query for that year's overrides) and is meant to
live for one request, service call or task: it holds no state between them, so an admin's change
is seen by the next caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKEND = frozenset({5, 6})  # Saturday, Sunday
_MAX_SCAN_DAYS = 3660  # no realistic calendar has ten years without a working day


@dataclass(frozen=True)
class YearCalendar:
    """Non-working weekdays and working weekend days of one year, with their names."""

    days_off: dict[dt.date, str]
    working_days: dict[dt.date, str]


@dataclass(frozen=True)
class DeskHours:
    """A desk's working hours on a working day; the lunch break is optional."""

    opens_at: dt.time
    closes_at: dt.time
    lunch_starts_at: dt.time | None = None
    lunch_ends_at: dt.time | None = None

    @classmethod
    def default(cls) -> DeskHours:
        return cls(
            opens_at=dt.time.fromisoformat(settings.PORTAL_DEFAULT_OPENS_AT),
            closes_at=dt.time.fromisoformat(settings.PORTAL_DEFAULT_CLOSES_AT),
            lunch_starts_at=dt.time(11, 30),
            lunch_ends_at=dt.time(13, 30),
        )

    @classmethod
    def of(cls, desk) -> DeskHours:
        """Hours of a ``ServiceDesk`` (or the defaults when ``desk`` is None)."""
        if desk is None:
            return cls.default()
        return cls(
            opens_at=desk.opens_at,
            closes_at=desk.closes_at,
            lunch_starts_at=desk.lunch_starts_at,
            lunch_ends_at=desk.lunch_ends_at,
        )

    def intervals(self) -> list[tuple[dt.time, dt.time]]:
        """Working intervals of a working day, in order."""
        if self.lunch_starts_at and self.lunch_ends_at:
            return [(self.opens_at, self.lunch_starts_at), (self.lunch_ends_at, self.closes_at)]
        return [(self.opens_at, self.closes_at)]


@lru_cache(maxsize=64)
def library_year(year: int, language: str = "vi") -> YearCalendar:
    """Public holidays and make-up working days of Vietnam from the ``holidays`` package.

    Cached per process: the package's data only changes with its version, never at run time.
    """
    vn = holidays.country_holidays("VN", years=year, language=language)
    days_off = {d: name for d, name in vn.items() if d.year == year}
    working = {
        d: _("Make-up working day")
        for d in getattr(vn, "weekend_workdays", set())
        if d.year == year
    }
    return YearCalendar(days_off=days_off, working_days=working)


def database_overrides(year: int) -> dict[dt.date, tuple[str, str]]:
    """Admin overrides of one year: ``{date: (kind, name)}``."""
    from portal.models import CalendarOverride

    rows = CalendarOverride.objects.filter(
        date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ).values_list("date", "kind", "name")
    return {d: (kind, name) for d, kind, name in rows}


class WorkingCalendar:
    """Answers working-day questions for any year, loading each year at most once."""

    def __init__(
        self,
        *,
        library: Callable[[int], YearCalendar] | None = library_year,
        overrides: Callable[[int], dict[dt.date, tuple[str, str]]] | None = database_overrides,
        tz: dt.tzinfo | None = None,
    ):
        self._library = library
        self._overrides = overrides
        self._years: dict[int, YearCalendar] = {}
        self.tz = tz or timezone.get_default_timezone()

    # --- days ---------------------------------------------------------------------------
    def year(self, year: int) -> YearCalendar:
        """The merged calendar of a year: library first, then admin overrides on top."""
        if year not in self._years:
            from portal.models import CalendarOverride

            base = self._library(year) if self._library else YearCalendar({}, {})
            days_off = dict(base.days_off)
            working = dict(base.working_days)
            for d, (kind, name) in (self._overrides(year) if self._overrides else {}).items():
                if kind == CalendarOverride.Kind.WORKING_DAY:
                    days_off.pop(d, None)
                    working[d] = name
                else:
                    working.pop(d, None)
                    days_off[d] = name
            self._years[year] = YearCalendar(days_off=days_off, working_days=working)
        return self._years[year]

    def is_working_day(self, day: dt.date) -> bool:
        """R-DUE-1: weekdays are working days unless a holiday or a day off; a declared
        make-up day is a working day even on a weekend."""
        cal = self.year(day.year)
        if day in cal.working_days:
            return True
        if day in cal.days_off:
            return False
        return day.weekday() not in WEEKEND

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for _i in range(_MAX_SCAN_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within ten years")  # pragma: no cover

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start``; ``start`` itself is not counted
        (R-DUE-3, Civil Code 2015 Art. 147)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        for _i in range(days):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (start, end]: 0 when end <= start."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def non_working_weekdays(self, year: int) -> dict[dt.date, str]:
        """Weekdays that are not working days in a year, with names (for the admin view)."""
        return {
            d: n for d, n in sorted(self.year(year).days_off.items()) if d.weekday() not in WEEKEND
        }

    # --- moments ------------------------------------------------------------------------
    def local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            raise ValueError("an aware datetime is required")
        return moment.astimezone(self.tz)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def effective_receipt_date(self, received_at: dt.datetime, hours: DeskHours) -> dt.date:
        """R-DUE-3: the date a dossier counts as received. After the desk's closing hour, or on
        a non-working day, it counts as received on the next working day."""
        local = self.local(received_at)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= hours.closes_at:
            return self.next_working_day(day)
        return day

    def due_date(self, received_at: dt.datetime, days: int, hours: DeskHours) -> dt.date:
        """R-DUE-3: the due date of a processing time in working days."""
        return self.add_working_days(self.effective_receipt_date(received_at, hours), days)

    def due_moment(
        self,
        received_at: dt.datetime,
        *,
        days: int | None = None,
        hours_of_work: float | None = None,
        desk_hours: DeskHours | None = None,
    ) -> dt.datetime:
        """The due moment of a dossier (R-DUE-3, R-DUE-4).

        In working days: the end of the desk's working day on the due date. In working hours
        (fast procedures): the receipt moment plus that many hours of the desk's working time.
        """
        desk_hours = desk_hours or DeskHours.default()
        if (days is None) == (hours_of_work is None):
            raise ValueError("give exactly one of days or hours_of_work")
        if days is not None:
            return self.at(self.due_date(received_at, days, desk_hours), desk_hours.closes_at)
        return self.add_working_time(received_at, dt.timedelta(hours=hours_of_work), desk_hours)

    def add_working_time(
        self, start: dt.datetime, duration: dt.timedelta, desk_hours: DeskHours
    ) -> dt.datetime:
        """``start`` plus ``duration`` of working time, skipping nights, breaks and days off."""
        if duration < dt.timedelta(0):
            raise ValueError("duration must not be negative")
        local = self.local(start)
        day = local.date()
        remaining = duration
        cursor = local
        for _i in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                for opens, closes in desk_hours.intervals():
                    begin, end = self.at(day, opens), self.at(day, closes)
                    if cursor >= end:
                        continue
                    cursor = max(cursor, begin)
                    if cursor + remaining <= end:
                        return cursor + remaining
                    remaining -= end - cursor
                    cursor = end
            day += dt.timedelta(days=1)
            cursor = self.at(day, dt.time(0, 0))
        raise ValueError("no working time within ten years")  # pragma: no cover

    def working_time_between(
        self, start: dt.datetime, end: dt.datetime, desk_hours: DeskHours
    ) -> dt.timedelta:
        """Working time between two moments (0 when end <= start)."""
        total = dt.timedelta(0)
        start, end = self.local(start), self.local(end)
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for opens, closes in desk_hours.intervals():
                    lo = max(start, self.at(day, opens))
                    hi = min(end, self.at(day, closes))
                    if hi > lo:
                        total += hi - lo
            day += dt.timedelta(days=1)
        return total


def get_calendar() -> WorkingCalendar:
    """A fresh calendar for one request, service call or task."""
    return WorkingCalendar()
