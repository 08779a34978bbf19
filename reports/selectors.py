"""Reads for the dashboard pages and the API (R-IND-1..5, R-IND-8). They read ONLY the rollups
(never raw dossiers or answers; the drill-downs in ``reports.drilldown`` list those), check that
the user may see the unit (``portal.selectors.user_can_see_unit``; a PermissionDenied
otherwise), and run a constant number of queries whatever the number of units.

Scope: a leader of a unit with ``covers_descendants`` (a city or district leader) can open any
unit below; a commune leader opens their commune, and its ranking among its siblings shows the
siblings' figures and ranks (``commune_ranking``), never their dossiers.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.exceptions import PermissionDenied
from portal.selectors import user_can_see_unit
from reports import rankings
from reports.exceptions import UnknownIndicator
from reports.figures import Figures, figures
from reports.models import LOWER_IS_BETTER, TARGET_INDICATORS, Indicator, Target
from reports.periods import Period, TreePart, period_parts
from reports.targets import TargetBook
from surveys.indices import SurveyIndices

COMPOSITE = rankings.COMPOSITE


def require_visible(*, user, unit) -> None:
    if not user_can_see_unit(user=user, unit=unit):
        raise PermissionDenied(_("You have no role at this unit or above it."))


def _members(unit, period: Period) -> list:
    """The children of ``unit`` valid in the period, or the unit itself if it has none."""
    children = unit.children.filter(period.in_force_q()).select_related("tree")
    return list(children.order_by("name", "pk")) or [unit]


# --- indicator tiles ------------------------------------------------------------------------
@dataclass
class IndicatorValue:
    key: str
    label: str
    value: float | None
    previous: float | None
    sample: int
    target: Target | None
    lower_is_better: bool

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def meets_target(self) -> bool | None:
        return self.target.met_by(self.value) if self.target else None


@dataclass
class UnitIndicators:
    unit: object
    period: Period
    previous_period: Period
    figures: Figures
    previous_figures: Figures
    indicators: list[IndicatorValue]
    parts: list[TreePart] = field(default_factory=list)

    def indicator(self, key: str) -> IndicatorValue:
        return next(i for i in self.indicators if i.key == key)


def indicator_values(*, user, unit, period: Period, now=None) -> UnitIndicators:
    """The counts of R-IND-1/2 and the four rates of a unit (with its descendants) over a period,
    next to the previous period and the target in force at the period's end (R-IND-8)."""
    require_visible(user=user, unit=unit)
    current = figures(root=unit, period=period, now=now).get(unit.path) or Figures()
    previous_period = period.previous()
    previous = figures(root=unit, period=previous_period, now=now).get(unit.path) or Figures()
    book = TargetBook(period.end)
    values = [
        IndicatorValue(
            key=key,
            label=str(label),
            value=current.value(key),
            previous=previous.value(key),
            sample=current.sample(key),
            target=book.for_unit(unit, key),
            lower_is_better=key in LOWER_IS_BETTER,
        )
        for key, label in Indicator.choices
    ]
    return UnitIndicators(
        unit=unit,
        period=period,
        previous_period=previous_period,
        figures=current,
        previous_figures=previous,
        indicators=values,
        parts=period_parts(period),
    )


# --- rankings -------------------------------------------------------------------------------
def ranking_table(*, user, unit, period: Period, now=None) -> rankings.Ranking:
    """The ranking of the children of ``unit`` valid in the period ("rank 3 of 17") on every
    indicator and the composite score, with movement against the previous period. For a unit
    without children in the period (a commune), the ranking of it among its siblings."""
    require_visible(user=user, unit=unit)
    if unit.children.filter(period.in_force_q()).exists() or unit.parent_id is None:
        return rankings.ranking(parent=unit, period=period, now=now)
    return rankings.ranking(parent=unit.parent, period=period, focus=unit, now=now)


