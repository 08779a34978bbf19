"""What the dashboard pages show, built from ``reports.selectors`` (rollups only) in a fixed
number of queries whatever the number of units: indicator tiles with the change against the
previous period and the target (R-IND-8), trend charts, the ranking among siblings with
movement (R-IND-3), the month-by-unit heat table, satisfaction by area and criterion (R-SUR-3),
and for every figure the link to the rows behind it (R-IND-5, ``reports.views.figure_list``).

Views stay thin: they parse the request and hand a ``Dashboard`` to the template.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import AdministrativeUnit
from portal.selectors import visible_units
from reports import charts, periods, selectors
from reports.figures import Figures
from reports.models import LOWER_IS_BETTER, Indicator
from reports.rankings import COMPOSITE, Ranking

# Each rate: the figure listed behind its value (numerator) and behind its sample.
RATE_LISTS = {
    Indicator.ON_TIME_RATE: ("early_or_on_time", "completed"),
    Indicator.LATE_SHARE: ("late", "completed"),
    Indicator.ONLINE_SHARE: ("received_online", "received"),
    Indicator.SATISFACTION: ("responses", "responses"),
    Indicator.COMPLAINTS_IN_TIME: ("complaints_answered_in_time", "complaints_answered"),
}
FIGURE_LABELS = {
    "received": gettext_lazy("Received"),
    "received_online": gettext_lazy("Received online"),
    "completed": gettext_lazy("Completed"),
    "early": gettext_lazy("Completed early"),
    "on_time": gettext_lazy("Completed on time"),
    "early_or_on_time": gettext_lazy("Completed early or on time"),
    "late": gettext_lazy("Completed late"),
    "overdue": gettext_lazy("Overdue in process"),
    "refused": gettext_lazy("Refused"),
    "supplement_requests": gettext_lazy("Supplement requests"),
    "apologies": gettext_lazy("Apologies (rescheduled)"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "responses": gettext_lazy("Survey responses"),
    "complaints_received": gettext_lazy("Feedback and complaints received"),
    "complaints_answered": gettext_lazy("Feedback and complaints answered"),
    "complaints_answered_in_time": gettext_lazy("Answered in time"),
    "complaints_overdue": gettext_lazy("Feedback and complaints overdue"),
}
# Figures that are a snapshot of the period's last day, not a sum over it.
SNAPSHOTS = ("overdue", "complaints_overdue")
DOSSIER_TILES = (
    "received",
    "received_online",
    "completed",
    "early",
    "on_time",
    "late",
    "overdue",
    "refused",
    "supplement_requests",
    "apologies",
    "withdrawn",
)
COMPLAINT_TILES = (
    "complaints_received",
    "complaints_answered",
    "complaints_answered_in_time",
    "complaints_overdue",
)
RANKED = (*Indicator.values, COMPOSITE)
HEAT_CHOICES = (*Indicator.values, *DOSSIER_TILES, *COMPLAINT_TILES, "responses")


def figure_label(figure: str) -> str:
    if figure in Indicator.values:
        return str(Indicator(figure).label)
    if figure == COMPOSITE:
        return _("Composite score")
    return str(FIGURE_LABELS.get(figure, figure))


@functools.lru_cache(maxsize=8)
def _list_path(prefix: str) -> str:
    """The list's path with placeholders, resolved once per script prefix (a ranking of a
    province's communes links a thousand figures)."""
    return reverse("reports:list", args=[987654321, "FIGURE"]).replace("987654321", "{unit}", 1)


def list_url(unit, figure: str, period, **extra) -> str:
    """The page of the rows behind a figure (R-IND-5)."""
    query = {"period": str(period), **{k: v for k, v in extra.items() if v not in (None, "")}}
    path = _list_path(get_script_prefix()).replace("FIGURE", figure).format(unit=unit.pk)
    return f"{path}?{urlencode(query)}"


def dashboard_url(unit, period=None, **extra) -> str:
    query = {"period": str(period)} if period is not None else {}
    query.update({k: v for k, v in extra.items() if v not in (None, "")})
    url = reverse("reports:unit", args=[unit.pk])
    return f"{url}?{urlencode(query)}" if query else url


def value_of(fig: Figures, key: str):
    """A figure's value: a rate (percent or None) or a count."""
    if key in Indicator.values:
        return fig.value(key)
    return getattr(fig, key)


# --- tiles ------------------------------------------------------------------------------------
@dataclass
class RateTile:
    key: str
    label: str
    value: float | None
    previous: float | None
    change: float | None
    better: bool | None  # the change is an improvement (None: no change to judge)
    numerator: int
    denominator: int
    numerator_url: str
    denominator_url: str
    target: object
    meets_target: bool | None
    lower_is_better: bool
    small_sample: bool = False


