"""The Circular 01/2018 evaluation (R-IND-6) of agencies and officials.

An agency (a unit) is evaluated on its **own** desks' dossiers, not its descendants': the
Circular evaluates each body that runs a one-stop desk (Art. 15.4: the desk compiles the scores
of its officials and of its agency), so a district's evaluation is the district desk's and each
commune has its own (``evaluate_units`` scores a unit and its children side by side).

Where each index comes from (docs/evaluations.md):

| index | agency | official | source |
|---|---|---|---|
| 1 total time | per dossier | per dossier they acted on | classification of dossiers completed in the period |
| 2 each step | per dossier | per step they closed | the steps' classifications (worst step, a rule-set choice) |
| 3 contacts | per dossier | per dossier | entered (rating forms), counts of dossiers at 2/1/0 |
| 4 bodies | per dossier | per dossier | entered (rating forms) |
| 5 at the desk | per unit | — | procedures whose dossiers never left the desk |
| 6 publication | per unit | — | entered (posted at the desk, published electronically) |
| 7 conduct | per dossier | per dossier they acted on | classification, 0 with a counted conduct complaint (R-FB-4) |
| 8 feedback | per unit | — | feedback answered in time, none dragging on |
| 9 online | per unit | — | procedures online, dossiers online, none late or overdue (rollups) |

An index without data is **missing** (``None``), never zero; the total adds the indices present
and the bands are not rescaled (Art. 15.4.b), so a result with missing indices is flagged
``complete=False`` next to its band or grade.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from reports.evaluations import rules, sources
from reports.evaluations.models import Circular01RuleSet, EvaluationEntry
from reports.periods import Period


class NoRuleSet(Exception):
    pass


def rule_set_for(period: Period) -> Circular01RuleSet | None:
    """The version in force on the period's last day (None: the Circular did not apply)."""
    day = period.end
    return (
        Circular01RuleSet.objects.filter(effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )


@dataclass
class IndexResult:
    number: int
    value: Decimal | None  # the index score; None: missing
    source: str  # "computed" or "entered"
    points: Decimal | None = None  # per-dossier indices: points over ...
    dossiers: int | None = None  # ... this many dossiers
    detail: dict = field(default_factory=dict)
    drilldown: bool = False  # a list of dossiers behind it exists

    @property
    def label(self) -> str:
        return str(rules.INDEX_LABELS[self.number])

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def per_dossier(self) -> bool:
        return self.number in rules.PER_DOSSIER


@dataclass
class Evaluation:
    """One subject's evaluation over a period: an agency (``unit``) or an official (``user``
    at ``unit``)."""

    unit: object
    period: Period
    rule_set: Circular01RuleSet
    indices: list[IndexResult]
    user: object | None = None

    @property
    def is_official(self) -> bool:
        return self.user is not None

    @property
    def applicable(self) -> tuple[int, ...]:
        return rules.OFFICIAL_INDICES if self.is_official else rules.AGENCY_INDICES

    def index(self, number: int) -> IndexResult:
        return next(i for i in self.indices if i.number == number)

    @property
    def total(self) -> Decimal:
        return rules.total(i.value for i in self.indices)

    @property
    def missing(self) -> list[int]:
        return [i.number for i in self.indices if i.missing]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def maximum(self) -> int:
        """The highest total the Circular allows (10 officials, 18 agencies)."""
        return 2 * len(self.applicable)

    @property
    def reachable(self) -> int:
        """The highest total reachable with the indices present."""
        return 2 * (len(self.applicable) - len(self.missing))

    @property
    def has_data(self) -> bool:
        return any(not i.missing for i in self.indices)

    @property
    def result_key(self) -> str | None:
        if not self.has_data:
            return None
        if self.is_official:
            return rules.staff_band(self.total, self.rule_set)
        return rules.agency_grade(self.total, self.rule_set)

    @property
    def result_label(self) -> str:
        key = self.result_key
        if key is None:
            return _("No data")
        labels = rules.STAFF_BANDS if self.is_official else rules.AGENCY_GRADES
        return str(labels[key])


# --- entries --------------------------------------------------------------------------------
@dataclass
class Entered:
    contacts: tuple[int, int] | None = None  # (points, dossiers) of index 3
    bodies: tuple[int, int] | None = None  # index 4
    published: tuple[bool | None, bool | None] = (None, None)  # index 6
    entries: list = field(default_factory=list)


def _sum_counts(entries, names) -> tuple[int, int] | None:
    values = [[getattr(e, n) for n in names] for e in entries]
    if all(v is None for row in values for v in row):
        return None
    n2, n1, n0 = (sum(row[k] or 0 for row in values) for k in range(3))
    return rules.counts_points(n2, n1, n0)


def entered_for(*, unit_ids: list[int], period: Period, staff_ids=None) -> dict:
    """{(unit id, user id or None): Entered} from the entries whose period lies within
    ``period``: counts of indices 3 and 4 are summed (a year from its quarters); index 6 is the
    most recent entry that answers both questions."""
    qs = EvaluationEntry.objects.filter(
        unit_id__in=unit_ids, period_start__gte=period.start, period_end__lte=period.end
    ).select_related("entered_by", "updated_by")
    if staff_ids is None:
        qs = qs.filter(staff__isnull=True)
    else:
        qs = qs.filter(staff_id__in=list(staff_ids))
    grouped: dict = {}
    for entry in qs.order_by("period_end", "pk"):
        grouped.setdefault((entry.unit_id, entry.staff_id), []).append(entry)
    out = {}
    for key, entries in grouped.items():
        published = (None, None)
        for entry in entries:
            if entry.published_at_desk is not None and entry.published_online is not None:
                published = (entry.published_at_desk, entry.published_online)
        out[key] = Entered(
            contacts=_sum_counts(entries, ("contacts_2", "contacts_1", "contacts_0")),
            bodies=_sum_counts(entries, ("bodies_2", "bodies_1", "bodies_0")),
            published=published,
            entries=entries,
        )
    return out


def _entered_index(number: int, pair: tuple[int, int] | None) -> IndexResult:
    if pair is None:
        return IndexResult(number, None, "entered")
    points, dossiers = pair
    return IndexResult(
        number, rules.index_value(points, dossiers), "entered", Decimal(points), dossiers
    )


# --- agencies -------------------------------------------------------------------------------
def evaluate_units(units: list, *, period: Period, now: dt.datetime | None = None) -> dict:
    """{unit id: Evaluation} of each unit's own desks over the period, in a fixed number of
    queries whatever the number of units. Raises ``NoRuleSet`` when no version of the Circular
    was in force at the period's end."""
    now = now or timezone.now()
    rule_set = rule_set_for(period)
    if rule_set is None:
        raise NoRuleSet(period)
    ids = [u.pk for u in units]
    points = sources.unit_dossier_points(
        unit_ids=ids, period=period, aggregation=rule_set.step_aggregation
    )
    desk = sources.unit_desk_handling(unit_ids=ids, period=period)
    pakn = sources.pakn_handling(unit_ids=ids, period=period, now=now)
    procedures = sources.procedures_at_units(unit_ids=ids)
    online = sources.online_dossiers(unit_ids=ids, period=period, now=now)
    entered = entered_for(unit_ids=ids, period=period)
    out = {}
    for unit in units:
        p = points.get(unit.pk, {"n1": 0, "p1": 0, "p7": 0, "n2": 0, "p2": Decimal(0)})
        e = entered.get((unit.pk, None), Entered())
        n_proc, at_desk = desk.get(unit.pk, (0, 0))
        f = pakn.get(unit.pk, {"received": 0, "answered": 0, "in_time": 0, "dragging": 0})
        proc = procedures.get(unit.pk, {"procedures": 0, "online": 0, "full": 0})
        onl = online.get(unit.pk, {"received": 0, "online": 0, "problems": 0})
        # A unit with no dossier and no feedback in the period (e.g. a district without a desk
        # of its own) has no data for index 8 either: "no feedback at all" needs a desk at work.
        active = onl["received"] or p["n1"] or any(f.values())
        index8 = (
            rules.index8_points(
                answered=f["answered"],
                in_time=f["in_time"],
                dragging=f["dragging"],
                rules=rule_set,
            )
            if active
            else None
        )
        indices = [
            IndexResult(
                1, rules.index_value(p["p1"], p["n1"]), "computed", Decimal(p["p1"]), p["n1"],
                drilldown=True,
            ),
            IndexResult(
                2, rules.index_value(p["p2"], p["n2"]), "computed", p["p2"], p["n2"],
                drilldown=True,
            ),
            _entered_index(3, e.contacts),
            _entered_index(4, e.bodies),
            IndexResult(
                5,
                rules.index5_points(
                    at_desk=at_desk, procedures=n_proc, level=unit.level, rules=rule_set
                ),
                "computed",
                detail={
                    "procedures": n_proc,
                    "at_desk": at_desk,
                    "share": rules.percent(at_desk, n_proc),
                    "minimum": rules.desk_minimum(unit.level, rule_set),
                },
                drilldown=True,
            ),
            IndexResult(
                6,
                rules.index6_points(at_desk=e.published[0], online=e.published[1]),
                "entered",
                detail={"at_desk": e.published[0], "online": e.published[1]},
            ),
            IndexResult(
                7, rules.index_value(p["p7"], p["n1"]), "computed", Decimal(p["p7"]), p["n1"],
                drilldown=True,
            ),
            IndexResult(
                8,
                index8,
                "computed",
                detail={**f, "share": rules.percent(f["in_time"], f["answered"])},
            ),
            IndexResult(
                9,
                rules.index9_points(
                    procedures=proc["procedures"],
                    online_procedures=proc["online"],
                    received=onl["received"],
                    online=onl["online"],
                    problems=onl["problems"],
                    rules=rule_set,
                ),
                "computed",
                detail={
                    **proc,
                    **onl,
                    "services_share": rules.percent(proc["online"], proc["procedures"]),
                    "online_share": rules.percent(onl["online"], onl["received"]),
                },
                drilldown=True,
            ),
        ]  # fmt: skip
        out[unit.pk] = Evaluation(unit=unit, period=period, rule_set=rule_set, indices=indices)
    for ev in out.values():
        ev.entries = entered.get((ev.unit.pk, None), Entered()).entries
    return out


def evaluate_unit(unit, *, period: Period, now=None) -> Evaluation:
    return evaluate_units([unit], period=period, now=now)[unit.pk]


# --- officials ------------------------------------------------------------------------------
def evaluate_staff(unit, users: list, *, period: Period, now=None) -> dict:
    """{user id: Evaluation} of officials at ``unit`` over the period on indices 1, 2, 3, 4 and
    7 (Art. 15.1.a): their dossiers and steps at this unit, and indices 3 and 4 entered for them
    (missing otherwise)."""
    rule_set = rule_set_for(period)
    if rule_set is None:
        raise NoRuleSet(period)
    points = sources.staff_dossier_points(
        unit_id=unit.pk, period=period, aggregation=rule_set.step_aggregation
    )
    entered = entered_for(unit_ids=[unit.pk], period=period, staff_ids=[u.pk for u in users])
    out = {}
    for user in users:
        p = points.get(user.pk, {"n1": 0, "p1": 0, "p7": 0, "n2": 0, "p2": Decimal(0)})
        e = entered.get((unit.pk, user.pk), Entered())
        indices = [
            IndexResult(
                1, rules.index_value(p["p1"], p["n1"]), "computed", Decimal(p["p1"]), p["n1"],
                drilldown=True,
            ),
            IndexResult(
                2, rules.index_value(p["p2"], p["n2"]), "computed", p["p2"], p["n2"],
                drilldown=True,
            ),
            _entered_index(3, e.contacts),
            _entered_index(4, e.bodies),
            IndexResult(
                7, rules.index_value(p["p7"], p["n1"]), "computed", Decimal(p["p7"]), p["n1"],
                drilldown=True,
            ),
        ]  # fmt: skip
        ev = Evaluation(unit=unit, period=period, rule_set=rule_set, indices=indices, user=user)
        ev.entries = e.entries
        out[user.pk] = ev
    return out
