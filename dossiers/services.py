"""Every change to a dossier goes through one of these functions (R-LIFE-1).

Each runs in one transaction, locks the dossier, checks the actor's role and the state machine,
writes the change together with its append-only event, and schedules notifications with
``transaction.on_commit`` through the outbox.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import deadlines, notifications, selectors, signals
from dossiers.exceptions import (
    DossierAlreadyRescheduled,
    InvalidApplicant,
    MissingAgencyCode,
    ProcedureNotOffered,
    RefusalTooLate,
    RescheduleNotAllowed,
    SupplementNotAllowed,
    TransitionNotAllowed,
)
from dossiers.models import (
    CLASSIFICATION_POINTS,
    Classification,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    EventKind,
    Pause,
    Procedure,
    Refusal,
    Reschedule,
    Step,
    Withdrawal,
)
from dossiers.validation import clean_applicant
from portal import codes
from portal.exceptions import DomainError
from portal.models import Role
from portal.permissions import has_role, require_role
from portal.working_calendar import DeskHours, WorkingCalendar, get_calendar

S = DossierStatus
OPEN = (S.RECEIVED, S.IN_PROCESS, S.WAITING_SUPPLEMENT)

# The state machine: which statuses each action may start from, and who may do it.
TRANSITIONS = {
    EventKind.ROUTED: ((S.RECEIVED, S.IN_PROCESS), (Role.RECEPTIONIST, Role.OFFICER)),
    EventKind.SUPPLEMENT_REQUESTED: (
        (S.RECEIVED, S.IN_PROCESS),
        (Role.RECEPTIONIST, Role.OFFICER, Role.LEADER),
    ),
    EventKind.RESUBMITTED: ((S.WAITING_SUPPLEMENT,), (Role.RECEPTIONIST, Role.OFFICER)),
    EventKind.REFUSED: (OPEN, (Role.RECEPTIONIST, Role.OFFICER, Role.LEADER)),
    EventKind.COMPLETED: ((S.RECEIVED, S.IN_PROCESS), (Role.OFFICER, Role.LEADER)),
    EventKind.RETURNED: ((S.RESULT_READY,), (Role.RECEPTIONIST, Role.OFFICER)),
    EventKind.WITHDRAWN: (OPEN, (Role.RECEPTIONIST, Role.OFFICER)),
    EventKind.RESCHEDULED: (OPEN, (Role.OFFICER, Role.LEADER)),
}
RECEIVE_ROLES = (Role.RECEPTIONIST,)


# --- helpers ----------------------------------------------------------------------------
def pin_matches(*, dossier: Dossier, pin: str) -> bool:
    """Whether ``pin`` is the dossier's (``portal.codes``: keyed hash, constant time)."""
    return codes.pin_matches(stored_hash=dossier.pin_hash, code=dossier.code, pin=pin)


def _now(at):
    return at or timezone.now()


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("desk", "unit", "rule_set")
        .get(pk=dossier.pk)
    )


def _check(dossier: Dossier, kind: str, actor) -> None:
    statuses, roles = TRANSITIONS[kind]
    require_role(user=actor, unit=dossier.unit, roles=roles)
    if dossier.status not in statuses:
        raise TransitionNotAllowed(
            _("A dossier that is “%(status)s” cannot be “%(action)s”.")
            % {"status": dossier.get_status_display(), "action": EventKind(kind).label}
        )


def _check_time(dossier: Dossier, at: dt.datetime) -> None:
    last = dossier.events.order_by("-at").values_list("at", flat=True).first()
    if last and at < last:
        raise DomainError(_("An action cannot be dated before the dossier's last event."))


def _event(dossier, *, kind, actor, at, from_status, note="", data=None, is_public=True):
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=at,
        actor=actor,
        unit=dossier.unit,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        data=data or {},
        is_public=is_public,
    )


def _open_step(dossier: Dossier) -> Step | None:
    return dossier.steps.filter(finished_at__isnull=True).order_by("-number").first()


def _close_step(step: Step | None, *, at: dt.datetime, cal: WorkingCalendar) -> None:
    if step is None:
        return
    step.finished_at = at
    step.classification = deadlines.classify(finished_at=at, due_at=step.due_at, cal=cal)
    step.save(update_fields=["finished_at", "classification"])


