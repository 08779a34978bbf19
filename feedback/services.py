"""Every change to a feedback item goes through one of these functions (R-FB-1..4).

The state machine is one table, ``TRANSITIONS``: for each action, the kinds it applies to, the
statuses it may start from, the status it leads to (``None``: unchanged) and the roles that may
do it at the item's unit (R-UNIT-3). Each service opens a transaction, locks the item, asks the
table (``_check``: the role first, so a refusal never reveals the item's state), validates its
own input, and hands the change to the one private writer ``_write``, which saves the item with
its current deadline, appends the event, writes the audit row and, once committed, tells
listeners which units and day changed (``feedback.signals.feedback_changed``). Messages to the
sender go to the outbox in the same transaction (``feedback.notifications``).

Refusals are ``DomainError`` subclasses with translated messages and, for bad input, messages by
field; nothing is written when one is raised (attachments of a refused submission included).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.selectors import dossier_for_tracking, dossiers_visible
from feedback import notifications, selectors, signals
from feedback.attachments import CleanFile, attachments_clean
from feedback.deadlines import counted_from, due_moment, rule_in_force
from feedback.exceptions import (
    AlreadyExtended,
    ExtensionNotAllowed,
    InvalidFeedback,
    InvalidSender,
    PublishNotAllowed,
    ReopenNotAllowed,
    TransferNotAllowed,
    TransitionNotAllowed,
)
from feedback.masking import mask_personal_data, sender_of
from feedback.models import (
    PUBLIC_CHANNELS,
    Attachment,
    Channel,
    DayCounting,
    Event,
    EventKind,
    Extension,
    Finding,
    Item,
    Kind,
    Publication,
    Reply,
    Status,
    UnitSettings,
)
from feedback.validation import clean_line, clean_sender, clean_text
from portal import codes
from portal.audit import audit_log_write
from portal.exceptions import DomainError, PermissionDenied
from portal.models import Role
from portal.permissions import has_role, require_role
from portal.working_calendar import DeskHours, get_calendar

logger = logging.getLogger(__name__)

S, K, E = Status, Kind, EventKind
STAFF = (Role.RECEPTIONIST, Role.OFFICER, Role.LEADER)
HANDLERS = (Role.OFFICER, Role.LEADER)
ALL_KINDS = tuple(Kind.values)
NOT_ROUTED_ONLY = (K.FEEDBACK, K.SUGGESTION, K.CONDUCT, K.COMPLAINT)
ACTIVE = (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.TRANSFERRED)
DONE = (S.ANSWERED, S.CLOSED)
# Denunciations are only routed: never accepted, answered, reopened or published here
# (FEEDBACK_LAW.md §4.5: never publish denunciation content).


@dataclass(frozen=True)
class Transition:
    """One row of the state machine."""

    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the status stays
    roles: tuple[str, ...]
    kinds: tuple[str, ...] = ALL_KINDS
    public: bool = False  # the sender (no account) may do it too, through their code and PIN


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(E.RECEIVED, ("",), S.RECEIVED, STAFF, public=True),
    T(E.CLASSIFIED, (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.TRANSFERRED), None, STAFF),
    T(E.ASSIGNED, (S.RECEIVED, S.ASSIGNED, S.TRANSFERRED), S.ASSIGNED, STAFF),
    T(E.ASSIGNED, (S.IN_PROGRESS,), None, STAFF),
    T(E.STARTED, (S.RECEIVED, S.ASSIGNED, S.TRANSFERRED), S.IN_PROGRESS, HANDLERS, NOT_ROUTED_ONLY),
    T(E.TRANSFERRED, ACTIVE, S.TRANSFERRED, STAFF),
    T(E.EXTENDED, ACTIVE, None, HANDLERS, NOT_ROUTED_ONLY),
    # Feedback, suggestions and conduct complaints may be answered at once; a complaint only
    # after it has been accepted (thụ lý); a denunciation is never answered here, only routed.
    T(E.REPLIED, ACTIVE, S.ANSWERED, HANDLERS, (K.FEEDBACK, K.SUGGESTION, K.CONDUCT)),
    T(E.REPLIED, (S.IN_PROGRESS,), S.ANSWERED, HANDLERS, (K.COMPLAINT,)),
    T(E.REJECTED, ACTIVE, S.REJECTED, HANDLERS),
    T(E.REOPENED, DONE, S.IN_PROGRESS, STAFF, NOT_ROUTED_ONLY, public=True),
    T(E.CLOSED, (S.ANSWERED, S.TRANSFERRED), S.CLOSED, HANDLERS),
    T(E.PUBLISHED, DONE, None, HANDLERS, NOT_ROUTED_ONLY),
    T(E.UNPUBLISHED, DONE, None, HANDLERS, NOT_ROUTED_ONLY),
)
# Events the sender sees on the tracking page (the others are internal).
PUBLIC_EVENTS = (
    E.RECEIVED,
    E.STARTED,
    E.TRANSFERRED,
    E.EXTENDED,
    E.REPLIED,
    E.REJECTED,
    E.REOPENED,
    E.CLOSED,
)
# Actions that end the unit's handling; their events carry ``data["on_time"]``.
HANDLING = (E.REPLIED, E.TRANSFERRED, E.REJECTED)

_UNSET = object()


# --- the state machine ------------------------------------------------------------------
def _rows(action: str, kind: str | None = None) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action == action and (kind is None or kind in t.kinds)]


def _label(action: str) -> str:
    return str(EventKind(action).label).lower()


def _check(item: Item, action: str, actor) -> Transition:
    """The table's row for ``action`` on ``item`` by ``actor``, or a refusal. The actor's role
    at the item's unit is checked before anything about the item's state is said."""
    rows = _rows(action, item.kind) or _rows(action)
    if actor is None:
        if not any(t.public for t in rows):
            raise PermissionDenied(_("Sign in to do this."))
    else:
        roles = tuple(sorted({r for t in rows for r in t.roles}))
        require_role(user=actor, unit=item.unit, roles=roles)
    if not _rows(action, item.kind):
        raise TransitionNotAllowed(
            _("An item of the kind “%(kind)s” cannot be %(action)s.")
            % {"kind": item.get_kind_display(), "action": _label(action)}
        )
    for row in _rows(action, item.kind):
        if item.status in row.sources:
            if actor is not None:
                require_role(user=actor, unit=item.unit, roles=row.roles)
            if _handed_out(item) and action not in (E.CLOSED, E.PUBLISHED, E.UNPUBLISHED):
                raise TransitionNotAllowed(
                    _(
                        "This item was transferred to %(body)s, which handles it now; it can "
                        "only be closed here."
                    )
                    % {"body": item.transferred_to_body}
                )
            return row
    raise TransitionNotAllowed(
        _("An item that is “%(status)s” cannot be %(action)s.")
        % {"status": item.get_status_display(), "action": _label(action)}
    )


def _handed_out(item: Item) -> bool:
    """Transferred to a body outside the portal: nothing is left to do here but close it."""
    return item.status == S.TRANSFERRED and item.transferred_to_unit_id is None


def actions_allowed(*, item: Item, user) -> list[str]:
    """The actions ``user`` may take on ``item`` now, in table order (for pages: offer only
    these). The services still check everything; this adds the checks that depend on more
    than the table (the one extension, the reopening window, what a transfer left)."""
    roles_ok: dict[tuple, bool] = {}

    def role_ok(roles):
        if roles not in roles_ok:
            roles_ok[roles] = has_role(user=user, unit=item.unit, roles=roles)
        return roles_ok[roles]

    allowed = []
    for row in TRANSITIONS:
        if row.action == E.RECEIVED or row.action in allowed:
            continue
        if item.kind not in row.kinds or item.status not in row.sources:
            continue
        if _handed_out(item) and row.action not in (E.CLOSED,):
            continue
        if not role_ok(row.roles):
            continue
        if not _extra_check_passes(item, row.action):
            continue
        allowed.append(row.action)
    return allowed


def _extra_check_passes(item: Item, action: str) -> bool:
    if action == E.EXTENDED:
        return not Extension.objects.filter(item_id=item.pk).exists()
    if action == E.CLOSED and item.status == S.TRANSFERRED:
        return _handed_out(item)
    if action == E.REOPENED:
        return within_reopen_window(item, timezone.now())
    if action == E.PUBLISHED:
        return item.replied_at is not None
    if action == E.UNPUBLISHED:
        return Publication.objects.filter(item_id=item.pk, is_active=True).exists()
    return True


# --- the one writer -----------------------------------------------------------------------
def _write(
    item: Item,
    row: Transition,
    *,
    actor,
    at: dt.datetime,
    changes: dict | None = None,
    note: str = "",
    data: dict | None = None,
    units=(),
    save: bool = True,
) -> Event:
    """Apply ``changes`` and the row's target status, recompute the running deadline, save,
    append the event and the audit row, and announce the change after commit."""
    before = item.status if save else ""
    where = item.unit  # the event happens at the unit that acts, before a transfer moves it
    for field, value in (changes or {}).items():
        setattr(item, field, value)
    if row.target is not None:
        item.status = row.target
    item.due_at = item.current_due()
    if save:
        item.save(update_fields=sorted({"status", "due_at", *(changes or {})}))
    event = Event.objects.create(
        item=item,
        kind=row.action,
        at=at,
        actor=actor,
        unit=where,
        from_status=before,
        to_status=item.status,
        note=note,
        is_public=row.action in PUBLIC_EVENTS,
        data=data or {},
    )
    audit_log_write(
        actor=actor,
        action=f"feedback.{row.action}",
        instance=item,
        unit=where,
        data={"from": before, "to": item.status, "event": event.pk},
    )
    _announce(item_id=item.pk, units={item.unit_id, *units}, at=at, action=row.action)
    return event


def item_on_time_at(*, item_due, at) -> bool:
    """Handled on time: no deadline, or at or before it."""
    return item_due is None or at <= item_due


def _announce(*, item_id: int, units, at: dt.datetime, action: str) -> None:
    day = timezone.localtime(at).date()

    def send():
        for unit_id in sorted(units):
            for receiver, result in signals.feedback_changed.send_robust(
                sender=Item, unit_id=unit_id, day=day, action=action, item_id=item_id
            ):
                if isinstance(result, Exception):
                    logger.error("feedback_changed receiver %r failed: %r", receiver, result)

    transaction.on_commit(send)


# --- helpers ------------------------------------------------------------------------------
def _now(at):
    return at or timezone.now()


def _lock(item: Item) -> Item:
    return (
        Item.objects.select_for_update(of=("self",))
        .select_related("unit", "rule", "desk", "transferred_to_unit")
        .get(pk=item.pk)
    )


def _check_time(item: Item, at: dt.datetime) -> None:
    last = item.events.order_by("-at").values_list("at", flat=True).first()
    if last and at < last:
        raise InvalidFeedback(_("An action cannot be dated before the item's last event."))


def _hours(item: Item) -> DeskHours:
    return DeskHours.of(item.desk)


def _desk_of(unit):
    return unit.desks.filter(is_active=True).order_by("pk").first()


def _is_remote(unit) -> bool:
    return UnitSettings.objects.filter(unit=unit, is_remote_area=True).exists()


def _deadlines(
    *, kind, rule, start: dt.date, hours, cal, remote: bool, extended: bool
) -> dict[str, dt.datetime | None]:
    """Deadlines of an item received (or passed on) on ``start``: transfer, acceptance and
    answer. A complaint's answer counts from its acceptance, so it is set then."""
    reply = None
    if kind != K.COMPLAINT:
        reply = due_moment(
            start=start,
            days=rule.reply_days_for(remote=remote, extended=extended),
            counting=rule.reply_counting,
            hours=hours,
            cal=cal,
        )
    return {
        "transfer_due_at": due_moment(
            start=start, days=rule.transfer_days, counting=DayCounting.WORKING, hours=hours, cal=cal
        ),
        "accept_due_at": due_moment(
            start=start, days=rule.accept_days, counting=rule.accept_counting, hours=hours, cal=cal
        )
        if kind == K.COMPLAINT
        else None,
        "reply_due_at": reply,
    }


