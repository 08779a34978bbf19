"""Every write of the dossier lifecycle (R-LIFE-1..6, R-DUE-3..6, R-RES-1..4, R-PRIV-1).

Each public function runs in one transaction. A change to an existing dossier goes through one
private writer, ``_transition``, which follows the table in ``dossiers.transitions``: it locks
the dossier, checks the actor's role at the dossier's unit before anything about the dossier's
state is revealed, then the status and the time order; lets the service run its own checks and
write its own rows; changes the status, closes or opens steps, writes the append-only event
and hands notifications to the outbox (sent on commit). A service holds only what is its own:
its checks, its rows (a refusal, a pause, a rescheduling) and its event data.

Two functions do not go through the writer: ``dossier_receive`` creates the dossier (nothing
to lock yet; concurrent receipts queue on the desk's counters) and
``dossiers_anonymise_expired`` blanks personal data of long-closed dossiers in batches (a
retention task with an audit row, no event). The deadline rules live in ``dossiers.deadlines``,
the reads in ``dossiers.selectors``.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers import deadlines, notifications, selectors, signals
from dossiers.exceptions import (
    DepartmentInactive,
    DossierAlreadyRescheduled,
    IncompleteDossier,
    IncompleteOverrideNotAllowed,
    InvalidApplicant,
    MissingAgencyCode,
    OfficerNotInDepartment,
    ProcedureNotOffered,
    RefusalTooLate,
    RescheduleNotAllowed,
    RescheduleTooFar,
    SupplementNotAllowed,
    TransitionNotAllowed,
)
from dossiers.models import (
    CLASSIFICATION_POINTS,
    OPEN_STATUSES,
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
from dossiers.transitions import RESUMED, TRANSITIONS, UNCHANGED
from dossiers.validation import clean_applicant
from portal import codes
from portal.audit import audit_log_write
from portal.exceptions import DomainError, PermissionDenied
from portal.models import Role
from portal.permissions import has_role, require_role
from portal.strict_input import check_date, check_list_size
from portal.working_calendar import get_calendar


# --- helpers ----------------------------------------------------------------------------
def pin_matches(*, dossier: Dossier, pin: str) -> bool:
    """Whether ``pin`` is the dossier's (``portal.codes``: keyed hash, constant time)."""
    return codes.pin_matches(stored_hash=dossier.pin_hash, code=dossier.code, pin=pin)


def _now(at):
    return at or timezone.now()


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


def _check_department(dossier: Dossier, department) -> None:
    """Where a dossier can be handed, and who can be named responsible for a delay: an active
    department of the dossier's unit (R-UNIT-2, R-LIFE-3). ``None`` (the desk) is fine."""
    if department is None:
        return
    if department.desk.unit_id != dossier.unit_id:
        raise DomainError(_("The department belongs to another unit."))
    if not department.is_active:
        raise DepartmentInactive(
            gettext_lazy(
                "The department “%(name)s” is no longer active; choose an active department."
            ),
            params={"name": department.name},
        )


# --- the one writer of every transition (R-LIFE-1) -------------------------------------
@dataclass
class _Change:
    """What a transition's own part hands back to the writer."""

    fields: dict[str, Any] = field(default_factory=dict)  # dossier fields besides the status
    status: str | None = None  # the new status when the table says RESUMED
    next_step: dict[str, Any] | None = None  # routing: department, due_at, note of a new step
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    notify: Callable[[], None] | None = None  # hands the messages to the outbox
    result: Any = None  # what the service returns instead of the dossier


def _open_step(dossier: Dossier) -> Step | None:
    return dossier.steps.filter(finished_at__isnull=True).order_by("-number").first()