# --- intake -----------------------------------------------------------------------------
@transaction.atomic
def dossier_receive(
    *,
    desk,
    procedure,
    applicant: dict,
    actor,
    documents=(),
    channel=Dossier.Channel.DESK,
    return_mode=Procedure.ReturnMode.DESK,
    sets_count=1,
    received_at=None,
) -> tuple[Dossier, str]:
    """Log a dossier at a desk (R-LIFE-2, R-DUE-3): assign its code and log number, compute
    its due moment, open the desk's step. Returns the dossier and its PIN (shown once)."""
    received_at = _now(received_at)
    require_role(user=actor, unit=desk.unit, roles=RECEIVE_ROLES)
    if not procedure.is_active or not procedure.desks.filter(pk=desk.pk).exists():
        raise ProcedureNotOffered(
            _("This desk does not offer the procedure “%(name)s”.") % {"name": procedure.name}
        )
    try:
        person = clean_applicant(applicant)
    except ValidationError as exc:
        raise InvalidApplicant(
            _("Check the applicant's details."), fields=exc.message_dict
        ) from exc
    if channel not in Dossier.Channel.values:
        raise DomainError(_("Unknown channel."))
    if return_mode not in Procedure.ReturnMode.values:
        raise DomainError(_("Unknown way of return."))
    if sets_count < 1:
        raise DomainError(_("A dossier has at least one set."))
    if not desk.unit.is_valid_on(timezone.localdate(received_at)):
        raise DomainError(
            _(
                "The unit “%(unit)s” does not exist on that date; receive the dossier at the unit "
                "that replaced it."
            )
            % {"unit": desk.unit}
        )
    agency = desk.unit.agency_code
    if not agency:
        raise MissingAgencyCode(
            _(
                "The unit “%(unit)s” has no agency identifier for dossier "
                "codes; ask an administrator to set it."
            )
            % {"unit": desk.unit}
        )
    cal = get_calendar()
    local = cal.local(received_at)
    rule_set = selectors.rule_set_on(local.date())
    sequence = codes.counter_next(key=f"code:{agency}:{local:%y%m%d}")
    if sequence > 9999:
        raise DomainError(_("The agency has used all 9,999 dossier numbers of the day."))
    code = f"{agency}-{local:%y%m%d}-{sequence:04d}"
    log_number = codes.counter_next(key=f"log:{desk.pk}:{local.year}")
    pin = codes.pin_new()
    due_at = deadlines.due_moment(
        procedure.processing_time,
        time_unit=procedure.time_unit,
        start=received_at,
        desk=desk,
        cal=cal,
    )
    dossier = Dossier.objects.create(
        code=code,
        unit=desk.unit,
        desk=desk,
        procedure=procedure,
        rule_set=rule_set,
        log_year=local.year,
        log_number=log_number,
        applicant_kind=person["kind"],
        applicant_name=person["name"],
        applicant_id_number=person["id_number"],
        applicant_phone=person["phone"],
        applicant_email=person["email"],
        applicant_address=person["address"],
        channel=channel,
        return_mode=return_mode,
        sets_count=sets_count,
        time_unit=procedure.time_unit,
        processing_time=procedure.processing_time,
        received_at=received_at,
        due_at=due_at,
        original_due_at=due_at,
        status=S.RECEIVED,
        current_holder=actor,
        pin_hash=codes.pin_hash(code=code, pin=pin),
        received_by=actor,
    )
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            name=d["name"],
            is_original=bool(d.get("is_original")),
            quantity=int(d.get("quantity") or 1),
        )
        for d in documents
    )
    Step.objects.create(
        dossier=dossier,
        number=1,
        department=None,
        handed_by=actor,
        received_by=actor,
        handed_at=received_at,
        due_at=deadlines.desk_step_due(
            received_at=received_at, desk=desk, rule_set=rule_set, channel=channel, cal=cal
        ),
    )
    _event(
        dossier,
        kind=EventKind.RECEIVED,
        actor=actor,
        at=received_at,
        from_status="",
        data={"due_at": due_at.isoformat()},
    )
    notifications.dossier_received(dossier)
    return dossier, pin


