"""The Decision 766 service index (R-IND-7): 100 points in six groups, each sub-item scored
``weight × achieved ÷ target`` and capped at its weight (unless the rule says uncapped), from
the rule table in force (``Index766Profile``, admin-edited, effective-dated).

A sub-item is **computed** by the portal where it holds the data (``sources766``) or **entered**
per period by the unit (``Index766Entry``); an entered item without an entry is **missing**: it
is left out of the total and listed, never counted as zero. A ratio with a zero denominator
follows the item's rule (0, full points, missing, or its points shared equally by other items:
the no-PAKN reading of [A3]). There are no official bands: the score and the rank among the
siblings are shown, and an administrator's bands (``Index766Band``) when set.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from reports.evaluations import sources766
from reports.evaluations.models import (
    GROUP_MAX,
    Index766Entry,
    Index766Group,
    Index766Item,
    Index766Profile,
)
from reports.periods import Period
from reports.rankings import competition_rank

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def profile_for(period: Period, code: str | None = None) -> Index766Profile | None:
    """The profile named ``code`` (any, to compare readings), else the newest active profile in
    force on the period's last day."""
    qs = Index766Profile.objects.prefetch_related("items", "bands")
    if code:
        return qs.filter(code=code).first()
    return (
        qs.filter(is_active=True, effective_from__lte=period.end)
        .order_by("-effective_from", "code")
        .first()
    )


@dataclass
class ItemScore:
    item: Index766Item
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    ratio: Decimal | None = None  # percent
    score: Decimal | None = None
    weight: Decimal = Decimal(0)  # after redistribution
    status: str = "missing"  # scored | no_data | missing | redistributed
    entry: Index766Entry | None = None

    @property
    def missing(self) -> bool:
        return self.score is None and self.status != "redistributed"

    @property
    def source(self) -> str:
        return self.item.source


@dataclass
class GroupScore:
    key: str
    label: str
    maximum: Decimal
    items: list[ItemScore]

    @property
    def score(self) -> Decimal:
        return sum((i.score for i in self.items if i.score is not None), Decimal(0))

    @property
    def missing(self) -> int:
        return sum(1 for i in self.items if i.missing)


