"""REST API of the satisfaction surveys (R-SUR-1..3, R-IND-2, R-IND-5).

Three kinds of caller:

* **citizens**, without an account, through the token of their invitation
  (``/surveys/by-token/{token}/``): read the form, answer once. An expired, used or forged
  token gets one and the same 404, so probing tells nothing; submissions are rate-limited per
  client IP (scope ``survey_submit``, setting ``SURVEY_API_RATE``).
* **kiosks** at a desk, with the device token in ``Authorization: Kiosk <token>``
  (``/surveys/kiosk/``): anonymous walk-in answers for the device's desk. An unknown or revoked
  device gets one and the same 403; submissions are rate-limited per device (scope
  ``survey_kiosk``, setting ``SURVEY_KIOSK_RATE``).
* **staff**, signed in: the published forms, the responses of their units (R-UNIT-3 through
  ``surveys.selectors``) and the indices (``surveys.indices``), where every figure carries the
  URL of the responses behind it (R-IND-5).

Writes go through ``surveys.services``; the rules (scale, one answer per dossier, form in force)
live there and their errors reach the client through ``portal.api_errors``.
"""

import dataclasses
import logging
from urllib.parse import urlencode

from django import forms as django_forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from portal.api import INVALID_FILTER, NOT_AUTHENTICATED, IdFilter, read_only_schema
from portal.api_errors import ErrorSerializer
from portal.parsers import BoundedJSONParser
from portal.selectors import desks_visible, visible_units
from portal.strict_input import (
    BoundedDateFilter,
    BoundedDateSerializerField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from portal.throttling import AnonRateThrottle, ScopedRateThrottle
from surveys import selectors, services, validation
from surveys.exceptions import FormNotAvailable, KioskDeviceInvalid, SurveyLinkInvalid
from surveys.indices import indices_by_form
from surveys.kiosk_auth import IsKiosk, KioskAuthentication, KioskDeviceThrottle, KioskRefused
from surveys.models import (
    NOT_APPLICABLE,
    SATISFIED_LEVELS,
    AgeBand,
    Answer,
    Area,
    Criterion,
    Education,
    ExtraAnswer,
    ExtraQuestion,
    Gender,
    Occupation,
    Response,
    SurveyForm,
)

logger = logging.getLogger(__name__)

PUBLIC_TAG = "surveys (citizens and kiosks)"
STAFF_TAG = "surveys (staff)"

# ===========================================================================================
# Forms (R-SUR-1)
# ===========================================================================================


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string", "enum": [NOT_APPLICABLE]}],
        "description": _("A value on the scale, or “na” for “not applicable”."),
    }
)
class ScaleValueField(serializers.Field):
    """A value of a form's scale as stored in ``scale_labels``: a number or ``"na"``."""

    def to_representation(self, value):
        return value

    def to_internal_value(self, data):  # pragma: no cover - read-only use
        return data


class SurveyScaleLabelSerializer(serializers.Serializer):
    value = ScaleValueField()
    label_vi = serializers.CharField()
    label_en = serializers.CharField(allow_blank=True, default="")


class SurveyOptionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_vi = serializers.CharField()
    label_en = serializers.CharField(allow_blank=True, default="")


class SurveyCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "code", "text_vi", "text_en", "order"]
        read_only_fields = fields


class SurveyAreaSerializer(serializers.ModelSerializer):
    criteria = SurveyCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Area
        fields = ["id", "code", "name_vi", "name_en", "order", "criteria"]
        read_only_fields = fields


class SurveyExtraQuestionSerializer(serializers.ModelSerializer):
    options = SurveyOptionSerializer(many=True, read_only=True)

    class Meta:
        model = ExtraQuestion
        fields = ["id", "code", "text_vi", "text_en", "kind", "options", "order"]
        read_only_fields = fields


