"""Every write of the surveys goes through these functions (R-SUR-1, R-SUR-2).

Each runs in one transaction, validates everything before writing anything (a bad answer leaves
the database as it was), and writes an ``AuditLog`` row for what staff do. One response per
dossier is checked here and guaranteed by a partial unique constraint in the database.

Invitations: ``invitation_create`` issues a single-use token for a returned dossier. Calling it
again for the same dossier **rotates** the token: the invitation stays the same, the earlier
link stops working, the expiry restarts and (with ``send=True``) the new link is sent. Callers
should therefore call it once when the result is returned and use the token it gives both for
the message and for the QR code on the slip; a second call is for a lost slip or message.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from portal.audit import audit_log_write
from portal.codes import short_code_display
from portal.exceptions import Conflict, DomainError, PermissionDenied
from portal.http import public_url
from portal.models import Role
from portal.outbox import notify_contact
from portal.permissions import require_role
from portal.selectors import administers, administers_with_descendants
from surveys import selectors, validation
from surveys.exceptions import (
    AlreadyAnswered,
    DuplicatePaperSerial,
    FormNotAvailable,
    InvalidAnswers,
    InvitationNotAllowed,
)
from surveys.models import (
    Answer,
    Area,
    Criterion,
    ExtraAnswer,
    ExtraQuestion,
    Invitation,
    KioskDevice,
    Response,
    SurveyForm,
)

# Imported by name, not called as ``selectors.…``: the race tests replace these two here to
# reach the database's unique constraints behind them.
from surveys.selectors import dossier_answered, paper_serial_used
from surveys.tokens import (
    INVITATION_SALT,
    KIOSK_SALT,
    invitation_code_hash,
    invitation_short_code,
    token_new,
)

# Anyone with a role at the desk's unit may key in a paper form or a phone interview.
ENTRY_ROLES = tuple(Role.values)
KIOSK_ADMIN_ROLES = (Role.LEADER, Role.ADMIN)


def invitation_days() -> int:
    return int(getattr(settings, "SURVEY_INVITATION_DAYS", 30))


def _now(at):
    return at or timezone.now()


def _constraint_name(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", "") or ""


# --- forms ------------------------------------------------------------------------------
def manages_forms_of(*, user, unit) -> bool:
    """Whether ``user`` may decide the survey form of ``unit``: a form applies to the units
    under it too, so an admin whose role covers them, or of a unit with none under it (a
    commune, a ward); superusers everywhere."""
    if not administers(user=user, unit=unit):
        return False
    return administers_with_descendants(user=user, unit=unit) or not unit.children.exists()


def _require_form_admin(*, actor, units) -> None:
    """A form applies to its units and the units under them (R-SUR-1), so changing one that
    applies to ``units`` needs an admin of each of them covering the units under it; a form
    for everywhere (no units) is the superuser's (R-UNIT-3)."""
    units = list(units)
    if actor is not None and actor.is_authenticated and actor.is_superuser:
        return
    if not units:
        raise PermissionDenied(
            _("A form used everywhere is changed by the national administrator only.")
        )
    for unit in units:
        if actor is None or not manages_forms_of(user=actor, unit=unit):
            raise PermissionDenied(
                _(
                    "You are not an administrator of %(unit)s and the units under it, where "
                    "this form applies."
                )
                % {"unit": unit.name}
            )