def _complaint_reply_due(item: Item, *, accepted_at, cal, extended: bool):
    start = counted_from(received_at=accepted_at, hours=_hours(item), cal=cal)
    return due_moment(
        start=start,
        days=item.rule.reply_days_for(remote=item.is_remote_area, extended=extended),
        counting=item.rule.reply_counting,
        hours=_hours(item),
        cal=cal,
    )


def _reason(value, field="reason", label=None, max_chars=2000) -> str:
    return clean_text(value, field=field, label=label or _("the reason"), max_chars=max_chars)


def _identity_required(kind, rule) -> bool:
    return rule.identity_required or kind in (K.COMPLAINT, K.DENUNCIATION)


def identity_required_kinds(*, day: dt.date | None = None) -> list[str]:
    """The kinds whose sender must give a name and a way to be reached on ``day`` (today):
    complaints and denunciations always, the others when their rule in force says so. For the
    forms, which explain it before the sender types anything."""
    day = day or timezone.localdate()
    kinds = []
    for kind in Kind.values:
        try:
            rule = rule_in_force(kind=kind, day=day)
        except DomainError:
            rule = None
        if kind in (K.COMPLAINT, K.DENUNCIATION) or (rule and _identity_required(kind, rule)):
            kinds.append(kind)
    return kinds


