"""Reads of dossiers shared by pages, the API and reports, always scoped to the user's units
(R-UNIT-3, R-PRIV-1)."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dossiers.models import OPEN_STATUSES, Dossier, DossierEvent, DossierStatus, Procedure, Step
from portal.selectors import unit_scope_q
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
            "rule_set", "received_by", "current_holder", "refusal", "withdrawal", "reschedule"
        )
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor")),
            "steps__department",
            "steps__handed_by",
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