class SurveyFormSerializer(serializers.ModelSerializer):
    """A form version as a respondent answers it: answers are keyed by criterion ``id``,
    extra answers by question ``id``."""

    scale_min = serializers.IntegerField(read_only=True, help_text=_("Lowest value."))
    scale_max = serializers.IntegerField(read_only=True, help_text=_("Highest value."))
    allows_not_applicable = serializers.BooleanField(
        read_only=True, help_text=_("Whether “na” (not applicable) is an accepted answer.")
    )
    scale_labels = SurveyScaleLabelSerializer(many=True, read_only=True)
    areas = SurveyAreaSerializer(many=True, read_only=True)
    extra_questions = SurveyExtraQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyForm
        fields = [
            "id",
            "code",
            "version",
            "name_vi",
            "name_en",
            "scale",
            "scale_min",
            "scale_max",
            "allows_not_applicable",
            "scale_labels",
            "areas",
            "extra_questions",
        ]
        read_only_fields = fields


class StaffSurveyFormSerializer(SurveyFormSerializer):
    units = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text=_("Ids of the units the form applies to (with descendants); empty: everywhere."),
    )

    class Meta(SurveyFormSerializer.Meta):
        fields = [
            *SurveyFormSerializer.Meta.fields,
            "is_published",
            "valid_from",
            "valid_to",
            "units",
        ]
        read_only_fields = fields


class SurveyFormFilter(filters.FilterSet):
    code = filters.CharFilter(help_text=_("Code of the form (all its published versions)."))

    class Meta:
        model = SurveyForm
        fields = ["code"]


NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer, description=_("No such object, or not one of yours.")
)


@read_only_schema(
    StaffSurveyFormSerializer,
    list_summary=_("List the published survey forms"),
    retrieve_summary=_("One published survey form"),
    not_found=NOT_FOUND,
    tags=[STAFF_TAG],
)
class SurveyFormViewSet(viewsets.ReadOnlyModelViewSet):
    """Published survey form versions (R-SUR-1) with areas, criteria, scale and extra
    questions. Forms are the same for every unit's staff, so the list is not scoped."""

    serializer_class = StaffSurveyFormSerializer
    filterset_class = SurveyFormFilter

    def get_queryset(self):
        return selectors.survey_forms_published().order_by("code", "-version", "id")


# ===========================================================================================
# Answering (R-SUR-2)
# ===========================================================================================


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "nullable": True,
        "description": _(
            "A value on the form's scale (1–5, or 0–10), “na” for “not applicable” where "
            "the scale allows it, or null for blank."
        ),
    }
)
class AnswerValueField(serializers.Field):
    """Passed to the service as given; the service checks it against the form's scale."""

    def to_representation(self, value):  # pragma: no cover - write-only use
        return value

    def to_internal_value(self, data):
        return data


def _choice_list(choices):
    return [{"value": value, "label": str(label)} for value, label in choices]


class SurveyChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class SurveyRespondentOptionsSerializer(serializers.Serializer):
    """The accepted values of the optional respondent fields, labelled in the request's
    language."""

    gender = SurveyChoiceSerializer(many=True)
    age_band = SurveyChoiceSerializer(many=True)
    education = SurveyChoiceSerializer(many=True)
    occupation = SurveyChoiceSerializer(many=True)


def respondent_options():
    return {
        "gender": _choice_list(Gender.choices),
        "age_band": _choice_list(AgeBand.choices),
        "education": _choice_list(Education.choices),
        "occupation": _choice_list(Occupation.choices),
    }


class SurveyRespondentSerializer(serializers.Serializer):
    """Optional facts about the respondent (R-SUR-1); all may be left out."""

    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    occupation = serializers.ChoiceField(
        choices=Occupation.choices, required=False, allow_blank=True
    )
    procedure = StrictIntegerField(
        required=False,
        allow_null=True,
        help_text=_("Id of the procedure used; by default the dossier's own."),
    )


