"""Reads of dossiers shared by pages, the API and reports, always scoped to the user's units
(R-UNIT-3, R-PRIV-1)."""

import datetime as dt

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    OPEN_STATUSES,
    Classification,
    Dossier,
    DossierEvent,
    DossierStatus,
    EventKind,
    Pause,
    Procedure,
    Reschedule,
    RuleSet,
    Step,
)
from portal.exceptions import DomainError
from portal.models import AdministrativeUnit, Department, Membership, Role
from portal.selectors import active_memberships, desks_visible, in_force_q, unit_scope_q
from portal.working_calendar import get_calendar


def dossiers_visible(*, user) -> QuerySet[Dossier]:
    """Dossiers of the units the user holds a role at (or covers)."""
    return Dossier.objects.filter(unit_scope_q(user=user, prefix="unit__")).select_related(
        "unit", "desk", "procedure", "current_department"
    )


def dossier_detail(*, user, pk) -> Dossier:
    """One visible dossier with its timeline, steps, documents and endings in a fixed number
    of queries; raises ``Dossier.DoesNotExist`` outside the user's units."""
    return (
        dossiers_visible(user=user)
        .select_related(
            "rule_set",
            "received_by",
            "current_holder",
            "refusal",
            "withdrawal",
            "reschedule__responsible_department",
        )
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor")),
            # one query for the steps with who and where, instead of one per relation
            Prefetch(
                "steps",
                queryset=Step.objects.select_related("department", "handed_by", "received_by"),
            ),
            "documents",
            "pauses",
        )
        .get(pk=pk)
    )


def open_dossiers(*, user) -> QuerySet[Dossier]:
    return dossiers_visible(user=user).filter(status__in=OPEN_STATUSES)


