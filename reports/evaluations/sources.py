"""The grouped reads behind the evaluations (R-IND-6, R-IND-7, R-FB-4).

The rollups hold counts per unit and day; the Circular 01 indices are scored **per dossier**
(its classification, its worst step, a conduct complaint linked to it) and per official (the
dossiers and steps they handled), which the rollups do not keep. These functions aggregate the
source rows in the database, one grouped query per figure for any number of units or people
(never a query per row), the way ``reports.rollups`` does; counts that the rollups do hold (online
dossiers, late and overdue ones) are read from the rollups.

A dossier "of a period" is one whose result was completed on a local day of the period
(``completed_at``: the moment of its ``completed`` event, the day the rollups count it on). A
dossier "of an official" is one they acted on (any event of theirs); a step "of an official" is
one they closed (the handover, completion, refusal or withdrawal that ended it is theirs).
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)

from dossiers.selectors import (
    Classification,
    classified_steps_of_dossiers_completed,
    classified_steps_of_outer_dossier,
    dossiers_completed_between,
    events_of_dossiers_completed,
    procedure_fully_online_q,
    procedure_online_q,
    procedures_offered,
)
from feedback.selectors import conduct_complaints_counted, overdue_q, pakn_items
from reports import days
from reports.figures import ONLINE, snapshot_day
from reports.models import DossierDayStat
from reports.periods import Period


def bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight before the first day and after the last day of the period."""
    return days.day_start(period.start), days.day_end(period.end)


def completed_in(period: Period, prefix: str = "") -> Q:
    start, end = bounds(period)
    return Q(**{f"{prefix}completed_at__gte": start, f"{prefix}completed_at__lt": end})