@dataclass
class Index766Result:
    unit: object
    period: Period
    profile: Index766Profile
    groups: list[GroupScore]
    rank: int | None = None
    ranked: int = 0
    bands: list = field(default_factory=list)

    @property
    def items(self) -> list[ItemScore]:
        return [i for g in self.groups for i in g.items]

    @property
    def total(self) -> Decimal:
        return sum((g.score for g in self.groups), Decimal(0)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    @property
    def missing(self) -> list[ItemScore]:
        return [i for i in self.items if i.missing]

    @property
    def reachable(self) -> Decimal:
        return sum((i.weight for i in self.items if not i.missing), Decimal(0))

    @property
    def has_data(self) -> bool:
        """At least one sub-item scored on a real ratio (not only zero-denominator rules)."""
        return any(i.status == "scored" for i in self.items)

    @property
    def band(self):
        if not self.has_data:
            return None
        return next((b for b in self.bands if self.total >= b.min_score), None)


def score_item(*, weight: Decimal, target: Decimal, capped: bool, ratio: Decimal) -> Decimal:
    """``weight × ratio ÷ target``, at most ``weight`` when capped (ratio and target in %)."""
    value = weight * ratio / target
    if capped:
        value = min(weight, value)
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _ratio(num, den) -> Decimal | None:
    if not den:
        return None
    return Decimal(num) * HUNDRED / Decimal(den)


def _score_all(items: list[Index766Item], values: dict, entries: dict) -> list[ItemScore]:
    """Score every item of a profile for one unit. ``values``: {computation: (num, den)};
    ``entries``: {code: Index766Entry-like (numerator, denominator)}."""
    scores = {}
    for item in items:
        s = ItemScore(item=item, weight=item.weight)
        if item.source == Index766Item.Source.COMPUTED:
            pair = values.get(item.computation)
            if pair is None:
                pair = (0, 0)
            s.numerator, s.denominator = Decimal(pair[0]), Decimal(pair[1])
        else:
            entry = entries.get(item.code)
            if entry is not None:
                s.entry = entry if isinstance(entry, Index766Entry) else None
                s.numerator, s.denominator = Decimal(entry.numerator), Decimal(entry.denominator)
        s.ratio = _ratio(s.numerator, s.denominator) if s.denominator is not None else None
        scores[item.code] = s
    # the ratio multiplied by another item's ratio (e.g. online share × synchronised share)
    for s in scores.values():
        other = scores.get(s.item.times_item) if s.item.times_item else None
        if s.ratio is not None and other is not None and other.ratio is not None:
            s.ratio = s.ratio * other.ratio / HUNDRED
    # redistribution first (it changes other items' weights), then the scores
    for s in scores.values():
        if s.denominator == 0 and s.item.no_data == Index766Item.NoData.REDISTRIBUTE:
            receivers = [scores[c] for c in s.item.redistribute_codes if c in scores]
            if receivers:
                share = s.weight / len(receivers)
                for r in receivers:
                    r.weight += share
                s.status, s.weight = "redistributed", Decimal(0)
    for s in scores.values():
        if s.status == "redistributed":
            s.score = None
            continue
        if s.denominator is None:
            s.status = "missing"
            continue
        if s.denominator == 0:
            rule = s.item.no_data
            s.status = "no_data"
            if rule == Index766Item.NoData.FULL:
                s.score = s.weight
            elif rule in (Index766Item.NoData.ZERO, Index766Item.NoData.REDISTRIBUTE):
                s.score = Decimal(0)
            else:
                s.score = None
            continue
        s.status = "scored"
        s.score = score_item(
            weight=s.weight, target=s.item.target, capped=s.item.capped, ratio=s.ratio
        )
    return [scores[i.code] for i in items]


def _groups(scored: list[ItemScore]) -> list[GroupScore]:
    out = []
    for key, label in Index766Group.choices:
        members = [s for s in scored if s.item.group == key]
        out.append(GroupScore(key=key, label=str(label), maximum=GROUP_MAX[key], items=members))
    return out


def _entries(unit_ids: list[int], period: Period) -> dict:
    """{unit id: {code: summed (numerator, denominator)}} of the entries within the period (a
    quarter from its months when it has no entry of its own)."""
    rows = Index766Entry.objects.filter(
        unit_id__in=unit_ids, period_start__gte=period.start, period_end__lte=period.end
    ).select_related("entered_by", "updated_by")
    exact: dict = {}
    summed: dict = {}
    for e in rows:
        if e.period_start == period.start and e.period_end == period.end:
            exact.setdefault(e.unit_id, {})[e.code] = e
        bucket = summed.setdefault(e.unit_id, {})
        if e.code in bucket:
            prev = bucket[e.code]
            bucket[e.code] = _Sum(prev.numerator + e.numerator, prev.denominator + e.denominator)
        else:
            bucket[e.code] = _Sum(e.numerator, e.denominator)
    out = {}
    for unit_id in set(exact) | set(summed):
        out[unit_id] = {**summed.get(unit_id, {}), **exact.get(unit_id, {})}
    return out


@dataclass
class _Sum:
    numerator: Decimal
    denominator: Decimal


def evaluate(
    units: list, *, root, by: str, period: Period, profile: Index766Profile, now=None
) -> dict:
    """{unit id: Index766Result} of ``units`` (``root`` itself with ``by="self"``, or the
    children of ``root`` with ``by="child"``), ranked among themselves by total (ties share a
    rank; a unit without any data is not ranked). One query per computation."""
    now = now or timezone.now()
    items = list(profile.items.all())
    bands = sorted(profile.bands.all(), key=lambda b: -b.min_score)
    computed = sources766.compute(
        [i.computation for i in items if i.source == Index766Item.Source.COMPUTED],
        root=root,
        by=by,
        period=period,
        now=now,
    )
    entries = _entries([u.pk for u in units], period)
    out = {}
    for unit in units:
        values = {code: groups.get(unit.path) for code, groups in computed.items()}
        values = {k: v for k, v in values.items() if v is not None}
        scored = _score_all(items, values, entries.get(unit.pk, {}))
        out[unit.pk] = Index766Result(
            unit=unit, period=period, profile=profile, groups=_groups(scored), bands=bands
        )
    ranks = competition_rank({pk: r.total for pk, r in out.items() if r.has_data})
    for pk, result in out.items():
        result.rank = ranks.get(pk)
        result.ranked = len(ranks)
    return out


def evaluate_unit(unit, *, period: Period, profile: Index766Profile, now=None) -> Index766Result:
    return evaluate([unit], root=unit, by="self", period=period, profile=profile, now=now)[unit.pk]


def evaluate_siblings(
    unit, *, period: Period, profile: Index766Profile, now: dt.datetime | None = None
):
    """The unit ranked among the children of its parent valid in the period (or, for a unit
    without a parent, alone): {unit id: Index766Result}."""
    if unit.parent_id is None:
        return {unit.pk: evaluate_unit(unit, period=period, profile=profile, now=now)}
    parent = unit.parent
    siblings = list(parent.children.filter(period.in_force_q()).order_by("name", "pk"))
    return evaluate(siblings, root=parent, by="child", period=period, profile=profile, now=now)


def evaluate_children(unit, *, period: Period, profile: Index766Profile, now=None):
    """The children of ``unit`` valid in the period, ranked: {unit id: Index766Result}."""
    children = list(unit.children.filter(period.in_force_q()).order_by("name", "pk"))
    if not children:
        return {}
    return evaluate(children, root=unit, by="child", period=period, profile=profile, now=now)