@transaction.atomic
def survey_form_new_version(*, form: SurveyForm, actor=None, units=None) -> SurveyForm:
    """Copy a form with its areas, criteria, extra questions and units into the next version
    of its code, unpublished and without validity dates, ready to be edited. The copied
    version itself is left as it is (an answered version is never edited).

    With ``units`` (the administration pages) the new version applies to those units instead,
    and the actor must administer each of them and the units under them (an empty list: every
    unit, for a superuser); without, the copy keeps the form's units (seeding, tests)."""
    if units is not None:
        units = list(units)
        _require_form_admin(actor=actor, units=units)
    latest = (
        SurveyForm.objects.select_for_update()
        .filter(code=form.code)
        .order_by("-version")
        .values_list("version", flat=True)
    )
    try:
        with transaction.atomic():
            new = SurveyForm.objects.create(
                code=form.code,
                version=latest[0] + 1,
                name_vi=form.name_vi,
                name_en=form.name_en,
                scale=form.scale,
                scale_labels=form.scale_labels,
                is_published=False,
                derived_from=form,
            )
    except IntegrityError as exc:  # another new version of this form was made at the same time
        raise Conflict(
            _("Another version of this form was made at the same moment; try again.")
        ) from exc
    new.units.set(form.units.all() if units is None else units)
    for area in form.areas.order_by("order", "id").prefetch_related("criteria"):
        new_area = Area.objects.create(
            form=new, code=area.code, name_vi=area.name_vi, name_en=area.name_en, order=area.order
        )
        Criterion.objects.bulk_create(
            Criterion(
                area=new_area, code=c.code, text_vi=c.text_vi, text_en=c.text_en, order=c.order
            )
            for c in area.criteria.all()
        )
    ExtraQuestion.objects.bulk_create(
        ExtraQuestion(
            form=new,
            code=q.code,
            text_vi=q.text_vi,
            text_en=q.text_en,
            kind=q.kind,
            options=q.options,
            order=q.order,
        )
        for q in form.extra_questions.order_by("order", "id")
    )
    audit_log_write(
        actor=actor,
        action="survey_form.new_version",
        instance=new,
        data={
            "code": new.code,
            "version": new.version,
            "from_version": form.version,
            "units": sorted(new.units.values_list("pk", flat=True)),
        },
    )
    return new


@transaction.atomic
def survey_form_publish(*, form: SurveyForm, actor, valid_from: dt.date | None = None):
    """Publish a form version: from ``valid_from`` (today by default) it is the one its units
    answer (R-SUR-1; the most specific and newest published form wins, so it replaces the one
    in use there). Needs an admin of every unit it applies to; a form without criteria is
    refused."""
    form = SurveyForm.objects.select_for_update().get(pk=form.pk)
    _require_form_admin(actor=actor, units=form.units.all())
    if form.is_published:
        raise Conflict(_("This form version is published already."), code="form_published")
    if not Criterion.objects.filter(area__form=form).exists():
        raise InvalidAnswers(_("A form needs at least one criterion."), code="form_empty")
    form.is_published = True
    form.valid_from = valid_from or form.valid_from or timezone.localdate()
    form.save(update_fields=["is_published", "valid_from"])
    audit_log_write(
        actor=actor,
        action="survey_form.publish",
        instance=form,
        data={"code": form.code, "version": form.version, "from": form.valid_from.isoformat()},
    )
    return form


def _form_for(*, form: SurveyForm | None, unit, on: dt.date) -> SurveyForm:
    if form is None:
        form = selectors.survey_form_for(unit=unit, on=on)
        if form is None:
            raise FormNotAvailable(_("No survey form is published for this unit."))
    elif not selectors.survey_form_is_open(form=form, unit=unit, on=on):
        raise FormNotAvailable(
            _("The form “%(name)s” is not in use at this unit on this date.")
            % {"name": form.name_vi}
        )
    return form


# --- invitations (R-SUR-2) --------------------------------------------------------------
def invitation_url(token: str) -> str:
    """The public address of the survey for this token (the QR code on the slip points here),
    from ``PORTAL_PUBLIC_URL``."""
    return public_url(reverse("surveys:answer", args=[token]))


def invitation_code(token: str) -> str:
    """The short code of the invitation behind ``token``, as printed and sent (``K7M2P-QX4RT``):
    typed at the front door, it opens the same survey as the link."""
    return short_code_display(invitation_short_code(token))


def _new_token_and_code(tries: int = 5) -> tuple[str, str, str]:
    """A fresh token with the hashes of the token and of its short code. Two live invitations
    never share a code (a unique column; codes are cleared once answered): in the unlikely
    case the code is taken, another token is drawn."""
    for _attempt in range(tries):
        token, digest = token_new(salt=INVITATION_SALT)
        code_digest = invitation_code_hash(invitation_short_code(token))
        if not Invitation.objects.filter(code_hash=code_digest).exists():
            return token, digest, code_digest
    raise Conflict(_("No free survey code could be drawn; try again."))