def _steps_follow(dossier, change: _Change, *, before, after, actor, at, cal) -> None:
    """Steps and pauses follow a transition (R-LIFE-3, R-DUE-5, R-DUE-6): routing closes the
    current step (classified against its own deadline) and opens the next; a dossier that
    leaves the open statuses closes its open step and its open pause; when the due moment
    moves, an open step that was due with the dossier moves with it."""
    closing = before in OPEN_STATUSES and after not in OPEN_STATUSES
    if change.next_step is not None or closing:
        current = _open_step(dossier)
        if current is not None:
            current.finished_at = at
            current.classification = deadlines.classify(
                finished_at=at, due_at=current.due_at, cal=cal
            )
            current.save(update_fields=["finished_at", "classification"])
        if change.next_step is not None:
            Step.objects.create(
                dossier=dossier,
                number=(current.number + 1) if current else 1,
                handed_by=actor,
                handed_at=at,
                **change.next_step,
            )
    if closing and before == DossierStatus.WAITING_SUPPLEMENT:
        dossier.pauses.filter(resumed_at__isnull=True).update(resumed_at=at)
    old_due = dossier.due_at
    new_due = change.fields.get("due_at", old_due)
    if new_due != old_due:
        step = _open_step(dossier)
        if step is not None and step.due_at >= old_due:
            step.due_at = new_due
            step.save(update_fields=["due_at"])


def _transition(dossier, action: str, *, actor, at, apply) -> Any:
    """Take the transition ``action`` of ``dossiers.transitions.TRANSITIONS``:

    1. lock the dossier (``select_for_update``);
    2. the actor must hold one of the row's roles at the dossier's unit: checked before
       anything about the dossier's state, so an outsider learns nothing (R-UNIT-3);
    3. the status must be one the row starts from;
    4. the moment must not be before the dossier's last event;
    5. ``apply(dossier, at, cal)``, the service's own checks and rows, returns a ``_Change``
       (it gets the locked dossier, the moment and a working calendar);
    6. steps and pauses follow (``_steps_follow``); the status (the row's, the one before the
       supplement request, or unchanged) and the change's fields are written;
    7. the event, from the old status to the new;
    8. the notifications (outbox rows now, sent on commit).

    Returns ``change.result``, or the dossier when the change names nothing else.
    """
    transition = TRANSITIONS[action]
    at = _now(at)
    dossier = (
        Dossier.objects.select_for_update()
        .select_related("desk", "unit", "rule_set")
        .get(pk=dossier.pk)
    )
    require_role(user=actor, unit=dossier.unit, roles=transition.roles)
    if dossier.status not in transition.from_statuses:
        raise TransitionNotAllowed(
            _("A dossier that is “%(status)s” cannot be “%(action)s”.")
            % {"status": dossier.get_status_display(), "action": EventKind(action).label}
        )
    last = dossier.events.order_by("-at").values_list("at", flat=True).first()
    if last and at < last:
        raise DomainError(_("An action cannot be dated before the dossier's last event."))
    cal = get_calendar()
    change = apply(dossier, at, cal)

    before = dossier.status
    if transition.to_status == UNCHANGED:
        after = before
    elif transition.to_status == RESUMED:
        after = change.status
    else:
        after = transition.to_status
    _steps_follow(dossier, change, before=before, after=after, actor=actor, at=at, cal=cal)
    for name, value in change.fields.items():
        setattr(dossier, name, value)
    dossier.status = after
    dossier.save(update_fields=[*(["status"] if after != before else []), *change.fields])
    _event(
        dossier,
        kind=action,
        actor=actor,
        at=at,
        from_status=before,
        note=change.note,
        data=change.data,
    )
    if change.notify is not None:
        change.notify()
    return dossier if change.result is None else change.result


def _rescheduled(dossier) -> bool:
    """Whether the dossier has its one rescheduling, without a query when the detail page
    loaded it (``select_related("reschedule")``)."""
    try:
        return dossier.reschedule is not None
    except Reschedule.DoesNotExist:
        return False


def actions_open(*, dossier, user, at=None) -> list[str]:
    """The actions of ``dossiers.transitions.TRANSITIONS`` that ``user`` may take on
    ``dossier`` now, in the table's order: the row's statuses and roles at the dossier's unit,
    then the service's own rules that do not depend on what the form will say (R-LIFE-4: a
    second supplement request only by a leader, a refusal within the processing time; R-RES-1,
    R-RES-2: one rescheduling, early enough). The pages offer only these; the services check
    everything again when called. Reads only."""
    at = _now(at)
    cal = None
    roles_held: dict[tuple, bool] = {}

    def holds(roles) -> bool:
        if roles not in roles_held:
            roles_held[roles] = has_role(user=user, unit=dossier.unit, roles=roles)
        return roles_held[roles]

    open_now = []
    for action, transition in TRANSITIONS.items():
        if dossier.status not in transition.from_statuses or not holds(transition.roles):
            continue
        if action == EventKind.SUPPLEMENT_REQUESTED and dossier.supplement_count >= 1:
            if not holds((Role.LEADER,)):
                continue
        elif action == EventKind.REFUSED:
            if not deadlines.refusal_in_time(dossier=dossier, at=at):
                continue
        elif action == EventKind.RESCHEDULED:
            cal = cal or get_calendar()
            if not deadlines.can_reschedule(
                dossier=dossier, at=at, cal=cal, rescheduled=_rescheduled(dossier)
            ):
                continue
        open_now.append(action)
    return open_now