# --- intake (R-FB-1, R-FB-2) -------------------------------------------------------------
def feedback_submit(
    *,
    unit,
    kind: str,
    channel: str,
    body: str,
    sender: dict | None = None,
    actor=None,
    subject: str = "",
    category=None,
    desk=None,
    dossier=None,
    dossier_code: str = "",
    staff_member=None,
    staff_description: str = "",
    attachments=(),
    external_code: str = "",
    received_at: dt.datetime | None = None,
) -> tuple[Item, str]:
    """Log an item in the unit's intake register and give it its tracking code and PIN.

    Citizens file on the web or at a kiosk (``actor=None``); staff enter hotline calls,
    letters, emails and visits (``actor`` with a role at ``unit``). ``attachments`` are
    uploaded files (checked here by ``feedback.attachments``) or already ``CleanFile``s.
    Returns the item and its PIN, which exists in clear only in this return value.
    Attachments are stored last and deleted again if anything fails, so a refused
    submission leaves no file (call it outside any other transaction)."""
    saved: list[tuple] = []
    try:
        with transaction.atomic():
            return _submit(
                saved=saved,
                unit=unit,
                kind=kind,
                channel=channel,
                body=body,
                sender=sender,
                actor=actor,
                subject=subject,
                category=category,
                desk=desk,
                dossier=dossier,
                dossier_code=dossier_code,
                staff_member=staff_member,
                staff_description=staff_description,
                attachments=attachments,
                external_code=external_code,
                received_at=received_at,
            )
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise


def _submit(
    *,
    saved,
    unit,
    kind,
    channel,
    body,
    sender,
    actor,
    subject,
    category,
    desk,
    dossier,
    dossier_code,
    staff_member,
    staff_description,
    attachments,
    external_code,
    received_at,
):
    now = timezone.now()
    received_at = received_at or now
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose what kind of item this is.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if errors:
        raise InvalidFeedback(_("Check the highlighted fields."), fields=errors)
    if channel not in PUBLIC_CHANNELS or actor is not None:
        if actor is None:
            raise PermissionDenied(_("Sign in to enter an item received by staff."))
        require_role(user=actor, unit=unit, roles=STAFF)
    if received_at > now + dt.timedelta(minutes=5):
        raise InvalidFeedback(
            _("The moment of receipt cannot be in the future."),
            fields={"received_at": [_("The moment of receipt cannot be in the future.")]},
        )
    cal = get_calendar()
    local = cal.local(received_at)
    if not unit.is_valid_on(local.date()):
        message = _("The unit “%(unit)s” does not exist on that date.") % {"unit": unit}
        raise InvalidFeedback(message, fields={"unit": [message]})
    if desk is not None and desk.unit_id != unit.pk:
        raise InvalidFeedback(
            _("The desk belongs to another unit."),
            fields={"desk": [_("The desk belongs to another unit.")]},
        )
    rule = rule_in_force(kind=kind, day=local.date())
    person = clean_sender(sender, identity_required=_identity_required(kind, rule))
    text = clean_text(body, field="body", label=_("the content"))
    subject = clean_line(subject, field="subject", label=_("the subject"), max_chars=200)
    staff_description = clean_line(
        staff_description,
        field="staff_description",
        label=_("the description of the staff member"),
        max_chars=300,
    )
    external_code = clean_line(
        external_code, field="external_code", label=_("the other system's code"), max_chars=40
    )
    dossier_code = clean_line(
        dossier_code, field="dossier_code", label=_("the dossier code"), max_chars=40
    ).upper()
    if category is not None and not category.is_active:
        message = _("This category is no longer used.")
        raise InvalidFeedback(message, fields={"category": [message]})
    dossier = _dossier_link(unit=unit, actor=actor, dossier=dossier, code=dossier_code)
    if staff_member is not None:
        _check_staff_member(staff_member, unit)
    files = [f if isinstance(f, CleanFile) else None for f in (attachments or ())]
    if any(f is None for f in files):
        files = attachments_clean(attachments)

    code_prefix = f"PA-{unit.code}-{local:%y}"
    sequence = codes.counter_next(key=f"feedback:code:{code_prefix}")
    if sequence > 99999:
        raise DomainError(_("The unit has used all 99,999 tracking numbers of the year."))
    code = f"{code_prefix}-{sequence:05d}"
    register_number = codes.counter_next(key=f"feedback:register:{unit.pk}:{local.year}")
    pin = codes.pin_new()
    item = item_as_received(
        unit=unit,
        desk=desk or _desk_of(unit),
        remote=_is_remote(unit),
        rule=rule,
        cal=cal,
        code=code,
        pin=pin,
        register_number=register_number,
        kind=kind,
        channel=channel,
        category=category,
        subject=subject,
        text=text,
        external_code=external_code,
        person=person,
        dossier=dossier,
        dossier_code=dossier_code,
        staff_member=staff_member,
        staff_description=staff_description,
        received_at=received_at,
        actor=actor,
    )
    item.save()
    row = _rows(E.RECEIVED)[0]
    _write(item, row, actor=actor, at=received_at, save=False, data=received_event_data(item))
    storage = Attachment._meta.get_field("file").storage
    rows = []
    for f in files:
        name = storage.save(
            f"{local:%Y/%m}/{uuid.uuid4().hex}{f.extension}", ContentFile(f.content)
        )
        saved.append((storage, name))
        rows.append(
            Attachment(
                item=item,
                file=name,
                original_name=f.original_name,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                uploaded_at=received_at,
            )
        )
    Attachment.objects.bulk_create(rows)
    notifications.item_received(item)
    return item, pin


def item_as_received(
    *,
    unit,
    desk,
    remote,
    rule,
    cal,
    code,
    pin,
    register_number,
    kind,
    channel,
    category,
    subject,
    text,
    external_code,
    person,
    dossier,
    dossier_code,
    staff_member,
    staff_description,
    received_at,
    actor,
    **fields,
) -> Item:
    """The new item, unsaved, as ``_submit`` records it once its input is checked: deadlines
    counted from the desk's hours by the rule in force (R-FB-2), the current due moment. The
    demo's bulk writer builds its items with it too (``feedback/demo.py``)."""
    hours = DeskHours.of(desk)
    start = counted_from(received_at=received_at, hours=hours, cal=cal)
    deadlines = _deadlines(
        kind=kind, rule=rule, start=start, hours=hours, cal=cal, remote=remote, extended=False
    )
    item = Item(
        code=code,
        pin_hash=codes.pin_hash(code=code, pin=pin),
        kind=kind,
        channel=channel,
        category=category,
        rule=rule,
        intake_unit=unit,
        register_year=cal.local(received_at).year,
        register_number=register_number,
        unit=unit,
        desk=desk,
        subject=subject,
        body=text,
        external_code=external_code,
        sender_name=person["name"],
        sender_phone=person["phone"],
        sender_email=person["email"],
        sender_address=person["address"],
        sender_id_number=person["id_number"],
        dossier=dossier,
        dossier_code=dossier.code if dossier else dossier_code,
        staff_member=staff_member,
        staff_description=staff_description,
        status=S.RECEIVED,
        received_at=received_at,
        received_by=actor,
        counted_from=start,
        is_remote_area=remote,
        original_reply_due_at=deadlines["reply_due_at"],
        **deadlines,
        **fields,
    )
    item.due_at = item.current_due()
    return item


