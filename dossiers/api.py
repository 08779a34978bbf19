"""REST API of dossiers: the procedure catalogue, dossiers within the caller's units, intake,
one endpoint per lifecycle action, and the printable documents as PDF.

Scoping (R-UNIT-3) comes from ``dossiers.selectors``: a dossier outside the caller's units is
absent from lists and answers 404 everywhere else, like one that does not exist. Staff of the
unit see the applicant's personal data (R-PRIV-1); it never goes into a URL (the search term
``q`` matches dossier codes only) and nothing here logs it.

Every write calls one service of ``dossiers.services`` with ``actor=request.user`` and the
server's time; the service checks roles and the state machine and raises a ``DomainError``
that ``portal.api_errors`` turns into 400/403/409 with a translated ``detail`` and a ``code``.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.lookups import Contains
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from dossiers import exports, selectors, services
from dossiers.models import (
    Classification,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    Pause,
    Procedure,
    Refusal,
    RequiredDocument,
    Reschedule,
    Step,
    Withdrawal,
)
from portal import api_filters
from portal.api import INVALID_FILTER, NOT_AUTHENTICATED, IdFilter, read_only_schema
from portal.api_errors import ErrorSerializer
from portal.api_serializers import FixedModelSerializer
from portal.http import no_store, pdf_response
from portal.models import AdministrativeUnit, Department, ServiceDesk, UnitLevel
from portal.parsers import BoundedJSONParser
from portal.search import FoldAccents, fold_accents
from portal.selectors import desks_visible
from portal.strict_input import (
    BoundedDateFilter,
    BoundedDateSerializerField,
    StrictPrimaryKeyRelatedField,
)
from portal.working_calendar import get_calendar

User = get_user_model()


# --- references to related objects ----------------------------------------------------------
class UnitRefSerializer(FixedModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class DeskRefSerializer(FixedModelSerializer):
    class Meta:
        model = ServiceDesk
        fields = ["id", "name"]
        read_only_fields = fields


class DepartmentRefSerializer(FixedModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name"]
        read_only_fields = fields


class ProcedureRefSerializer(FixedModelSerializer):
    class Meta:
        model = Procedure
        fields = ["id", "code", "name"]
        read_only_fields = fields


class StaffRefSerializer(FixedModelSerializer):
    full_name = serializers.SerializerMethodField(
        help_text=_("Family name first, as Vietnamese names are written.")
    )

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields

    def get_full_name(self, user) -> str:
        return f"{user.last_name} {user.first_name}".strip() or user.get_username()


# --- procedures -----------------------------------------------------------------------------
class RequiredDocumentSerializer(FixedModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "original_required", "quantity", "is_optional", "order"]
        read_only_fields = fields


class ProcedureSerializer(FixedModelSerializer):
    return_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=Procedure.ReturnMode.choices),
        read_only=True,
        help_text=_("Ways the result can be returned."),
    )
    documents = RequiredDocumentSerializer(
        many=True, read_only=True, help_text=_("Documents the applicant hands in, in order.")
    )

    class Meta:
        model = Procedure
        fields = [
            "id",
            "code",
            "name",
            "field",
            "level",
            "time_unit",
            "processing_time",
            "fee_vnd",
            "online_level",
            "return_modes",
            "supplement_clock",
            "is_active",
            "documents",
        ]
        read_only_fields = fields


class ProcedureFilter(filters.FilterSet):
    level = filters.ChoiceFilter(
        choices=UnitLevel.choices, help_text=_("Level of government that handles it.")
    )
    field = filters.CharFilter(help_text=_("Field (lĩnh vực), exactly as catalogued."))
    desk = extend_schema_field(
        {"type": "integer", "description": _("Only procedures offered at this desk.")}
    )(IdFilter(field_name="desks"))
    active = api_filters.BooleanFilter(
        field_name="is_active", help_text=_("Only active (true) or withdrawn (false) procedures.")
    )
    q = filters.CharFilter(
        method="filter_q",
        help_text=_(
            "Part of the name (case and Vietnamese diacritics ignored) or of the national code."
        ),
    )

    class Meta:
        model = Procedure
        fields = ["level", "field", "desk", "active", "q"]

    def filter_q(self, queryset, name, value):
        term = fold_accents(value)
        if not term:
            return queryset
        return queryset.filter(
            Q(Contains(FoldAccents("name"), term)) | Q(code__icontains=value.strip())
        )


@read_only_schema(
    ProcedureSerializer,
    list_summary=_("List the procedure catalogue"),
    retrieve_summary=_("One procedure with its required documents"),
    not_found=OpenApiResponse(response=ErrorSerializer, description=_("No such procedure.")),
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of administrative procedures. It is public administrative information,
    the same for every signed-in user."""

    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilter

    def get_queryset(self):
        return Procedure.objects.prefetch_related("documents").order_by("field", "name", "id")