def points_case(field: str = "classification"):
    """Early 2, on time 1, late 0 (R-DUE-6, Circular 01 Art. 13)."""
    return Case(
        When(**{field: Classification.EARLY}, then=Value(2)),
        When(**{field: Classification.ON_TIME}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def conduct_complaint_exists(staff=None):
    """EXISTS a counted conduct complaint linked to the outer dossier (about ``staff``, when
    given: an official's own index 7)."""
    qs = conduct_complaints_counted().filter(dossier_id=OuterRef("pk"))
    if staff is not None:
        qs = qs.filter(staff_member=staff)
    return Exists(qs)


def index7_case(staff=None):
    return Case(
        When(conduct_complaint_exists(staff), then=Value(0)),
        When(classification=Classification.EARLY, then=Value(2)),
        When(classification=Classification.ON_TIME, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def step_points_case():
    """Index 2 points of a step: its classification against its own deadline; but a dossier the
    desk completed without handing it to any department has one step whose deadline is the
    handover's (the same day), while the desk's limit was the whole processing time: that step
    scores the dossier's own classification."""
    desk_only = Q(number=1, department__isnull=True, finished_at=F("dossier__completed_at"))
    return Case(
        When(desk_only & Q(dossier__classification=Classification.EARLY), then=Value(2)),
        When(desk_only & Q(dossier__classification=Classification.ON_TIME), then=Value(1)),
        When(desk_only, then=Value(0)),
        When(classification=Classification.EARLY, then=Value(2)),
        When(classification=Classification.ON_TIME, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def step_points_subquery(aggregation: str):
    """Per dossier: its worst classified step (``worst``) or the mean of its steps (``mean``)."""
    points = step_points_case()
    agg = Min(points) if aggregation == "worst" else Avg(points, output_field=FloatField())
    return Subquery(
        classified_steps_of_outer_dossier().values("dossier_id").annotate(v=agg).values("v")[:1]
    )


def _dec(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(str(round(float(value), 6)))


# --- Circular 01 per unit -------------------------------------------------------------------
def unit_dossier_points(*, unit_ids: list[int], period: Period, aggregation: str) -> dict:
    """{unit id: {"n1", "p1", "p7", "n2", "p2"}}: completed dossiers and their points on index
    1 (classification) and 7 (classification, 0 with a counted conduct complaint), and the
    dossiers with classified steps and their index 2 points. Two queries."""
    out: dict = defaultdict(lambda: {"n1": 0, "p1": 0, "p7": 0, "n2": 0, "p2": Decimal(0)})
    start, end = bounds(period)
    base = dossiers_completed_between(start=start, end=end, unit_ids=unit_ids)
    for row in (
        base.values("unit_id")
        .annotate(n=Count("id"), p1=Sum(points_case()), p7=Sum(index7_case()))
        .order_by()
    ):
        out[row["unit_id"]].update(n1=row["n"], p1=row["p1"] or 0, p7=row["p7"] or 0)
    for row in (
        base.annotate(s2=step_points_subquery(aggregation))
        .values("unit_id")
        .annotate(n=Count("s2"), p=Sum("s2"))
        .order_by()
    ):
        out[row["unit_id"]].update(n2=row["n"], p2=_dec(row["p"]))
    return dict(out)


def unit_desk_handling(*, unit_ids: list[int], period: Period) -> dict:
    """{unit id: (procedures, handled entirely at the desk)}: of the procedures with dossiers
    completed in the period, those none of whose dossiers went to a department (index 5)."""
    start, end = bounds(period)
    rows = (
        dossiers_completed_between(start=start, end=end, unit_ids=unit_ids)
        .values("unit_id", "procedure_id")
        .annotate(dept=Count("steps", filter=Q(steps__department__isnull=False)))
        .order_by()
    )
    out: dict = defaultdict(lambda: [0, 0])
    for row in rows:
        out[row["unit_id"]][0] += 1
        out[row["unit_id"]][1] += int(row["dept"] == 0)
    return {k: tuple(v) for k, v in out.items()}


def pakn_handling(*, unit_ids: list[int], period: Period, now: dt.datetime) -> dict:
    """{unit id: {"received", "answered", "in_time", "dragging"}} of the feedback a unit is in
    charge of (``feedback.selectors.PAKN_KINDS``): received and answered in the period, answered
    in time, and "dragging on" at the period's end (overdue then: still open past its deadline,
    or answered only after the end although due before it). Two queries."""
    start, end = bounds(period)
    moment = min(end, now)
    base = pakn_items(unit_ids=unit_ids)
    out: dict = defaultdict(lambda: {"received": 0, "answered": 0, "in_time": 0, "dragging": 0})
    for row in (
        base.values("unit_id")
        .annotate(
            received=Count("id", filter=Q(received_at__gte=start, received_at__lt=end)),
            answered=Count("id", filter=Q(replied_at__gte=start, replied_at__lt=end)),
            in_time=Count(
                "id", filter=Q(replied_at__gte=start, replied_at__lt=end, answered_on_time=True)
            ),
        )
        .order_by()
    ):
        out[row["unit_id"]].update(
            received=row["received"], answered=row["answered"], in_time=row["in_time"]
        )
    late_after = Q(replied_at__gte=moment, reply_due_at__lt=moment, received_at__lt=moment)
    for row in (
        base.filter(overdue_q(moment) | late_after)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        out[row["unit_id"]]["dragging"] = row["n"]
    return dict(out)


def procedures_at_units(*, unit_ids: list[int]) -> dict:
    """{unit id: {"procedures", "online", "full"}}: active procedures offered at the units'
    active desks today, those with a partly or fully online service, and fully online ones."""
    rows = (
        procedures_offered(unit_ids=unit_ids)
        .values("desks__unit_id")
        .annotate(
            procedures=Count("id", distinct=True),
            online=Count("id", distinct=True, filter=procedure_online_q()),
            full=Count("id", distinct=True, filter=procedure_fully_online_q()),
        )
        .order_by()
    )
    return {r["desks__unit_id"]: {k: r[k] for k in ("procedures", "online", "full")} for r in rows}


def online_dossiers(*, unit_ids: list[int], period: Period, now: dt.datetime) -> dict:
    """{unit id: {"received", "online", "problems"}} from the rollups: dossiers received and
    received online in the period, and online dossiers completed late in it or overdue at its
    end (index 9: "no online dossier unresolved or overdue")."""
    snap = snapshot_day(period, now)
    rows = (
        DossierDayStat.objects.filter(
            unit_id__in=unit_ids, day__gte=period.start, day__lte=period.end
        )
        .values("unit_id")
        .annotate(
            s_received=Sum("received"),
            s_online=Sum("received", filter=Q(channel=ONLINE)),
            s_late=Sum("late", filter=Q(channel=ONLINE)),
            s_overdue=Sum("overdue", filter=Q(channel=ONLINE, day=snap)),
        )
        .order_by()
    )
    return {
        r["unit_id"]: {
            "received": r["s_received"] or 0,
            "online": r["s_online"] or 0,
            "problems": (r["s_late"] or 0) + (r["s_overdue"] or 0),
        }
        for r in rows
    }


# --- Circular 01 per official ---------------------------------------------------------------
def staff_dossier_points(*, unit_id: int, period: Period, aggregation: str) -> dict:
    """{user id: {"n1", "p1", "p7", "n2", "p2"}} for the people who acted on the unit's dossiers
    completed in the period: their dossiers with index 1 and 7 points (index 7 is 0 when a
    counted conduct complaint about *them* is linked to the dossier, R-FB-4), and the dossiers
    with steps they closed with index 2 points over those steps. Two queries; the rows (one per
    person and dossier, one per step) are summed here, the unit's staff being few."""
    start, end = bounds(period)
    complaint = conduct_complaints_counted().filter(
        dossier_id=OuterRef("dossier_id"), staff_member_id=OuterRef("actor_id")
    )
    pairs = (
        events_of_dossiers_completed(unit_id=unit_id, start=start, end=end)
        .annotate(p1=points_case("dossier__classification"), complained=Exists(complaint))
        .values_list("actor_id", "dossier_id", "p1", "complained")
        .distinct()
        .order_by()
    )
    out: dict = defaultdict(lambda: {"n1": 0, "p1": 0, "p7": 0, "n2": 0, "p2": Decimal(0)})
    for actor, _dossier, p1, complained in pairs:
        row = out[actor]
        row["n1"] += 1
        row["p1"] += p1
        row["p7"] += 0 if complained else p1
    steps = (
        classified_steps_of_dossiers_completed(unit_id=unit_id, start=start, end=end)
        .annotate(p=step_points_case())
        .values_list("closer", "dossier_id", "p")
        .order_by()
    )
    per_dossier: dict = defaultdict(list)
    for actor, dossier, p in steps:
        if actor is not None:
            per_dossier[(actor, dossier)].append(p)
    for (actor, _dossier), points in per_dossier.items():
        value = min(points) if aggregation == "worst" else Decimal(sum(points)) / len(points)
        out[actor]["n2"] += 1
        out[actor]["p2"] += Decimal(value)
    return dict(out)
