"""Reads of surveys shared by pages, the API and reports. Lists of responses are always scoped to
the user's units (R-UNIT-3), so every figure can be traced to the answers behind it (R-IND-5)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length, TruncDate
from django.utils import timezone

from dossiers import selectors as dossier_selectors
from portal.codes import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, short_code_normalise
from portal.selectors import in_force_q, unit_scope_q
from portal.strict_input import parse_int
from surveys.exceptions import KioskDeviceInvalid, SurveyLinkInvalid
from surveys.models import (
    NOT_APPLICABLE,
    SATISFIED_LEVELS,
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
from surveys.tokens import INVITATION_SALT, KIOSK_SALT, invitation_code_hash, token_check


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def responses_visible(*, user) -> QuerySet[Response]:
    """Responses of the units the user holds a role at (or covers)."""
    return Response.objects.filter(unit_scope_q(user=user, prefix="unit__")).select_related(
        "form", "unit", "desk", "dossier", "procedure"
    )


def responses_filtered(
    *,
    user,
    unit=None,
    desk=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    channel: str | None = None,
    form_code: str | None = None,
) -> QuerySet[Response]:
    """Visible responses narrowed by unit (with its descendants), desk, period (local dates,
    both ends included, on the moment the citizen answered), channel and form."""
    return responses_narrowed(
        responses_visible(user=user),
        unit=unit,
        desk=desk,
        date_from=date_from,
        date_to=date_to,
        channel=channel,
        form_code=form_code,
    )


def responses_narrowed(
    qs: QuerySet[Response],
    *,
    unit=None,
    desk=None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    channel: str | None = None,
    form_code: str | None = None,
) -> QuerySet[Response]:
    """``responses_filtered``'s narrowing applied to an already scoped queryset (the API's
    list narrows the same way as the indices it links from, so the counts agree)."""
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if desk is not None:
        qs = qs.filter(desk=desk)
    if date_from is not None:
        qs = qs.filter(submitted_at__gte=_local_midnight(date_from))
    if date_to is not None:
        qs = qs.filter(submitted_at__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    if channel:
        qs = qs.filter(channel=channel)
    if form_code:
        qs = qs.filter(form__code=form_code)
    return qs


def survey_form_applies(*, form: SurveyForm, unit) -> bool:
    """A form applies to the units it lists and their descendants; with none listed, to all."""
    if not form.units.exists():
        return True
    return form.units.filter(path__in=unit.ancestors_and_self_paths()).exists()


def survey_form_is_open(*, form: SurveyForm, unit, on: dt.date) -> bool:
    """Published, in force on ``on`` and applying to ``unit``."""
    if not form.is_published:
        return False
    if form.valid_from and on < form.valid_from:
        return False
    if form.valid_to and on > form.valid_to:
        return False
    return survey_form_applies(form=form, unit=unit)


def survey_form_for(*, unit, on: dt.date | None = None) -> SurveyForm | None:
    """The form a unit's citizens answer on ``on`` (today by default): the published form in
    force that names the unit or its nearest ancestor; else the newest one that applies
    everywhere. Among equals the latest start of validity, then the highest version, wins."""
    on = on or timezone.localdate()
    in_force = SurveyForm.objects.filter(is_published=True).filter(in_force_q(on))
    newest = (F("valid_from").desc(nulls_last=True), "-version", "-id")
    specific = (
        in_force.filter(units__path__in=unit.ancestors_and_self_paths())
        .annotate(depth=Max(Length("units__path")))
        .order_by("-depth", *newest)
        .first()
    )
    if specific is not None:
        return specific
    return in_force.filter(units__isnull=True).order_by(*newest).first()


def _with_structure(qs: QuerySet[SurveyForm]) -> QuerySet[SurveyForm]:
    return qs.prefetch_related(
        Prefetch(
            "areas",
            queryset=Area.objects.order_by("order", "id").prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id"))
            ),
        ),
        Prefetch("extra_questions", queryset=ExtraQuestion.objects.order_by("order", "id")),
    )


def survey_form_structure(*, form: SurveyForm) -> SurveyForm:
    """The form with its areas, criteria and extra questions loaded (three queries more)."""
    return _with_structure(SurveyForm.objects.all()).get(pk=form.pk)


def survey_forms_published() -> QuerySet[SurveyForm]:
    """Published form versions with their structure and units, a fixed number of queries for
    any number of forms. Forms hold no personal data: every signed-in user may read them."""
    return _with_structure(SurveyForm.objects.filter(is_published=True)).prefetch_related("units")


def kiosk_devices_visible(*, user) -> QuerySet[KioskDevice]:
    return KioskDevice.objects.filter(
        unit_scope_q(user=user, prefix="desk__unit__")
    ).select_related("desk", "desk__unit")


def answers_behind(
    *, responses_queryset, criterion_code: str, value: int | str | None = "any"
) -> QuerySet[Answer]:
    """The answers behind a criterion's figure (R-IND-5): all of them, or those with one value,
    ``"na"`` (not applicable) or ``None`` (blank). Pass the same responses as the index."""
    qs = Answer.objects.filter(
        response__in=responses_queryset.order_by().values("pk"), criterion__code=criterion_code
    ).select_related("response", "response__desk", "criterion")
    if value is None:
        qs = qs.filter(value__isnull=True, not_applicable=False)
    elif value == NOT_APPLICABLE:
        qs = qs.filter(not_applicable=True)
    elif value != "any":
        qs = qs.filter(value=value)
    return qs.order_by("response__submitted_at", "response_id")


# What ``responses_with_answer`` accepts besides a value on the scale.
ANSWER_ANY = "any"
ANSWER_VALID = "valid"
ANSWER_SATISFIED = "satisfied"
ANSWER_BLANK = "blank"


def answer_value_q(answer: int | str) -> Q:
    """A ``Q`` on ``Answer`` for one figure of a criterion (R-IND-5): ``"any"``, ``"valid"``
    (a value on the scale: the index's denominator), ``"satisfied"`` (its numerator, per the
    form's scale), ``"na"``, ``"blank"``, or one value."""
    if answer == ANSWER_ANY:
        return Q()
    if answer == ANSWER_VALID:
        return Q(value__isnull=False)
    if answer == ANSWER_BLANK:
        return Q(value__isnull=True, not_applicable=False)
    if answer == NOT_APPLICABLE:
        return Q(not_applicable=True)
    if answer == ANSWER_SATISFIED:
        q = Q(pk__in=[])
        for scale, levels in SATISFIED_LEVELS.items():
            if levels:
                q |= Q(criterion__area__form__scale=scale, value__in=levels)
        return q
    return Q(value=parse_int(answer))  # ValueError for anything but ASCII digits


def responses_with_answer(
    qs: QuerySet[Response], *, criterion_code: str, answer: int | str = ANSWER_ANY
) -> QuerySet[Response]:
    """The responses whose answer to the criterion matches ``answer`` (see ``answer_value_q``);
    with the same responses as an index, their count is the figure's count (R-IND-5)."""
    return qs.filter(
        Exists(
            Answer.objects.filter(
                answer_value_q(answer), response=OuterRef("pk"), criterion__code=criterion_code
            )
        )
    )


def responses_with_option(
    qs: QuerySet[Response], *, question_code: str, option: str | None = None
) -> QuerySet[Response]:
    """The responses that chose ``option`` for an extra question, or any option."""
    answers = ExtraAnswer.objects.filter(response=OuterRef("pk"), question__code=question_code)
    if option is not None:
        answers = answers.filter(option=option)
    return qs.filter(Exists(answers))


# --- invitations, kiosks and what a sheet may still be entered for -------------------------
def invitation_by_token(token: str, *, at: dt.datetime, lock: bool = False) -> Invitation:
    """The usable invitation behind a token, with its dossier, unit and desk, or
    ``SurveyLinkInvalid`` with the code ``forged``, ``used`` or ``expired``. With ``lock`` the
    invitation row is locked for the caller's transaction (a double submit waits, then finds
    the link used)."""
    digest = token_check(token, salt=INVITATION_SALT)
    if digest is None:
        raise SurveyLinkInvalid("forged")
    return _usable_invitation({"token_hash": digest}, at=at, lock=lock)


def _usable_invitation(lookup: dict, *, at: dt.datetime, lock: bool) -> Invitation:
    qs = Invitation.objects.select_related("dossier", "dossier__unit", "dossier__desk")
    if lock:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(**lookup).first()
    if invitation is None:  # never issued, or replaced by a newer token
        raise SurveyLinkInvalid("forged")
    if invitation.used_at is not None:
        raise SurveyLinkInvalid("used")
    if invitation.expires_at <= at:
        raise SurveyLinkInvalid("expired")
    return invitation


def invitation_by_code(code: str, *, at: dt.datetime, lock: bool = False) -> Invitation:
    """The usable invitation behind a short code typed at the front door (spaces, dashes and
    letter case ignored), exactly as ``invitation_by_token`` for its link: the same refusals
    (``SurveyLinkInvalid``), the same lock. A code of the wrong shape costs no query."""
    typed = short_code_normalise(code)
    if len(typed) != SHORT_CODE_LENGTH or any(ch not in SHORT_CODE_ALPHABET for ch in typed):
        raise SurveyLinkInvalid("forged")
    return _usable_invitation({"code_hash": invitation_code_hash(typed)}, at=at, lock=lock)


def invitation_resolve_code(code: str, *, at: dt.datetime | None = None) -> Invitation:
    """``invitation_resolve`` for a short code."""
    return invitation_by_code(code, at=at or timezone.now())


def invitation_resolve(token: str, *, at: dt.datetime | None = None) -> Invitation:
    """The invitation behind a token, or ``SurveyLinkInvalid`` with the code ``forged``,
    ``used`` or ``expired`` (the message is the same for all three)."""
    return invitation_by_token(token, at=at or timezone.now())


def kiosk_device_resolve(device_token: str) -> KioskDevice:
    """The active device behind a token, or ``KioskDeviceInvalid`` (``unknown``/``revoked``)."""
    digest = token_check(device_token, salt=KIOSK_SALT)
    if digest is None:
        raise KioskDeviceInvalid("unknown")
    device = KioskDevice.objects.select_related("desk", "desk__unit").filter(token_hash=digest)
    device = device.first()
    if device is None:
        raise KioskDeviceInvalid("unknown")
    if not device.is_active or device.revoked_at is not None or not device.desk.is_active:
        raise KioskDeviceInvalid("revoked")
    return device


def dossier_answered(*, dossier) -> bool:
    """Whether the dossier's applicant has answered (one response per dossier, R-SUR-2)."""
    return Response.objects.filter(dossier=dossier).exists()


def paper_serial_used(*, desk, serial: str) -> bool:
    """Whether a paper sheet with this serial number was entered at the desk already."""
    return Response.objects.filter(desk=desk, paper_serial=serial).exists()


def dossiers_to_invite(*, user):
    """Returned dossiers of the user's units whose applicant has not answered yet, latest
    return first: those a printed invitation can be for."""
    return dossier_selectors.dossiers_returned(user=user).filter(survey_responses__isnull=True)


# --- counting for reports (R-SUR-3, R-IND-2, R-IND-5) --------------------------------------
# The tallies of one criterion that the reports keep per unit and day: numerator and
# denominator of its index (``answer_value_q``, the same rule as the lists behind the figures),
# not applicable, blank, and the count of each value, so ``surveys.indices`` recomputes every
# figure exactly from summed tallies.
TALLY_LEVELS = tuple(range(0, 11))  # the widest scale (0–10); the database holds no other values
TALLY_COUNTS = {
    "valid": answer_value_q(ANSWER_VALID),
    "satisfied": answer_value_q(ANSWER_SATISFIED),
    "not_applicable": Q(not_applicable=True),
    "blank": answer_value_q(ANSWER_BLANK),
    **{f"level_{v}": Q(value=v) for v in TALLY_LEVELS},
}


def answer_tallies_grouped(*, start: dt.datetime, end: dt.datetime, units=None, days=None):
    """Tallies per (unit, local day of the answer, form version, criterion) in one grouped query
    (a values queryset with ``unit_id``, ``day``, ``form_id``, ``criterion_id`` and ``n_<name>``
    for each of ``TALLY_COUNTS``). ``units``: ids or a queryset of ids; ``days``: local days
    to keep."""
    answers = Answer.objects.filter(
        response__submitted_at__gte=start, response__submitted_at__lt=end
    )
    if units is not None:
        answers = answers.filter(response__unit_id__in=units)
    answers = answers.annotate(
        day=TruncDate("response__submitted_at", tzinfo=timezone.get_default_timezone())
    )
    if days is not None:
        answers = answers.filter(day__in=days)
    # Annotations get a prefix: "not_applicable" is also a field of Answer that the filters use.
    return (
        answers.values(
            "criterion_id", "day", unit_id=F("response__unit_id"), form_id=F("response__form_id")
        )
        .annotate(**{f"n_{name}": Count("id", filter=q) for name, q in TALLY_COUNTS.items()})
        .order_by()
    )


def responses_grouped(*, start: dt.datetime, end: dt.datetime, units=None, days=None):
    """Responses per (unit, local day, form version): ``n_responses`` (the sample size)."""
    responses = Response.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if units is not None:
        responses = responses.filter(unit_id__in=units)
    responses = responses.annotate(
        day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone())
    )
    if days is not None:
        responses = responses.filter(day__in=days)
    return (
        responses.values("unit_id", "day", "form_id").annotate(n_responses=Count("id")).order_by()
    )


