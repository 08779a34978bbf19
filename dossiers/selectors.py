"""Reads of dossiers shared by pages, the API and reports, always scoped to the user's units
(R-UNIT-3, R-PRIV-1)."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models import (
    OPEN_STATUSES,
    Dossier,
    DossierEvent,
    DossierStatus,
    Procedure,
    RuleSet,
    Step,
)
from portal.exceptions import DomainError
from portal.models import Department, Membership, Role
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