class SurveySubmissionSerializer(serializers.Serializer):
    """The filled-in form. Only the shape is checked here; the service checks the answers
    against the form (scale, criteria of this version, options) and refuses the whole
    submission when one is wrong."""

    form = StrictPrimaryKeyRelatedField(
        queryset=SurveyForm.objects.filter(is_published=True),
        required=False,
        allow_null=True,
        help_text=_(
            "Id of the form version answered, as read from the GET of this endpoint. Left "
            "out: the form in force at the unit today."
        ),
    )
    answers = serializers.DictField(
        child=AnswerValueField(allow_null=True),
        required=False,
        default=dict,
        help_text=_(
            "By criterion id. Criteria left out are stored as blank; at least one question "
            "must be answered."
        ),
    )
    extras = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True),
        required=False,
        default=dict,
        help_text=_("Option code by extra question id; null or empty to skip a question."),
    )
    respondent = SurveyRespondentSerializer(required=False)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=validation.COMMENT_MAX
    )

    def service_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "form": data.get("form"),
            "answers": data.get("answers") or {},
            "extras": data.get("extras") or {},
            "respondent": data.get("respondent") or {},
            "comment": data.get("comment") or "",
        }


# The channels a citizen may claim through a token (named in ENUM_NAME_OVERRIDES).
LINK_CHANNELS = [
    (Response.Channel.LINK.value, Response.Channel.LINK.label),
    (Response.Channel.QR.value, Response.Channel.QR.label),
]


class SurveyTokenSubmissionSerializer(SurveySubmissionSerializer):
    channel = serializers.ChoiceField(
        choices=LINK_CHANNELS,
        required=False,
        default=Response.Channel.LINK,
        help_text=_("How the citizen reached the form: the link in a message, or the QR code."),
    )

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "channel": self.validated_data["channel"]}


class SurveySubmissionReceiptSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("A thank-you message in the request's language."))
    channel = serializers.ChoiceField(choices=Response.Channel.choices)
    submitted_at = serializers.DateTimeField()


def _receipt(response: Response):
    return ApiResponse(
        SurveySubmissionReceiptSerializer(
            {
                "detail": _("Thank you. Your answers have been recorded."),
                "channel": response.channel,
                "submitted_at": response.submitted_at,
            }
        ).data,
        status=status.HTTP_201_CREATED,
    )


def _form_in_force(*, unit) -> SurveyForm:
    form = selectors.survey_form_for(unit=unit)
    if form is None:
        raise FormNotAvailable(_("No survey form is published for this unit."))
    return selectors.survey_form_structure(form=form)


# --- by token (link and QR code) ---------------------------------------------------------


class SurveyInvitedDossierSerializer(serializers.Serializer):
    """What the citizen is asked about; nothing personal."""

    code = serializers.CharField(help_text=_("Dossier code."))
    procedure = serializers.CharField(help_text=_("Name of the procedure."))
    unit = serializers.CharField(help_text=_("Name of the unit."))
    desk = serializers.CharField(help_text=_("Name of the service desk."))


class SurveyInvitationFormSerializer(serializers.Serializer):
    dossier = SurveyInvitedDossierSerializer()
    expires_at = serializers.DateTimeField(help_text=_("The link works until then, once."))
    form = SurveyFormSerializer()
    respondent_options = SurveyRespondentOptionsSerializer()


LINK_UNUSABLE = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "The token was never issued, was replaced, has expired or was used: the same answer "
        "in every case (code `survey_link_invalid`)."
    ),
)
TOO_MANY = OpenApiResponse(response=ErrorSerializer, description=_("Too many requests."))
REFUSED_ANSWERS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        "The answers were refused and nothing was stored: `{detail, code, fields}` from the "
        "service (e.g. `out_of_scale`, `foreign_criterion`, `empty`, "
        "`form_not_available`), or messages by field for a malformed body."
    ),
)


def _link_unusable(exc: SurveyLinkInvalid) -> SurveyLinkInvalid:
    """The one public answer for every unusable link; the reason only goes to the log."""
    logger.info("survey link refused (%s)", exc.code)
    return SurveyLinkInvalid(code="survey_link_invalid")


