"""Reads of feedback items shared by pages, the API and reports, scoped to the user's units
(R-UNIT-3, R-PRIV-1), and the public reads (published results, units that take feedback).

Scoping: staff see the items of the units they hold a role at (or cover), and the items their
units received and passed on (the intake register is theirs); never a conduct complaint or a
denunciation about themselves (FEEDBACK_LAW.md §2: keep the denouncer hidden from the accused).

Counting rules for the reports (R-IND-2, R-IND-6 index 8) are here too, so that a figure on a
dashboard and the list behind it use the same definition: ``answered_in_time_q``,
``answered_late_q``, ``overdue_q``, ``handling_counts`` (per unit and day, from the events) and
``conduct_complaints_per_staff_month`` (R-FB-4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import Contains
from django.utils import timezone

from feedback.models import (
    OPEN_STATUSES,
    Attachment,
    Category,
    Event,
    EventKind,
    Finding,
    Item,
    Kind,
    Publication,
    Reply,
    Status,
)
from portal.models import AdministrativeUnit, Membership, Role
from portal.search import FoldAccents, fold_accents
from portal.selectors import in_force_q, unit_scope_q
from portal.strict_input import int_or_none
from portal.working_calendar import get_calendar

User = get_user_model()
ABOUT_STAFF = (Kind.CONDUCT, Kind.DENUNCIATION)


# --- staff: scoped lists ------------------------------------------------------------------
def _scoped(user, scope: Q) -> QuerySet[Item]:
    if not user.is_authenticated:
        return Item.objects.none()
    return (
        Item.objects.filter(scope)
        .exclude(staff_member=user, kind__in=ABOUT_STAFF)
        .select_related(
            "unit", "intake_unit", "category", "assigned_to", "transferred_to_unit", "desk"
        )
    )


def items_visible(*, user) -> QuerySet[Item]:
    """Items of the user's units: in charge now, or received there (their intake register),
    with what a list row shows in the same query."""
    if not user.is_authenticated:
        return Item.objects.none()
    return _scoped(
        user,
        unit_scope_q(user=user, prefix="unit__") | unit_scope_q(user=user, prefix="intake_unit__"),
    )


def items_in_charge(*, user) -> QuerySet[Item]:
    """Items the user's units are in charge of now (the work queues): not those passed on to
    another unit, which stay only in the receiving unit's register."""
    if not user.is_authenticated:
        return Item.objects.none()
    return _scoped(user, unit_scope_q(user=user, prefix="unit__"))


def item_detail(*, user, pk) -> Item:
    """One visible item with its timeline, replies, attachments, extension and publication,
    in a fixed number of queries; raises ``Item.DoesNotExist`` outside the user's units."""
    return (
        items_visible(user=user)
        .select_related(
            "rule", "received_by", "staff_member", "dossier", "extension", "publication"
        )
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.select_related("actor", "unit")),
            Prefetch("replies", queryset=Reply.objects.select_related("replied_by", "unit")),
            "attachments",
        )
        .get(pk=pk)
    )


def with_overdue_flag(queryset: QuerySet[Item], *, now=None) -> QuerySet[Item]:
    """``is_overdue`` on each row, by the same rule as the overdue queue (``overdue_q``)."""
    return queryset.annotate(
        is_overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField())
    )


def reply_of(*, item: Item, number: int) -> Reply | None:
    """One answer of an item the caller fetched through a scoped selector (its letter)."""
    return (
        Reply.objects.select_related("unit", "replied_by").filter(item=item, number=number).first()
    )


def attachment_of(*, item: Item, pk: int) -> Attachment | None:
    """One attachment of an item the caller fetched through a scoped selector."""
    return Attachment.objects.filter(item=item, pk=pk).first()