def _send_invitation(*, dossier, invitation: Invitation, token: str) -> None:
    with translation.override("vi"):
        subject = _("How was our service for dossier %(code)s?") % {"code": dossier.code}
        body = _(
            "Your dossier %(code)s is complete. Please tell us how satisfied you are (a few "
            "minutes, once): %(url)s"
        ) % {"code": dossier.code, "url": invitation_url(token)}
        body += " " + _("Or type the code %(survey_code)s at %(portal)s") % {
            "survey_code": invitation_code(token),
            "portal": public_url("/"),
        }
    notify_contact(
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        subject=subject,
        body=body,
        dedupe_prefix=f"survey-invitation:{dossier.pk}:{invitation.generation}",
        object_type="survey_invitation",
        object_id=invitation.pk,
    )


@transaction.atomic
def invitation_create(
    *,
    dossier,
    channel: str = Invitation.Channel.MESSAGE,
    send: bool = True,
    at: dt.datetime | None = None,
) -> str:
    """Invite the applicant of a returned dossier; returns the raw token (it is not stored).

    One invitation per dossier: a second call rotates the token (see the module docstring).
    With ``channel="message"`` and ``send`` the link goes to the applicant's email and phone
    through the outbox, once per dossier and token generation."""
    at = _now(at)
    if channel not in Invitation.Channel.values:
        raise InvitationNotAllowed(_("Unknown way of sending the invitation."))
    dossier = dossier_selectors.dossier_for_invitation(pk=dossier.pk, lock=True)
    if dossier is None:  # its result has not been returned
        raise InvitationNotAllowed(
            _("Only the applicant of a dossier whose result has been returned can be invited.")
        )
    if Response.objects.filter(dossier=dossier).exists():
        raise AlreadyAnswered()
    token, digest, code_digest = _new_token_and_code()
    expires_at = at + dt.timedelta(days=invitation_days())
    invitation = Invitation.objects.filter(dossier=dossier).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            dossier=dossier,
            token_hash=digest,
            code_hash=code_digest,
            channel=channel,
            created_at=at,
            issued_at=at,
            expires_at=expires_at,
        )
    else:
        if invitation.used_at is not None:
            raise AlreadyAnswered()
        invitation.token_hash = digest
        invitation.code_hash = code_digest
        invitation.channel = channel
        invitation.generation += 1
        invitation.issued_at = at
        invitation.expires_at = expires_at
        invitation.save(
            update_fields=[
                "token_hash",
                "code_hash",
                "channel",
                "generation",
                "issued_at",
                "expires_at",
            ]
        )
    if send and channel == Invitation.Channel.MESSAGE:
        _send_invitation(dossier=dossier, invitation=invitation, token=token)
    return token


@transaction.atomic
def invitation_print(*, dossier, actor, at: dt.datetime | None = None) -> str:
    """Staff print an invitation (QR code and short link) to hand over with the result. It
    issues the token through ``invitation_create`` with the channel ``slip`` and sends nothing;
    when the dossier already had an invitation, the link sent earlier stops working. Needs a
    role at the dossier's unit, and writes an ``AuditLog`` row."""
    require_role(user=actor, unit=dossier.unit, roles=ENTRY_ROLES)
    token = invitation_create(dossier=dossier, channel=Invitation.Channel.SLIP, send=False, at=at)
    invitation = Invitation.objects.get(dossier=dossier)
    audit_log_write(
        actor=actor,
        action="survey_invitation.printed",
        instance=invitation,
        unit=dossier.unit,
        data={"dossier": dossier.code, "generation": invitation.generation},
    )
    return token


# --- kiosk devices ----------------------------------------------------------------------
@transaction.atomic
def kiosk_device_register(*, desk, name: str, actor) -> tuple[KioskDevice, str]:
    """Register a kiosk at a desk; returns the device and its token, shown once to configure
    the device."""
    require_role(user=actor, unit=desk.unit, roles=KIOSK_ADMIN_ROLES)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the kiosk a name."), code="name_required")
    token, digest = token_new(salt=KIOSK_SALT)
    device = KioskDevice.objects.create(
        desk=desk, name=name[:100], token_hash=digest, created_by=actor
    )
    audit_log_write(actor=actor, action="kiosk_device.registered", instance=device, unit=desk.unit)
    return device, token