# --- dossiers: output -----------------------------------------------------------------------
class ApplicantSerializer(serializers.Serializer):
    """The applicant as stored (R-PRIV-1: shown to staff of the dossier's unit only)."""

    kind = serializers.ChoiceField(
        source="applicant_kind", choices=Dossier.ApplicantKind.choices, read_only=True
    )
    name = serializers.CharField(source="applicant_name", read_only=True)
    id_number = serializers.CharField(source="applicant_id_number", read_only=True)
    phone = serializers.CharField(source="applicant_phone", read_only=True)
    email = serializers.CharField(source="applicant_email", read_only=True)
    address = serializers.CharField(source="applicant_address", read_only=True)


class DossierSerializer(FixedModelSerializer):
    """A dossier as listed."""

    unit = UnitRefSerializer(read_only=True)
    desk = DeskRefSerializer(read_only=True)
    procedure = ProcedureRefSerializer(read_only=True)
    applicant = ApplicantSerializer(source="*", read_only=True)
    current_department = DepartmentRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The department holding the dossier; null while the desk holds it."),
    )

    class Meta:
        model = Dossier
        fields = [
            "id",
            "code",
            "status",
            "unit",
            "desk",
            "procedure",
            "applicant",
            "channel",
            "return_mode",
            "sets_count",
            "time_unit",
            "processing_time",
            "received_at",
            "due_at",
            "original_due_at",
            "current_department",
            "supplement_count",
            "completed_at",
            "classification",
            "points",
            "returned_at",
            "closed_at",
            "log_year",
            "log_number",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "due_at": {
                "help_text": _("The current due moment (after supplements and rescheduling).")
            },
            "original_due_at": {"help_text": _("The due moment computed at receipt.")},
            "classification": {
                "help_text": _("Set at completion: early, on time or late (R-DUE-6); empty before.")
            },
            "points": {"help_text": _("2 early, 1 on time, 0 late; null before completion.")},
        }


class DossierDocumentSerializer(FixedModelSerializer):
    class Meta:
        model = DossierDocument
        fields = ["id", "name", "is_original", "quantity"]
        read_only_fields = fields


class StepSerializer(FixedModelSerializer):
    department = DepartmentRefSerializer(
        read_only=True, allow_null=True, help_text=_("Null: the service desk held the dossier.")
    )
    handed_by = StaffRefSerializer(read_only=True)

    class Meta:
        model = Step
        fields = [
            "number",
            "department",
            "handed_by",
            "handed_at",
            "due_at",
            "finished_at",
            "classification",
            "note",
        ]
        read_only_fields = fields


class EventSerializer(FixedModelSerializer):
    actor = StaffRefSerializer(read_only=True)
    data = serializers.DictField(
        read_only=True, help_text=_("Details of the change, depending on its kind.")
    )

    class Meta:
        model = DossierEvent
        fields = [
            "id",
            "kind",
            "at",
            "actor",
            "unit",
            "from_status",
            "to_status",
            "note",
            "is_public",
            "data",
        ]
        read_only_fields = fields


class SupplementItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500, help_text=_("What is missing."))
    guidance = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("How to complete it."),
    )