@dataclass
class CountTile:
    key: str
    label: str
    value: int
    previous: int
    url: str
    snapshot: bool


def _numerator(fig: Figures, key: str) -> int:
    return {
        Indicator.ON_TIME_RATE: fig.early_or_on_time,
        Indicator.LATE_SHARE: fig.late,
        Indicator.ONLINE_SHARE: fig.received_online,
        Indicator.SATISFACTION: fig.satisfaction.responses if fig.satisfaction else 0,
        Indicator.COMPLAINTS_IN_TIME: fig.complaints_answered_in_time,
    }[key]


def rate_tiles(result: selectors.UnitIndicators) -> list[RateTile]:
    unit, period, fig = result.unit, result.period, result.figures
    tiles = []
    for item in result.indicators:
        numerator_figure, denominator_figure = RATE_LISTS[item.key]
        extra = {}
        if item.key == Indicator.SATISFACTION and fig.satisfaction_form:
            extra["form"] = fig.satisfaction_form
        change = item.change
        better = None
        if change:
            better = (change < 0) if item.lower_is_better else (change > 0)
        satisfaction = fig.satisfaction
        tiles.append(
            RateTile(
                key=item.key,
                label=item.label,
                value=item.value,
                previous=item.previous,
                change=change,
                better=better,
                numerator=_numerator(fig, item.key),
                denominator=item.sample,
                numerator_url=list_url(unit, numerator_figure, period, **extra),
                denominator_url=list_url(unit, denominator_figure, period, **extra),
                target=item.target,
                meets_target=item.meets_target,
                lower_is_better=item.lower_is_better,
                small_sample=bool(
                    item.key == Indicator.SATISFACTION
                    and satisfaction
                    and satisfaction.small_sample
                ),
            )
        )
    return tiles


def count_tiles(result: selectors.UnitIndicators, keys) -> list[CountTile]:
    fig, before = result.figures, result.previous_figures
    return [
        CountTile(
            key=key,
            label=figure_label(key),
            value=getattr(fig, key),
            previous=getattr(before, key),
            url=list_url(result.unit, key, result.period),
            snapshot=key in SNAPSHOTS,
        )
        for key in keys
    ]


# --- ranking ----------------------------------------------------------------------------------
@dataclass
class RankCell:
    value: float | None
    rank: int | None
    of: int
    movement: int | None
    sample: int | None
    url: str


@dataclass
class RankRow:
    unit: AdministrativeUnit
    cells: dict[str, RankCell]
    is_focus: bool
    dashboard_url: str  # empty: the user may not open that unit


@dataclass
class RankTable:
    ranking: Ranking
    sort: str
    columns: list[tuple[str, str]]
    rows: list[RankRow]
    focus_rank: str  # "3 / 17" for the unit asked about, or ""


