"""Sums of the rollups over a period and a part of the unit tree (R-IND-1, R-IND-2, R-IND-4).

A unit's figures are the sums of the rows of every unit whose materialised path starts with its
own (itself and its descendants: a district is the sum of its communes and its own desk, a city
of everything below). Figures of all the children of a unit come from ONE grouped query per
rollup table, grouped by the child's path cut out of each row's unit path (a prefix join on
``AdministrativeUnit.path``), so the number of queries does not grow with the number of units.

Satisfaction indices are recomputed by ``surveys.indices.compute_indices`` from the summed
tallies (R-SUR-3: never an average of percentages). ``overdue`` is the snapshot of the last day
of the period (or today, for a period that has not ended).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import DateField, F, Q, Sum, Value
from django.db.models.functions import StrIndex, Substr, TruncMonth

from reports import days as days_mod
from reports.models import (
    ComplaintDayStat,
    DossierDayStat,
    Indicator,
    SurveyDayStat,
    SurveyResponseDayStat,
)
from reports.periods import Period
from surveys import indices
from surveys.indices import CriterionTally, FormSpec, SurveyIndices

ONLINE = "online"
DOSSIER_COUNTS = tuple(c for c in DossierDayStat.COUNTS if c != "overdue")


@dataclass
class Figures:
    """The counts of a unit over a period, and the rates and indices built from them."""

    received: int = 0
    completed: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    supplement_requests: int = 0
    apologies: int = 0
    withdrawn: int = 0
    received_online: int = 0
    overdue: int = 0  # snapshot on ``snapshot_day``
    complaints_received: int = 0
    complaints_answered: int = 0
    complaints_answered_in_time: int = 0
    complaints_overdue: int = 0  # snapshot on ``snapshot_day``
    responses: int = 0  # survey responses, all forms
    snapshot_day: dt.date | None = None
    satisfaction_by_form: dict[str, SurveyIndices] = field(default_factory=dict)
    satisfaction_form: str | None = None  # the form code the satisfaction index is read from

    COUNTS = (
        "received",
        "completed",
        "early",
        "on_time",
        "late",
        "overdue",
        "refused",
        "supplement_requests",
        "apologies",
        "withdrawn",
        "received_online",
        "complaints_received",
        "complaints_answered",
        "complaints_answered_in_time",
        "complaints_overdue",
        "responses",
    )

    @staticmethod
    def _pct(numerator: int, denominator: int) -> float | None:
        return numerator * 100.0 / denominator if denominator else None

    @property
    def early_or_on_time(self) -> int:
        """The numerator of the on-time rate."""
        return self.early + self.on_time

    @property
    def on_time_rate(self) -> float | None:
        """R-IND-1: (early + on time) / completed."""
        return self._pct(self.early + self.on_time, self.completed)

    @property
    def late_share(self) -> float | None:
        return self._pct(self.late, self.completed)

    @property
    def online_share(self) -> float | None:
        return self._pct(self.received_online, self.received)

    @property
    def complaints_in_time(self) -> float | None:
        """Answers given in time / answers given (R-IND-2; Circular 01/2018 index 8)."""
        return self._pct(self.complaints_answered_in_time, self.complaints_answered)

    @property
    def satisfaction(self) -> SurveyIndices | None:
        return self.satisfaction_by_form.get(self.satisfaction_form or "")

    @property
    def satisfaction_index(self) -> float | None:
        result = self.satisfaction
        return result.overall if result else None

    def value(self, indicator: str) -> float | None:
        if indicator == Indicator.SATISFACTION:
            return self.satisfaction_index
        return getattr(self, indicator)

    def sample(self, indicator: str) -> int:
        """The denominator of a rate: what a minimum sample is checked against."""
        if indicator in (Indicator.ON_TIME_RATE, Indicator.LATE_SHARE):
            return self.completed
        if indicator == Indicator.ONLINE_SHARE:
            return self.received
        if indicator == Indicator.COMPLAINTS_IN_TIME:
            return self.complaints_answered
        result = self.satisfaction
        return result.responses if result else 0

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}


def snapshot_day(period: Period, now=None) -> dt.date:
    return min(period.end, days_mod.today(now))


def child_path_expression(parent_path: str):
    """The path of the child of ``parent_path`` that a row's unit lies under (the parent's own
    path for the parent's rows), cut out of ``unit__path``."""
    length = len(parent_path)
    rest = Substr(F("unit__path"), length + 1)
    return Substr(F("unit__path"), 1, Value(length) + StrIndex(rest, Value("/")))


NO_MONTH = Value(None, output_field=DateField())


def _grouped(qs, *, root_path: str, by: str):
    """Rows under ``root_path``, annotated with their group key ``g`` (and ``m``): the child
    path (``by="child"``), the root itself (``"self"``), the month (``"month"``), or the child
    path and the month (``"child_month"``)."""
    qs = qs.filter(unit__path__startswith=root_path)
    if by == "child":
        return qs.annotate(g=child_path_expression(root_path), m=NO_MONTH)
    if by == "month":
        return qs.annotate(g=TruncMonth("day"), m=NO_MONTH)
    if by == "child_month":
        return qs.annotate(g=child_path_expression(root_path), m=TruncMonth("day"))
    return qs.annotate(g=Value(root_path), m=NO_MONTH)


def _day(value):
    return value.date() if isinstance(value, dt.datetime) else value


def _key(row):
    """The group key of a row: ``g``, or (``g``, month) for ``by="child_month"``."""
    g, m = _day(row.pop("g")), row.pop("m")
    return g if m is None else (g, _day(m))