class SupplementRequestSerializer(FixedModelSerializer):
    items = SupplementItemSerializer(many=True, read_only=True)

    class Meta:
        model = Pause
        fields = ["id", "requested_at", "items", "is_late_request", "resumed_at"]
        read_only_fields = fields


class RefusalSerializer(FixedModelSerializer):
    class Meta:
        model = Refusal
        fields = ["reason", "legal_basis", "refused_at"]
        read_only_fields = fields


class WithdrawalSerializer(FixedModelSerializer):
    class Meta:
        model = Withdrawal
        fields = ["request_text", "withdrawn_at"]
        read_only_fields = fields


class RescheduleSerializer(FixedModelSerializer):
    class Meta:
        model = Reschedule
        fields = [
            "reason",
            "responsible_department",
            "responsible_unit",
            "original_due_at",
            "new_due_at",
            "created_at",
        ]
        read_only_fields = fields


class DossierDetailSerializer(DossierSerializer):
    """A dossier with its documents, handovers, timeline and endings."""

    rule_set = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text=_("Code of the regulation in force on the day of receipt."),
    )
    received_by = StaffRefSerializer(read_only=True)
    current_holder = StaffRefSerializer(read_only=True, allow_null=True)
    documents = DossierDocumentSerializer(many=True, read_only=True)
    steps = StepSerializer(
        many=True, read_only=True, help_text=_("Handovers of the process control slip.")
    )
    events = EventSerializer(many=True, read_only=True, help_text=_("Every change, oldest first."))
    supplement_requests = SupplementRequestSerializer(source="pauses", many=True, read_only=True)
    refusal = RefusalSerializer(read_only=True, allow_null=True)
    withdrawal = WithdrawalSerializer(
        read_only=True, allow_null=True, help_text=_("The applicant's request to stop, if any.")
    )
    reschedule = RescheduleSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The one-time rescheduling with apology, if any (R-RES-2)."),
    )

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "rule_set",
            "received_by",
            "current_holder",
            "documents",
            "steps",
            "events",
            "supplement_requests",
            "refusal",
            "withdrawal",
            "reschedule",
        ]
        read_only_fields = fields


class DossierReceivedSerializer(DossierSerializer):
    """The answer to a receipt: the dossier as listed plus its PIN. Its documents, first step
    and event are at ``Location`` (the detail); leaving them out keeps intake fast."""

    pin = serializers.SerializerMethodField(
        help_text=_(
            "The tracking PIN for the applicant. Returned only in this response and stored "
            "hashed: print or hand it over now."
        )
    )

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "pin"]
        read_only_fields = fields

    def get_pin(self, dossier) -> str:
        return self.context["pin"]


# --- dossiers: input ------------------------------------------------------------------------
class ApplicantInputSerializer(serializers.Serializer):
    """The applicant at intake. Formats (ID number, phone, email) are checked by the intake
    service, which answers ``invalid_applicant`` with messages by field."""

    kind = serializers.ChoiceField(
        choices=Dossier.ApplicantKind.choices, default=Dossier.ApplicantKind.PERSON
    )
    name = serializers.CharField(max_length=200, allow_blank=True, default="")
    id_number = serializers.CharField(
        max_length=20,
        allow_blank=True,
        default="",
        help_text=_("Citizen ID (12 digits) or old ID card (9); tax code for an organisation."),
    )
    phone = serializers.CharField(
        max_length=32, allow_blank=True, default="", help_text=_("e.g. 0912 345 678")
    )
    email = serializers.CharField(max_length=254, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, allow_blank=True, default="")


class DocumentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    is_original = serializers.BooleanField(default=False)
    quantity = serializers.IntegerField(min_value=1, max_value=999, default=1)


class IncompleteOverrideInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        help_text=_("Why the dossier is received although documents are missing."),
    )