def received_event_data(item) -> dict:
    """The data of an item's "received" event."""
    return {
        "channel": item.channel,
        "register": f"{item.register_number}/{item.register_year}",
        "due_at": item.due_at.isoformat() if item.due_at else None,
    }


def _dossier_link(*, unit, actor, dossier, code):
    """The dossier an item is about. Staff pick one they may see; a citizen's code is linked
    when a dossier of this unit (or below it) has it, and kept as typed otherwise (the answer
    is the same either way, so it tells nobody whether the code exists)."""
    if dossier is not None:
        if actor is None or not dossiers_visible(user=actor).filter(pk=dossier.pk).exists():
            message = _("No dossier of your units has this code.")
            raise InvalidFeedback(message, fields={"dossier": [message]})
        return dossier
    if code:
        found = dossier_for_tracking(code=code)
        if found is not None and found.unit.path.startswith(unit.path):
            return found
    return None


def _check_staff_member(user, unit):
    # Staff of the unit as the pages offer them (R-FB-4): not a superuser without a role there.
    if not user.is_active or not selectors.is_staff_of(unit=unit, user=user):
        message = _("This person is not a staff member of the unit.")
        raise InvalidFeedback(message, fields={"staff_member": [message]})


# --- classification and assignment -------------------------------------------------------
@transaction.atomic
def feedback_classify(
    *,
    item,
    actor,
    kind=None,
    category=_UNSET,
    staff_member=_UNSET,
    dossier=_UNSET,
    note="",
    at=None,
) -> Item:
    """Study and classify (Decree 20/2008 Art. 9.1): set the category, the staff member or
    dossier concerned, or correct the kind. A new kind takes the rule of that kind in force on
    the receipt date and its deadlines; kinds are never mixed, so a letter that mixes them is
    entered as several items."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.CLASSIFIED, actor)
    _check_time(item, at)
    changes, data = {}, {}
    if kind is not None and kind != item.kind:
        if kind not in Kind.values:
            raise InvalidFeedback(_("Unknown kind."), fields={"kind": [_("Unknown kind.")]})
        if item.replies.exists() or item.accepted_at is not None:
            raise TransitionNotAllowed(
                _("An item that has been accepted or answered keeps its kind.")
            )
        rule = rule_in_force(kind=kind, day=timezone.localtime(item.received_at).date())
        try:
            clean_sender(sender_of(item), identity_required=_identity_required(kind, rule))
        except InvalidSender as exc:
            raise InvalidSender(
                _("The sender's name and a way to reach them are needed for this kind."),
                fields=exc.fields,
            ) from exc
        cal = get_calendar()
        deadlines = _deadlines(
            kind=kind,
            rule=rule,
            start=item.counted_from,
            hours=_hours(item),
            cal=cal,
            remote=item.is_remote_area,
            extended=Extension.objects.filter(item=item).exists(),
        )
        changes.update(kind=kind, rule=rule, original_reply_due_at=deadlines["reply_due_at"])
        changes.update(deadlines)
        data["kind"] = {"from": item.kind, "to": kind}
    if category is not _UNSET and category != item.category:
        if category is not None and not category.is_active:
            message = _("This category is no longer used.")
            raise InvalidFeedback(message, fields={"category": [message]})
        changes["category"] = category
        data["category"] = category.name if category else ""
    if staff_member is not _UNSET and staff_member != item.staff_member:
        if staff_member is not None:
            _check_staff_member(staff_member, item.unit)
            if item.assigned_to_id == staff_member.pk:
                changes["assigned_to"] = None
        changes["staff_member"] = staff_member
        data["staff_member"] = staff_member.pk if staff_member else None
    if dossier is not _UNSET and dossier != item.dossier:
        changes["dossier"] = _dossier_link(unit=item.unit, actor=actor, dossier=dossier, code="")
        changes["dossier_code"] = dossier.code if dossier else ""
        data["dossier"] = dossier.code if dossier else ""
    if not changes:
        raise InvalidFeedback(_("Nothing to change."))
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes=changes,
        note=clean_text(note, field="note", label=_("the note"), required=False, max_chars=2000),
        data=data,
    )
    return item


def _about(item: Item, user) -> bool:
    """Whether ``user`` is the staff member a conduct complaint or denunciation is about."""
    return (
        user is not None
        and item.staff_member_id == user.pk
        and item.kind in (K.CONDUCT, K.DENUNCIATION)
    )


@transaction.atomic
def feedback_assign(*, item, actor, assignee=None, unit=None, note="", at=None) -> Item:
    """Give the item to a person, and optionally to a unit under the item's unit (delegation
    inside the same body; to another body, transfer it). The person must hold a role at that
    unit, and may not be the staff member the item is about."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.ASSIGNED, actor)
    _check_time(item, at)
    target = unit or item.unit
    if target.pk != item.unit_id:
        if not target.path.startswith(item.unit.path):
            message = _(
                "Assign within the unit and the units under it; transfer to reach another body."
            )
            raise InvalidFeedback(message, fields={"unit": [message]})
        require_role(user=actor, unit=target, roles=STAFF)
    if assignee is None and target.pk == item.unit_id:
        message = _("Choose the person or the unit to assign the item to.")
        raise InvalidFeedback(message, fields={"assignee": [message]})
    if assignee is not None:
        if not assignee.is_active or not selectors.is_staff_of(unit=target, user=assignee):
            message = _("This person has no role at the unit.")
            raise InvalidFeedback(message, fields={"assignee": [message]})
        if _about(item, assignee):
            message = _("An item cannot be assigned to the staff member it is about.")
            raise InvalidFeedback(message, fields={"assignee": [message]})
    changes = {"assigned_to": assignee}
    before_unit = item.unit_id
    if target.pk != item.unit_id:
        changes["unit"] = target
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes=changes,
        note=clean_text(note, field="note", label=_("the note"), required=False, max_chars=2000),
        data={"assignee": assignee.pk if assignee else None, "unit": target.name},
        units={before_unit},
    )
    return item