def overdue_in_process(*, user, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """R-DUE-6: still in process past the due moment (the clock is stopped while waiting for
    a supplement, so those are not overdue)."""
    now = now or timezone.now()
    return (
        dossiers_visible(user=user)
        .filter(status__in=(DossierStatus.RECEIVED, DossierStatus.IN_PROCESS), due_at__lt=now)
        .order_by("due_at")
    )


def due_within_one_working_day(*, user, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers due before the end of the next working day: the last chance to
    reschedule with an apology (R-RES-1) is today."""
    now = now or timezone.now()
    cal = get_calendar()
    today = cal.local(now).date()
    horizon = cal.at(cal.next_working_day(today), dt.time(23, 59, 59))
    return (
        dossiers_visible(user=user)
        .filter(
            status__in=(DossierStatus.RECEIVED, DossierStatus.IN_PROCESS),
            due_at__gte=now,
            due_at__lte=horizon,
        )
        .order_by("due_at")
    )


def waiting_for_supplement(*, user) -> QuerySet[Dossier]:
    return dossiers_visible(user=user).filter(status=DossierStatus.WAITING_SUPPLEMENT)


def procedures_at_desk(*, desk) -> QuerySet[Procedure]:
    return desk.procedures.filter(is_active=True).prefetch_related("documents").order_by("name")


def rule_set_on(day: dt.date) -> RuleSet:
    """The rule set in force on a day: a dossier follows the one of its receipt date. Raises a
    ``DomainError`` when none is (the rule sets are reference data: ``dossiers.reference_data``)."""
    rule_set = (
        RuleSet.objects.filter(in_force_q(day, start="effective_from", end=None))
        .order_by("-effective_from")
        .first()
    )
    if rule_set is None:
        raise DomainError(_("No rule set is in force on %(day)s."), params={"day": day})
    return rule_set


def dossier_for_tracking(*, code: str) -> Dossier | None:
    """The dossier with this code for the public tracking page (no scoping: the PIN is the
    check, done by the caller)."""
    return (
        Dossier.objects.select_related("procedure", "desk", "unit")
        .filter(code=code.strip().upper())
        .first()
    )


def dossier_for_pin_check(*, code: str) -> Dossier | None:
    """The dossier with this code, with only what the public PIN check needs (id, code, PIN
    hash): the code + PIN look-up is the busiest public form, and loading the procedure, desk
    and unit with it cost more CPU than the rest of the check (issue 14). No scoping: the PIN
    is the check, done by the caller."""
    return Dossier.objects.only("id", "code", "pin_hash").filter(code=code.strip().upper()).first()


def dossier_log_entries(*, desk, date_from: dt.date, date_to: dt.date) -> QuerySet[Dossier]:
    """The dossier log (sổ theo dõi hồ sơ, R-LIFE-5) of a desk: dossiers received from
    ``date_from`` to ``date_to`` (local dates, both included), in log order, with what a log
    row shows in a fixed number of queries. Steps handed to a department are prefetched in
    order as ``department_steps``. No scoping: the caller checks the user may see ``desk``."""
    cal = get_calendar()
    start = cal.at(date_from, dt.time(0, 0))
    end = cal.at(date_to + dt.timedelta(days=1), dt.time(0, 0))
    return (
        Dossier.objects.filter(desk=desk, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "refusal", "withdrawal", "reschedule")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.filter(department__isnull=False)
                .select_related("department")
                .order_by("number"),
                to_attr="department_steps",
            )
        )
        .order_by("log_year", "log_number", "id")
    )


# --- work queues and choices of the staff pages ------------------------------------------
def held_by_user(*, user) -> QuerySet[Dossier]:
    """Open dossiers the user holds, or that wait at a department the user belongs to
    (a membership with a department), most urgent first."""
    departments = active_memberships(user=user).filter(department__isnull=False)
    return (
        dossiers_visible(user=user)
        .filter(status__in=OPEN_STATUSES)
        .filter(
            Q(current_holder=user) | Q(current_department__in=departments.values("department_id"))
        )
        .order_by("due_at", "id")
    )


def at_the_desk(*, user) -> QuerySet[Dossier]:
    """Dossiers the service desk holds (not handed to a department): just received, handed
    back by a department, or with a result to return; most urgent first."""
    return (
        dossiers_visible(user=user)
        .filter(
            current_department__isnull=True,
            status__in=(
                DossierStatus.RECEIVED,
                DossierStatus.IN_PROCESS,
                DossierStatus.RESULT_READY,
            ),
        )
        .order_by("due_at", "id")
    )


def dossiers_filtered(
    queryset: QuerySet[Dossier],
    *,
    code: str = "",
    status: str = "",
    procedure=None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> QuerySet[Dossier]:
    """Narrow a (scoped) queryset by code (part of it), status, procedure and the local dates
    of receipt (both included)."""
    cal = get_calendar()
    if code.strip():
        queryset = queryset.filter(code__icontains=code.strip())
    if status:
        queryset = queryset.filter(status=status)
    if procedure is not None:
        queryset = queryset.filter(procedure=procedure)
    if received_from is not None:
        queryset = queryset.filter(received_at__gte=cal.at(received_from, dt.time(0, 0)))
    if received_to is not None:
        end = cal.at(received_to + dt.timedelta(days=1), dt.time(0, 0))
        queryset = queryset.filter(received_at__lt=end)
    return queryset


def procedures_for_user(*, user) -> QuerySet[Procedure]:
    """Procedures offered at the desks the user may see (for search filters)."""
    desks = desks_visible(user=user)
    return Procedure.objects.filter(desks__in=desks).distinct().order_by("name")


def officer_in_department(*, user, department, on: dt.date | None = None) -> bool:
    """Whether ``user`` holds the officer role in ``department`` on ``on`` (today)."""
    on = on or timezone.localdate()
    return (
        Membership.objects.filter(in_force_q(on), user=user, department=department)
        .filter(role=Role.OFFICER)
        .exists()
    )


def officers_of_unit(*, unit, on: dt.date | None = None) -> QuerySet[Membership]:
    """The officer memberships, in force on ``on`` (today), of the active departments of a
    unit's desks, with user and department: whom a dossier can be handed to by name."""
    on = on or timezone.localdate()
    return (
        Membership.objects.filter(
            in_force_q(on),
            role=Role.OFFICER,
            department__desk__unit=unit,
            department__is_active=True,
            user__is_active=True,
        )
        .select_related("user", "department")
        .order_by("department__name", "user__last_name", "user__first_name", "user__username")
    )


def departments_of_unit(*, unit) -> QuerySet[Department]:
    """Active departments behind the desks of a unit: where its dossiers can be routed."""
    return (
        Department.objects.filter(desk__unit=unit, is_active=True)
        .select_related("desk")
        .order_by("desk__name", "name")
    )


# --- reads other apps need (surveys, feedback) --------------------------------------------
# Other apps reach dossiers only through selectors, services and signals (the import-linter
# contract "dossiers-public" in pyproject.toml): a query they need about dossiers lives here.
def dossier_for_invitation(*, pk, lock: bool = True) -> Dossier | None:
    """The dossier whose applicant may be invited to the satisfaction survey: the one with
    this id when its result has been returned, else None. With ``lock`` the row is locked
    (``select_for_update``) until the caller's transaction ends, and the status is read after
    the lock is granted."""
    qs = Dossier.objects.select_for_update() if lock else Dossier.objects.all()
    dossier = qs.get(pk=pk)
    return dossier if dossier.status == DossierStatus.RETURNED else None


def dossier_visible_by_code(*, user, code: str) -> Dossier | None:
    """The dossier with exactly this code among those the user may see, or None."""
    return dossiers_visible(user=user).filter(code=code).first()


def dossiers_returned(*, user) -> QuerySet[Dossier]:
    """Visible dossiers whose result has been returned to the applicant, latest return first."""
    return (
        dossiers_visible(user=user)
        .filter(status=DossierStatus.RETURNED)
        .order_by("-returned_at", "-pk")
    )


def dossiers_returned_by(*, moment: dt.datetime, desks=None) -> QuerySet[Dossier]:
    """Dossiers (of ``desks``, or of every desk) returned at or before ``moment``, in the order
    they were returned, with their unit and desk. Not scoped to a user: for seeding and jobs,
    never for a page."""
    qs = (
        Dossier.objects.filter(status=DossierStatus.RETURNED, returned_at__lte=moment)
        .select_related("unit", "desk")
        .order_by("returned_at", "pk")
    )
    if desks is not None:
        qs = qs.filter(desk__in=desks)
    return qs


def procedure_from(value) -> Procedure | None:
    """A procedure given as itself or by its id (a number or a string of digits); None when
    there is no such procedure or the value is not an id."""
    if isinstance(value, Procedure):
        return value
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return Procedure.objects.filter(pk=pk).first()


def dossier_codes_recent(*, unit, limit: int = 50) -> list[str]:
    """The codes of a unit's latest dossiers, newest first (unscoped: for demo data that links
    feedback to real dossiers)."""
    return list(
        Dossier.objects.filter(unit=unit)
        .order_by("-received_at")
        .values_list("code", flat=True)[:limit]
    )


# --- counting for reports (R-IND-1, R-DUE-6, R-RES-4, R-IND-5) -----------------------------
# One definition of each dossier figure, used by the rollups (``reports.rollups``) and by the
# lists behind the figures (``reports.drilldown``), so a figure and its list always agree.
# Flows count the EVENT that records them, on its local day, at the unit where it happened:
# figure → (event kind, filter on the event's dossier). An apology is the rescheduling event
# (R-RES-4); a rescheduled dossier is classified late at completion, so it counts as late.
FLOW_FIGURES = {
    "received": (EventKind.RECEIVED, {}),
    "completed": (EventKind.COMPLETED, {}),
    "early": (EventKind.COMPLETED, {"classification": Classification.EARLY}),
    "on_time": (EventKind.COMPLETED, {"classification": Classification.ON_TIME}),
    "late": (EventKind.COMPLETED, {"classification": Classification.LATE}),
    "refused": (EventKind.REFUSED, {}),
    "supplement_requests": (EventKind.SUPPLEMENT_REQUESTED, {}),
    "apologies": (EventKind.RESCHEDULED, {}),
    "withdrawn": (EventKind.WITHDRAWN, {}),
}
FLOW_KINDS = tuple(dict.fromkeys(kind for kind, _extra in FLOW_FIGURES.values()))


def flow_event_q(figure: str) -> Q:
    """A ``Q`` on ``DossierEvent`` for the events a flow figure counts."""
    kind, extra = FLOW_FIGURES[figure]
    return Q(kind=kind, **{f"dossier__{name}": value for name, value in extra.items()})


def dossier_events_between(*, kind: str, start: dt.datetime, end: dt.datetime):
    """Events of ``kind`` at ``start`` or later and before ``end`` (unscoped: callers narrow
    them to visible dossiers)."""
    return DossierEvent.objects.filter(kind=kind, at__gte=start, at__lt=end)


def dossier_flows_grouped(*, start: dt.datetime, end: dt.datetime, units=None, days=None):
    """The flow figures per (unit, local day, reception channel), from the events in one grouped
    query (a values queryset; the rollups insert it with ``INSERT … SELECT``). ``units``: ids or
    a queryset of unit ids (None: all); ``days``: local days to keep (None: all in range)."""
    qs = DossierEvent.objects.filter(at__gte=start, at__lt=end, kind__in=FLOW_KINDS)
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    qs = qs.annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
    if days is not None:
        qs = qs.filter(day__in=days)
    return (
        qs.values("unit_id", "day", channel=F("dossier__channel"))
        .annotate(**{name: Count("id", filter=flow_event_q(name)) for name in FLOW_FIGURES})
        .order_by()
    )


def dossiers_with_event(
    queryset: QuerySet[Dossier], *, kind: str, start: dt.datetime, end: dt.datetime
) -> QuerySet[Dossier]:
    """The dossiers of ``queryset`` with an event of ``kind`` in [start, end)."""
    events = dossier_events_between(kind=kind, start=start, end=end)
    return queryset.filter(Exists(events.filter(dossier=OuterRef("pk"))))


def supplement_request_events(
    *, dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime
) -> QuerySet[DossierEvent]:
    """One event per supplement request of ``dossiers`` in [start, end), with its dossier (a
    dossier may have two requests: the figure counts requests)."""
    return (
        dossier_events_between(kind=EventKind.SUPPLEMENT_REQUESTED, start=start, end=end)
        .filter(dossier__in=dossiers.order_by().values("pk"))
        .select_related("dossier")
        .order_by("at", "pk")
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def overdue_snapshot_sql(
    *,
    grouped: bool = False,
    moments: list[tuple[dt.date, dt.datetime]] | None = None,
    calendar: tuple[str, dt.datetime, dt.datetime] | None = None,
    days: list[dt.date] | None = None,
    unit_ids=None,
    path: str | None = None,
) -> tuple[str, list]:
    """The overdue-in-process snapshot (R-DUE-6) as SQL for PostgreSQL and SQLite: dossiers
    received before the moment, neither completed nor closed (refused, withdrawn) by then, not
    waiting for a supplement then (the clock is stopped), and whose due moment *as it stood
    then* had passed. The due moment then is the original one before any supplement request or
    rescheduling, the rescheduled one after the apology, and after a supplement the current one
    (the only due moment of a resumed dossier the tables keep: with two supplement requests,
    days between the first resumption and the second request use the later due moment).

    The days come from ``moments`` ((day, moment) pairs, e.g. today and now) or from a table
    of whole days: ``calendar`` = (quoted table name with columns ``day`` and ``ends_at``, end
    of the first day, end of the last day), whose index on ``ends_at`` bounds each dossier to
    the days between its original due moment (no due moment is earlier) and its end; ``days``
    keeps only those days. Selects the dossiers' ids, or with ``grouped`` the counts per
    ``unit_id``, ``day``, ``channel`` (column ``overdue``). Returns (sql, params)."""
    ops = connection.ops
    d, r, p = Dossier, Reschedule, Pause
    dcol = lambda name: f"d.{_col(d, name)}"  # noqa: E731
    rcol = lambda name: f"r.{_col(r, name)}"  # noqa: E731
    params = []
    if moments is not None:
        values = ", ".join(["(%s, %s)"] * len(moments))
        for day, moment in moments:
            params += [ops.adapt_datefield_value(day), ops.adapt_datetimefield_value(moment)]
        ends = [m for _d, m in moments]
        head = f"WITH days(day, ends_at) AS (VALUES {values}) "
        source = "days"
    else:
        table, first_end, last_end = calendar
        ends = [first_end, last_end]
        head = ""
        source = f"{table} days"
    min_end = ops.adapt_datetimefield_value(min(ends))
    max_end = ops.adapt_datetimefield_value(max(ends))
    far = ops.adapt_datetimefield_value(max(ends) + dt.timedelta(days=1))
    # Identifiers come from the models' metadata; every value is a query parameter.
    paused = (
        f"SELECT 1 FROM {_table(p)} p WHERE p.{_col(p, 'dossier')} = d.{_col(d, 'id')} "
        f"AND p.{_col(p, 'requested_at')} < days.ends_at"
    )
    due_then = (
        f"CASE WHEN {dcol('supplement_count')} = 0 OR NOT EXISTS ({paused}) THEN "
        f"(CASE WHEN {rcol('created_at')} < days.ends_at THEN {rcol('new_due_at')} "
        f"ELSE {dcol('original_due_at')} END) "
        f"WHEN {rcol('created_at')} >= days.ends_at THEN {rcol('original_due_at')} "
        f"ELSE {dcol('due_at')} END"
    )
    if grouped:
        select = (
            f"{dcol('unit')} AS unit_id, days.day AS day, {dcol('channel')} AS channel, "
            "COUNT(*) AS overdue"
        )
    else:
        select = dcol("id")
    sql = (
        f"{head}SELECT {select} FROM {_table(d)} d "
        f"JOIN {source} ON days.ends_at > {dcol('original_due_at')} "
        f"AND days.ends_at <= COALESCE({dcol('completed_at')}, {dcol('closed_at')}, %s) "
        f"AND days.ends_at >= %s AND days.ends_at <= %s "
        f"LEFT JOIN {_table(r)} r ON {rcol('dossier')} = d.{_col(d, 'id')} "
        f"WHERE {dcol('received_at')} < %s AND {dcol('original_due_at')} < %s "
        f"AND ({dcol('completed_at')} IS NULL OR {dcol('completed_at')} >= %s) "
        f"AND ({dcol('closed_at')} IS NULL OR {dcol('closed_at')} >= %s) "
        f"AND {dcol('received_at')} < days.ends_at "
        f"AND ({dcol('completed_at')} IS NULL OR {dcol('completed_at')} >= days.ends_at) "
        f"AND ({dcol('closed_at')} IS NULL OR {dcol('closed_at')} >= days.ends_at) "
        f"AND ({dcol('supplement_count')} = 0 OR NOT EXISTS ({paused} "
        f"AND (p.{_col(p, 'resumed_at')} IS NULL OR p.{_col(p, 'resumed_at')} >= days.ends_at))) "
        f"AND ({due_then}) < days.ends_at"
    )
    params += [far, min_end, max_end, max_end, max_end, min_end, min_end]
    if unit_ids is not None:
        sql += f" AND {dcol('unit')} IN ({', '.join(['%s'] * len(unit_ids))})"
        params += list(unit_ids)
    if path is not None:
        unit = AdministrativeUnit
        sql += (
            f" AND {dcol('unit')} IN (SELECT u.{_col(unit, 'id')} FROM {_table(unit)} u "
            f"WHERE substr(u.{_col(unit, 'path')}, 1, %s) = %s)"
        )
        params += [len(path), path]
    if days is not None:
        sql += f" AND days.day IN ({', '.join(['%s'] * len(days))})"
        params += [ops.adapt_datefield_value(day) for day in days]
    if grouped:
        sql += f" GROUP BY {dcol('unit')}, days.day, {dcol('channel')}"
    return sql, params


def dossiers_overdue_at(
    queryset: QuerySet[Dossier], *, day: dt.date, moment: dt.datetime
) -> QuerySet[Dossier]:
    """The dossiers of ``queryset`` overdue in process at ``moment`` (day ``day``'s snapshot,
    the same SQL as the rollups')."""
    sql, params = overdue_snapshot_sql(moments=[(day, moment)])
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are parameters


def units_with_due_crossed(*, since: dt.datetime | None, now: dt.datetime) -> set[int]:
    """Units with running dossiers (received, in process) whose due moment passed after
    ``since`` and by ``now`` (every running overdue dossier's unit without ``since``): time
    alone makes them overdue, with no event."""
    running = Dossier.objects.filter(status__in=(DossierStatus.RECEIVED, DossierStatus.IN_PROCESS))
    crossed = running.filter(due_at__lte=now)
    if since is not None:
        crossed = crossed.filter(due_at__gt=since)
    return set(crossed.values_list("unit_id", flat=True).distinct())


def first_event_at() -> dt.datetime | None:
    """The moment of the oldest dossier event (where the demo's report history starts)."""
    return DossierEvent.objects.aggregate(m=Min("at"))["m"]


# --- reads for the evaluations and exports (reports.evaluations, reports.exports) ----------
# Reports reach dossiers only through this module (the import-linter contract
# "reports-through-selectors"). ``Classification`` (imported above) is theirs to use from here:
# the Circular 01 and Decision 766 points are scored on it.
def dossier_field_choices() -> dict[str, list]:
    """The choices (value, label) of the dossier fields a list shows by label: ``channel``,
    ``status`` and ``classification`` (exports translate them)."""
    return {
        "channel": Dossier.Channel.choices,
        "status": DossierStatus.choices,
        "classification": Classification.choices,
    }


# The events that close a step: the handover to the next place, the completion, a refusal or a
# withdrawal. Whoever made it closed the step (a step "of an official", Circular 01 index 2).
STEP_CLOSING_KINDS = (EventKind.ROUTED, EventKind.COMPLETED, EventKind.REFUSED, EventKind.WITHDRAWN)


def _step_closing_events() -> QuerySet[DossierEvent]:
    """The events closing the outer step (``OuterRef`` to a ``Step``: same dossier, at the
    moment the step finished)."""
    return DossierEvent.objects.filter(
        dossier_id=OuterRef("dossier_id"), at=OuterRef("finished_at"), kind__in=STEP_CLOSING_KINDS
    )


def dossiers_acted_on_by(queryset: QuerySet[Dossier], *, user) -> QuerySet[Dossier]:
    """The dossiers of ``queryset`` with an event of ``user`` (the dossiers of an official)."""
    return queryset.filter(Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), actor=user)))