# --- routing ----------------------------------------------------------------------------
@transaction.atomic
def dossier_route(*, dossier, actor, to_department=None, note="", step_days=None, at=None):
    """Hand the dossier to a department, between departments, or back to the desk
    (``to_department=None``), with the step's own deadline (R-LIFE-3)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.ROUTED, actor)
    _check_time(dossier, at)
    if to_department is not None and to_department.desk.unit_id != dossier.unit_id:
        raise DomainError(_("The department belongs to another unit."))
    cal = get_calendar()
    current = _open_step(dossier)
    _close_step(current, at=at, cal=cal)
    if step_days is not None and step_days < 1:
        raise DomainError(_("A step takes at least one working day."))
    step_due = deadlines.step_due(dossier=dossier, step_days=step_days, at=at, cal=cal)
    Step.objects.create(
        dossier=dossier,
        number=(current.number + 1) if current else 1,
        department=to_department,
        handed_by=actor,
        handed_at=at,
        due_at=step_due,
        note=note,
    )
    before = dossier.status
    dossier.status = S.IN_PROCESS
    dossier.current_department = to_department
    dossier.current_holder = None
    dossier.save(update_fields=["status", "current_department", "current_holder"])
    _event(
        dossier,
        kind=EventKind.ROUTED,
        actor=actor,
        at=at,
        from_status=before,
        note=note,
        data={
            "to_department": to_department.name if to_department else "",
            "step_due_at": step_due.isoformat(),
        },
    )
    return dossier


# --- supplements (R-DUE-5, R-LIFE-4) -----------------------------------------------------
@transaction.atomic
def dossier_request_supplement(*, dossier, items, actor, at=None):
    """Stop the clock and ask for everything missing at once (R-LIFE-4). One request per
    dossier: a further one can only be made by a leader of the unit, whose name is recorded
    as the one who allowed it (a leader's permission that the service can verify)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.SUPPLEMENT_REQUESTED, actor)
    _check_time(dossier, at)
    items = [
        {"name": str(i.get("name", "")).strip(), "guidance": str(i.get("guidance", "")).strip()}
        for i in items or []
    ]
    if not items or any(not i["name"] for i in items):
        raise SupplementNotAllowed(_("List every missing item, each with a name."))
    allowed_by = None
    if dossier.supplement_count >= 1:
        if not has_role(user=actor, unit=dossier.unit, roles=(Role.LEADER,)):
            raise SupplementNotAllowed(
                _(
                    "A supplement has already been requested for this dossier; only a leader "
                    "of the unit can ask for another."
                )
            )
        allowed_by = actor
    cal = get_calendar()
    last_receipt = dossier.pauses.order_by("-resumed_at").values_list("resumed_at", flat=True)
    since = (last_receipt.first() if dossier.supplement_count else None) or dossier.received_at
    remaining_days, remaining_seconds = deadlines.time_left(dossier=dossier, at=at, cal=cal)
    pause = Pause(
        dossier=dossier,
        requested_at=at,
        requested_by=actor,
        allowed_by=allowed_by,
        items=items,
        status_before=dossier.status,
        is_late_request=deadlines.supplement_request_is_late(
            dossier=dossier, since=since, at=at, cal=cal
        ),
        remaining_days=remaining_days,
        remaining_seconds=remaining_seconds,
    )
    pause.save()
    before = dossier.status
    dossier.status = S.WAITING_SUPPLEMENT
    dossier.supplement_count += 1
    dossier.save(update_fields=["status", "supplement_count"])
    _event(
        dossier,
        kind=EventKind.SUPPLEMENT_REQUESTED,
        actor=actor,
        at=at,
        from_status=before,
        data={"items": items, "late_request": pause.is_late_request},
    )
    notifications.supplement_requested(dossier, items)
    return pause


@transaction.atomic
def dossier_resubmit(*, dossier, actor, note="", at=None):
    """The complete dossier is back: the clock restarts from zero (the legal default) or
    resumes where it stopped (a procedure setting); the new due moment uses the same
    working calendar (R-DUE-5)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.RESUBMITTED, actor)
    _check_time(dossier, at)
    pause = dossier.pauses.select_for_update().get(resumed_at__isnull=True)
    pause.resumed_at = at
    pause.save(update_fields=["resumed_at"])
    old_due = dossier.due_at
    clock = deadlines.supplement_clock(dossier)
    new_due = deadlines.due_after_supplement(
        dossier=dossier, pause=pause, at=at, clock=clock, cal=get_calendar()
    )
    step = _open_step(dossier)
    if step is not None and step.due_at >= old_due:
        step.due_at = new_due
        step.save(update_fields=["due_at"])
    before = dossier.status
    dossier.status = pause.status_before
    dossier.due_at = new_due
    dossier.save(update_fields=["status", "due_at"])
    _event(
        dossier,
        kind=EventKind.RESUBMITTED,
        actor=actor,
        at=at,
        from_status=before,
        note=note,
        data={"due_at": new_due.isoformat(), "clock": clock},
    )
    return dossier


# --- endings ----------------------------------------------------------------------------
@transaction.atomic
def dossier_refuse(*, dossier, reason, legal_basis, actor, at=None):
    """Refuse with the legal reason, within the processing time (R-LIFE-4)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.REFUSED, actor)
    _check_time(dossier, at)
    if not (reason or "").strip() or not (legal_basis or "").strip():
        raise DomainError(_("A refusal states its reason and its legal basis."))
    if dossier.status != S.WAITING_SUPPLEMENT and at > dossier.due_at:
        raise RefusalTooLate(
            _(
                "A refusal must be issued within the processing time; this "
                "dossier is past its due date."
            )
        )
    Refusal.objects.create(
        dossier=dossier,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        refused_at=at,
        refused_by=actor,
    )
    _close_step(_open_step(dossier), at=at, cal=get_calendar())
    before = dossier.status
    dossier.status = S.REFUSED
    dossier.closed_at = at
    dossier.save(update_fields=["status", "closed_at"])
    dossier.pauses.filter(resumed_at__isnull=True).update(resumed_at=at)
    _event(
        dossier,
        kind=EventKind.REFUSED,
        actor=actor,
        at=at,
        from_status=before,
        note=reason.strip(),
        data={"legal_basis": legal_basis.strip()},
    )
    notifications.dossier_refused(dossier)
    return dossier