def commune_ranking(*, user, unit, period: Period, now=None) -> rankings.Ranking:
    """A unit ranked among its siblings (the commune leader's view)."""
    require_visible(user=user, unit=unit)
    if unit.parent_id is None:
        return rankings.ranking(parent=unit, period=period, now=now)
    return rankings.ranking(parent=unit.parent, period=period, focus=unit, now=now)


@dataclass
class TargetRow:
    unit: object
    values: dict[str, float | None]
    targets: dict[str, Target | None]

    @property
    def missing(self) -> list[str]:
        return [k for k in TARGET_INDICATORS if self.targets.get(k) is None]

    def meets(self, indicator: str) -> bool | None:
        target = self.targets.get(indicator)
        return target.met_by(self.values.get(indicator)) if target else None


def targets_table(*, user, unit, period: Period, now=None) -> list[TargetRow]:
    """The children of ``unit`` (or ``unit`` itself without children) with their values and the
    targets in force; units missing a target are listed first (R-IND-8)."""
    require_visible(user=user, unit=unit)
    members = _members(unit, period)
    by_path = figures(
        root=unit, period=period, by="child" if members[0] != unit else "self", now=now
    )
    book = TargetBook(period.end)
    rows = [
        TargetRow(
            unit=member,
            values={k: (by_path.get(member.path) or Figures()).value(k) for k in Indicator.values},
            targets=book.all_for_unit(member),
        )
        for member in members
    ]
    return sorted(rows, key=lambda r: (not r.missing, r.unit.name))


# --- tables and series ----------------------------------------------------------------------
def _check_indicator(indicator: str) -> None:
    if indicator not in (*Indicator.values, *Figures.COUNTS):
        raise UnknownIndicator(_("Unknown indicator “%(name)s”.") % {"name": str(indicator)[:40]})


def _read(fig: Figures, indicator: str):
    return fig.value(indicator) if indicator in Indicator.values else getattr(fig, indicator)


@dataclass
class MonthTable:
    """Rows: units; columns: months; cells: the indicator's value (None: nothing to show)."""

    indicator: str
    months: list[dt.date]
    rows: list[tuple[object, list[float | int | None]]]


def month_by_unit(*, user, unit, period: Period, indicator: str, now=None) -> MonthTable:
    """The month-by-unit heat table of the children of ``unit`` (or of the unit itself without
    children): one grouped query per rollup table for every child and month at once."""
    require_visible(user=user, unit=unit)
    _check_indicator(indicator)
    members = _members(unit, period)
    months = period.months()
    alone = members == [unit]
    cells = figures(root=unit, period=period, by="month" if alone else "child_month", now=now)
    rows = [
        (
            member,
            [
                _read(cells.get(m if alone else (member.path, m)) or Figures(), indicator)
                for m in months
            ],
        )
        for member in members
    ]
    return MonthTable(indicator=indicator, months=months, rows=rows)


def _month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@dataclass
class TrendPoint:
    month: dt.date
    figures: Figures

    def value(self, indicator: str):
        return _read(self.figures, indicator)


def trend(*, user, unit, period: Period, now=None) -> list[TrendPoint]:
    """The monthly series of a unit over a period (every month, zeros included), from one
    grouped query per rollup table."""
    require_visible(user=user, unit=unit)
    by_month = figures(root=unit, period=period, by="month", now=now)
    return [TrendPoint(month=m, figures=by_month.get(m) or Figures()) for m in period.months()]


def satisfaction_by_area(*, user, unit, period: Period, now=None) -> dict[str, SurveyIndices]:
    """R-SUR-3 indices of a unit over a period, per form code: by area and criterion, with
    valid answers per criterion, responses and the small-sample flag, recomputed by
    ``surveys.indices`` from the summed tallies."""
    require_visible(user=user, unit=unit)
    fig = figures(root=unit, period=period, now=now).get(unit.path) or Figures()
    return fig.satisfaction_by_form