def dossiers_with_step_closed_by(queryset: QuerySet[Dossier], *, user) -> QuerySet[Dossier]:
    """The dossiers of ``queryset`` with a step ``user`` closed (an event of theirs in
    ``STEP_CLOSING_KINDS`` ended it)."""
    closed_by_user = _step_closing_events().filter(actor=user)
    return queryset.filter(
        Exists(Step.objects.filter(dossier=OuterRef("pk")).filter(Exists(closed_by_user)))
    )


def step_closer() -> Subquery:
    """Who closed the outer step (``OuterRef`` to a ``Step``): the actor of the event in
    ``STEP_CLOSING_KINDS`` at the moment it finished, or NULL while it is open."""
    return Subquery(_step_closing_events().values("actor_id")[:1])


def dossier_actor_ids(*, unit, start: dt.datetime, end: dt.datetime) -> QuerySet[DossierEvent]:
    """The ids (``actor_id``) of the people who acted on the unit's dossiers in [start, end),
    one per event, for use as a subquery."""
    events = DossierEvent.objects.filter(dossier__unit=unit, at__gte=start, at__lt=end)
    return events.values("actor_id")


def dossiers_received_per_receiver(*, unit, user_ids, start: dt.datetime, end: dt.datetime):
    """(receiver's id, number) pairs: the unit's dossiers each of ``user_ids`` received in
    [start, end), in one grouped query."""
    return (
        Dossier.objects.filter(
            unit=unit, received_by_id__in=user_ids, received_at__gte=start, received_at__lt=end
        )
        .values("received_by_id")
        .annotate(n=Count("id"))
        .values_list("received_by_id", "n")
        .order_by()
    )