# --- intake -----------------------------------------------------------------------------
def documents_missing(*, procedure, documents) -> list[str]:
    """The names of the procedure's required (not optional) documents that are not among
    ``documents`` (dicts with a ``name``, as received), in the catalogue's order; names are
    compared without surrounding spaces or letter case."""
    received = {str(d.get("name", "")).strip().casefold() for d in documents or ()}
    return [
        doc.name
        for doc in procedure.documents.all()
        if not doc.is_optional and doc.name.strip().casefold() not in received
    ]


@dataclass(frozen=True)
class IncompleteOverride:
    """A leader's exception to the completeness rule at intake: who allows it (a leader of the
    desk's unit, authenticated by the caller: the page asks for their password, the API takes
    the caller) and why. Recorded in the receipt's event and the audit log."""

    leader: Any
    reason: str


def _check_complete(*, desk, procedure, documents, override, actor) -> dict | None:
    """A dossier whose required documents are not all received is not received: the desk
    guides the applicant with the supplement form instead (Decree 61/2018 Art. 19; form 02).
    Only a leader of the unit can make a documented exception, with a reason. Returns what
    the event records about the exception, or None for a complete dossier."""
    missing = documents_missing(procedure=procedure, documents=documents)
    if not missing:
        return None
    if override is None:
        raise IncompleteDossier(
            gettext_lazy(
                "The dossier is not complete, so it is not received: %(missing)s. Give the "
                "applicant the guidance (form 02), or ask a leader of the unit for an exception."
            ),
            params={"missing": "; ".join(missing)},
            fields={"documents": missing},
        )
    reason = (override.reason or "").strip()
    if not reason:
        raise IncompleteDossier(
            gettext_lazy("Give the reason for receiving an incomplete dossier."),
            fields={"documents": missing},
        )
    if override.leader is None or not has_role(
        user=override.leader, unit=desk.unit, roles=(Role.LEADER,)
    ):
        raise IncompleteOverrideNotAllowed(
            gettext_lazy(
                "Only a leader of the unit can allow an incomplete dossier to be received."
            )
        )
    leader = override.leader
    return {
        "missing": missing,
        "reason": reason,
        "leader": leader.pk,
        "leader_name": leader.get_full_name() or leader.get_username(),
        "receptionist": actor.pk,
    }


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
    incomplete_override: IncompleteOverride | None = None,
) -> tuple[Dossier, str]:
    """Log a dossier at a desk (R-LIFE-2, R-DUE-3): assign its code and log number, compute
    its due moment, open the desk's step. Returns the dossier and its PIN (shown once).

    Every required document of the procedure must be among ``documents``; otherwise the
    dossier is refused (``IncompleteDossier``, nothing written) unless
    ``incomplete_override`` names a leader of the unit and a reason: the exception is then
    recorded in the receipt's event and the audit log."""
    received_at = _now(received_at)
    require_role(user=actor, unit=desk.unit, roles=TRANSITIONS[EventKind.RECEIVED].roles)
    # Bounded: the receipt slip lists every document (3,000 took 16.5 s to print).
    documents = list(documents or ())
    check_list_size(
        documents, most=settings.DOSSIER_DOCUMENTS_MAX, what=_("documents"), field="documents"
    )
    if not procedure.is_active or not procedure.desks.filter(pk=desk.pk).exists():
        raise ProcedureNotOffered(
            _("This desk does not offer the procedure “%(name)s”.") % {"name": procedure.name}
        )
    exception = _check_complete(
        desk=desk,
        procedure=procedure,
        documents=documents,
        override=incomplete_override,
        actor=actor,
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
        status=TRANSITIONS[EventKind.RECEIVED].to_status,
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
    data = {"due_at": due_at.isoformat()}
    if exception is not None:
        data["incomplete"] = exception
        audit_log_write(
            actor=actor,
            action="dossier.receive_incomplete",
            instance=dossier,
            unit=desk.unit,
            data=exception,
        )
    _event(
        dossier,
        kind=EventKind.RECEIVED,
        actor=actor,
        at=received_at,
        from_status="",
        data=data,
    )
    notifications.dossier_received(dossier)
    return dossier, pin


# --- routing ----------------------------------------------------------------------------
def _check_officer(department, officer) -> None:
    """A named officer must be an active officer of that department today (a membership of
    the officer role with this department, R-UNIT-3)."""
    if officer is None:
        return
    if department is None:
        raise OfficerNotInDepartment(
            gettext_lazy("Name an officer only when handing the dossier to a department.")
        )
    if not officer.is_active or not selectors.officer_in_department(
        user=officer, department=department
    ):
        raise OfficerNotInDepartment(
            gettext_lazy("%(name)s is not an officer of the department “%(department)s”."),
            params={
                "name": officer.get_full_name() or officer.get_username(),
                "department": department.name,
            },
        )


@transaction.atomic
def dossier_route(
    *, dossier, actor, to_department=None, to_officer=None, note="", step_days=None, at=None
):
    """Hand the dossier to a department, between departments, or back to the desk
    (``to_department=None``), with the step's own deadline (R-LIFE-3). Only to an active
    department of the dossier's unit; optionally to a named officer of that department, who
    then holds it (it is in their own queue, besides the department's)."""

    def apply(dossier, at, cal):
        _check_department(dossier, to_department)
        _check_officer(to_department, to_officer)
        if step_days is not None and step_days < 1:
            raise DomainError(_("A step takes at least one working day."))
        step_due = deadlines.step_due(dossier=dossier, step_days=step_days, at=at, cal=cal)
        data = {
            "to_department": to_department.name if to_department else "",
            "step_due_at": step_due.isoformat(),
        }
        if to_officer is not None:
            data["to_officer"] = to_officer.get_full_name() or to_officer.get_username()
        return _Change(
            fields={"current_department": to_department, "current_holder": to_officer},
            next_step={
                "department": to_department,
                "due_at": step_due,
                "note": note,
                "received_by": to_officer,
            },
            note=note,
            data=data,
        )

    return _transition(dossier, EventKind.ROUTED, actor=actor, at=at, apply=apply)


# --- supplements (R-DUE-5, R-LIFE-4) -----------------------------------------------------
@transaction.atomic
def dossier_request_supplement(*, dossier, items, actor, at=None) -> Pause:
    """Stop the clock and ask for everything missing at once (R-LIFE-4). One request per
    dossier: a further one can only be made by a leader of the unit, whose name is recorded
    as the one who allowed it (a leader's permission that the service can verify)."""

    def apply(dossier, at, cal):
        check_list_size(
            items, most=settings.DOSSIER_SUPPLEMENT_ITEMS_MAX, what=_("items"), field="items"
        )
        missing = [
            {"name": str(i.get("name", "")).strip(), "guidance": str(i.get("guidance", "")).strip()}
            for i in items or []
        ]
        if not missing or any(not i["name"] for i in missing):
            raise SupplementNotAllowed(_("List every missing item, each with a name."))
        allowed_by = None
        if dossier.supplement_count >= 1:
            if not has_role(user=actor, unit=dossier.unit, roles=(Role.LEADER,)):
                raise SupplementNotAllowed(
                    _(
                        "A supplement has already been requested for this dossier; only a "
                        "leader of the unit can ask for another."
                    )
                )
            allowed_by = actor
        last_receipt = dossier.pauses.order_by("-resumed_at").values_list("resumed_at", flat=True)
        since = (last_receipt.first() if dossier.supplement_count else None) or dossier.received_at
        remaining_days, remaining_seconds = deadlines.time_left(dossier=dossier, at=at, cal=cal)
        pause = Pause.objects.create(
            dossier=dossier,
            requested_at=at,
            requested_by=actor,
            allowed_by=allowed_by,
            items=missing,
            status_before=dossier.status,
            is_late_request=deadlines.supplement_request_is_late(
                dossier=dossier, since=since, at=at, cal=cal
            ),
            remaining_days=remaining_days,
            remaining_seconds=remaining_seconds,
        )
        return _Change(
            fields={"supplement_count": dossier.supplement_count + 1},
            data={"items": missing, "late_request": pause.is_late_request},
            notify=lambda: notifications.supplement_requested(dossier, missing),
            result=pause,
        )

    return _transition(dossier, EventKind.SUPPLEMENT_REQUESTED, actor=actor, at=at, apply=apply)


@transaction.atomic
def dossier_resubmit(*, dossier, actor, note="", at=None):
    """The complete dossier is back: the clock restarts from zero (the legal default) or
    resumes where it stopped (a procedure setting); the new due moment uses the same
    working calendar (R-DUE-5). The dossier goes back to the status it had."""

    def apply(dossier, at, cal):
        pause = dossier.pauses.select_for_update().get(resumed_at__isnull=True)
        pause.resumed_at = at
        pause.save(update_fields=["resumed_at"])
        clock = deadlines.supplement_clock(dossier)
        new_due = deadlines.due_after_supplement(
            dossier=dossier, pause=pause, at=at, clock=clock, cal=cal
        )
        return _Change(
            status=pause.status_before,
            fields={"due_at": new_due},
            note=note,
            data={"due_at": new_due.isoformat(), "clock": clock},
        )

    return _transition(dossier, EventKind.RESUBMITTED, actor=actor, at=at, apply=apply)


# --- endings ----------------------------------------------------------------------------
@transaction.atomic
def dossier_refuse(*, dossier, reason, legal_basis, actor, at=None):
    """Refuse with the legal reason, within the processing time (R-LIFE-4)."""

    def apply(dossier, at, cal):
        if not (reason or "").strip() or not (legal_basis or "").strip():
            raise DomainError(_("A refusal states its reason and its legal basis."))
        if not deadlines.refusal_in_time(dossier=dossier, at=at):
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
        return _Change(
            fields={"closed_at": at},
            note=reason.strip(),
            data={"legal_basis": legal_basis.strip()},
            notify=lambda: notifications.dossier_refused(dossier),
        )

    return _transition(dossier, EventKind.REFUSED, actor=actor, at=at, apply=apply)


@transaction.atomic
def dossier_complete(*, dossier, actor, note="", at=None):
    """The result is ready: classify early / on time / late with 2 / 1 / 0 points (R-DUE-6).
    A rescheduled dossier counts as late whatever the date (R-RES-4)."""

    def apply(dossier, at, cal):
        if Reschedule.objects.filter(dossier=dossier).exists():
            classification = Classification.LATE
        else:
            classification = deadlines.classify(finished_at=at, due_at=dossier.due_at, cal=cal)
        return _Change(
            fields={
                "completed_at": at,
                "classification": classification,
                "points": CLASSIFICATION_POINTS[classification],
                "current_department": None,
            },
            note=note,
            data={"classification": classification},
            notify=lambda: notifications.result_ready(dossier),
        )

    return _transition(dossier, EventKind.COMPLETED, actor=actor, at=at, apply=apply)


@transaction.atomic
def dossier_return(*, dossier, actor, mode=None, note="", at=None):
    """Record the return of the result at the desk or by post (R-LIFE-6)."""

    def apply(dossier, at, cal):
        way = mode or dossier.return_mode
        if way not in Procedure.ReturnMode.values:
            raise DomainError(_("Unknown way of return."))
        return _Change(
            fields={"returned_at": at, "closed_at": at, "return_mode": way},
            note=note,
            data={"mode": way},
            notify=lambda: transaction.on_commit(
                lambda: signals.dossier_returned.send(sender=Dossier, dossier=dossier, at=at)
            ),
        )

    return _transition(dossier, EventKind.RETURNED, actor=actor, at=at, apply=apply)


@transaction.atomic
def dossier_withdraw(*, dossier, request_text, actor, at=None):
    """Stop the dossier at the applicant's request (Circular 03/2025 form 05)."""

    def apply(dossier, at, cal):
        if not (request_text or "").strip():
            raise DomainError(_("Record the applicant's request to stop."))
        Withdrawal.objects.create(
            dossier=dossier, request_text=request_text.strip(), withdrawn_at=at, recorded_by=actor
        )
        return _Change(fields={"closed_at": at}, note=request_text.strip())

    return _transition(dossier, EventKind.WITHDRAWN, actor=actor, at=at, apply=apply)


# --- rescheduling (R-RES-1..4) ----------------------------------------------------------
@transaction.atomic
def dossier_reschedule(
    *, dossier, reason, new_due_date: dt.date, actor, responsible_department=None, at=None
) -> Reschedule:
    """Apologise and set a new appointment date, once per dossier, no later than one working
    day before the due date; the citizen is notified through the outbox. The responsible
    department, if named, is an active one of the dossier's unit."""

    def apply(dossier, at, cal):
        if Reschedule.objects.filter(dossier=dossier).exists():
            raise DossierAlreadyRescheduled()
        if not (reason or "").strip():
            raise RescheduleNotAllowed(_("State the reason for the delay."))
        if not deadlines.reschedule_deadline_ok(dossier=dossier, at=at, cal=cal):
            raise RescheduleNotAllowed(
                _(
                    "Too late to reschedule: the apology must be made at least "
                    "one working day before the due date."
                )
            )
        check_date(new_due_date)
        due_day = cal.local(dossier.due_at).date()
        if new_due_date <= due_day:
            raise RescheduleNotAllowed(_("The new appointment must be after the current due date."))
        most = dossier.rule_set.reschedule_max_working_days
        latest = deadlines.reschedule_latest_date(dossier=dossier, cal=cal)
        if new_due_date > latest:
            raise RescheduleTooFar(
                _(
                    "The new appointment can be at most %(days)d working days after the due "
                    "date, on %(latest)s at the latest."
                )
                % {"days": most, "latest": date_format(latest, "SHORT_DATE_FORMAT")}
            )
        if not cal.is_working_day(new_due_date):
            raise RescheduleNotAllowed(_("The new appointment must be a working day."))
        _check_department(dossier, responsible_department)
        new_due = deadlines.end_of_working_day(new_due_date, desk=dossier.desk, cal=cal)
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
        return _Change(
            fields={"due_at": new_due},
            note=reason.strip(),
            data={
                "original_due_at": reschedule.original_due_at.isoformat(),
                "new_due_at": new_due.isoformat(),
            },
            notify=lambda: notifications.dossier_rescheduled(dossier, reschedule),
            result=reschedule,
        )

    return _transition(dossier, EventKind.RESCHEDULED, actor=actor, at=at, apply=apply)


# --- what a desk offers (R-UNIT-2) ----------------------------------------------------------
@transaction.atomic
def desk_procedures_set(*, desk, procedures, actor) -> dict[str, list[str]]:
    """The procedures offered at ``desk`` become exactly ``procedures`` (active ones of the
    national catalogue; the catalogue itself is not changed). Needs an admin of the desk's
    unit (R-UNIT-3); the audit row lists the codes added and removed, which are returned."""
    if not has_role(user=actor, unit=desk.unit, roles=(Role.ADMIN,)):
        raise PermissionDenied(
            _("You are not an administrator of %(unit)s.") % {"unit": desk.unit.name}
        )
    wanted = {p.pk: p for p in procedures}
    inactive = [p.name for p in wanted.values() if not p.is_active]
    if inactive:
        raise ProcedureNotOffered(
            _("These procedures are withdrawn and cannot be offered: %(names)s.")
            % {"names": "; ".join(inactive)}
        )
    current = {p.pk: p for p in Procedure.objects.filter(desks=desk)}
    added = [wanted[pk] for pk in wanted.keys() - current.keys()]
    removed = [current[pk] for pk in current.keys() - wanted.keys()]
    if added:
        desk.procedures.add(*added)
    if removed:
        desk.procedures.remove(*removed)
    change = {
        "added": sorted(p.code for p in added),
        "removed": sorted(p.code for p in removed),
    }
    if added or removed:
        audit_log_write(
            actor=actor, action="desk.procedures", instance=desk, unit=desk.unit, data=change
        )
    return change


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