@extend_schema_view(
    get=extend_schema(
        summary=_("The survey a citizen is invited to answer"),
        description=_(
            "Public, no sign-in: the token of the invitation (link or QR code, R-SUR-2) is "
            "the credential. Answers the form in force at the dossier's unit."
        ),
        tags=[PUBLIC_TAG],
        auth=[],
        responses={
            200: SurveyInvitationFormSerializer,
            400: OpenApiResponse(
                response=ErrorSerializer,
                description=_("No survey form is published for the unit."),
            ),
            404: LINK_UNUSABLE,
            429: TOO_MANY,
        },
    ),
    post=extend_schema(
        summary=_("Answer the survey of a dossier (once)"),
        description=_(
            "Public, no sign-in, rate-limited per client IP (`SURVEY_API_RATE`). The token "
            "works once: afterwards it answers 404 like an unknown one."
        ),
        tags=[PUBLIC_TAG],
        auth=[],
        request=SurveyTokenSubmissionSerializer,
        responses={
            201: SurveySubmissionReceiptSerializer,
            400: REFUSED_ANSWERS,
            404: LINK_UNUSABLE,
            409: OpenApiResponse(
                response=ErrorSerializer,
                description=_("The dossier has been answered already (`already_answered`)."),
            ),
            429: TOO_MANY,
        },
    ),
)
class SurveyByTokenView(APIView):
    # The token in the URL is the only credential: no session (so no CSRF check either).
    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [BoundedJSONParser]
    throttle_scope = "survey_submit"

    def get_throttles(self):
        if self.request.method == "POST":
            return [ScopedRateThrottle()]  # per client IP, scope survey_submit
        return [AnonRateThrottle()]

    def get(self, request, token: str):
        try:
            invitation = selectors.invitation_resolve(token)
        except SurveyLinkInvalid as exc:
            raise _link_unusable(exc) from None
        dossier = invitation.dossier
        data = {
            "dossier": {
                "code": dossier.code,
                "procedure": dossier.procedure.name,
                "unit": dossier.unit.name,
                "desk": dossier.desk.name,
            },
            "expires_at": invitation.expires_at,
            "form": _form_in_force(unit=dossier.unit),
            "respondent_options": respondent_options(),
        }
        return ApiResponse(SurveyInvitationFormSerializer(data).data)

    def post(self, request, token: str):
        serializer = SurveyTokenSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            response = services.response_submit_by_token(token=token, **serializer.service_kwargs())
        except SurveyLinkInvalid as exc:
            raise _link_unusable(exc) from None
        return _receipt(response)


# --- kiosk ----------------------------------------------------------------------------------


class SurveyKioskDeskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField(help_text=_("Name of the desk's unit."))


class SurveyKioskFormSerializer(serializers.Serializer):
    desk = SurveyKioskDeskSerializer()
    form = SurveyFormSerializer()
    respondent_options = SurveyRespondentOptionsSerializer()


KIOSK_NO_CREDENTIALS = OpenApiResponse(
    response=ErrorSerializer,
    description=_("No `Authorization: Kiosk …` header (with `WWW-Authenticate: Kiosk`)."),
)
KIOSK_REFUSED = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "Unknown, malformed or revoked device token: the same answer in every case "
        "(code `kiosk_refused`)."
    ),
)