@transaction.atomic
def kiosk_device_revoke(
    *, device: KioskDevice, actor, at: dt.datetime | None = None
) -> KioskDevice:
    """Switch a kiosk off for good (lost or stolen tablet); its token stops working at once."""
    at = _now(at)
    device = KioskDevice.objects.select_for_update().select_related("desk__unit").get(pk=device.pk)
    require_role(user=actor, unit=device.desk.unit, roles=KIOSK_ADMIN_ROLES)
    if device.revoked_at is None:
        device.is_active = False
        device.revoked_at = at
        device.revoked_by = actor
        device.save(update_fields=["is_active", "revoked_at", "revoked_by"])
        audit_log_write(
            actor=actor, action="kiosk_device.revoked", instance=device, unit=device.desk.unit
        )
    return device


# --- writing a filled-in form ---------------------------------------------------------
def _write(
    *,
    form: SurveyForm,
    desk,
    channel: str,
    answers,
    extras,
    respondent,
    comment,
    submitted_at: dt.datetime,
    at: dt.datetime,
    dossier=None,
    kiosk_device: KioskDevice | None = None,
    paper_serial: str = "",
    entered_by=None,
) -> Response:
    """Validate everything (``surveys.validation``), then write the response, its answers and
    extra answers."""
    rows = validation.clean_answers(form=form, answers=answers)
    extra_rows = validation.clean_extras(form=form, extras=extras)
    person = validation.clean_respondent(respondent, dossier=dossier)
    comment = validation.clean_comment(comment)
    validation.check_not_empty(rows, extra_rows)
    if dossier is not None and dossier_answered(dossier=dossier):
        raise AlreadyAnswered()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                form=form,
                dossier=dossier,
                unit=desk.unit,
                desk=desk,
                channel=channel,
                kiosk_device=kiosk_device,
                paper_serial=paper_serial,
                comment=comment,
                submitted_at=submitted_at,
                entered_by=entered_by,
                **person,
            )
    except IntegrityError as exc:  # a concurrent submission won the race
        name = _constraint_name(exc)
        if name == "survey_one_response_per_dossier":
            raise AlreadyAnswered() from exc
        if name == "survey_paper_serial_unique_per_desk":
            raise DuplicatePaperSerial(paper_serial) from exc
        raise
    Answer.objects.bulk_create(
        Answer(response=response, criterion_id=cid, value=value, not_applicable=na)
        for cid, value, na in rows
    )
    ExtraAnswer.objects.bulk_create(
        ExtraAnswer(response=response, question_id=qid, option=option) for qid, option in extra_rows
    )
    if dossier is not None:
        # The link and its short code are used up; the code's hash is cleared with it.
        Invitation.objects.filter(dossier=dossier, used_at__isnull=True).update(
            used_at=at, code_hash=None
        )
    return response


# --- submissions (R-SUR-2) --------------------------------------------------------------
@transaction.atomic
def response_submit_by_token(
    *,
    token: str,
    answers,
    extras=None,
    respondent=None,
    comment: str = "",
    channel: str = Response.Channel.LINK,
    form: SurveyForm | None = None,
    at: dt.datetime | None = None,
) -> Response:
    """The citizen answers through the link or the QR code of their dossier, once. The
    invitation row is locked, so a double submit waits and then finds the link used."""
    at = _now(at)
    if channel not in (Response.Channel.LINK, Response.Channel.QR):
        raise InvalidAnswers(_("Unknown channel."), code="invalid_channel")
    invitation = selectors.invitation_by_token(token, at=at, lock=True)
    return _submit_invitation(
        invitation,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        channel=channel,
        form=form,
        at=at,
    )


@transaction.atomic
def response_submit_by_code(
    *,
    code: str,
    answers,
    extras=None,
    respondent=None,
    comment: str = "",
    form: SurveyForm | None = None,
    at: dt.datetime | None = None,
) -> Response:
    """The citizen answers with the short code of their invitation, typed at the front door:
    the same as the link (``response_submit_by_token``), with the channel ``link``."""
    at = _now(at)
    invitation = selectors.invitation_by_code(code, at=at, lock=True)
    return _submit_invitation(
        invitation,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        channel=Response.Channel.LINK,
        form=form,
        at=at,
    )


def _submit_invitation(
    invitation, *, answers, extras, respondent, comment, channel, form, at
) -> Response:
    dossier = invitation.dossier
    form = _form_for(form=form, unit=dossier.unit, on=timezone.localdate(at))
    return _write(
        form=form,
        desk=dossier.desk,
        channel=channel,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        submitted_at=at,
        at=at,
        dossier=dossier,
    )


