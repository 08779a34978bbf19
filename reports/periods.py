"""Reporting periods (months, quarters, years, custom ranges), the previous period to compare
with, and how a period meets the unit trees (R-UNIT-1, R-IND-4).

Text forms (API and pages): ``2026-03`` (month), ``2026-Q1`` (quarter), ``2026`` (year),
``2026-01-05..2026-02-10`` (custom, both days included, at most ``REPORTS_MAX_PERIOD_YEARS``
years, default 10).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext as _

from portal.models import UnitTree
from portal.strict_input import date_max, date_min, date_range_message
from reports.exceptions import InvalidPeriod

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = (MONTH, QUARTER, YEAR, CUSTOM)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def max_years() -> int:
    return int(getattr(settings, "REPORTS_MAX_PERIOD_YEARS", 10))


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # included

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InvalidPeriod(_("Unknown kind of period."))
        if self.start > self.end:
            raise InvalidPeriod(_("The period ends before it starts."))
        if not (date_min() <= self.start and self.end <= date_max()):
            raise InvalidPeriod(date_range_message())  # year 9999 + a day overflows
        limit = max_years()
        try:
            longest = self.start.replace(year=self.start.year + limit)
        except ValueError:  # 29 February
            longest = dt.date(self.start.year + limit, 3, 1)
        if self.end >= longest:
            raise InvalidPeriod(
                _("A period covers at most %(years)d years; choose a shorter range.")
                % {"years": limit}
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period just before, of the same kind and length (for comparison)."""
        if self.kind == MONTH:
            start = _add_months(self.start, -1)
            return Period(MONTH, start, self.start - dt.timedelta(days=1))
        if self.kind == QUARTER:
            start = _add_months(self.start, -3)
            return Period(QUARTER, start, self.start - dt.timedelta(days=1))
        if self.kind == YEAR:
            return Period(
                YEAR, dt.date(self.start.year - 1, 1, 1), dt.date(self.start.year - 1, 12, 31)
            )
        end = self.start - dt.timedelta(days=1)
        return Period(CUSTOM, end - dt.timedelta(days=self.days - 1), end)

    def following(self) -> "Period":
        """The period just after, of the same kind and length (the page's "next")."""
        if self.kind == MONTH:
            return month(*_year_month(_add_months(self.start, 1)))
        if self.kind == QUARTER:
            start = _add_months(self.start, 3)
            return Period(QUARTER, start, _add_months(start, 3) - dt.timedelta(days=1))
        if self.kind == YEAR:
            return year(self.start.year + 1)
        start = self.end + dt.timedelta(days=1)
        return Period(CUSTOM, start, start + dt.timedelta(days=self.days - 1))

    def months(self) -> list[dt.date]:
        """First days of the months the period touches."""
        first = self.start.replace(day=1)
        out = []
        while first <= self.end:
            out.append(first)
            first = _add_months(first, 1)
        return out

    def clip(self, start: dt.date | None, end: dt.date | None) -> "Period | None":
        """The part of the period within [start, end] (None for open ends), or None."""
        lo = max(self.start, start) if start else self.start
        hi = min(self.end, end) if end else self.end
        if lo > hi:
            return None
        return Period(CUSTOM, lo, hi)

    def __str__(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return f"{self.start.year}"
        return f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"

    def in_force_q(self, prefix: str = "") -> Q:
        """Rows (units) valid on at least one day of the period."""
        return (
            Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": self.end})
        ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": self.start}))


def _year_month(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def month(year: int, number: int) -> Period:
    start = dt.date(year, number, 1)
    return Period(MONTH, start, _add_months(start, 1) - dt.timedelta(days=1))


def quarter(year: int, number: int) -> Period:
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    return Period(QUARTER, start, _add_months(start, 3) - dt.timedelta(days=1))


def year(number: int) -> Period:
    return Period(YEAR, dt.date(number, 1, 1), dt.date(number, 12, 31))


def custom(start: dt.date, end: dt.date) -> Period:
    return Period(CUSTOM, start, end)


# ASCII digits only (``\d`` would take any script's digits).
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})\Z")
_QUARTER = re.compile(r"^([0-9]{4})-[Qq]([1-4])\Z")
_YEAR = re.compile(r"^([0-9]{4})\Z")
_CUSTOM = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})\Z")


def parse_period(text: str) -> Period:
    """A period from its text form; a clear, translated ``InvalidPeriod`` otherwise."""
    text = (text or "").strip()
    try:
        if m := _MONTH.match(text):
            return month(int(m[1]), int(m[2]))
        if m := _QUARTER.match(text):
            return quarter(int(m[1]), int(m[2]))
        if m := _YEAR.match(text):
            return year(int(m[1]))
        if m := _CUSTOM.match(text):
            return custom(dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2]))
    except ValueError:
        pass
    raise InvalidPeriod(
        _(
            "Unknown period “%(text)s”: write a month (2026-03), a quarter (2026-Q1), a year "
            "(2026) or two days (2026-01-05..2026-02-10)."
        )
        % {"text": text[:40]}
    )


@dataclass(frozen=True)
class TreePart:
    """The part of a period during which one unit tree was the country's organisation."""

    tree: UnitTree
    period: Period


def period_parts(period: Period) -> list[TreePart]:
    """The trees valid during the period, each with its part of it, oldest first: a period
    that spans 1 July 2025 has a legacy part (three levels) and a 2025 part (two levels)."""
    parts = []
    trees = UnitTree.objects.filter(period.in_force_q())
    for tree in trees.order_by(F("valid_from").asc(nulls_first=True), "code"):
        clipped = period.clip(tree.valid_from, tree.valid_to)
        if clipped is not None:
            parts.append(TreePart(tree, clipped))
    return parts