@transaction.atomic
def dossier_complete(*, dossier, actor, note="", at=None):
    """The result is ready: classify early / on time / late with 2 / 1 / 0 points (R-DUE-6).
    A rescheduled dossier counts as late whatever the date (R-RES-4)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.COMPLETED, actor)
    _check_time(dossier, at)
    cal = get_calendar()
    _close_step(_open_step(dossier), at=at, cal=cal)
    if Reschedule.objects.filter(dossier=dossier).exists():
        classification = Classification.LATE
    else:
        classification = deadlines.classify(finished_at=at, due_at=dossier.due_at, cal=cal)
    before = dossier.status
    dossier.status = S.RESULT_READY
    dossier.completed_at = at
    dossier.classification = classification
    dossier.points = CLASSIFICATION_POINTS[classification]
    dossier.current_department = None
    dossier.save(
        update_fields=["status", "completed_at", "classification", "points", "current_department"]
    )
    _event(
        dossier,
        kind=EventKind.COMPLETED,
        actor=actor,
        at=at,
        from_status=before,
        note=note,
        data={"classification": classification},
    )
    notifications.result_ready(dossier)
    return dossier


@transaction.atomic
def dossier_return(*, dossier, actor, mode=None, note="", at=None):
    """Record the return of the result at the desk or by post (R-LIFE-6)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.RETURNED, actor)
    _check_time(dossier, at)
    mode = mode or dossier.return_mode
    if mode not in Procedure.ReturnMode.values:
        raise DomainError(_("Unknown way of return."))
    before = dossier.status
    dossier.status = S.RETURNED
    dossier.returned_at = at
    dossier.closed_at = at
    dossier.return_mode = mode
    dossier.save(update_fields=["status", "returned_at", "closed_at", "return_mode"])
    _event(
        dossier,
        kind=EventKind.RETURNED,
        actor=actor,
        at=at,
        from_status=before,
        note=note,
        data={"mode": mode},
    )
    transaction.on_commit(
        lambda: signals.dossier_returned.send(sender=Dossier, dossier=dossier, at=at)
    )
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier, request_text, actor, at=None):
    """Stop the dossier at the applicant's request (Circular 03/2025 form 05)."""
    at = _now(at)
    dossier = _lock(dossier)
    _check(dossier, EventKind.WITHDRAWN, actor)
    _check_time(dossier, at)
    if not (request_text or "").strip():
        raise DomainError(_("Record the applicant's request to stop."))
    Withdrawal.objects.create(
        dossier=dossier, request_text=request_text.strip(), withdrawn_at=at, recorded_by=actor
    )
    _close_step(_open_step(dossier), at=at, cal=get_calendar())
    dossier.pauses.filter(resumed_at__isnull=True).update(resumed_at=at)
    before = dossier.status
    dossier.status = S.WITHDRAWN
    dossier.closed_at = at
    dossier.save(update_fields=["status", "closed_at"])
    _event(
        dossier,
        kind=EventKind.WITHDRAWN,
        actor=actor,
        at=at,
        from_status=before,
        note=request_text.strip(),
    )
    return dossier