def items_filtered(
    queryset: QuerySet[Item],
    *,
    status: Iterable[str] = (),
    kind: Iterable[str] = (),
    channel: Iterable[str] = (),
    unit=None,
    within=None,
    category=None,
    assigned_to=None,
    q: str = "",
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
) -> QuerySet[Item]:
    """Narrow a (scoped) queryset: statuses, kinds, channels (one, or any of several), the unit in
    charge, a unit and its descendants (``within``), category, assignee, part of the code or
    register number (``q``; personal data is not searchable, so it never goes into a URL),
    local dates of receipt (both included)."""
    cal = get_calendar()
    if status := _values(status):
        queryset = queryset.filter(status__in=status)
    if kind := _values(kind):
        queryset = queryset.filter(kind__in=kind)
    if channel := _values(channel):
        queryset = queryset.filter(channel__in=channel)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    if within is not None:
        queryset = queryset.filter(unit__path__startswith=within.path)
    if category is not None:
        queryset = queryset.filter(category=category)
    if assigned_to is not None:
        queryset = queryset.filter(assigned_to=assigned_to)
    if term := (q or "").strip():
        match = Q(code__icontains=term)
        if (number := int_or_none(term)) is not None:
            match |= Q(register_number=number)
        queryset = queryset.filter(match)
    if received_from is not None:
        queryset = queryset.filter(received_at__gte=cal.at(received_from, dt.time(0, 0)))
    if received_to is not None:
        end = cal.at(received_to + dt.timedelta(days=1), dt.time(0, 0))
        queryset = queryset.filter(received_at__lt=end)
    return queryset


def _values(value) -> list[str]:
    """One value or several (a page's select gives one, the API's repeated parameter many)."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def open_q() -> Q:
    """Still to be handled here: open, and not passed to a body outside the portal."""
    return Q(status__in=OPEN_STATUSES) & ~Q(
        status=Status.TRANSFERRED, transferred_to_unit__isnull=True
    )


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Overdue: still to be handled here and past the running deadline (transfer for a
    denunciation, acceptance then settlement for a complaint, the answer for the others)."""
    return open_q() & Q(due_at__lt=now or timezone.now())


def due_soon_q(now: dt.datetime | None = None) -> Q:
    """Due within one working day: not overdue yet, and due before the end of the next
    working day."""
    now = now or timezone.now()
    cal = get_calendar()
    horizon = cal.at(cal.next_working_day(cal.local(now).date()), dt.time(23, 59, 59))
    return open_q() & Q(due_at__gte=now, due_at__lte=horizon)


def unassigned_q() -> Q:
    return open_q() & Q(assigned_to__isnull=True)


def transferred_q() -> Q:
    return Q(status=Status.TRANSFERRED)


def answered_in_time_q() -> Q:
    """Answered by the deadline in force when the answer was given (an item without a
    deadline counts as in time). Reopened items count by their latest answer."""
    return Q(replied_at__isnull=False, answered_on_time=True)


def answered_late_q() -> Q:
    return Q(replied_at__isnull=False, answered_on_time=False)


def overdue(*, user, now=None) -> QuerySet[Item]:
    """Work queue: the units' items past their running deadline, oldest deadline first."""
    return items_in_charge(user=user).filter(overdue_q(now)).order_by("due_at", "id")


def due_soon(*, user, now=None) -> QuerySet[Item]:
    """Work queue: due before the end of the next working day."""
    return items_in_charge(user=user).filter(due_soon_q(now)).order_by("due_at", "id")


def unassigned(*, user) -> QuerySet[Item]:
    """Work queue: open items nobody has been given yet (new ones, transferred-in ones)."""
    return items_in_charge(user=user).filter(unassigned_q()).order_by("due_at", "id")


def transferred(*, user) -> QuerySet[Item]:
    """Items in the status "transferred": received from another unit, or sent on by the
    user's units (these stay in their register)."""
    return items_visible(user=user).filter(transferred_q()).order_by("-transferred_at", "-id")


def assigned_to_user(*, user) -> QuerySet[Item]:
    """The user's own open items, most urgent first (no deadline last)."""
    return items_in_charge(user=user).filter(open_q(), assigned_to=user).order_by("due_at", "id")


def due_for_assignee(*, user, now=None) -> QuerySet[Item]:
    """What the user must handle within one working day: their open items that are overdue
    or due before the end of the next working day (R-FB-2 reminders)."""
    now = now or timezone.now()
    return assigned_to_user(user=user).filter(overdue_q(now) | due_soon_q(now))