def classified_steps_finished_between(
    *, unit, start: dt.datetime, end: dt.datetime
) -> QuerySet[Step]:
    """The classified steps of the unit's dossiers that finished in [start, end), each with
    who closed it (``closer``, see ``step_closer``)."""
    return (
        Step.objects.filter(dossier__unit=unit, finished_at__gte=start, finished_at__lt=end)
        .exclude(classification="")
        .annotate(closer=step_closer())
    )


def reschedules_per_step_closer(*, unit, start: dt.datetime, end: dt.datetime):
    """The unit's reschedulings (apologies, R-RES-4) made in [start, end), counted (``n``) per
    ``caused_by``: who later closed the step the dossier was in at that moment (NULL while that
    step is open). One grouped query."""
    step_then = (
        Step.objects.filter(
            dossier_id=OuterRef("dossier_id"), handed_at__lte=OuterRef("created_at")
        )
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gt=OuterRef("created_at")))
        .annotate(closer=step_closer())
        .order_by("-number")
        .values("closer")[:1]
    )
    return (
        Reschedule.objects.filter(dossier__unit=unit, created_at__gte=start, created_at__lt=end)
        .annotate(caused_by=Subquery(step_then))
        .values("caused_by")
        .annotate(n=Count("id"))
        .order_by()
    )