def satisfaction_form_code(responses_by_form: dict[str, int]) -> str | None:
    """The form whose index is "the" satisfaction index: ``REPORTS_SATISFACTION_FORM``, else the
    form answered most in the compared units (then the first code)."""
    chosen = getattr(settings, "REPORTS_SATISFACTION_FORM", "") or ""
    if chosen:
        return chosen
    if not responses_by_form:
        return None
    return sorted(responses_by_form.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def figures(*, root, period: Period, by: str = "self", now=None) -> dict:
    """{group key: Figures} of the units under ``root`` over ``period``: one entry for the root
    (``by="self"``, key ``root.path``), one per child path (``by="child"``; the root's own
    desk rows under ``root.path``), one per month (``by="month"``, key the month's first
    day), or one per child and month (``by="child_month"``, key (child path, month)). Six
    queries whatever the number of units and months."""
    snap = snapshot_day(period, now)
    in_period = Q(day__gte=period.start, day__lte=period.end)
    out: dict = defaultdict(Figures)

    dossier = _grouped(DossierDayStat.objects.filter(in_period), root_path=root.path, by=by)
    # prefixed names: an annotation named like a field would hide the field from the others
    sums = {f"s_{name}": Sum(name) for name in DOSSIER_COUNTS}
    sums["s_received_online"] = Sum("received", filter=Q(channel=ONLINE))
    sums["s_overdue"] = _overdue_sum(period, snap, by)
    for row in dossier.values("g", "m").annotate(**sums).order_by():
        target = out[_key(row)]
        for name, value in row.items():
            setattr(target, name[2:], value or 0)

    complaint = _grouped(ComplaintDayStat.objects.filter(in_period), root_path=root.path, by=by)
    for row in (
        complaint.values("g", "m")
        .annotate(
            r=Sum("received"),
            a=Sum("answered"),
            t=Sum("answered_in_time"),
            o=_overdue_sum(period, snap, by),
        )
        .order_by()
    ):
        target = out[_key(row)]
        target.complaints_received = row["r"] or 0
        target.complaints_answered = row["a"] or 0
        target.complaints_answered_in_time = row["t"] or 0
        target.complaints_overdue = row["o"] or 0

    _add_satisfaction(out, root=root, period=period, by=by)
    for key, target in out.items():
        if by == "month":
            target.snapshot_day = min(_month_end(key), snap)
        elif by == "child_month":
            target.snapshot_day = min(_month_end(key[1]), snap)
        else:
            target.snapshot_day = snap
    return dict(out)


def _overdue_sum(period: Period, snap: dt.date, by: str) -> Sum:
    """A snapshot is read on one day: the period's last (or today), or by month the last day
    of each month within the period (or today)."""
    if by in ("month", "child_month"):
        ends = [min(_month_end(m), snap) for m in period.months()]
        return Sum("overdue", filter=Q(day__in=[d for d in ends if d >= period.start]))
    return Sum("overdue", filter=Q(day=snap))


def _month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _add_satisfaction(out: dict, *, root, period: Period, by: str) -> None:
    in_period = Q(day__gte=period.start, day__lte=period.end)
    responses = _grouped(
        SurveyResponseDayStat.objects.filter(in_period), root_path=root.path, by=by
    )
    per_group_form: dict = defaultdict(dict)
    form_ids: set[int] = set()
    totals: dict[str, int] = defaultdict(int)
    for row in (
        responses.values("g", "m", "form_id", code=F("form__code"))
        .annotate(n=Sum("responses"))
        .order_by()
    ):
        key = _key(row)
        per_group_form[key][row["code"]] = per_group_form[key].get(row["code"], 0) + row["n"]
        form_ids.add(row["form_id"])
        totals[row["code"]] += row["n"]
    if not form_ids:
        return
    tallies: dict = defaultdict(lambda: defaultdict(dict))
    tally_rows = (
        _grouped(SurveyDayStat.objects.filter(in_period), root_path=root.path, by=by)
        .values("g", "m", code=F("form__code"), criterion_code=F("criterion__code"))
        .annotate(**{f"s_{name}": Sum(name) for name in SurveyDayStat.COUNTS})
        .order_by()
    )
    for row in tally_rows:
        tallies[_key(row)][row["code"]][row["criterion_code"]] = CriterionTally(
            criterion_code=row["criterion_code"],
            levels={v: row[f"s_level_{v}"] for v in SurveyDayStat.LEVELS if row[f"s_level_{v}"]},
            not_applicable=row["s_not_applicable"] or 0,
            blank=row["s_blank"] or 0,
        )
    specs = form_specs(sorted(form_ids))
    main = satisfaction_form_code(totals)
    aggregation = indices.aggregation_setting()
    threshold = indices.small_sample_setting()
    for key, by_form in per_group_form.items():
        target = out[key]
        target.responses = sum(by_form.values())
        target.satisfaction_form = main
        target.satisfaction_by_form = {
            code: indices.compute_indices(
                form=specs.get(code, FormSpec(code=code, scale="five_level")),
                responses=n,
                tallies=tallies[key].get(code, {}),
                aggregation=aggregation,
                small_sample_threshold=threshold,
            )
            for code, n in sorted(by_form.items())
        }


def form_specs(form_ids: list[int]) -> dict[str, FormSpec]:
    """The shape of the forms (areas, criteria, newest wording), pooled by form code as
    ``surveys.indices`` pools versions, without the extra questions: the rollups keep the
    criteria only (their shares stay on the surveys' own indices). One query."""
    return indices.form_specs(form_ids, questions=False)