@extend_schema_view(
    get=extend_schema(
        summary=_("The survey shown on a kiosk"),
        description=_("The form in force at the kiosk's desk, for anonymous walk-ins."),
        tags=[PUBLIC_TAG],
        responses={
            200: SurveyKioskFormSerializer,
            400: OpenApiResponse(
                response=ErrorSerializer,
                description=_("No survey form is published for the unit."),
            ),
            401: KIOSK_NO_CREDENTIALS,
            403: KIOSK_REFUSED,
        },
    ),
    post=extend_schema(
        summary=_("Record an anonymous walk-in answer at a kiosk"),
        description=_(
            "Stored with channel `kiosk` for the device's desk (R-SUR-2); rate-limited per "
            "device (`SURVEY_KIOSK_RATE`)."
        ),
        tags=[PUBLIC_TAG],
        request=SurveySubmissionSerializer,
        responses={
            201: SurveySubmissionReceiptSerializer,
            400: REFUSED_ANSWERS,
            401: KIOSK_NO_CREDENTIALS,
            403: KIOSK_REFUSED,
            429: TOO_MANY,
        },
    ),
)
class KioskSurveyView(APIView):
    authentication_classes = [KioskAuthentication]
    permission_classes = [IsKiosk]
    parser_classes = [BoundedJSONParser]

    def get_throttles(self):
        return [KioskDeviceThrottle()] if self.request.method == "POST" else []

    def get(self, request):
        desk = request.auth.device.desk
        data = {
            "desk": {"id": desk.pk, "name": desk.name, "unit": desk.unit.name},
            "form": _form_in_force(unit=desk.unit),
            "respondent_options": respondent_options(),
        }
        return ApiResponse(SurveyKioskFormSerializer(data).data)

    def post(self, request):
        serializer = SurveySubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            response = services.response_submit_kiosk(
                device_token=request.auth.token, **serializer.service_kwargs()
            )
        except KioskDeviceInvalid:  # revoked between authentication and the write
            raise KioskRefused() from None
        return _receipt(response)


# ===========================================================================================
# Responses (staff, scoped by unit)
# ===========================================================================================

# Values of the ``answer`` filter: a figure of a criterion (see selectors.answer_value_q).
ANSWER_CHOICES = [
    (selectors.ANSWER_VALID, _("a value on the scale (the index's denominator)")),
    (selectors.ANSWER_SATISFIED, _("satisfied or very satisfied (the index's numerator)")),
    (NOT_APPLICABLE, _("not applicable")),
    (selectors.ANSWER_BLANK, _("left blank")),
    *[(str(v), str(v)) for v in range(0, 11)],
]


class SurveyAnswerSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code", read_only=True)

    class Meta:
        model = Answer
        fields = ["criterion", "criterion_code", "value", "not_applicable"]
        read_only_fields = fields


class SurveyExtraAnswerSerializer(serializers.ModelSerializer):
    question_code = serializers.CharField(source="question.code", read_only=True)

    class Meta:
        model = ExtraAnswer
        fields = ["question", "question_code", "option"]
        read_only_fields = fields


class SurveyResponseSerializer(serializers.ModelSerializer):
    form_code = serializers.CharField(source="form.code", read_only=True)
    form_version = serializers.IntegerField(source="form.version", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    desk_name = serializers.CharField(source="desk.name", read_only=True)
    dossier_code = serializers.CharField(
        source="dossier.code", read_only=True, allow_null=True, default=None
    )
    answers = SurveyAnswerSerializer(many=True, read_only=True)
    extra_answers = SurveyExtraAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "form",
            "form_code",
            "form_version",
            "unit",
            "unit_name",
            "desk",
            "desk_name",
            "channel",
            "dossier",
            "dossier_code",
            "kiosk_device",
            "paper_serial",
            "gender",
            "age_band",
            "education",
            "occupation",
            "procedure",
            "comment",
            "submitted_at",
            "created_at",
            "entered_by",
            "answers",
            "extra_answers",
        ]
        read_only_fields = fields


class SurveyResponseFilterForm(django_forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("answer") and not data.get("criterion"):
            self.add_error("answer", _("Say which criterion with “criterion”."))
        if data.get("option") and not data.get("question"):
            self.add_error("option", _("Say which question with “question”."))
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("The end of the period is before its start."))
        return data