@transaction.atomic
def feedback_start(*, item, actor, note="", at=None) -> Item:
    """Start handling the item. For a complaint this is its acceptance (thụ lý): the
    settlement deadline counts from it (30 days, 45 if complex; remote 45 / 60)."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.STARTED, actor)
    _check_time(item, at)
    changes, data = {}, {}
    if item.kind == K.COMPLAINT:
        cal = get_calendar()
        due = _complaint_reply_due(
            item,
            accepted_at=at,
            cal=cal,
            extended=Extension.objects.filter(item=item).exists(),
        )
        changes.update(accepted_at=at, reply_due_at=due, original_reply_due_at=due)
        data.update(
            accepted_on_time=item.accept_due_at is None or at <= item.accept_due_at,
            reply_due_at=due.isoformat() if due else None,
        )
    if item.assigned_to_id is None and not _about(item, actor):
        changes["assigned_to"] = actor
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes=changes,
        note=clean_text(note, field="note", label=_("the note"), required=False, max_chars=2000),
        data=data,
    )
    return item


# --- transfer (R-FB-2: within 5 working days) -------------------------------------------
@transaction.atomic
def feedback_transfer(*, item, actor, to_unit=None, to_body="", note="", at=None) -> Item:
    """Pass the item to the competent body: a unit of the portal (``to_unit``, which then
    handles it with deadlines counted from the transfer) or a body outside it (``to_body``,
    after which it can only be closed here). A transfer after the rule's working days
    (5 by default) is flagged late; the sender is told."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.TRANSFERRED, actor)
    _check_time(item, at)
    to_body = clean_line(to_body, field="to_body", label=_("the body"), max_chars=300)
    if (to_unit is None) == (not to_body):
        message = _("Choose the competent unit, or name the body outside the portal.")
        raise InvalidFeedback(message, fields={"to_unit": [message]})
    if to_unit is not None and to_unit.pk == item.unit_id:
        message = _("The item is already at this unit; choose another one.")
        raise TransferNotAllowed(message, fields={"to_unit": [message]})
    cal = get_calendar()
    if to_unit is not None and not to_unit.is_valid_on(cal.local(at).date()):
        message = _("The unit “%(unit)s” does not exist on that date.") % {"unit": to_unit}
        raise InvalidFeedback(message, fields={"to_unit": [message]})
    transfer_due = item.transfer_due_at
    late = at > transfer_due
    changes = {
        "transferred_at": at,
        "transferred_to_unit": to_unit,
        "transferred_to_body": "" if to_unit else to_body,
        "transfer_late": item.transfer_late or late,
        "assigned_to": None,
    }
    before_unit = item.unit_id
    if to_unit is not None:
        desk = _desk_of(to_unit)
        hours = DeskHours.of(desk)
        remote = _is_remote(to_unit)
        deadlines = _deadlines(
            kind=item.kind,
            rule=item.rule,
            start=counted_from(received_at=at, hours=hours, cal=cal),
            hours=hours,
            cal=cal,
            remote=remote,
            extended=Extension.objects.filter(item=item).exists(),
        )
        changes.update(deadlines)
        changes.update(unit=to_unit, desk=desk, is_remote_area=remote, accepted_at=None)
    event = _write(
        item,
        row,
        actor=actor,
        at=at,
        changes=changes,
        note=clean_text(note, field="note", label=_("the note"), required=False, max_chars=2000),
        data={
            "to_unit": to_unit.name if to_unit else "",
            "to_body": changes["transferred_to_body"],
            "late": late,
            "transfer_due_at": transfer_due.isoformat(),
            "on_time": not late,
        },
        units={before_unit},
    )
    notifications.item_transferred(item, event.pk)
    return item