# --- rescheduling (R-RES-1..4) ----------------------------------------------------------
@transaction.atomic
def dossier_reschedule(
    *, dossier, reason, new_due_date: dt.date, actor, responsible_department=None, at=None
) -> Reschedule:
    """Apologise and set a new appointment date, once per dossier, no later than one working
    day before the due date; the citizen is notified through the outbox."""
    at = _now(at)
    dossier = _lock(dossier)
    if Reschedule.objects.filter(dossier=dossier).exists():
        raise DossierAlreadyRescheduled()
    _check(dossier, EventKind.RESCHEDULED, actor)
    _check_time(dossier, at)
    if not (reason or "").strip():
        raise RescheduleNotAllowed(_("State the reason for the delay."))
    cal = get_calendar()
    hours = DeskHours.of(dossier.desk)
    if not deadlines.reschedule_deadline_ok(dossier=dossier, at=at, cal=cal):
        raise RescheduleNotAllowed(
            _(
                "Too late to reschedule: the apology must be made at least "
                "one working day before the due date."
            )
        )
    if new_due_date <= cal.local(dossier.due_at).date():
        raise RescheduleNotAllowed(_("The new appointment must be after the current due date."))
    if not cal.is_working_day(new_due_date):
        raise RescheduleNotAllowed(_("The new appointment must be a working day."))
    if (
        responsible_department is not None
        and responsible_department.desk.unit_id != dossier.unit_id
    ):
        raise DomainError(_("The department belongs to another unit."))
    new_due = cal.at(new_due_date, hours.closes_at)
    try:
        with transaction.atomic():
            reschedule = Reschedule.objects.create(
                dossier=dossier,
                reason=reason.strip(),
                responsible_department=responsible_department,
                responsible_unit=dossier.unit,
                original_due_at=dossier.due_at,
                new_due_at=new_due,
                created_at=at,
                created_by=actor,
            )
    except IntegrityError as exc:  # a concurrent rescheduling won the race (R-RES-2)
        raise DossierAlreadyRescheduled() from exc
    step = _open_step(dossier)
    if step is not None and step.due_at >= dossier.due_at:
        step.due_at = new_due
        step.save(update_fields=["due_at"])
    dossier.due_at = new_due
    dossier.save(update_fields=["due_at"])
    _event(
        dossier,
        kind=EventKind.RESCHEDULED,
        actor=actor,
        at=at,
        from_status=dossier.status,
        note=reason.strip(),
        data={
            "original_due_at": reschedule.original_due_at.isoformat(),
            "new_due_at": new_due.isoformat(),
        },
    )
    notifications.dossier_rescheduled(dossier, reschedule)
    return reschedule


# --- retention of personal data (R-PRIV-1) ----------------------------------------------
ANONYMISED_NAME = "[đã ẩn danh]"


@transaction.atomic
def dossiers_anonymise_expired(*, now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Blank the applicant's personal data (name, ID number, phone, email, address) of dossiers
    closed more than ``PORTAL_PERSONAL_DATA_RETENTION_DAYS`` ago, and the recipients of their
    messages. Codes, procedures, dates and classifications stay for statistics. Idempotent;
    one batch per call. Returns how many dossiers were anonymised."""
    from portal.audit import audit_log_write
    from portal.models import Notification

    days = settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS
    if not days:
        return 0
    cutoff = _now(now) - dt.timedelta(days=days)
    ids = list(
        Dossier.objects.filter(closed_at__lt=cutoff)
        .exclude(applicant_name=ANONYMISED_NAME)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    if not ids:
        return 0
    Dossier.objects.filter(pk__in=ids).update(
        applicant_name=ANONYMISED_NAME,
        applicant_id_number="",
        applicant_phone="",
        applicant_email="",
        applicant_address="",
    )
    Notification.objects.filter(object_type="dossier", object_id__in=[str(i) for i in ids]).update(
        recipient=""
    )
    audit_log_write(
        actor=None,
        action="dossier.anonymise",
        object_type="dossiers.dossier",
        object_id=f"{ids[0]}..{ids[-1]}",
        data={"count": len(ids), "retention_days": days},
    )
    return len(ids)