def response_bucket(*, pk) -> tuple[int, dt.datetime] | None:
    """(unit id, submitted at) of a response, or None: where its answers are counted."""
    row = Response.objects.filter(pk=pk).values_list("unit_id", "submitted_at").first()
    return tuple(row) if row else None


def first_response_at() -> dt.datetime | None:
    """The moment of the oldest response."""
    return Response.objects.aggregate(m=Min("submitted_at"))["m"]


# --- reads for the staff scorecards (reports.evaluations.scorecards, R-FB-4) ---------------
def responses_about_dossiers_received_by(
    *, unit, user_ids, start: dt.datetime, end: dt.datetime
) -> QuerySet[Response]:
    """Responses submitted in [start, end) about the unit's dossiers that ``user_ids``
    received."""
    return Response.objects.filter(
        dossier__unit=unit,
        dossier__received_by_id__in=user_ids,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )


def answer_tallies_per_receiver(*, responses: QuerySet[Response]):
    """The tallies of the answers of ``responses`` per receiver of their dossier
    (``response__dossier__received_by_id``) and criterion (``criterion__code``), in one grouped
    query: ``na`` (not applicable), ``blank`` and ``v<value>`` for each of ``TALLY_LEVELS``,
    counted by ``TALLY_COUNTS``' rules."""
    return (
        Answer.objects.filter(response__in=responses.values("pk"))
        .values("response__dossier__received_by_id", "criterion__code")
        .annotate(
            na=Count("id", filter=TALLY_COUNTS["not_applicable"]),
            blank=Count("id", filter=TALLY_COUNTS["blank"]),
            **{f"v{v}": Count("id", filter=TALLY_COUNTS[f"level_{v}"]) for v in TALLY_LEVELS},
        )
        .order_by()
    )