def staff_for_assignment(*, unit) -> QuerySet:
    """People holding a role today at ``unit`` (or covering it from a unit above): whom an
    item of that unit can be assigned to."""
    today = timezone.localdate()
    memberships = (
        Q(memberships__unit=unit)
        | Q(
            memberships__covers_descendants=True,
            memberships__unit__path__in=unit.ancestors_and_self_paths(),
        )
    ) & in_force_q(today, prefix="memberships__")
    return (
        User.objects.filter(memberships, is_active=True)
        .filter(memberships__role__in=[Role.RECEPTIONIST, Role.OFFICER, Role.LEADER])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def is_staff_of(*, unit, user) -> bool:
    """Whether ``user`` is one of ``staff_for_assignment(unit=unit)``: a person an item of
    ``unit`` can be about (R-FB-4) or assigned to. A superuser without a role there is not."""
    return user is not None and staff_for_assignment(unit=unit).filter(pk=user.pk).exists()


def staff_visible(*, user) -> QuerySet:
    """People an item of ``user``'s units can name (the staff member concerned, the assignee):
    holding a receptionist, officer or leader role today at a unit ``user`` may see, or
    covering one from a unit above. The API's person fields choose among them, so the id of
    anyone else answers like an unknown id (R-UNIT-3: accounts outside one's units are not
    probed); the services then check the item's own unit (``is_staff_of``)."""
    visible = AdministrativeUnit.objects.filter(unit_scope_q(user=user))
    memberships = (
        Membership.objects.filter(in_force_q(timezone.localdate()))
        .filter(role__in=[Role.RECEPTIONIST, Role.OFFICER, Role.LEADER])
        .filter(
            Q(unit__in=visible)
            | Q(
                Exists(visible.filter(path__startswith=OuterRef("unit__path"))),
                covers_descendants=True,
            )
        )
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def transfer_targets(*, item, q: str = "") -> QuerySet[AdministrativeUnit]:
    """Units an item can be transferred to: any unit existing today but its own, in the same
    unit tree, searchable by name (diacritics ignored)."""
    units = AdministrativeUnit.objects.filter(
        in_force_q(timezone.localdate()), tree_id=item.unit.tree_id
    ).exclude(pk=item.unit_id)
    if term := fold_accents(q or ""):
        units = units.filter(Contains(FoldAccents("name"), term))
    return units.order_by("path")


# --- public -------------------------------------------------------------------------------
def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("order", "name")


def units_taking_feedback(*, q: str = "") -> QuerySet[AdministrativeUnit]:
    """Units a citizen can address: those existing today with an active service desk."""
    units = (
        AdministrativeUnit.objects.filter(in_force_q(timezone.localdate()))
        .filter(desks__is_active=True)
        .distinct()
    )
    if term := fold_accents(q or ""):
        units = units.filter(Contains(FoldAccents("name"), term))
    return units.select_related("parent").order_by("path")


def published_list(*, q: str = "", unit=None, kind: str = "") -> QuerySet[Publication]:
    """The public list of published results (R-FB-3), newest first; ``q`` searches the title,
    question and answer (case and diacritics ignored). The texts are masked already; the
    list reads no column of the sender."""
    qs = (
        Publication.objects.filter(is_active=True)
        .select_related("item__unit", "item__category")
        .only(
            "id",
            "title",
            "question",
            "answer",
            "published_at",
            "item__id",
            "item__code",
            "item__kind",
            "item__received_at",
            "item__replied_at",
            "item__unit__id",
            "item__unit__name",
            "item__unit__path",
            "item__category__id",
            "item__category__name",
        )
    )
    if unit is not None:
        qs = qs.filter(item__unit__path__startswith=unit.path)
    if kind:
        qs = qs.filter(item__kind=kind)
    if term := fold_accents(q or ""):
        qs = qs.filter(
            Q(Contains(FoldAccents("title"), term))
            | Q(Contains(FoldAccents("question"), term))
            | Q(Contains(FoldAccents("answer"), term))
        )
    return qs.order_by("-published_at", "-id")


def published_item(*, pk: int) -> Publication | None:
    """One result on the public list (shown, masked), or ``None``."""
    return published_list().filter(pk=pk).first()


# --- counting for reports (R-IND-2, R-FB-4) -----------------------------------------------
def _day_range(date_from: dt.date, date_to: dt.date):
    cal = get_calendar()
    return cal.at(date_from, dt.time(0, 0)), cal.at(date_to + dt.timedelta(days=1), dt.time(0, 0))


# What each handling figure counts: events of the unit where they happened (the receiving unit
# for a receipt, the answering unit for an answer, the unit that made a transfer), on their
# local day. The reports roll these up and list the same events behind each figure (R-IND-5).
HANDLING_FIGURES = {
    "received": Q(kind=EventKind.RECEIVED),
    "answered": Q(kind=EventKind.REPLIED),
    "answered_in_time": Q(kind=EventKind.REPLIED, data__on_time=True),
    "transferred": Q(kind=EventKind.TRANSFERRED),
    "transferred_late": Q(kind=EventKind.TRANSFERRED, data__late=True),
    "rejected": Q(kind=EventKind.REJECTED),
}
_HANDLING_KINDS = [EventKind.RECEIVED, EventKind.REPLIED, EventKind.TRANSFERRED, EventKind.REJECTED]


def handling_events(*, start: dt.datetime, end: dt.datetime, units=None) -> QuerySet[Event]:
    """The events the handling figures count, in [start, end) (``units``: ids or a queryset of
    ids; None: all). Unscoped: the reports narrow them to what a user may see."""
    events = Event.objects.filter(at__gte=start, at__lt=end, kind__in=_HANDLING_KINDS)
    if units is not None:
        events = events.filter(unit_id__in=units)
    return events


def handling_grouped(*, start: dt.datetime, end: dt.datetime, units=None, days=None):
    """The handling figures per (unit, local day) in one grouped query (a values queryset with
    ``unit_id``, ``day`` and one count per ``HANDLING_FIGURES``); ``days`` keeps those days."""
    events = handling_events(start=start, end=end, units=units).annotate(
        day=TruncDate("at", tzinfo=timezone.get_default_timezone())
    )
    if days is not None:
        events = events.filter(day__in=days)
    return (
        events.values("unit_id", "day")
        .annotate(**{name: Count("id", filter=q) for name, q in HANDLING_FIGURES.items()})
        .order_by()
    )


def handling_counts(
    *, date_from: dt.date, date_to: dt.date, unit_ids: Iterable[int] | None = None
) -> dict[tuple[int, dt.date], dict[str, int]]:
    """Per (unit, local day), from the append-only events in one query: items received,
    answers given and how many in time, transfers and how many late, rejections. The unit is
    the one the event happened at (the receiving unit for a receipt, the answering unit for
    an answer), so a transfer counts at the unit that made it."""
    start, end = _day_range(date_from, date_to)
    units = list(unit_ids) if unit_ids is not None else None
    rows = handling_grouped(start=start, end=end, units=units).order_by("unit_id", "day")
    return {(r.pop("unit_id"), r.pop("day")): r for r in rows}


def items_with_event(
    queryset: QuerySet[Item], *, figure: str, start: dt.datetime, end: dt.datetime, units=None
) -> QuerySet[Event]:
    """The events behind a handling figure (``HANDLING_FIGURES``) in [start, end) at ``units``,
    of the items in ``queryset`` (a scoped list), each with its item: one row per event, so
    their count is the figure (an item answered twice counts twice)."""
    return (
        handling_events(start=start, end=end, units=units)
        .filter(HANDLING_FIGURES[figure], item__in=queryset.order_by().values("pk"))
        .select_related("item", "item__unit", "unit")
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
    """``overdue_q`` at past moments, as SQL for PostgreSQL and SQLite: the items that at the
    end of each day were still to be handled (the status of the latest event before then is
    open, and not a transfer to a body outside the portal) and past the deadline running then
    (routing for a denunciation; acceptance, until accepted, then settlement for a complaint;
    the answer for the others), at the unit in charge then (the unit that made the next
    transfer, if one came later, else the item's unit). At the current moment it gives
    ``overdue_q(now)`` per unit in charge (tested). What the tables do not keep, so past days
    use the item's present deadlines: the deadlines a unit had before it transferred the item
    on (the new unit's are used), and the answer deadline before a reopening (the reopened
    one, which is later, is used).

    Days come from ``moments`` ((day, moment) pairs) or from a table of whole days:
    ``calendar`` = (quoted table name with columns ``day`` and ``ends_at``, end of the first
    day, end of the last day); ``days`` keeps only those. Selects the items' ids (column
    ``id``), or with ``grouped`` ``unit_id``, ``day``, ``overdue``. Returns (sql, params)."""
    ops = connection.ops
    i, e, u = Item, Event, AdministrativeUnit
    icol = lambda name: f"i.{_col(i, name)}"  # noqa: E731
    params: list = []
    if moments is not None:
        values = ", ".join(["(%s, %s)"] * len(moments))
        for day, moment in moments:
            params += [ops.adapt_datefield_value(day), ops.adapt_datetimefield_value(moment)]
        ends = [m for _d, m in moments]
        head, source = f"WITH days(day, ends_at) AS (VALUES {values}) ", "days"
    else:
        table, first_end, last_end = calendar
        ends = [first_end, last_end]
        head, source = "", f"{table} days"
    min_end = ops.adapt_datetimefield_value(min(ends))
    max_end = ops.adapt_datetimefield_value(max(ends))
    ev = lambda name: f"e.{_col(e, name)}"  # noqa: E731
    status_then = (
        f"(SELECT {ev('to_status')} FROM {_table(e)} e WHERE {ev('item')} = {icol('id')} "
        f"AND {ev('at')} < days.ends_at ORDER BY {ev('at')} DESC, {ev('id')} DESC LIMIT 1)"
    )
    unit_then = (
        f"COALESCE((SELECT {ev('unit')} FROM {_table(e)} e WHERE {ev('item')} = {icol('id')} "
        f"AND {ev('kind')} = %s AND {ev('at')} >= days.ends_at "
        f"ORDER BY {ev('at')}, {ev('id')} LIMIT 1), {icol('unit')})"
    )
    due_then = (
        f"CASE WHEN {icol('kind')} = %s THEN {icol('transfer_due_at')} "
        f"WHEN {icol('kind')} = %s AND ({icol('accepted_at')} IS NULL "
        f"OR {icol('accepted_at')} >= days.ends_at) THEN {icol('accept_due_at')} "
        f"ELSE {icol('reply_due_at')} END"
    )
    open_statuses = [str(status) for status in OPEN_STATUSES]
    marks = ", ".join(["%s"] * len(open_statuses))
    # Rows of (item, day) with the state then; the bound on events keeps items closed for good
    # before the first day out of the join.
    inner = (
        f"SELECT {icol('id')} AS id, {unit_then} AS unit_id, days.day AS day, "
        f"days.ends_at AS ends_at, {status_then} AS status_then, "
        f"{icol('transferred_to_unit')} AS to_unit, {icol('transferred_to_body')} AS to_body, "
        f"{icol('transferred_at')} AS transferred_at "
        f"FROM {_table(i)} i JOIN {source} ON days.ends_at > {icol('received_at')} "
        f"AND days.ends_at >= %s AND days.ends_at <= %s "
        f"WHERE {icol('received_at')} < %s "
        f"AND ({icol('status')} IN ({marks}) OR EXISTS (SELECT 1 FROM {_table(e)} e "
        f"WHERE {ev('item')} = {icol('id')} AND {ev('at')} >= %s)) "
        f"AND ({due_then}) < days.ends_at"
    )
    params += [
        EventKind.TRANSFERRED,
        min_end,
        max_end,
        max_end,
        *open_statuses,
        min_end,
        Kind.DENUNCIATION,
        Kind.COMPLAINT,
    ]
    if days is not None:
        inner += f" AND days.day IN ({', '.join(['%s'] * len(days))})"
        params += [ops.adapt_datefield_value(day) for day in days]
    # Open then, but not passed to a body outside the portal: that transfer is the item's last
    # one (outside is final), so it was in effect then if it came before the moment.
    outer = (
        f"FROM ({inner}) s WHERE s.status_then IN ({marks}) "
        f"AND NOT (s.status_then = %s AND s.to_unit IS NULL AND s.to_body <> '' "
        f"AND s.transferred_at < s.ends_at)"
    )
    params += [*open_statuses, Status.TRANSFERRED]
    if unit_ids is not None:
        outer += f" AND s.unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params += list(unit_ids)
    if path is not None:
        outer += (
            f" AND s.unit_id IN (SELECT v.{_col(u, 'id')} FROM {_table(u)} v "
            f"WHERE substr(v.{_col(u, 'path')}, 1, %s) = %s)"
        )
        params += [len(path), path]
    if grouped:
        sql = (
            f"{head}SELECT s.unit_id, s.day, COUNT(*) AS overdue {outer} GROUP BY s.unit_id, s.day"
        )
    else:
        sql = f"{head}SELECT s.id {outer}"
    return sql, params


def items_overdue_at(
    queryset: QuerySet[Item], *, day: dt.date, moment: dt.datetime, path: str | None = None
) -> QuerySet[Item]:
    """The items of ``queryset`` overdue at ``moment`` (day ``day``'s snapshot, the rollups'
    SQL) whose unit in charge then lies under ``path`` (None: anywhere)."""
    sql, params = overdue_snapshot_sql(moments=[(day, moment)], path=path)
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are parameters


def units_with_due_crossed(*, since: dt.datetime | None, now: dt.datetime) -> set[int]:
    """Units in charge of items whose running deadline passed after ``since`` and by ``now``
    (every unit with overdue items without ``since``): time alone makes them overdue."""
    crossed = Item.objects.filter(overdue_q(now))
    if since is not None:
        crossed = crossed.filter(due_at__gt=since)
    return set(crossed.values_list("unit_id", flat=True).distinct())


def first_feedback_at() -> dt.datetime | None:
    """The moment of the oldest feedback event."""
    return Event.objects.aggregate(m=Min("at"))["m"]


def overdue_counts(*, now=None, unit_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Items overdue now per unit in charge (a stock: reports snapshot it daily)."""
    qs = Item.objects.filter(overdue_q(now))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return dict(qs.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


def conduct_complaints_per_staff_month(
    *,
    date_from: dt.date,
    date_to: dt.date,
    unit_ids: Iterable[int] | None = None,
    user=None,
) -> list[dict]:
    """R-FB-4: complaints about staff conduct linked to a staff member, per person and month
    of receipt: ``received``; ``founded`` (founded or partly founded), ``unfounded``,
    ``pending`` (no finding yet), ``rejected`` (out of scope); and ``counted`` = received −
    unfounded − rejected, what a monthly evaluation holds against the person (Circular
    01/2018 Art. 13 index 7: complaints found untrue do not count). Optionally limited to the
    receiving units ``unit_ids`` and to what ``user`` may see."""
    start, end = _day_range(date_from, date_to)
    qs = Item.objects.filter(
        kind=Kind.CONDUCT, staff_member__isnull=False, received_at__gte=start, received_at__lt=end
    )
    if unit_ids is not None:
        qs = qs.filter(intake_unit_id__in=list(unit_ids))
    if user is not None:
        qs = qs.filter(pk__in=items_visible(user=user).values("pk"))
    rows = (
        qs.annotate(month=TruncMonth("received_at", tzinfo=timezone.get_default_timezone()))
        .values("staff_member_id", "month")
        .annotate(
            received=Count("id"),
            founded=Count("id", filter=Q(finding__in=[Finding.FOUNDED, Finding.PARTLY])),
            unfounded=Count("id", filter=Q(finding=Finding.UNFOUNDED)),
            rejected=Count("id", filter=Q(status=Status.REJECTED)),
            pending=Count("id", filter=Q(finding="") & ~Q(status=Status.REJECTED)),
        )
        .order_by("staff_member_id", "month")
    )
    result = []
    for row in rows:
        month = row["month"]
        row["month"] = month.date() if isinstance(month, dt.datetime) else month
        row["counted"] = row["received"] - row["unfounded"] - row["rejected"]
        result.append(row)
    return result


# --- reads for the evaluations (reports.evaluations: Circular 01 index 7 and 8, Decision 766) --
# Kinds of feedback Circular 01 index 8 and the 766 PAKN items count: feedback and proposals
# (phản ánh, kiến nghị, Decree 20/2008), including conduct complaints. Suggestions have no
# deadline; complaints and denunciations follow other laws (docs/feedback.md).
PAKN_KINDS = (Kind.FEEDBACK, Kind.CONDUCT)


def counted_conduct_q(prefix: str = "") -> Q:
    """R-FB-4, Circular 01 index 7: a complaint about a staff member's conduct counts unless the
    competent body found it untrue (``unfounded``) or it was rejected as out of scope; the same
    rule as ``conduct_complaints_per_staff_month``'s ``counted``."""
    return (
        Q(**{f"{prefix}kind": Kind.CONDUCT})
        & ~Q(**{f"{prefix}finding": Finding.UNFOUNDED})
        & ~Q(**{f"{prefix}status": Status.REJECTED})
    )


def conduct_complaints_counted() -> QuerySet[Item]:
    """The conduct complaints that count against a staff member (``counted_conduct_q``).
    Unscoped: callers narrow them (to a dossier, a person) in a subquery."""
    return Item.objects.filter(counted_conduct_q())


def pakn_items(*, unit_ids=None, exclude_rejected: bool = False) -> QuerySet[Item]:
    """Items of ``PAKN_KINDS`` (in the charge of ``unit_ids``, when given), without the
    rejected ones with ``exclude_rejected``. Unscoped: for grouped figures."""
    qs = Item.objects.filter(kind__in=PAKN_KINDS)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if exclude_rejected:
        qs = qs.exclude(status=Status.REJECTED)
    return qs


def items_about_dossier(*, dossier) -> QuerySet[Item]:
    """Feedback or complaints of any kind filed about ``dossier`` (an id or an ``OuterRef``),
    rejected ones left out."""
    return Item.objects.filter(dossier_id=dossier).exclude(status=Status.REJECTED)