def dossiers_completed_between(
    *, start: dt.datetime, end: dt.datetime, unit_ids=None
) -> QuerySet[Dossier]:
    """Dossiers (of ``unit_ids``, or of every unit) whose result was completed in [start, end):
    the dossiers "of a period" of the evaluations. Unscoped: for grouped figures."""
    qs = Dossier.objects.filter(completed_at__gte=start, completed_at__lt=end)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs


def dossiers_received_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers received in [start, end). Unscoped: for grouped figures."""
    return Dossier.objects.filter(received_at__gte=start, received_at__lt=end)


def dossiers_processed_between(*, start: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers received or in process in [start, end): received before ``end`` and not ended
    before ``start``, each with ``ended``, the moment its processing ended (the result, a
    refusal or a withdrawal; NULL while it runs). Unscoped: for grouped figures."""
    ended = Coalesce("completed_at", "refusal__refused_at", "withdrawal__withdrawn_at")
    return (
        Dossier.objects.annotate(ended=ended)
        .filter(received_at__lt=end)
        .filter(Q(ended__isnull=True) | Q(ended__gte=start))
    )


def events_of_dossiers_completed(
    *, unit_id, start: dt.datetime, end: dt.datetime
) -> QuerySet[DossierEvent]:
    """The events of the unit's dossiers completed in [start, end) (who acted on them)."""
    return DossierEvent.objects.filter(
        dossier__completed_at__gte=start, dossier__completed_at__lt=end, dossier__unit_id=unit_id
    )


