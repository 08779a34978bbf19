"""The ratios of the Decision 766 sub-items the portal holds the data for (R-IND-7), for a unit
**with its descendants** (the national portal scores a province or a commune on every dossier
under it), grouped so that all the children of a unit come from one query per ratio.

Each function returns ``{group key: (numerator, denominator)}`` where the group key is the path
of the unit (``by="self"``) or of the child of ``root`` a row lies under (``by="child"``), as in
``reports.figures``. The readings of EVALUATIONS.md §1 they follow, and where they simplify, are
in docs/evaluations.md.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import StrIndex, Substr

from dossiers.selectors import (
    Classification,
    dossiers_processed_between,
    dossiers_received_between,
    procedure_fully_online_q,
    procedure_online_q,
    procedures_offered,
)
from feedback.selectors import items_about_dossier, pakn_items
from reports.evaluations.sources import bounds
from reports.figures import ONLINE
from reports.models import DossierDayStat
from reports.periods import Period


def _child_path(field: str, root_path: str):
    length = len(root_path)
    rest = Substr(F(field), length + 1)
    return Substr(F(field), 1, Value(length) + StrIndex(rest, Value("/")))


def grouped(qs, *, field: str, root, by: str):
    """Rows whose unit path (``field``) lies under ``root``, annotated with their group ``g``."""
    qs = qs.filter(**{f"{field}__startswith": root.path})
    if by == "child":
        return qs.exclude(**{field: root.path}).annotate(g=_child_path(field, root.path))
    return qs.annotate(g=Value(root.path))


def _pairs(rows, num="num", den="den") -> dict:
    return {r["g"]: (r[num] or 0, r[den] or 0) for r in rows}


def progress_on_time(*, root, by: str, period: Period, now: dt.datetime) -> dict:
    """Note 2.1: (dossiers completed early or on time + dossiers still in process within their
    deadline at the period's end) ÷ dossiers received or processed in the period. Processing
    ends at the result, a refusal or a withdrawal (a refusal or withdrawal counts on time when
    it came by the due moment); a dossier rescheduled or with more than one supplement request
    is late; supplement time is already out of the due moment (the clock stops, R-DUE-5)."""
    start, end = bounds(period)
    moment = min(end, now)
    qs = grouped(
        dossiers_processed_between(start=start, end=end), field="unit__path", root=root, by=by
    )
    finished = Q(ended__lt=end)
    good_finish = Q(classification__in=[Classification.EARLY, Classification.ON_TIME]) | Q(
        classification="", ended__lte=F("due_at")
    )
    running_ok = Q(due_at__gte=moment, supplement_count__lte=1, reschedule__isnull=True)
    rows = (
        qs.values("g")
        .annotate(
            den=Count("id"),
            num=Count("id", filter=(finished & good_finish) | (~finished & running_ok)),
        )
        .order_by()
    )
    return _pairs(rows)


def procedures_online(*, root, by: str, **_ignored) -> dict:
    """3A: procedures with a partly or fully online service ÷ procedures offered at the active
    desks (today's catalogue: the portal keeps no history of it)."""
    qs = grouped(
        procedures_offered(),
        field="desks__unit__path",
        root=root,
        by=by,
    )
    rows = (
        qs.values("g")
        .annotate(
            den=Count("id", distinct=True),
            num=Count("id", distinct=True, filter=procedure_online_q()),
        )
        .order_by()
    )
    return _pairs(rows)


def online_services_used(*, root, by: str, period: Period, **_ignored) -> dict:
    """3B: online services (procedures offered partly or fully online) that received an online
    dossier in the period ÷ online services offered."""
    offered = {
        g: den
        for g, (_num, den) in _pairs(
            grouped(
                procedures_offered().filter(procedure_online_q()),
                field="desks__unit__path",
                root=root,
                by=by,
            )
            .values("g")
            .annotate(den=Count("id", distinct=True), num=Value(0))
            .order_by()
        ).items()
    }
    start, end = bounds(period)
    used = (
        grouped(
            dossiers_received_between(start=start, end=end).filter(
                procedure_online_q("procedure__"), channel=ONLINE
            ),
            field="unit__path",
            root=root,
            by=by,
        )
        .values("g")
        .annotate(n=Count("procedure_id", distinct=True))
        .order_by()
    )
    used = {r["g"]: r["n"] for r in used}
    return {g: (min(used.get(g, 0), den), den) for g, den in offered.items()}


def dossiers_online(*, root, by: str, period: Period, **_ignored) -> dict:
    """3C: dossiers received online ÷ dossiers received (the rollups)."""
    qs = grouped(
        DossierDayStat.objects.filter(day__gte=period.start, day__lte=period.end),
        field="unit__path",
        root=root,
        by=by,
    )
    rows = (
        qs.values("g")
        .annotate(den=Sum("received"), num=Sum("received", filter=Q(channel=ONLINE)))
        .order_by()
    )
    return _pairs(rows)


def fully_online(*, root, by: str, period: Period, **_ignored) -> dict:
    """[A3]'s single online indicator: dossiers received online ÷ dossiers received, of the
    procedures offered fully online."""
    start, end = bounds(period)
    qs = grouped(
        dossiers_received_between(start=start, end=end).filter(
            procedure_fully_online_q("procedure__")
        ),
        field="unit__path",
        root=root,
        by=by,
    )
    rows = (
        qs.values("g")
        .annotate(den=Count("id"), num=Count("id", filter=Q(channel=ONLINE)))
        .order_by()
    )
    return _pairs(rows)


def _pakn(root, by):
    return grouped(
        pakn_items(exclude_rejected=True),
        field="unit__path",
        root=root,
        by=by,
    )


def feedback_on_time(*, root, by: str, period: Period, now: dt.datetime) -> dict:
    """6.1: (PAKN answered on time + PAKN in process within its deadline at the period's end) ÷
    PAKN received or processed in the period (rejected ones left out)."""
    start, end = bounds(period)
    moment = min(end, now)
    qs = (
        _pakn(root, by)
        .filter(received_at__lt=end)
        .filter(Q(replied_at__isnull=True) | Q(replied_at__gte=start))
    )
    answered = Q(replied_at__lt=end)
    running_ok = Q(due_at__isnull=True) | Q(due_at__gte=moment)
    rows = (
        qs.values("g")
        .annotate(
            den=Count("id"),
            num=Count(
                "id", filter=(answered & Q(answered_on_time=True)) | (~answered & running_ok)
            ),
        )
        .order_by()
    )
    return _pairs(rows)


def feedback_satisfaction(*, root, by: str, period: Period, now: dt.datetime) -> dict:
    """6.2: (PAKN − overdue PAKN − PAKN raised again) ÷ PAKN first received in the period. The
    portal collects no like/dislike of answers, so "rated unsatisfied" is not subtracted."""
    start, end = bounds(period)
    moment = min(end, now)
    qs = _pakn(root, by).filter(received_at__gte=start, received_at__lt=end)
    in_time = Q(replied_at__isnull=False, answered_on_time=True) | (
        Q(replied_at__isnull=True) & (Q(due_at__isnull=True) | Q(due_at__gte=moment))
    )
    rows = (
        qs.values("g")
        .annotate(den=Count("id"), num=Count("id", filter=in_time & Q(reopen_count=0)))
        .order_by()
    )
    return _pairs(rows)


def dossier_satisfaction(*, root, by: str, period: Period, now: dt.datetime) -> dict:
    """Satisfaction with dossier handling: (dossiers received in the period − those late or
    overdue − those a citizen filed feedback or a complaint about) ÷ dossiers received in the
    period. Survey answers are not counted here (the SIPAS index is its own indicator)."""
    start, end = bounds(period)
    moment = min(end, now)
    complained = Exists(items_about_dossier(dossier=OuterRef("pk")))
    late = Q(classification=Classification.LATE) | Q(
        completed_at__isnull=True,
        refusal__isnull=True,
        withdrawal__isnull=True,
        due_at__lt=moment,
    )
    qs = grouped(
        dossiers_received_between(start=start, end=end),
        field="unit__path",
        root=root,
        by=by,
    ).annotate(complained=complained)
    rows = (
        qs.values("g")
        .annotate(den=Count("id"), num=Count("id", filter=~late & Q(complained=False)))
        .order_by()
    )
    return _pairs(rows)


COMPUTATIONS = {
    "progress_on_time": progress_on_time,
    "procedures_online": procedures_online,
    "online_services_used": online_services_used,
    "dossiers_online": dossiers_online,
    "fully_online": fully_online,
    "feedback_on_time": feedback_on_time,
    "feedback_satisfaction": feedback_satisfaction,
    "dossier_satisfaction": dossier_satisfaction,
}


def compute(codes, *, root, by: str, period: Period, now: dt.datetime) -> dict:
    """{computation: {group: (numerator, denominator)}} for the computations named."""
    out = defaultdict(dict)
    for code in sorted(set(codes)):
        out[code] = COMPUTATIONS[code](root=root, by=by, period=period, now=now)
    return dict(out)