def _visible_ids(user, units) -> set[int]:
    """Which of these units the user may open: one query."""
    ids = [u.pk for u in units]
    return set(visible_units(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def rank_table(*, user, ranking: Ranking, sort: str, period) -> RankTable:
    """The ranking sorted by ``sort``; by default the composite score when it ranks as many
    units as any single indicator does, else the indicator that ranks the most (a unit under
    the minimum sample of one weighted indicator has no composite score)."""
    if sort not in RANKED:
        counts = ranking.ranked_counts
        sort = max(RANKED, key=lambda key: (counts.get(key, 0), key == COMPOSITE))
    units = [row.unit for row in ranking.rows]
    visible = _visible_ids(user, units)
    rows = []
    for row in ranking.ordered(sort):
        cells = {}
        for key in RANKED:
            url = ""
            if row.unit.pk in visible and key != COMPOSITE:
                url = list_url(row.unit, RATE_LISTS[key][0], period)
            cells[key] = RankCell(
                value=row.values.get(key),
                rank=row.ranks.get(key),
                of=ranking.ranked_counts.get(key, 0),
                movement=row.movement(key),
                sample=row.samples.get(key) if key != COMPOSITE else None,
                url=url,
            )
        rows.append(
            RankRow(
                unit=row.unit,
                cells=cells,
                is_focus=ranking.focus is not None and row.unit.pk == ranking.focus.pk,
                dashboard_url=dashboard_url(row.unit, period) if row.unit.pk in visible else "",
            )
        )
    focus_rank = ""
    if ranking.focus is not None:
        mine = ranking.row_for(ranking.focus)
        if mine is not None and mine.ranks.get(sort) is not None:
            focus_rank = f"{mine.ranks[sort]} / {ranking.ranked_counts[sort]}"
    columns = [(key, figure_label(key)) for key in RANKED]
    return RankTable(ranking=ranking, sort=sort, columns=columns, rows=rows, focus_rank=focus_rank)


# --- heat table -------------------------------------------------------------------------------
@dataclass
class HeatCell:
    value: float | int | None
    css: str
    url: str


@dataclass
class HeatRow:
    unit: AdministrativeUnit
    cells: list[HeatCell]


@dataclass
class HeatTable:
    indicator: str
    label: str
    is_rate: bool
    months: list[dt.date]
    rows: list[HeatRow]


def _bucket(value, low, high, *, invert: bool) -> int:
    if value is None or high is None or low is None:
        return -1
    if high == low:
        return 2
    share = (value - low) / (high - low)
    if invert:
        share = 1 - share
    return min(4, int(share * 5))


def heat_table(*, user, unit, period, indicator: str) -> HeatTable:
    table = selectors.month_by_unit(user=user, unit=unit, period=period, indicator=indicator)
    is_rate = indicator in Indicator.values
    values = [v for _u, cells in table.rows for v in cells if v is not None]
    if not is_rate:
        values = [v for v in values if v]
    low = min(values) if values else None
    high = max(values) if values else None
    if not is_rate and low is not None:
        low = 0
    visible = _visible_ids(user, [u for u, _cells in table.rows])
    figure = RATE_LISTS[indicator][0] if is_rate else indicator
    rows = []
    for member, cells in table.rows:
        out = []
        for first, value in zip(table.months, cells, strict=True):
            bucket = _bucket(value, low, high, invert=indicator in LOWER_IS_BETTER)
            kind = "r" if is_rate else "c"
            url = ""
            if member.pk in visible and value not in (None, 0):
                month = period.clip(first, _month_end(first))
                url = list_url(member, figure, month)
            out.append(
                HeatCell(value=value, css=f"heat--{kind}{bucket}" if bucket >= 0 else "", url=url)
            )
        rows.append(HeatRow(unit=member, cells=out))
    return HeatTable(
        indicator=indicator,
        label=figure_label(indicator),
        is_rate=is_rate,
        months=table.months,
        rows=rows,
    )


def _month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


# --- trend charts -----------------------------------------------------------------------------
def trend_period(period: periods.Period) -> periods.Period:
    """The months a trend shows: the period itself when it covers three months or more, else
    the twelve months that end with it."""
    if len(period.months()) >= 3:
        return period
    last = period.end
    first = periods.month(last.year, last.month).start
    for _n in range(11):
        first = periods.month(first.year, first.month).previous().start
    return periods.custom(first, last)


def _month_label(first: dt.date) -> str:
    return date_format(first, "m/y")


def trend_charts(*, user, unit, period, target_satisfaction=None) -> dict:
    span = trend_period(period)
    points = selectors.trend(user=user, unit=unit, period=span)
    labels = [_month_label(p.month) for p in points]

    def month_of(point):
        return span.clip(point.month, _month_end(point.month))

    def rate_points(key):
        out = []
        for p in points:
            value = p.value(key)
            label = figure_label(key)
            shown = "—" if value is None else f"{value:.1f} %"
            out.append(
                charts.Point(
                    value=value,
                    href=list_url(unit, RATE_LISTS[key][0], month_of(p))
                    if value is not None
                    else "",
                    title=f"{_month_label(p.month)} · {label}: {shown}",
                )
            )
        return out

    rates = charts.line_chart(
        series=[
            charts.Series(
                figure_label(Indicator.ON_TIME_RATE), rate_points(Indicator.ON_TIME_RATE)
            ),
            charts.Series(
                figure_label(Indicator.SATISFACTION), rate_points(Indicator.SATISFACTION)
            ),
            charts.Series(
                figure_label(Indicator.COMPLAINTS_IN_TIME),
                rate_points(Indicator.COMPLAINTS_IN_TIME),
            ),
        ],
        labels=labels,
        title=_("On-time rate, satisfaction and complaints answered in time by month"),
        desc=_("Percent per month; a dashed line marks the satisfaction target."),
        chart_id="trend-rates",
        target=float(target_satisfaction.value) if target_satisfaction else None,
        target_label=_("Satisfaction target") if target_satisfaction else "",
    )
    bars = []
    for p in points:
        online = p.figures.received_online
        rest = p.figures.received - online
        month = month_of(p)
        bars.append(
            charts.Bar(
                label=_month_label(p.month),
                parts=[
                    (
                        0,
                        rest,
                        list_url(unit, "received", month),
                        _("%(month)s: %(n)d received, %(online)d online")
                        % {
                            "month": _month_label(p.month),
                            "n": p.figures.received,
                            "online": online,
                        },
                    ),
                    (
                        1,
                        online,
                        list_url(unit, "received_online", month),
                        _("%(month)s: %(n)d received online")
                        % {"month": _month_label(p.month), "n": online},
                    ),
                ],
            )
        )
    received = charts.bar_chart(
        bars=bars,
        names=[_("At the desk or by post"), _("Online")],
        title=_("Dossiers received by month"),
        desc=_("Stacked bars: received at the desk or by post, and online."),
        chart_id="trend-received",
    )
    return {"span": span, "rates": rates, "received": received, "points": points}


# --- the page ---------------------------------------------------------------------------------
@dataclass
class Dashboard:
    unit: AdministrativeUnit
    period: periods.Period
    previous_period: periods.Period
    next_period: periods.Period | None
    result: selectors.UnitIndicators
    rates: list[RateTile]
    dossier_counts: list[CountTile]
    complaint_counts: list[CountTile]
    ranking: RankTable
    heat: HeatTable
    charts: dict
    satisfaction: object  # surveys.indices.SurveyIndices of the chosen form, or None
    satisfaction_forms: list[tuple[str, int]]
    satisfaction_form: str | None
    breadcrumbs: list[tuple[AdministrativeUnit, str]]
    notices: list[tuple[str, str, str]] = field(default_factory=list)  # (text, link, link text)
    heat_choices: list[tuple[str, str]] = field(default_factory=list)


def _breadcrumbs(*, user, unit, period) -> list[tuple[AdministrativeUnit, str]]:
    paths = unit.ancestors_and_self_paths()
    above = visible_units(user=user).filter(path__in=paths).exclude(pk=unit.pk).order_by("path")
    return [(u, dashboard_url(u, period)) for u in above]


def _notices(*, user, unit, period, parts) -> list[tuple[str, str, str]]:
    """The reorganisation of 1 July 2025 and the unit's own life (R-UNIT-1, R-IND-4)."""
    out = []
    fmt = "SHORT_DATE_FORMAT"
    if unit.valid_to and period.end > unit.valid_to:
        last = periods.month(unit.valid_to.year, unit.valid_to.month)
        out.append(
            (
                _("This unit existed until %(day)s; its figures stop there.")
                % {"day": date_format(unit.valid_to, fmt)},
                dashboard_url(unit, last),
                _("Open its last month"),
            )
        )
    if unit.valid_from and period.start < unit.valid_from:
        first = periods.month(unit.valid_from.year, unit.valid_from.month)
        out.append(
            (
                _("This unit exists since %(day)s; there are no figures of it before.")
                % {"day": date_format(unit.valid_from, fmt)},
                dashboard_url(unit, first),
                _("Open its first month"),
            )
        )
    if len(parts) > 1:
        for part in parts:
            if part.tree.pk == unit.tree_id:
                link, text = dashboard_url(unit, part.period), _("Open this part here")
            else:
                counterpart = (
                    visible_units(user=user)
                    .filter(tree=part.tree, level=unit.level, code=unit.code)
                    .first()
                )
                link = dashboard_url(counterpart, part.period) if counterpart else ""
                text = _("Open it in that tree") if counterpart else ""
            out.append(
                (
                    _(
                        "From %(start)s to %(end)s the units of the tree “%(tree)s” "
                        "(%(levels)d levels) were in force."
                    )
                    % {
                        "start": date_format(part.period.start, fmt),
                        "end": date_format(part.period.end, fmt),
                        "tree": part.tree.name,
                        "levels": part.tree.levels,
                    },
                    link,
                    text,
                )
            )
    return out


def build(
    *, user, unit, period, sort: str = COMPOSITE, heat: str = "", form: str = ""
) -> Dashboard:
    """Everything the dashboard of ``unit`` over ``period`` shows (``PermissionDenied`` if the
    user may not see the unit)."""
    result = selectors.indicator_values(user=user, unit=unit, period=period)
    ranking = selectors.ranking_table(user=user, unit=unit, period=period)
    heat = heat if heat in HEAT_CHOICES else Indicator.ON_TIME_RATE
    by_form = result.figures.satisfaction_by_form
    chosen = form if form in by_form else result.figures.satisfaction_form
    target = result.indicator(Indicator.SATISFACTION).target
    return Dashboard(
        unit=unit,
        period=period,
        previous_period=result.previous_period,
        next_period=period.following(),
        result=result,
        rates=rate_tiles(result),
        dossier_counts=count_tiles(result, DOSSIER_TILES),
        complaint_counts=count_tiles(result, COMPLAINT_TILES),
        ranking=rank_table(user=user, ranking=ranking, sort=sort, period=period),
        heat=heat_table(user=user, unit=unit, period=period, indicator=heat),
        charts=trend_charts(user=user, unit=unit, period=period, target_satisfaction=target),
        satisfaction=by_form.get(chosen) if chosen else None,
        satisfaction_forms=[(code, r.responses) for code, r in sorted(by_form.items())],
        satisfaction_form=chosen,
        breadcrumbs=_breadcrumbs(user=user, unit=unit, period=period),
        notices=_notices(user=user, unit=unit, period=period, parts=result.parts),
        heat_choices=[(key, figure_label(key)) for key in HEAT_CHOICES],
    )