class SurveyResponseFilter(filters.FilterSet):
    """Filters combine with AND and narrow exactly as the indices do, so a figure's link lists
    the responses it was computed from (R-IND-5)."""

    unit = IdFilter(
        help_text=_(
            "Id of a unit: its responses and those of its descendants. A unit you cannot see "
            "gives an empty list."
        )
    )
    desk = IdFilter(help_text=_("Id of a service desk."))
    form = filters.CharFilter(help_text=_("Code of the form (all its versions)."))
    channel = filters.ChoiceFilter(choices=Response.Channel.choices, help_text=_("Channel."))
    submitted_from = BoundedDateFilter(
        input_formats=["%Y-%m-%d"],
        help_text=_("Answered on or after this day (YYYY-MM-DD, local time)."),
    )
    submitted_to = BoundedDateFilter(
        input_formats=["%Y-%m-%d"],
        help_text=_("Answered on or before this day (YYYY-MM-DD, local time)."),
    )
    criterion = filters.CharFilter(
        help_text=_("Code of a criterion: responses with an answer to it (see “answer”).")
    )
    answer = filters.ChoiceFilter(
        choices=ANSWER_CHOICES,
        help_text=_("With “criterion”: only responses whose answer to it is this."),
    )
    question = filters.CharFilter(
        help_text=_("Code of an extra question: responses that chose an option of it.")
    )
    option = filters.CharFilter(help_text=_("With “question”: only this option."))

    class Meta:
        model = Response
        fields = []
        form = SurveyResponseFilterForm

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        unit = None
        if data.get("unit") is not None:
            unit = visible_units(user=self.request.user).filter(pk=data["unit"]).first()
            if unit is None:
                return queryset.none()
        queryset = selectors.responses_narrowed(
            queryset,
            unit=unit,
            desk=data.get("desk"),
            date_from=data.get("submitted_from"),
            date_to=data.get("submitted_to"),
            channel=data.get("channel") or None,
            form_code=data.get("form") or None,
        )
        if data.get("criterion"):
            queryset = selectors.responses_with_answer(
                queryset,
                criterion_code=data["criterion"],
                answer=data.get("answer") or selectors.ANSWER_ANY,
            )
        if data.get("question"):
            queryset = selectors.responses_with_option(
                queryset, question_code=data["question"], option=data.get("option") or None
            )
        return queryset


@read_only_schema(
    SurveyResponseSerializer,
    list_summary=_("List the survey responses of your units"),
    retrieve_summary=_("One survey response of your units"),
    not_found=NOT_FOUND,
    tags=[STAFF_TAG],
)
class SurveyResponseViewSet(viewsets.ReadOnlyModelViewSet):
    """Survey responses (R-SUR-2) of the units the caller's roles cover (R-UNIT-3), newest
    first, with their answers."""

    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilter

    def get_queryset(self):
        return (
            selectors.responses_visible(user=self.request.user)
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.select_related("criterion")),
                Prefetch("extra_answers", queryset=ExtraAnswer.objects.select_related("question")),
            )
            .order_by("-submitted_at", "-id")
        )


# ===========================================================================================
# Indices (R-SUR-3, R-IND-2, R-IND-5)
# ===========================================================================================


class IndicesQuerySerializer(serializers.Serializer):
    unit = StrictIntegerField(
        required=False,
        help_text=_("Id of a unit: its responses and its descendants'. Not yours: 404."),
    )
    desk = StrictIntegerField(required=False, help_text=_("Id of a service desk. Not yours: 404."))
    date_from = BoundedDateSerializerField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=_("First day of the period (YYYY-MM-DD, local time)."),
    )
    date_to = BoundedDateSerializerField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=_("Last day of the period, included (YYYY-MM-DD)."),
    )
    form = serializers.CharField(
        required=False, help_text=_("Code of a form; by default every form answered.")
    )
    channel = serializers.ChoiceField(
        choices=Response.Channel.choices, required=False, help_text=_("Only this channel.")
    )

    # ``from`` and ``to`` are Python keywords: the fields are declared under other names and
    # exposed under these.
    RENAMED = {"date_from": "from", "date_to": "to"}

    def get_fields(self):
        fields = super().get_fields()
        for old, new in self.RENAMED.items():
            fields[new] = fields.pop(old)
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError(
                {"to": [_("The end of the period is before its start.")]}
            )
        return attrs


class SurveyFigureLinksSerializer(serializers.Serializer):
    responses = serializers.URLField(help_text=_("The responses behind the figure."))


class SurveyCriterionLinksSerializer(SurveyFigureLinksSerializer):
    valid = serializers.URLField(help_text=_("Responses with a value on the scale."))
    satisfied = serializers.URLField(
        allow_null=True,
        help_text=_("Responses satisfied or very satisfied; null on a 0–10 score form."),
    )
    not_applicable = serializers.URLField()
    blank = serializers.URLField()


class SurveyDistributionItemSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    count = serializers.IntegerField()
    url = serializers.URLField(help_text=_("The responses with this value."))


class SurveyCriterionIndexSerializer(serializers.Serializer):
    code = serializers.CharField()
    text_vi = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True)
    index = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Satisfied and very satisfied ÷ valid answers × 100, not rounded; null without "
            "valid answers or on a 0–10 score form."
        ),
    )
    valid = serializers.IntegerField(help_text=_("Valid answers: the sample size."))
    satisfied = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    blank = serializers.IntegerField()
    mean_score = serializers.FloatField(allow_null=True, help_text=_("Mean of the values."))
    distribution = SurveyDistributionItemSerializer(many=True)
    links = SurveyCriterionLinksSerializer()


class SurveyAreaIndexSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    index = serializers.FloatField(
        allow_null=True, help_text=_("Unweighted mean of the criteria indices that exist.")
    )
    criteria_counted = serializers.IntegerField(help_text=_("Criteria that entered the mean."))
    valid = serializers.IntegerField(help_text=_("Valid answers over its criteria."))
    criteria = SurveyCriterionIndexSerializer(many=True)
    links = SurveyFigureLinksSerializer()


class SurveyOptionShareSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_vi = serializers.CharField(allow_blank=True)
    label_en = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()
    share = serializers.FloatField(
        allow_null=True, help_text=_("Count ÷ responses that answered the question × 100.")
    )
    url = serializers.URLField(help_text=_("The responses that chose this option."))


class SurveyQuestionSharesSerializer(serializers.Serializer):
    code = serializers.CharField()
    text_vi = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True)
    answered = serializers.IntegerField()
    unanswered = serializers.IntegerField()
    options = SurveyOptionShareSerializer(many=True)
    links = SurveyFigureLinksSerializer()


class SurveyFormIndicesSerializer(serializers.Serializer):
    form_code = serializers.CharField()
    form_name_vi = serializers.CharField()
    form_name_en = serializers.CharField(allow_blank=True)
    scale = serializers.CharField()
    responses = serializers.IntegerField(help_text=_("Responses counted: the sample size."))
    small_sample = serializers.BooleanField(
        help_text=_("Fewer responses than the threshold: shown, but to be read with care.")
    )
    small_sample_threshold = serializers.IntegerField()
    aggregation = serializers.CharField(
        help_text=_("How the overall index is made: mean_of_areas or mean_of_criteria.")
    )
    overall = serializers.FloatField(
        allow_null=True, help_text=_("The satisfaction index (five-level forms), not rounded.")
    )
    valid = serializers.IntegerField(help_text=_("Valid answers over all criteria."))
    mean_score = serializers.FloatField(
        allow_null=True, help_text=_("Mean of all valid values (0–10 score forms).")
    )
    areas = SurveyAreaIndexSerializer(many=True)
    questions = SurveyQuestionSharesSerializer(many=True)
    links = SurveyFigureLinksSerializer()


class SurveyIndicesSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True)
    desk = serializers.IntegerField(allow_null=True)
    date_from = serializers.DateField(allow_null=True, help_text=_("First day (as asked)."))
    date_to = serializers.DateField(allow_null=True, help_text=_("Last day (as asked)."))
    form = serializers.CharField(allow_null=True)
    channel = serializers.CharField(allow_null=True)
    results = SurveyFormIndicesSerializer(
        many=True, help_text=_("One result per form answered, by form code.")
    )

    RENAMED = IndicesQuerySerializer.RENAMED

    def get_fields(self):
        fields = super().get_fields()
        for old, new in self.RENAMED.items():
            fields[new] = fields.pop(old)
        return fields


