"""Rankings among siblings (R-IND-3): per indicator and by a composite score with admin-set
weights, ties sharing a rank ("1, 2, 2, 4"), a minimum sample below which a unit is listed but
not ranked, and the movement against the previous period.

The dossier rates are ranked by the database with ``RANK()`` over the summed rollups, one
query for all siblings (a window function, where the database has them: PostgreSQL, SQLite ≥
3.25). The satisfaction index (computed by ``surveys.indices`` from summed tallies) and the
composite score are ranked in Python with the same rule (``competition_rank``).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import Cast, NullIf, Rank

from reports.figures import Figures, child_path_expression, figures
from reports.models import LOWER_IS_BETTER, DossierDayStat, Indicator, RankingWeights
from reports.periods import Period

COMPOSITE = "composite"
SQL_RANKED = (Indicator.ON_TIME_RATE, Indicator.LATE_SHARE, Indicator.ONLINE_SHARE)
# Without any version: equal weights, the complaints rate left out (a unit that answered no
# complaint in the period would have no score); an admin may weigh it in a new version.
DEFAULT_WEIGHTS = dict.fromkeys(Indicator.values, 1.0) | {Indicator.COMPLAINTS_IN_TIME: 0.0}


def min_sample() -> int:
    return int(getattr(settings, "REPORTS_RANKING_MIN_SAMPLE", 10))


def competition_rank(values: dict, *, lower_is_better: bool = False) -> dict:
    """{key: value} → {key: rank}: "1224" ranking (SQL ``RANK()``): equal values share a rank,
    the next rank skips. Keys with a None value get no rank."""
    present = [(k, v) for k, v in values.items() if v is not None]
    ordered = sorted(present, key=lambda kv: kv[1], reverse=not lower_is_better)
    ranks, previous, rank = {}, object(), 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[key] = rank
    return ranks


def weights_on(day: dt.date) -> tuple[RankingWeights | None, dict[str, float]]:
    """The composite weights in force on ``day`` (equal weights if none was ever set)."""
    version = RankingWeights.objects.filter(effective_from__lte=day).order_by("-effective_from")
    version = version.first()
    return version, (version.as_dict() if version else dict(DEFAULT_WEIGHTS))


def composite_score(fig: Figures, weights: dict[str, float], minimum: int) -> float | None:
    """Weighted mean of the indicators with a weight (late share as 100 − late share); None
    (not ranked) when one of them is missing or rests on too small a sample."""
    total, weight_sum = 0.0, 0.0
    for indicator, weight in weights.items():
        if weight <= 0:
            continue
        value = fig.value(indicator)
        if value is None or fig.sample(indicator) < minimum:
            return None
        total += weight * ((100.0 - value) if indicator in LOWER_IS_BETTER else value)
        weight_sum += weight
    return total / weight_sum if weight_sum else None


def _rate(numerator, denominator):
    return (
        Cast(numerator, FloatField()) * Value(100.0) / NullIf(Cast(denominator, FloatField()), 0.0)
    )


def sql_ranks(*, parent, child_paths: list[str], period: Period, minimum: int) -> dict:
    """{child path: {indicator: rank}} for the dossier rates, ranked by ``RANK()`` in ONE query
    over the children's summed rollups. Children under the minimum sample sort after the others
    (their rank is dropped)."""
    if not child_paths:
        return {}
    rates = {
        Indicator.ON_TIME_RATE: (
            _rate(F("s_early") + F("s_on_time"), F("s_completed")),
            "s_completed",
        ),
        Indicator.LATE_SHARE: (_rate(F("s_late"), F("s_completed")), "s_completed"),
        Indicator.ONLINE_SHARE: (_rate(F("s_online"), F("s_received")), "s_received"),
    }
    qs = (
        DossierDayStat.objects.filter(day__gte=period.start, day__lte=period.end)
        .filter(unit__path__startswith=parent.path)
        .exclude(unit_id=parent.pk)
        .annotate(g=child_path_expression(parent.path))
        .filter(g__in=child_paths)
        .values("g")
        .annotate(
            s_completed=Sum("completed"),
            s_early=Sum("early"),
            s_on_time=Sum("on_time"),
            s_late=Sum("late"),
            s_received=Sum("received"),
            s_online=Sum("received", filter=Q(channel="online")),
        )
    )
    windows = {}
    for indicator, (expression, sample) in rates.items():
        qs = qs.annotate(**{f"v_{indicator}": expression})
        eligible = Case(
            When(**{f"{sample}__gte": minimum}, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        value = F(f"v_{indicator}")
        order = (
            value.asc(nulls_last=True)
            if indicator in LOWER_IS_BETTER
            else value.desc(nulls_last=True)
        )
        windows[f"r_{indicator}"] = Window(Rank(), order_by=[eligible.desc(), order])
        windows[f"e_{indicator}"] = eligible
    out = {}
    for row in qs.annotate(**windows).order_by():
        out[row["g"]] = {
            indicator: row[f"r_{indicator}"] if row[f"e_{indicator}"] else None
            for indicator in rates
        }
    return out


@dataclass
class RankingRow:
    unit: object
    figures: Figures
    values: dict[str, float | None]
    samples: dict[str, int]
    ranks: dict[str, int | None]
    previous_ranks: dict[str, int | None] = field(default_factory=dict)

    def movement(self, indicator: str) -> int | None:
        """Places gained since the previous period (negative: lost); None if unranked."""
        now, before = self.ranks.get(indicator), self.previous_ranks.get(indicator)
        if now is None or before is None:
            return None
        return before - now


@dataclass
class Ranking:
    parent: object
    period: Period
    previous_period: Period
    rows: list[RankingRow]
    ranked_counts: dict[str, int]
    weights: RankingWeights | None
    weight_values: dict[str, float]
    min_sample: int
    focus: object | None = None  # the unit the ranking was asked for (a commune among siblings)

    @property
    def indicators(self) -> tuple[str, ...]:
        return (*Indicator.values, COMPOSITE)

    def row_for(self, unit) -> RankingRow | None:
        return next((r for r in self.rows if r.unit.pk == unit.pk), None)

    def ordered(self, indicator: str = COMPOSITE) -> list[RankingRow]:
        """Ranked units by rank, then the unranked ones by name."""
        return sorted(
            self.rows,
            key=lambda r: (
                r.ranks.get(indicator) is None,
                r.ranks.get(indicator) or 0,
                r.unit.name,
            ),
        )


def _rank_all(*, parent, children, period: Period, minimum: int, now=None):
    paths = [c.path for c in children]
    by_path = figures(root=parent, period=period, by="child", now=now)
    _version, weights = weights_on(period.end)
    values, samples, ranks = {}, {}, {}
    for child in children:
        fig = by_path.get(child.path) or Figures()
        values[child.path] = {i: fig.value(i) for i in Indicator.values}
        values[child.path][COMPOSITE] = composite_score(fig, weights, minimum)
        samples[child.path] = {i: fig.sample(i) for i in Indicator.values}
        ranks[child.path] = {}
    if connection.features.supports_over_clause:
        sql = sql_ranks(parent=parent, child_paths=paths, period=period, minimum=minimum)
    else:  # pragma: no cover - every supported database has window functions
        sql = None
    for indicator in (*Indicator.values, COMPOSITE):
        if sql is not None and indicator in SQL_RANKED:
            for path in paths:
                ranks[path][indicator] = sql.get(path, {}).get(indicator)
            continue
        eligible = {
            path: values[path][indicator]
            for path in paths
            if indicator == COMPOSITE or samples[path][indicator] >= minimum
        }
        ranked = competition_rank(eligible, lower_is_better=indicator in LOWER_IS_BETTER)
        for path in paths:
            ranks[path][indicator] = ranked.get(path)
    return by_path, values, samples, ranks


def ranking(*, parent, period: Period, focus=None, now=None) -> Ranking:
    """The children of ``parent`` valid in the period (the siblings of ``focus``), ranked on every
    indicator and the composite score, with their ranks in the previous period. A constant
    number of queries whatever the number of children."""
    minimum = min_sample()
    children = list(
        parent.children.filter(period.in_force_q()).select_related("tree").order_by("name", "pk")
    )
    by_path, values, samples, ranks = _rank_all(
        parent=parent, children=children, period=period, minimum=minimum, now=now
    )
    previous = period.previous()
    _b, _v, _s, previous_ranks = _rank_all(
        parent=parent, children=children, period=previous, minimum=minimum, now=now
    )
    version, weights = weights_on(period.end)
    rows = [
        RankingRow(
            unit=child,
            figures=by_path.get(child.path) or Figures(),
            values=values[child.path],
            samples=samples[child.path],
            ranks=ranks[child.path],
            previous_ranks=previous_ranks[child.path],
        )
        for child in children
    ]
    counted = {
        indicator: sum(1 for r in rows if r.ranks.get(indicator) is not None)
        for indicator in (*Indicator.values, COMPOSITE)
    }
    return Ranking(
        parent=parent,
        period=period,
        previous_period=previous,
        rows=rows,
        ranked_counts=counted,
        weights=version,
        weight_values={k: float(Decimal(str(v))) for k, v in weights.items()},
        min_sample=minimum,
        focus=focus,
    )