# --- extension (once, with a reason) ----------------------------------------------------
@transaction.atomic
def feedback_extend(*, item, actor, reason, at=None) -> Extension:
    """Extend the answer deadline once, with its reason (a complex case: for a complaint 45
    days instead of 30, remote 60 instead of 45; for feedback the rule's extended time). Made
    before the deadline passes; a second extension is refused, by the service and by the
    database."""
    at = _now(at)
    item = _lock(item)
    if Extension.objects.filter(item=item).exists():
        _check(item, E.EXTENDED, actor)  # a stranger learns nothing about the item
        raise AlreadyExtended()
    row = _check(item, E.EXTENDED, actor)
    _check_time(item, at)
    reason = _reason(reason)
    extended_days = item.rule.reply_days_for(remote=item.is_remote_area, extended=True)
    if extended_days is None:
        raise ExtensionNotAllowed(_("The rules of this kind of item allow no extension."))
    if item.due_at is not None and at > item.due_at:
        raise ExtensionNotAllowed(
            _("The deadline has passed; an extension must be decided before it.")
        )
    cal = get_calendar()
    if item.kind == K.COMPLAINT:
        new_due = (
            _complaint_reply_due(item, accepted_at=item.accepted_at, cal=cal, extended=True)
            if item.accepted_at
            else None
        )
    else:
        new_due = due_moment(
            start=item.counted_from,
            days=extended_days,
            counting=item.rule.reply_counting,
            hours=_hours(item),
            cal=cal,
        )
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                item=item,
                reason=reason,
                extended_at=at,
                extended_by=actor,
                previous_due_at=item.reply_due_at,
                new_due_at=new_due,
            )
    except IntegrityError as exc:  # a concurrent extension won the race
        raise AlreadyExtended() from exc
    changes = {"reply_due_at": new_due} if new_due is not None else {}
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes=changes,
        note=reason,
        data={
            "previous_due_at": extension.previous_due_at.isoformat()
            if extension.previous_due_at
            else None,
            "new_due_at": new_due.isoformat() if new_due else None,
        },
    )
    notifications.item_extended(item, extension)
    return extension


# --- answer, rejection, reopening, closing ----------------------------------------------
@transaction.atomic
def feedback_reply(*, item, actor, text, finding="", at=None) -> Reply:
    """Answer in writing (R-FB-2): the text is the reply letter (PDF from
    ``feedback.documents.reply_letter_pdf``), recorded as an append-only ``Reply`` and sent
    to the sender through the outbox. ``finding`` says whether a complaint was founded
    (R-FB-4: unfounded conduct complaints do not count against the staff member)."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.REPLIED, actor)
    _check_time(item, at)
    text = clean_text(text, field="text", label=_("the answer"))
    if finding and finding not in Finding.values:
        raise InvalidFeedback(_("Unknown finding."), fields={"finding": [_("Unknown finding.")]})
    on_time = item_on_time_at(item_due=item.reply_due_at, at=at)
    reply = Reply.objects.create(
        item=item,
        number=item.replies.count() + 1,
        text=text,
        finding=finding,
        replied_at=at,
        replied_by=actor,
        unit=item.unit,
        on_time=on_time,
    )
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes={"replied_at": at, "answered_on_time": on_time, "finding": finding},
        data={"reply": reply.number, "on_time": on_time, "finding": finding},
    )
    notifications.item_answered(item, reply)
    return reply


@transaction.atomic
def feedback_reject(*, item, actor, reason, at=None) -> Item:
    """Refuse an item that is out of scope (Decree 20/2008 Art. 9.1.d(a), Law on Complaints
    Art. 11), with the reason the sender is told."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.REJECTED, actor)
    _check_time(item, at)
    reason = _reason(reason)
    on_time = item_on_time_at(item_due=item.due_at, at=at)
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes={"rejected_reason": reason, "closed_at": at},
        note=reason,
        data={"on_time": on_time},
    )
    notifications.item_rejected(item)
    return item


def within_reopen_window(item: Item, at: dt.datetime) -> bool:
    if item.replied_at is None:
        return False
    return at <= item.replied_at + dt.timedelta(days=settings.FEEDBACK_REOPEN_DAYS)


def _reopen(item: Item, row: Transition, *, actor, reason: str, at: dt.datetime) -> Item:
    if not within_reopen_window(item, at):
        raise ReopenNotAllowed(
            _(
                "An answer can be disputed within %(days)d days; this one was given on "
                "%(day)s or the item has no answer."
            )
            % {
                "days": settings.FEEDBACK_REOPEN_DAYS,
                "day": timezone.localtime(item.replied_at).strftime("%d/%m/%Y")
                if item.replied_at
                else "—",
            }
        )
    cal = get_calendar()
    extended = Extension.objects.filter(item=item).exists()
    start = counted_from(received_at=at, hours=_hours(item), cal=cal)
    due = due_moment(
        start=start,
        days=item.rule.reply_days_for(remote=item.is_remote_area, extended=extended),
        counting=item.rule.reply_counting,
        hours=_hours(item),
        cal=cal,
    )
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes={
            "reopen_count": item.reopen_count + 1,
            "closed_at": None,
            "answered_on_time": None,
            "reply_due_at": due,
        },
        note=reason,
        data={"reply_due_at": due.isoformat() if due else None, "by_sender": actor is None},
    )
    return item