class _Links:
    """Absolute URLs of the staff responses list with the indices' filters plus some more."""

    def __init__(self, request, base: dict):
        self.request = request
        self.base = {k: v for k, v in base.items() if v not in (None, "")}
        self.path = reverse("survey-response-list")

    def __call__(self, **extra) -> str:
        query = urlencode({**self.base, **extra})
        return self.request.build_absolute_uri(f"{self.path}?{query}")


def _indices_payload(result, link: _Links) -> dict:
    form_link = lambda **extra: link(form=result.form_code, **extra)  # noqa: E731
    has_satisfied = bool(SATISFIED_LEVELS.get(result.scale))

    def criterion(c):
        at = lambda answer: form_link(criterion=c.code, answer=answer)  # noqa: E731
        return {
            **{f.name: getattr(c, f.name) for f in dataclasses.fields(c)},
            "distribution": [
                {"value": value, "count": count, "url": at(value)}
                for value, count in c.distribution.items()
            ],
            "links": {
                "responses": form_link(criterion=c.code),
                "valid": at(selectors.ANSWER_VALID),
                "satisfied": at(selectors.ANSWER_SATISFIED) if has_satisfied else None,
                "not_applicable": at(NOT_APPLICABLE),
                "blank": at(selectors.ANSWER_BLANK),
            },
        }

    def question(q):
        return {
            **{f.name: getattr(q, f.name) for f in dataclasses.fields(q)},
            "options": [
                {
                    **dataclasses.asdict(o),
                    "url": form_link(question=q.code, option=o.code),
                }
                for o in q.options
            ],
            "links": {"responses": form_link(question=q.code)},
        }

    return {
        **{f.name: getattr(result, f.name) for f in dataclasses.fields(result)},
        "areas": [
            {
                **{f.name: getattr(a, f.name) for f in dataclasses.fields(a)},
                "criteria": [criterion(c) for c in a.criteria],
                "links": {"responses": form_link()},
            }
            for a in result.areas
        ],
        "questions": [question(q) for q in result.questions],
        "links": {"responses": form_link()},
    }


@extend_schema(
    summary=_("Satisfaction indices of your units"),
    description=_(
        "The indices of R-SUR-3 per form (criterion, area, overall) over the responses of a "
        "unit (with its descendants), desk, period and channel (R-IND-2), with sample sizes, "
        "the small-sample flag, the distribution of answers and the shares of the extra "
        "questions. Every figure links to the staff responses list filtered to the responses "
        "behind it (R-IND-5)."
    ),
    tags=[STAFF_TAG],
    parameters=[IndicesQuerySerializer],
    responses={
        200: SurveyIndicesSerializer,
        400: INVALID_FILTER,
        401: NOT_AUTHENTICATED,
        404: OpenApiResponse(
            response=ErrorSerializer, description=_("The unit or desk is not one of yours.")
        ),
    },
)
class SurveyIndicesView(APIView):
    def get(self, request):
        query = IndicesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        user = request.user
        unit = desk = None
        if "unit" in params:
            unit = visible_units(user=user).filter(pk=params["unit"]).first()
            if unit is None:
                raise exceptions.NotFound()
        if "desk" in params:
            desk = desks_visible(user=user, include_inactive=True).filter(pk=params["desk"]).first()
            if desk is None:
                raise exceptions.NotFound()
        responses = selectors.responses_filtered(
            user=user,
            unit=unit,
            desk=desk,
            date_from=params.get("from"),
            date_to=params.get("to"),
            channel=params.get("channel"),
            form_code=params.get("form"),
        )
        link = _Links(
            request,
            {
                "unit": unit.pk if unit else None,
                "desk": desk.pk if desk else None,
                "submitted_from": params.get("from"),
                "submitted_to": params.get("to"),
                "channel": params.get("channel"),
            },
        )
        results = indices_by_form(responses_queryset=responses)
        data = {
            "unit": unit.pk if unit else None,
            "desk": desk.pk if desk else None,
            "from": params.get("from"),
            "to": params.get("to"),
            "form": params.get("form"),
            "channel": params.get("channel"),
            "results": [_indices_payload(r, link) for r in results.values()],
        }
        return ApiResponse(SurveyIndicesSerializer(data).data)