@transaction.atomic
def response_submit_kiosk(
    *,
    device_token: str,
    answers,
    extras=None,
    respondent=None,
    comment: str = "",
    form: SurveyForm | None = None,
    at: dt.datetime | None = None,
) -> Response:
    """An anonymous walk-in answer at a kiosk; the desk is the device's."""
    at = _now(at)
    device = selectors.kiosk_device_resolve(device_token)
    desk = device.desk
    form = _form_for(form=form, unit=desk.unit, on=timezone.localdate(at))
    response = _write(
        form=form,
        desk=desk,
        channel=Response.Channel.KIOSK,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        submitted_at=at,
        at=at,
        kiosk_device=device,
    )
    KioskDevice.objects.filter(pk=device.pk).update(last_used_at=at)
    return response


def _check_dossier_at_unit(dossier, *, unit) -> None:
    if dossier is not None and dossier.unit_id != unit.pk:
        raise InvalidAnswers(_("The dossier belongs to another unit."), code="dossier_elsewhere")


def _write_entered(
    *,
    desk,
    channel: str,
    actor,
    answers,
    extras,
    respondent,
    comment,
    form: SurveyForm | None,
    dossier,
    submitted_at: dt.datetime | None,
    at: dt.datetime,
    paper_serial: str = "",
) -> Response:
    """What paper and phone entries share once their own checks passed: the date on the sheet
    or of the call (not in the future), the form in force on that day, the response written
    with the staff member who keyed it in, and an audit row."""
    submitted_at = validation.clean_submitted_at(submitted_at, at)
    form = _form_for(form=form, unit=desk.unit, on=timezone.localdate(submitted_at))
    response = _write(
        form=form,
        desk=desk,
        channel=channel,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        submitted_at=submitted_at,
        at=at,
        dossier=dossier,
        paper_serial=paper_serial,
        entered_by=actor,
    )
    data = {"channel": str(channel)}
    if paper_serial:
        data["serial"] = paper_serial
    data["dossier"] = dossier.code if dossier else ""
    audit_log_write(
        actor=actor, action="survey_response.entered", instance=response, unit=desk.unit, data=data
    )
    return response


@transaction.atomic
def response_enter_paper(
    *,
    desk,
    serial: str,
    answers,
    actor,
    extras=None,
    respondent=None,
    comment: str = "",
    form: SurveyForm | None = None,
    dossier=None,
    submitted_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Response:
    """Staff of the desk's unit key in a paper form. Its serial number is unique per desk, so
    the same sheet is never counted twice. ``submitted_at`` is the date on the sheet."""
    at = _now(at)
    require_role(user=actor, unit=desk.unit, roles=ENTRY_ROLES)
    serial = validation.clean_serial(serial)
    if paper_serial_used(desk=desk, serial=serial):
        raise DuplicatePaperSerial(serial)
    _check_dossier_at_unit(dossier, unit=desk.unit)
    return _write_entered(
        desk=desk,
        channel=Response.Channel.PAPER,
        actor=actor,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        form=form,
        dossier=dossier,
        submitted_at=submitted_at,
        at=at,
        paper_serial=serial,
    )


@transaction.atomic
def response_enter_phone(
    *,
    actor,
    answers,
    dossier=None,
    desk=None,
    extras=None,
    respondent=None,
    comment: str = "",
    form: SurveyForm | None = None,
    submitted_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Response:
    """Staff (e.g. a call centre) key in a phone interview about a dossier, or about a desk's
    service in general; they need a role at the desk's unit or one covering it."""
    at = _now(at)
    if dossier is not None:
        if desk is not None and desk.pk != dossier.desk_id:
            raise InvalidAnswers(
                _("The dossier belongs to another desk."), code="dossier_elsewhere"
            )
        desk = dossier.desk
    if desk is None:
        raise InvalidAnswers(
            _("Say which dossier or desk the call was about."), code="desk_required"
        )
    require_role(user=actor, unit=desk.unit, roles=ENTRY_ROLES)
    return _write_entered(
        desk=desk,
        channel=Response.Channel.PHONE,
        actor=actor,
        answers=answers,
        extras=extras,
        respondent=respondent,
        comment=comment,
        form=form,
        dossier=dossier,
        submitted_at=submitted_at,
        at=at,
    )