class DossierReceiveSerializer(serializers.Serializer):
    desk = StrictPrimaryKeyRelatedField(
        queryset=ServiceDesk.objects.none(),
        help_text=_("Id of the service desk receiving the dossier (one of yours)."),
    )
    procedure = StrictPrimaryKeyRelatedField(
        queryset=Procedure.objects.all(),
        help_text=_("Id of the procedure; the desk must offer it."),
    )
    applicant = ApplicantInputSerializer()
    documents = DocumentInputSerializer(
        many=True, required=False, help_text=_("Documents received, as on the receipt slip.")
    )
    channel = serializers.ChoiceField(choices=Dossier.Channel.choices, default=Dossier.Channel.DESK)
    return_mode = serializers.ChoiceField(
        choices=Procedure.ReturnMode.choices, default=Procedure.ReturnMode.DESK
    )
    sets_count = serializers.IntegerField(min_value=1, max_value=999, default=1)
    incomplete_override = IncompleteOverrideInputSerializer(
        required=False,
        help_text=_(
            "A documented exception to the completeness rule: receive although required "
            "documents are missing. The caller allows it, so the caller must be a leader of "
            "the desk's unit as well as its receptionist; the reason is recorded."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A desk outside the caller's units is "invalid", like one that does not exist.
            self.fields["desk"].queryset = desks_visible(user=request.user)


def _departments_of(dossier):
    return Department.objects.filter(desk__unit_id=dossier.unit_id)


class RouteSerializer(serializers.Serializer):
    to_department = StrictPrimaryKeyRelatedField(
        queryset=Department.objects.none(),
        allow_null=True,
        default=None,
        help_text=_(
            "Id of an active department of the dossier's unit; null hands it back to the desk."
        ),
    )
    step_days = serializers.IntegerField(
        min_value=1,
        max_value=999,
        allow_null=True,
        default=None,
        help_text=_(
            "Working days for this step; by default the step runs to the dossier's due date."
        ),
    )
    to_officer = StrictPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        default=None,
        help_text=_(
            "Id of an officer of that department, who then holds the dossier (optional; "
            "`officer_not_in_department` otherwise)."
        ),
    )
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dossier = self.context.get("dossier")
        if dossier is not None:
            self.fields["to_department"].queryset = _departments_of(dossier).filter(is_active=True)
            # Staff of the dossier's unit only: another id is "invalid", like an unknown one.
            self.fields["to_officer"].queryset = User.objects.filter(
                memberships__unit_id=dossier.unit_id
            ).distinct()


class RequestSupplementSerializer(serializers.Serializer):
    items = SupplementItemSerializer(
        many=True,
        allow_empty=False,
        help_text=_("Everything missing, listed at once (R-LIFE-4)."),
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    legal_basis = serializers.CharField(max_length=300)


class ReturnSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=Procedure.ReturnMode.choices,
        allow_null=True,
        default=None,
        help_text=_("How the result was returned; by default the way chosen at intake."),
    )
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class WithdrawSerializer(serializers.Serializer):
    request_text = serializers.CharField(
        max_length=5000, help_text=_("The applicant's request to stop, as written.")
    )


class RescheduleInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text=_("Why the dossier will be late."))
    new_due_date = BoundedDateSerializerField(
        help_text=_("The new appointment: a working day after the current due date.")
    )
    responsible_department = StrictPrimaryKeyRelatedField(
        queryset=Department.objects.none(),
        allow_null=True,
        default=None,
        help_text=_("Id of the department responsible for the delay, of the dossier's unit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dossier = self.context.get("dossier")
        if dossier is not None:
            self.fields["responsible_department"].queryset = _departments_of(dossier)


# --- dossiers: filters ----------------------------------------------------------------------
def _day_start(day: dt.date) -> dt.datetime:
    return get_calendar().at(day, dt.time(0, 0))


def _date_filter(method, text):
    return BoundedDateFilter(method=method, input_formats=["%Y-%m-%d"], help_text=text)


class StableOrderingFilter(filters.OrderingFilter):
    """Ordering by the chosen field, then by id, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-id" if value[0].startswith("-") else "id")
        return qs


class DossierFilter(filters.FilterSet):
    unit = extend_schema_field({"type": "integer", "description": _("Id of the dossier's unit.")})(
        IdFilter(field_name="unit_id")
    )
    within = extend_schema_field(
        {"type": "integer", "description": _("Id of a unit: dossiers of it and its descendants.")}
    )(IdFilter(method="filter_within"))
    desk = extend_schema_field(
        {"type": "integer", "description": _("Id of the desk that received it.")}
    )(IdFilter(field_name="desk_id"))
    procedure = extend_schema_field({"type": "integer", "description": _("Id of the procedure.")})(
        IdFilter(field_name="procedure_id")
    )
    status = filters.MultipleChoiceFilter(
        choices=DossierStatus.choices,
        help_text=_(
            "Status; repeat the parameter for several (status=received&status=in_process)."
        ),
    )
    classification = filters.ChoiceFilter(
        choices=Classification.choices, help_text=_("Result classification (R-DUE-6).")
    )
    channel = filters.ChoiceFilter(
        choices=Dossier.Channel.choices, help_text=_("How it was handed in.")
    )
    received_from = _date_filter(
        "filter_received_from", _("Received on or after this day (YYYY-MM-DD).")
    )
    received_to = _date_filter("filter_received_to", _("Received on or before this day."))
    due_from = _date_filter("filter_due_from", _("Due on or after this day (YYYY-MM-DD)."))
    due_to = _date_filter("filter_due_to", _("Due on or before this day."))
    overdue = api_filters.BooleanFilter(
        method="filter_overdue",
        help_text=_(
            "true: still in process past the due moment (R-DUE-6); false: all the others. "
            "Waiting for a supplement is not overdue: the clock is stopped."
        ),
    )
    due_soon = api_filters.BooleanFilter(
        method="filter_due_soon",
        help_text=_(
            "true: in process and due before the end of the next working day, the last "
            "chance to reschedule (R-RES-1); false: all the others."
        ),
    )
    q = filters.CharFilter(
        method="filter_q",
        help_text=_(
            "Part of the dossier code. Personal data is not searchable here, so it never "
            "appears in a URL (R-PRIV-1)."
        ),
    )
    ordering = StableOrderingFilter(
        fields=(("received_at", "received_at"), ("due_at", "due_at"), ("code", "code")),
        help_text=_(
            "Sort by received_at, due_at or code; a leading '-' reverses. Default: newest first."
        ),
    )

    class Meta:
        model = Dossier
        fields = []

    @property
    def _user(self):
        return self.request.user

    def filter_within(self, queryset, name, value):
        path = AdministrativeUnit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=path)

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_due_from(self, queryset, name, value):
        return queryset.filter(due_at__gte=_day_start(value))

    def filter_due_to(self, queryset, name, value):
        return queryset.filter(due_at__lt=_day_start(value + dt.timedelta(days=1)))

    def _by_selector(self, queryset, selected, value):
        ids = selected.order_by().values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)

    def filter_overdue(self, queryset, name, value):
        return self._by_selector(queryset, selectors.overdue_in_process(user=self._user), value)

    def filter_due_soon(self, queryset, name, value):
        return self._by_selector(
            queryset, selectors.due_within_one_working_day(user=self._user), value
        )

    def filter_q(self, queryset, name, value):
        term = value.strip()
        return queryset.filter(code__icontains=term) if term else queryset


# --- dossiers: views ------------------------------------------------------------------------
class IgnoreAcceptHeader(BaseContentNegotiation):
    """The documents endpoint answers a PDF whatever the client accepts; its errors are
    JSON. (DRF would otherwise refuse ``Accept: application/pdf`` with 406.)"""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


DOCUMENTS = {
    **exports.DOCUMENT_KINDS,
    "receipt": _("Receipt and appointment slip, without the PIN"),
}


NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer,
    description=_("No such dossier, or not one of your units'."),
)
DOMAIN_ERROR = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        'Invalid input, by field (`{"field": ["message"]}`), or a business rule refused '
        'it (`{"detail", "code"}`). Nothing was changed.'
    ),
)
FORBIDDEN = OpenApiResponse(
    response=ErrorSerializer,
    description=_("Your roles at the dossier's unit do not allow this action (R-UNIT-3)."),
)
CONFLICT = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "The dossier's state does not allow this action (`transition_not_allowed`, "
        "`supplement_not_allowed`, `refusal_too_late`, `reschedule_not_allowed`, "
        "`already_rescheduled`). Nothing was changed."
    ),
)


def action_schema(summary, description, request):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={
            200: DossierDetailSerializer,
            400: DOMAIN_ERROR,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List the dossiers of your units"),
        responses={200: DossierSerializer(many=True), 400: INVALID_FILTER, 401: NOT_AUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary=_("One dossier with its documents, handovers and timeline"),
        responses={200: DossierDetailSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Receive a dossier at a desk"),
        description=_(
            "Logs a dossier (R-LIFE-2, R-DUE-3): assigns its code and log number, computes the "
            "due moment from the server's time, and returns the dossier with its tracking "
            "PIN. The PIN is returned only here. Needs the receptionist role at the desk's unit."
        ),
        request=DossierReceiveSerializer,
        responses={
            201: DossierReceivedSerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=_(
                    "Invalid input by field; or a business rule refused it: "
                    "`invalid_applicant` (with `fields`: messages by applicant field), "
                    "`procedure_not_offered`, `missing_agency_code`, `incomplete_dossier` "
                    "(required documents missing; `fields.documents` lists them). Nothing was "
                    "changed."
                ),
            ),
            401: NOT_AUTHENTICATED,
            403: OpenApiResponse(
                response=ErrorSerializer,
                description=_(
                    "You are not a receptionist at the desk's unit; or "
                    "`incomplete_override_not_allowed`: an incomplete dossier asked to be "
                    "received by someone who is not a leader of the unit."
                ),
            ),
        },
    ),
)
class DossierViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Dossiers of the caller's units (R-UNIT-3), their intake and lifecycle (R-LIFE-1)."""

    filterset_class = DossierFilter
    serializer_class = DossierSerializer
    parser_classes = [BoundedJSONParser]  # nested applicant and documents: JSON only

    def get_queryset(self):
        return selectors.dossiers_visible(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return DossierDetailSerializer
        if self.action == "create":
            return DossierReceiveSerializer
        return DossierSerializer

    def get_object(self):
        try:
            return selectors.dossier_detail(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (Dossier.DoesNotExist, ValueError, OverflowError) as exc:
            raise Http404 from exc

    def _detail(self, dossier, serializer_class=DossierDetailSerializer, **context):
        fresh = selectors.dossier_detail(user=self.request.user, pk=dossier.pk)
        return serializer_class(fresh, context={**self.get_serializer_context(), **context}).data

    def create(self, request, *args, **kwargs):
        serializer = DossierReceiveSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        override = None
        if data.get("incomplete_override"):
            override = services.IncompleteOverride(
                leader=request.user, reason=data["incomplete_override"]["reason"]
            )
        dossier, pin = services.dossier_receive(
            desk=data["desk"],
            procedure=data["procedure"],
            applicant=dict(data["applicant"]),
            documents=[dict(d) for d in data.get("documents", [])],
            channel=data["channel"],
            return_mode=data["return_mode"],
            sets_count=data["sets_count"],
            actor=request.user,
            incomplete_override=override,
        )
        # The service checked the actor's role at the desk and returns the dossier with its
        # unit, desk and procedure: no second, scoped fetch of the full detail is needed.
        body = DossierReceivedSerializer(
            dossier, context={**self.get_serializer_context(), "pin": pin}
        ).data
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{dossier.pk}/")
        return no_store(response)  # the PIN must not stay in any cache

    # --- actions: one endpoint per transition of ``dossiers.transitions.TRANSITIONS`` ------
    def _act(self, input_serializer, service, **fixed):
        dossier = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        serializer = input_serializer(
            data=self.request.data, context={"request": self.request, "dossier": dossier}
        )
        serializer.is_valid(raise_exception=True)
        service(dossier=dossier, actor=self.request.user, **serializer.validated_data, **fixed)
        return Response(self._detail(dossier))

    @action_schema(
        _("Hand the dossier over"),
        _(
            "To a department of its unit, between departments, or back to the desk "
            "(R-LIFE-3). Receptionist or officer."
        ),
        RouteSerializer,
    )
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        return self._act(RouteSerializer, services.dossier_route)

    @action_schema(
        _("Request a supplement"),
        _(
            "Stops the clock and lists everything missing at once (R-DUE-5, R-LIFE-4); once "
            "per dossier unless a leader of the unit allows another. Receptionist or officer."
        ),
        RequestSupplementSerializer,
    )
    @action(detail=True, methods=["post"], url_path="request-supplement")
    def request_supplement(self, request, pk=None):
        return self._act(RequestSupplementSerializer, services.dossier_request_supplement)

    @action_schema(
        _("Record the supplemented dossier"),
        _(
            "The complete dossier is back: the clock restarts (or resumes, a procedure "
            "setting) and the due moment is recomputed (R-DUE-5). Receptionist or officer."
        ),
        NoteSerializer,
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self._act(NoteSerializer, services.dossier_resubmit)

    @action_schema(
        _("Refuse the dossier"),
        _("With its reason and legal basis, within the processing time (R-LIFE-4)."),
        RefuseSerializer,
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._act(RefuseSerializer, services.dossier_refuse)

    @action_schema(
        _("Record that the result is ready"),
        _(
            "Classifies the dossier early, on time or late (R-DUE-6); a rescheduled dossier "
            "is late (R-RES-4). Officer or leader."
        ),
        NoteSerializer,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(NoteSerializer, services.dossier_complete)

    @action_schema(
        _("Record the return of the result"),
        _("At the desk or by post, now (R-LIFE-6). Receptionist or officer."),
        ReturnSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_result(self, request, pk=None):
        return self._act(ReturnSerializer, services.dossier_return)

    @action_schema(
        _("Stop the dossier at the applicant's request"),
        _("Records the applicant's request (stop notice). Receptionist or officer."),
        WithdrawSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(WithdrawSerializer, services.dossier_withdraw)

    @action_schema(
        _("Reschedule with an apology"),
        _(
            "Sets a new appointment once per dossier (R-RES-2), at least one working day "
            "before the due date (R-RES-1); the applicant is notified (R-RES-3). Officer or "
            "leader. A second attempt answers 409 `already_rescheduled`."
        ),
        RescheduleInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        return self._act(RescheduleInputSerializer, services.dossier_reschedule)

    @extend_schema(
        summary=_("A printable document of the dossier (PDF)"),
        description=_(
            "A5 forms of Circular 01/2018 or 03/2025, by the dossier's rule set: `receipt` "
            "(without the PIN, which is printed only at intake), `control-slip`, "
            "`supplement-request` (the latest), `refusal`, `apology`, `stop-notice`."
        ),
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(DOCUMENTS),
                description=_("Which document."),
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description=_("The PDF.")
            ),
            401: NOT_AUTHENTICATED,
            404: OpenApiResponse(
                response=ErrorSerializer,
                description=_(
                    "No such dossier or document kind, not one of your units' dossiers, or "
                    "the dossier has no such document yet (`document_not_available`)."
                ),
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<kind>[a-z-]+)",
        content_negotiation_class=IgnoreAcceptHeader,
    )
    def document(self, request, pk=None, kind=None):
        if kind not in DOCUMENTS:
            raise Http404
        dossier = get_object_or_404(self.get_queryset(), pk=pk)
        pdf = exports.dossier_document_export(dossier=dossier, kind=kind, user=request.user)
        return pdf_response(pdf, f"{dossier.code}-{kind}.pdf")  # personal data (R-PRIV-1)