@transaction.atomic
def feedback_reopen(*, item, actor, reason, at=None) -> Item:
    """Reopen an answered item because the sender disputes the answer, within
    ``FEEDBACK_REOPEN_DAYS`` of it; a new answer deadline counts from today."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.REOPENED, actor)
    _check_time(item, at)
    return _reopen(item, row, actor=actor, reason=_reason(reason), at=at)


@transaction.atomic
def feedback_dispute(*, code: str, pin: str, reason, at=None) -> Item:
    """The sender disputes the answer through the tracking page (code and PIN, no account):
    the item is reopened as by ``feedback_reopen``. An unknown code and a wrong PIN raise the
    same ``TrackingNotFound``."""
    from feedback.tracking import TrackingNotFound, item_by_code_and_pin

    found = item_by_code_and_pin(code=code, pin=pin)
    if found is None:
        raise TrackingNotFound()
    at = _now(at)
    reason = _reason(reason)
    item = _lock(found)
    row = _check(item, E.REOPENED, None)
    _check_time(item, at)
    return _reopen(item, row, actor=None, reason=reason, at=at)


@transaction.atomic
def feedback_close(*, item, actor, note="", at=None) -> Item:
    """Close an answered item, or one transferred to a body outside the portal."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.CLOSED, actor)
    _check_time(item, at)
    if item.status == S.TRANSFERRED and not _handed_out(item):
        raise TransitionNotAllowed(
            _("The unit the item was transferred to handles it now; it closes it there.")
        )
    _write(
        item,
        row,
        actor=actor,
        at=at,
        changes={"closed_at": at},
        note=clean_text(note, field="note", label=_("the note"), required=False, max_chars=2000),
    )
    return item


# --- publishing (R-FB-3) ----------------------------------------------------------------
def _known_people(item: Item) -> list[dict]:
    people = [sender_of(item)]
    if item.staff_member_id:
        member = item.staff_member
        people.append({"name": f"{member.last_name} {member.first_name}".strip()})
    return people


def masked_for_publication(item: Item, text: str) -> str:
    """``text`` with the sender's (and the staff member's) personal data masked."""
    for person in _known_people(item):
        text = mask_personal_data(text, sender=person)
    return text


def _publication_defaults(item: Item) -> dict[str, str] | None:
    """The texts published unless staff edit them: the subject (else the category, else the
    kind) as title, the content, and the latest answer; ``None`` without an answer."""
    return publication_defaults_with(item, item.replies.order_by("-number").first())


def publication_defaults_with(item: Item, last: Reply | None) -> dict[str, str] | None:
    """``_publication_defaults`` with the latest reply given (the demo's bulk writer, whose
    replies are not written yet)."""
    if last is None:
        return None
    title = item.subject or (item.category.name if item.category_id else item.get_kind_display())
    return {"title": title, "question": item.body, "answer": last.text}


def publication_draft(item: Item) -> dict[str, str]:
    """What ``feedback_publish`` would publish by default, already masked, for the page where
    staff edit it (empty texts when the item has no answer yet)."""
    if item.kind == K.DENUNCIATION:  # never published (FEEDBACK_LAW.md §4.5)
        return {"title": "", "question": "", "answer": ""}
    defaults = _publication_defaults(item) or {"title": "", "question": "", "answer": ""}
    return {key: masked_for_publication(item, value) for key, value in defaults.items()}


@transaction.atomic
def feedback_publish(*, item, actor, title="", question=None, answer=None, at=None) -> Publication:
    """Publish the result anonymised on the public list (R-FB-3). Staff edit the texts (by
    default the item's content and its latest answer); whatever they leave in, the sender's
    name, phone, email, address and ID number and any phone or ID number are masked. Publishing
    again replaces the texts. Denunciations are never published."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.PUBLISHED, actor)
    _check_time(item, at)
    defaults = _publication_defaults(item)
    if defaults is None:
        raise PublishNotAllowed(_("Only an answered item can be published."))
    title = clean_line(
        title or defaults["title"],
        field="title",
        label=_("the title"),
        max_chars=200,
        required=True,
    )
    question = clean_text(
        defaults["question"] if question is None else question,
        field="question",
        label=_("the published question"),
    )
    answer = clean_text(
        defaults["answer"] if answer is None else answer,
        field="answer",
        label=_("the published answer"),
    )
    values = {
        "title": masked_for_publication(item, title)[:200],
        "question": masked_for_publication(item, question),
        "answer": masked_for_publication(item, answer),
        "published_at": at,
        "published_by": actor,
        "is_active": True,
    }
    publication, _created = Publication.objects.update_or_create(item=item, defaults=values)
    _write(item, row, actor=actor, at=at, data={"publication": publication.pk})
    return publication


@transaction.atomic
def feedback_unpublish(*, item, actor, note="", at=None) -> Item:
    """Take a published result off the public list (it stays recorded)."""
    at = _now(at)
    item = _lock(item)
    row = _check(item, E.UNPUBLISHED, actor)
    _check_time(item, at)
    updated = Publication.objects.filter(item=item, is_active=True).update(is_active=False)
    if not updated:
        raise PublishNotAllowed(_("This item is not published."))
    _write(
        item,
        row,
        actor=actor,
        at=at,
        note=clean_text(note, field="note", label=_("the note"), required=False, max_chars=2000),
    )
    return item