def classified_steps_of_dossiers_completed(
    *, unit_id, start: dt.datetime, end: dt.datetime
) -> QuerySet[Step]:
    """The classified steps of the unit's dossiers completed in [start, end), each with who
    closed it (``closer``, see ``step_closer``)."""
    return (
        Step.objects.filter(
            dossier__completed_at__gte=start,
            dossier__completed_at__lt=end,
            dossier__unit_id=unit_id,
        )
        .exclude(classification="")
        .annotate(closer=step_closer())
    )


def classified_steps_of_outer_dossier() -> QuerySet[Step]:
    """The classified steps of the outer dossier (``OuterRef("pk")`` to a ``Dossier``), for a
    per-dossier subquery."""
    return Step.objects.filter(dossier_id=OuterRef("pk")).exclude(classification="")


def procedures_offered(*, unit_ids=None) -> QuerySet[Procedure]:
    """Active procedures offered at active desks (today's catalogue: no history is kept); with
    ``unit_ids``, at an active desk of those units (the same desk row, so a values query on
    ``desks__unit_id`` groups by it)."""
    lookups = {"is_active": True, "desks__is_active": True}
    if unit_ids is not None:
        lookups["desks__unit_id__in"] = unit_ids
    return Procedure.objects.filter(**lookups)


def procedure_online_q(prefix: str = "") -> Q:
    """A procedure offered partly or fully online (``prefix``: the path to it, e.g.
    ``"procedure__"`` from a dossier)."""
    levels = (Procedure.OnlineLevel.PARTIAL, Procedure.OnlineLevel.FULL)
    return Q(**{f"{prefix}online_level__in": levels})


def procedure_fully_online_q(prefix: str = "") -> Q:
    """A procedure offered fully online (``prefix`` as in ``procedure_online_q``)."""
    return Q(**{f"{prefix}online_level": Procedure.OnlineLevel.FULL})
