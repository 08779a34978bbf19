"""Reads of surveys shared by pages, the API and reports. Lists of responses are always scoped to
the user's units (R-UNIT-3), so every figure can be traced to the answers behind it (R-IND-5)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from portal.selectors import unit_scope_q
from surveys.models import (
    NOT_APPLICABLE,
    Answer,
    Area,
    Criterion,
    ExtraQuestion,
    KioskDevice,
    Response,
    SurveyForm,
)


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
    qs = responses_visible(user=user)
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


def _in_force(on: dt.date) -> tuple[Q, Q]:
    return (
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )


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
    in_force = SurveyForm.objects.filter(is_published=True).filter(*_in_force(on))
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


def survey_form_structure(*, form: SurveyForm) -> SurveyForm:
    """The form with its areas, criteria and extra questions loaded (three queries more)."""
    return SurveyForm.objects.prefetch_related(
        Prefetch(
            "areas",
            queryset=Area.objects.order_by("order", "id").prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id"))
            ),
        ),
        Prefetch("extra_questions", queryset=ExtraQuestion.objects.order_by("order", "id")),
    ).get(pk=form.pk)


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
