"""REST API of feedback and complaints (R-FB-1..4).

Two kinds of caller:

* **staff**, signed in: the items of their units (``feedback.selectors``: an item outside them
  answers 404 like one that does not exist), entry of hotline calls, letters, emails and visits,
  one POST per action of ``feedback.services.TRANSITIONS``, reply letters (PDF) and attachments
  (both audited, R-PRIV-1);
* **citizens**, without an account (``/public/feedback/...``): submit with attachments
  (multipart, rate-limited per client IP), track and dispute with code and PIN (the same 404
  for an unknown code and a wrong PIN; rate-limited per IP and, for failures, per code), read
  the published results, the units that take feedback and the categories.

Every write calls one service with ``actor=request.user`` (or none for a citizen) and the
server's time; refusals are ``DomainError``s that ``portal.api_errors`` turns into 400/403/409
with ``detail``, ``code`` and, for bad input, ``fields``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils import timezone
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
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from dossiers.selectors import dossiers_visible
from feedback import exports, limits, selectors, services, tracking
from feedback.models import (
    PUBLIC_CHANNELS,
    STAFF_CHANNELS,
    Attachment,
    Category,
    Channel,
    Event,
    Extension,
    Finding,
    Item,
    Kind,
    Publication,
    Reply,
    Status,
)
from portal import api_filters
from portal.api import INVALID_FILTER, NOT_AUTHENTICATED, IdFilter
from portal.api_errors import ErrorSerializer
from portal.http import no_store, pdf_response
from portal.models import AdministrativeUnit
from portal.parsers import BoundedJSONParser
from portal.selectors import visible_units
from portal.strict_input import BoundedDateFilter, StrictPrimaryKeyRelatedField

User = get_user_model()
STAFF_TAG = "feedback (staff)"
# The services' messages, for an id outside the caller's units as for an unknown one.
NOT_STAFF = _("This person is not a staff member of the unit.")
NO_ROLE = _("This person has no role at the unit.")
PUBLIC_TAG = "feedback (citizens)"
PUBLIC_CHANNEL_CHOICES = [(c.value, c.label) for c in PUBLIC_CHANNELS]
STAFF_CHANNEL_CHOICES = [(c.value, c.label) for c in STAFF_CHANNELS]


# --- references -------------------------------------------------------------------------------
class FeedbackUnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class FeedbackStaffRefSerializer(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField(
        help_text=_("Family name first, as Vietnamese names are written.")
    )

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]
        read_only_fields = fields

    def get_full_name(self, user) -> str:
        return f"{user.last_name} {user.first_name}".strip() or user.get_username()


class FeedbackCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "description"]
        read_only_fields = fields


# --- staff: output ----------------------------------------------------------------------------
class FeedbackSenderSerializer(serializers.Serializer):
    """The sender as given (R-PRIV-1: shown to staff of the item's units only)."""

    name = serializers.CharField(source="sender_name", read_only=True)
    phone = serializers.CharField(source="sender_phone", read_only=True)
    email = serializers.CharField(source="sender_email", read_only=True)
    address = serializers.CharField(source="sender_address", read_only=True)
    id_number = serializers.CharField(source="sender_id_number", read_only=True)


class FeedbackItemSerializer(serializers.ModelSerializer):
    """An item as listed."""

    unit = FeedbackUnitRefSerializer(read_only=True, help_text=_("The unit in charge now."))
    intake_unit = FeedbackUnitRefSerializer(
        read_only=True, help_text=_("The unit that received it (its intake register).")
    )
    category = FeedbackCategorySerializer(read_only=True, allow_null=True)
    sender = FeedbackSenderSerializer(source="*", read_only=True)
    assigned_to = FeedbackStaffRefSerializer(read_only=True, allow_null=True)
    transferred_to_unit = FeedbackUnitRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField(
        help_text=_("Still to be handled here and past the running deadline (`due_at`).")
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "kind",
            "channel",
            "status",
            "unit",
            "intake_unit",
            "register_year",
            "register_number",
            "category",
            "subject",
            "sender",
            "received_at",
            "counted_from",
            "due_at",
            "is_overdue",
            "transfer_due_at",
            "accept_due_at",
            "accepted_at",
            "reply_due_at",
            "original_reply_due_at",
            "assigned_to",
            "transferred_at",
            "transferred_to_unit",
            "transferred_to_body",
            "transfer_late",
            "replied_at",
            "answered_on_time",
            "finding",
            "closed_at",
            "reopen_count",
            "dossier_code",
            "external_code",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "due_at": {
                "help_text": _(
                    "The deadline running now: transfer (denunciations), acceptance then "
                    "settlement (complaints), the answer (the others); null once handled."
                )
            },
            "counted_from": {
                "help_text": _(
                    "The day of receipt for deadlines (R-DUE-3): after closing hour, "
                    "the next working day."
                )
            },
            "transfer_late": {
                "help_text": _("Transferred after the rule's working days (5 by default).")
            },
        }

    def get_is_overdue(self, item) -> bool:
        now = self.context.get("now") or timezone.now()
        handed_out = item.status == Status.TRANSFERRED and item.transferred_to_unit_id is None
        return item.is_open and not handed_out and item.due_at is not None and item.due_at < now


class FeedbackEventSerializer(serializers.ModelSerializer):
    actor = FeedbackStaffRefSerializer(
        read_only=True, allow_null=True, help_text=_("Null: the sender (no account).")
    )
    unit = FeedbackUnitRefSerializer(read_only=True)
    data = serializers.DictField(read_only=True, help_text=_("Details, by kind of event."))

    class Meta:
        model = Event
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


class FeedbackReplySerializer(serializers.ModelSerializer):
    replied_by = FeedbackStaffRefSerializer(read_only=True)
    unit = FeedbackUnitRefSerializer(read_only=True)

    class Meta:
        model = Reply
        fields = ["number", "text", "finding", "replied_at", "replied_by", "unit", "on_time"]
        read_only_fields = fields


class FeedbackAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class FeedbackExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["reason", "extended_at", "previous_due_at", "new_due_at"]
        read_only_fields = fields


class FeedbackPublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["title", "question", "answer", "published_at", "is_active"]
        read_only_fields = fields


class FeedbackItemDetailSerializer(FeedbackItemSerializer):
    """An item with its content, timeline, answers, files and what may be done now."""

    rule = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("The deadline rule in force at receipt.")
    )
    received_by = FeedbackStaffRefSerializer(
        read_only=True, allow_null=True, help_text=_("Null: filed by the citizen.")
    )
    staff_member = FeedbackStaffRefSerializer(read_only=True, allow_null=True)
    events = FeedbackEventSerializer(many=True, read_only=True)
    replies = FeedbackReplySerializer(many=True, read_only=True)
    attachments = FeedbackAttachmentSerializer(many=True, read_only=True)
    extension = serializers.SerializerMethodField()
    publication = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("The actions you may take now (POST `{id}/{action}/`).")
    )

    class Meta(FeedbackItemSerializer.Meta):
        fields = [
            *FeedbackItemSerializer.Meta.fields,
            "body",
            "rule",
            "is_remote_area",
            "received_by",
            "staff_member",
            "staff_description",
            "rejected_reason",
            "events",
            "replies",
            "attachments",
            "extension",
            "publication",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(FeedbackExtensionSerializer(allow_null=True))
    def get_extension(self, item):
        extension = getattr(item, "extension", None) if _has(item, "extension") else None
        return FeedbackExtensionSerializer(extension).data if extension else None

    @extend_schema_field(FeedbackPublicationSerializer(allow_null=True))
    def get_publication(self, item):
        publication = getattr(item, "publication", None) if _has(item, "publication") else None
        return FeedbackPublicationSerializer(publication).data if publication else None

    def get_allowed_actions(self, item) -> list[str]:
        return [
            ACTION_PATHS[a]
            for a in services.actions_allowed(item=item, user=self.context["request"].user)
        ]


def _has(item, relation) -> bool:
    try:
        getattr(item, relation)
    except (Extension.DoesNotExist, Publication.DoesNotExist):
        return False
    return True


class FeedbackSubmittedSerializer(FeedbackItemSerializer):
    """The answer to an entry: the item as listed plus its PIN."""

    pin = serializers.SerializerMethodField(
        help_text=_(
            "The tracking PIN for the sender. Returned only in this response and stored "
            "hashed: give it to the sender now."
        )
    )

    class Meta(FeedbackItemSerializer.Meta):
        fields = [*FeedbackItemSerializer.Meta.fields, "pin"]
        read_only_fields = fields

    def get_pin(self, item) -> str:
        return self.context["pin"]


# --- input ------------------------------------------------------------------------------------
class FeedbackSubmitFieldsMixin(serializers.Serializer):
    """Fields shared by the citizens' submission and the staff's entry. Texts are checked by
    the service (``invalid_text``, ``invalid_sender`` with messages by field)."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    category = StrictPrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), allow_null=True, default=None
    )
    subject = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("The content, as written (at most FEEDBACK_TEXT_MAX_CHARS characters)."),
    )
    sender_name = serializers.CharField(allow_blank=True, default="")
    sender_phone = serializers.CharField(
        allow_blank=True, default="", help_text=_("e.g. 0912 345 678")
    )
    sender_email = serializers.CharField(allow_blank=True, default="")
    sender_address = serializers.CharField(allow_blank=True, default="")
    sender_id_number = serializers.CharField(
        allow_blank=True, default="", help_text=_("Citizen ID (12 digits) or old ID card (9).")
    )
    dossier_code = serializers.CharField(
        allow_blank=True, default="", help_text=_("The code of the dossier concerned, if any.")
    )
    staff_description = serializers.CharField(
        allow_blank=True,
        default="",
        help_text=_("Who the staff member is (name, counter, time), for conduct complaints."),
    )
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False),
        required=False,
        default=list,
        help_text=_("PDF, JPEG or PNG files; their content is checked, photos lose metadata."),
    )

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["sender"] = {
            key: data.pop(f"sender_{key}")
            for key in ("name", "phone", "email", "address", "id_number")
        }
        return data


class FeedbackPublicSubmitSerializer(FeedbackSubmitFieldsMixin):
    unit = StrictPrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.none(),
        help_text=_("Id of the unit addressed (see the units that take feedback)."),
    )
    channel = serializers.ChoiceField(choices=PUBLIC_CHANNEL_CHOICES, default=Channel.WEB)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_taking_feedback()


class FeedbackStaffEntrySerializer(FeedbackSubmitFieldsMixin):
    unit = StrictPrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.none(),
        help_text=_("Id of the receiving unit (one of yours)."),
    )
    channel = serializers.ChoiceField(choices=STAFF_CHANNEL_CHOICES)
    dossier = StrictPrimaryKeyRelatedField(
        queryset=dossiers_visible(user=AnonymousUser()),  # none; the caller's in __init__
        allow_null=True,
        default=None,
        help_text=_("Id of the dossier concerned (one of your units')."),
    )
    staff_member = StrictPrimaryKeyRelatedField(
        queryset=User.objects.none(),  # the caller's units' staff, in __init__
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": NOT_STAFF},
        help_text=_("Id of the staff member concerned (R-FB-4)."),
    )
    external_code = serializers.CharField(
        allow_blank=True, default="", help_text=_("e.g. the national system's PAKN code.")
    )
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When it was received (a letter of yesterday); now by default."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = visible_units(user=request.user, roles=services.STAFF)
            self.fields["dossier"].queryset = dossiers_visible(user=request.user)
            self.fields["staff_member"].queryset = selectors.staff_visible(user=request.user)


class FeedbackNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)


class FeedbackReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


class PeopleOfTheCallersUnitsMixin:
    """Person fields choose among the staff of the caller's units (``selectors.staff_visible``):
    anyone else's id answers like an unknown one."""

    people_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        people = selectors.staff_visible(user=request.user) if request else User.objects.none()
        for name in self.people_fields:
            self.fields[name].queryset = people


class FeedbackAssignSerializer(PeopleOfTheCallersUnitsMixin, FeedbackNoteSerializer):
    """Assign the item to a person with a role at the unit, or pass it to a unit below."""

    people_fields = ("assignee",)
    assignee = StrictPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": NO_ROLE},
        help_text=_("Id of the person; they need a role at the unit."),
    )
    unit = StrictPrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.all(),
        allow_null=True,
        default=None,
        help_text=_("Id of a unit under the item's unit; by default the item's unit."),
    )


class FeedbackTransferSerializer(FeedbackNoteSerializer):
    to_unit = StrictPrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.all(),
        allow_null=True,
        default=None,
        help_text=_("Id of the competent unit of the portal."),
    )
    to_body = serializers.CharField(
        allow_blank=True, default="", help_text=_("Or the name of a body outside the portal.")
    )


class FeedbackClassifySerializer(PeopleOfTheCallersUnitsMixin, FeedbackNoteSerializer):
    """Correct the kind, the topic or the staff member concerned (one of your units' staff)."""

    people_fields = ("staff_member",)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    category = StrictPrimaryKeyRelatedField(
        queryset=Category.objects.all(), allow_null=True, required=False
    )
    staff_member = StrictPrimaryKeyRelatedField(
        queryset=User.objects.none(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": NOT_STAFF},
    )


class FeedbackReplyInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text=_("The answer: the reply letter's text.")
    )
    finding = serializers.ChoiceField(
        choices=Finding.choices,
        allow_blank=True,
        default="",
        help_text=_("Whether the complaint was founded (R-FB-4)."),
    )


class FeedbackPublishSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, default="")
    question = serializers.CharField(
        allow_null=True,
        default=None,
        trim_whitespace=False,
        help_text=_("The published question as edited; by default the item's content."),
    )
    answer = serializers.CharField(
        allow_null=True,
        default=None,
        trim_whitespace=False,
        help_text=_("The published answer as edited; by default the latest answer."),
    )


# --- staff: filters ---------------------------------------------------------------------------
def _day_filter(method, text):
    return BoundedDateFilter(method=method, input_formats=["%Y-%m-%d"], help_text=text)


class StableOrderingFilter(filters.OrderingFilter):
    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-id" if value[0].startswith("-") else "id")
        return qs


def _int_filter(description, **kwargs):
    return extend_schema_field({"type": "integer", "description": description})(IdFilter(**kwargs))


class FeedbackFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, help_text=_("Status; repeat for several.")
    )
    kind = filters.MultipleChoiceFilter(
        choices=Kind.choices, help_text=_("Kind; repeat for several.")
    )
    channel = filters.MultipleChoiceFilter(
        choices=Channel.choices, help_text=_("Channel; repeat for several.")
    )
    unit = _int_filter(_("Id of the unit in charge."), field_name="unit_id")
    within = _int_filter(
        _("Id of a unit: items of it and its descendants."), method="filter_within"
    )
    category = _int_filter(_("Id of the category."), field_name="category_id")
    assigned_to = _int_filter(_("Id of the assignee."), field_name="assigned_to_id")
    mine = api_filters.BooleanFilter(
        method="filter_mine", help_text=_("true: assigned to you and open.")
    )
    unassigned = api_filters.BooleanFilter(
        method="filter_unassigned", help_text=_("true: open, no assignee.")
    )
    due_soon = api_filters.BooleanFilter(
        method="filter_due_soon",
        help_text=_("true: open and due before the end of the next working day."),
    )
    overdue = api_filters.BooleanFilter(
        method="filter_overdue", help_text=_("true: open and past the running deadline.")
    )
    transferred = api_filters.BooleanFilter(
        method="filter_transferred", help_text=_("true: in the status “transferred”.")
    )
    received_from = _day_filter(
        "filter_received_from", _("Received on or after this day (YYYY-MM-DD).")
    )
    received_to = _day_filter("filter_received_to", _("Received on or before this day."))
    q = filters.CharFilter(
        method="filter_q",
        help_text=_(
            "Part of the tracking code, or the register number. Personal data is not "
            "searchable here, so it never appears in a URL (R-PRIV-1)."
        ),
    )
    ordering = StableOrderingFilter(
        fields=(("received_at", "received_at"), ("due_at", "due_at"), ("code", "code")),
        help_text=_("Sort by received_at, due_at or code; '-' reverses. Default: newest first."),
    )

    class Meta:
        model = Item
        fields = []

    def filter_within(self, queryset, name, value):
        unit = AdministrativeUnit.objects.filter(pk=value).first()
        return selectors.items_filtered(queryset, within=unit) if unit else queryset.none()

    def _flag(self, queryset, q, value):
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_mine(self, queryset, name, value):
        return self._flag(queryset, selectors.open_q() & Q(assigned_to=self.request.user), value)

    def filter_unassigned(self, queryset, name, value):
        return self._flag(queryset, selectors.unassigned_q(), value)

    def filter_due_soon(self, queryset, name, value):
        return self._flag(queryset, selectors.due_soon_q(), value)

    def filter_overdue(self, queryset, name, value):
        return self._flag(queryset, selectors.overdue_q(), value)

    def filter_transferred(self, queryset, name, value):
        return self._flag(queryset, selectors.transferred_q(), value)

    def filter_received_from(self, queryset, name, value):
        return selectors.items_filtered(queryset, received_from=value)

    def filter_received_to(self, queryset, name, value):
        return selectors.items_filtered(queryset, received_to=value)

    def filter_q(self, queryset, name, value):
        return selectors.items_filtered(queryset, q=value)


# --- staff: views -----------------------------------------------------------------------------
NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer, description=_("No such item, or not one of your units'.")
)
BAD_INPUT = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_(
        'Invalid input: messages by field (`{"field": ["message"]}`), or a business rule '
        "refused it (`{detail, code, fields?}`: `invalid_text`, `invalid_sender`, "
        "`invalid_attachment`, `invalid_feedback`). Nothing was changed."
    ),
)
FORBIDDEN = OpenApiResponse(
    response=ErrorSerializer,
    description=_("Your roles at the item's unit do not allow this action (R-UNIT-3)."),
)
CONFLICT = OpenApiResponse(
    response=ErrorSerializer,
    description=_(
        "The item's state or kind does not allow this action (`transition_not_allowed`, "
        "`transfer_not_allowed`, `extension_not_allowed`, `already_extended`, "
        "`reopen_not_allowed`, `publish_not_allowed`). Nothing was changed."
    ),
)
TOO_MANY = OpenApiResponse(
    response=ErrorSerializer, description=_("Too many requests (see `Retry-After`).")
)

# URL path of each action, by event kind (one POST per transition).
ACTION_PATHS = {
    "classified": "classify",
    "assigned": "assign",
    "started": "start",
    "transferred": "transfer",
    "extended": "extend",
    "replied": "reply",
    "rejected": "reject",
    "reopened": "reopen",
    "closed": "close",
    "published": "publish",
    "unpublished": "unpublish",
}


def action_schema(summary, description, request):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        tags=[STAFF_TAG],
        responses={
            200: FeedbackItemDetailSerializer,
            400: BAD_INPUT,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List the feedback items of your units"),
        tags=[STAFF_TAG],
        responses={
            200: FeedbackItemSerializer(many=True),
            400: INVALID_FILTER,
            401: NOT_AUTHENTICATED,
        },
    ),
    retrieve=extend_schema(
        summary=_("One item with its content, timeline, answers and files"),
        tags=[STAFF_TAG],
        responses={200: FeedbackItemDetailSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Enter an item received by staff"),
        description=_(
            "A hotline call, a letter, an email or a visit, entered by staff of the receiving "
            "unit (R-FB-1): logged in the unit's intake register with a tracking code, deadlines "
            "from the rule of its kind (R-FB-2) and a PIN returned only here. JSON, or "
            "multipart with `attachments`."
        ),
        tags=[STAFF_TAG],
        request={
            "application/json": FeedbackStaffEntrySerializer,
            "multipart/form-data": FeedbackStaffEntrySerializer,
        },
        responses={
            201: FeedbackSubmittedSerializer,
            400: BAD_INPUT,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
)
class FeedbackViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Feedback items of the caller's units (R-UNIT-3) and their lifecycle (R-FB-1..4)."""

    filterset_class = FeedbackFilter
    serializer_class = FeedbackItemSerializer
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.items_visible(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return FeedbackItemDetailSerializer
        if self.action == "create":
            return FeedbackStaffEntrySerializer
        return FeedbackItemSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self):
        try:
            return selectors.item_detail(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (Item.DoesNotExist, ValueError, OverflowError) as exc:
            raise Http404 from exc

    def _detail(self, item):
        fresh = selectors.item_detail(user=self.request.user, pk=item.pk)
        return FeedbackItemDetailSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = FeedbackStaffEntrySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.service_kwargs()
        item, pin = services.feedback_submit(actor=request.user, **data)
        body = FeedbackSubmittedSerializer(
            item, context={**self.get_serializer_context(), "pin": pin}
        ).data
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{item.pk}/")
        return no_store(response)

    def _item(self):
        try:
            return self.get_queryset().get(pk=int(self.kwargs["pk"]))
        except (Item.DoesNotExist, ValueError, OverflowError) as exc:
            raise Http404 from exc

    def _act(self, input_serializer, service, **fixed):
        item = self._item()
        serializer = input_serializer(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        service(item=item, actor=self.request.user, **serializer.validated_data, **fixed)
        return Response(self._detail(item))

    @action_schema(
        _("Classify the item"),
        _(
            "Set its category or the staff member concerned, or correct its kind (kinds are never "
            "mixed: split a mixed letter into several items). Staff of the unit."
        ),
        FeedbackClassifySerializer,
    )
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        return self._act(FeedbackClassifySerializer, services.feedback_classify)

    @action_schema(
        _("Assign the item"),
        _(
            "To a person with a role at the unit, and optionally to a unit under the item's unit. "
            "Not to the staff member a complaint is about."
        ),
        FeedbackAssignSerializer,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._act(FeedbackAssignSerializer, services.feedback_assign)

    @action_schema(
        _("Start handling (accept a complaint)"),
        _(
            "For a complaint this is its acceptance: the settlement deadline counts from it. "
            "Officer or leader."
        ),
        FeedbackNoteSerializer,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(FeedbackNoteSerializer, services.feedback_start)

    @action_schema(
        _("Transfer to the competent body"),
        _(
            "To a unit of the portal (it handles the item from now on) or a body outside it; "
            "after the rule's 5 working days the transfer is flagged late (R-FB-2). Not to the "
            "same unit (`transfer_not_allowed`)."
        ),
        FeedbackTransferSerializer,
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._act(FeedbackTransferSerializer, services.feedback_transfer)

    @action_schema(
        _("Extend the deadline once"),
        _(
            "With its reason, before the deadline; a second extension answers 409 "
            "`already_extended`. Officer or leader."
        ),
        FeedbackReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(FeedbackReasonSerializer, services.feedback_extend)

    @action_schema(
        _("Answer in writing"),
        _(
            "The text becomes the reply letter (PDF at `replies/{number}/letter/`), sent to the "
            "sender and recorded. A closed item answers 409. Officer or leader."
        ),
        FeedbackReplyInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._act(FeedbackReplyInputSerializer, services.feedback_reply)

    @action_schema(
        _("Reject as out of scope"),
        _("With the reason told to the sender. Officer or leader."),
        FeedbackReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(FeedbackReasonSerializer, services.feedback_reject)

    @action_schema(
        _("Reopen after the sender disputes the answer"),
        _("Within FEEDBACK_REOPEN_DAYS of the answer; a new answer deadline counts from today."),
        FeedbackReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(FeedbackReasonSerializer, services.feedback_reopen)

    @action_schema(
        _("Close the item"),
        _("An answered item, or one transferred to a body outside the portal."),
        FeedbackNoteSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(FeedbackNoteSerializer, services.feedback_close)

    @action_schema(
        _("Publish the result anonymised"),
        _(
            "Texts as edited by staff; the sender's name, phone, email, address and ID number and "
            "any phone or ID number are masked whatever is sent (R-FB-3). Never a denunciation."
        ),
        FeedbackPublishSerializer,
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(FeedbackPublishSerializer, services.feedback_publish)

    @action_schema(_("Withdraw the publication"), _("It stays recorded."), FeedbackNoteSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._act(FeedbackNoteSerializer, services.feedback_unpublish)

    @extend_schema(
        summary=_("An attachment of the item"),
        description=_("The file as stored (photos re-encoded); the download is audited."),
        tags=[STAFF_TAG],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(response=OpenApiTypes.BINARY),
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)")
    def attachment(self, request, pk=None, attachment_id=None):
        item = self._item()
        found = Attachment.objects.filter(item=item, pk=int(attachment_id)).first()
        if found is None:
            raise Http404
        handle = exports.attachment_export(attachment=found, user=request.user)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=found.original_name,
            content_type=found.content_type,
        )
        return no_store(response)

    @extend_schema(
        summary=_("The reply letter (PDF)"),
        tags=[STAFF_TAG],
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={
            (200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY),
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], url_path=r"replies/(?P<number>[0-9]+)/letter")
    def letter(self, request, pk=None, number=None):
        item = self._item()
        reply = (
            Reply.objects.select_related("unit", "replied_by")
            .filter(item=item, number=int(number))
            .first()
        )
        if reply is None:
            raise Http404
        pdf = exports.reply_letter_export(reply=reply, user=request.user)
        return pdf_response(pdf, f"{item.code}-tra-loi-{reply.number}.pdf")


# --- citizens ---------------------------------------------------------------------------------
class FeedbackReceiptSerializer(serializers.Serializer):
    """What a citizen gets back after filing."""

    code = serializers.CharField(help_text=_("The tracking code."))
    pin = serializers.CharField(help_text=_("The tracking PIN: shown only here, keep it."))
    kind = serializers.ChoiceField(choices=Kind.choices)
    unit = serializers.CharField(help_text=_("The unit addressed."))
    received_at = serializers.DateTimeField()
    reply_due_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When an answer is due; null without a deadline.")
    )
    attachments = serializers.IntegerField(help_text=_("Files kept."))


class FeedbackTrackingInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    pin = serializers.CharField(max_length=12)


class FeedbackDisputeInputSerializer(FeedbackTrackingInputSerializer):
    reason = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text=_("Why the answer is disputed.")
    )


class FeedbackPublicReplySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField()
    replied_at = serializers.DateTimeField()
    unit = serializers.CharField()


class FeedbackPublicTimelineSerializer(serializers.Serializer):
    label = serializers.CharField()
    at = serializers.DateTimeField()


class FeedbackPublicItemSerializer(serializers.Serializer):
    """The sender's view: no personal data but the masked name; answers in full."""

    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_label = serializers.CharField()
    sender = serializers.CharField(help_text=_("The sender's name, masked."))
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    status_wording = serializers.CharField()
    is_overdue = serializers.BooleanField()
    received_at = serializers.DateTimeField()
    reply_due_at = serializers.DateTimeField(allow_null=True)
    unit = serializers.CharField()
    transferred_to = serializers.CharField()
    rejected_reason = serializers.CharField()
    can_dispute = serializers.BooleanField()
    replies = FeedbackPublicReplySerializer(many=True)
    timeline = FeedbackPublicTimelineSerializer(many=True)


class FeedbackPublishedSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(source="item.kind", choices=Kind.choices, read_only=True)
    unit = serializers.CharField(source="item.unit.name", read_only=True)
    category = serializers.CharField(
        source="item.category.name", read_only=True, allow_null=True, default=None
    )
    received_at = serializers.DateTimeField(source="item.received_at", read_only=True)
    replied_at = serializers.DateTimeField(source="item.replied_at", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "title",
            "question",
            "answer",
            "published_at",
            "kind",
            "unit",
            "category",
            "received_at",
            "replied_at",
        ]
        read_only_fields = fields


class FeedbackPublicUnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name", "parent"]
        read_only_fields = fields


def _throttled(limit):
    raise exceptions.Throttled(wait=limit.retry_after or None)


class PublicView(GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]


@extend_schema(
    summary=_("File feedback, a suggestion, a complaint or a denunciation"),
    description=_(
        "Public, no sign-in; multipart (`attachments`: up to FEEDBACK_ATTACHMENTS_MAX_COUNT PDF, "
        "JPEG or PNG files, content checked). Complaints and denunciations need the sender's "
        "name and a way to reach them. Answers the tracking code and the PIN (only here). "
        "Rate-limited per client IP (FEEDBACK_SUBMIT_RATE)."
    ),
    tags=[PUBLIC_TAG],
    auth=[],
    request={
        "multipart/form-data": FeedbackPublicSubmitSerializer,
        "application/json": FeedbackPublicSubmitSerializer,
    },
    responses={201: FeedbackReceiptSerializer, 400: BAD_INPUT, 429: TOO_MANY},
)
class PublicSubmitView(PublicView):
    parser_classes = [MultiPartParser, FormParser, BoundedJSONParser]
    serializer_class = FeedbackPublicSubmitSerializer

    def post(self, request):
        limit = limits.submit(request)
        if limit.limited:
            _throttled(limit)
        serializer = FeedbackPublicSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item, pin = services.feedback_submit(actor=None, **serializer.service_kwargs())
        body = FeedbackReceiptSerializer(
            {
                "code": item.code,
                "pin": pin,
                "kind": item.kind,
                "unit": item.unit.name,
                "received_at": item.received_at,
                "reply_due_at": item.reply_due_at,
                "attachments": item.attachments.count(),
            }
        ).data
        return no_store(Response(body, status=status.HTTP_201_CREATED))


def _track(request, code, pin):
    """The item behind code and PIN, counting the look-up against the limits (per IP always,
    per code on failure); one ``TrackingNotFound`` for an unknown code and a wrong PIN."""
    attempt = limits.pin_attempt(request, code)
    if attempt.limited:
        _throttled(attempt)
    item = tracking.item_by_code_and_pin(code=code, pin=pin)
    if item is None:
        raise tracking.TrackingNotFound()
    limits.pin_right(attempt)
    return item


TRACKING_NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer,
    description=_("No item matches this code and PIN (the same answer for both)."),
)


@extend_schema(
    summary=_("Track an item with its code and PIN"),
    description=_(
        "Public, no sign-in. The same 404 for an unknown code and a wrong PIN; rate-limited per "
        "client IP (TRACKING_RATE_PER_IP) and, for failed look-ups, per code "
        "(TRACKING_RATE_PER_CODE). POST, so the PIN never appears in a URL."
    ),
    tags=[PUBLIC_TAG],
    auth=[],
    request=FeedbackTrackingInputSerializer,
    responses={
        200: FeedbackPublicItemSerializer,
        400: BAD_INPUT,
        404: TRACKING_NOT_FOUND,
        429: TOO_MANY,
    },
)
class PublicTrackView(PublicView):
    parser_classes = [BoundedJSONParser, FormParser]
    serializer_class = FeedbackTrackingInputSerializer

    def post(self, request):
        serializer = FeedbackTrackingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = _track(request, serializer.validated_data["code"], serializer.validated_data["pin"])
        return no_store(
            Response(FeedbackPublicItemSerializer(tracking.public_view(item_id=item.pk)).data)
        )


@extend_schema(
    summary=_("Dispute the answer (reopen the item)"),
    description=_(
        "Public, with code and PIN like tracking (same limits, same 404): within "
        "FEEDBACK_REOPEN_DAYS of the answer the item is reopened with the reason given."
    ),
    tags=[PUBLIC_TAG],
    auth=[],
    request=FeedbackDisputeInputSerializer,
    responses={
        200: FeedbackPublicItemSerializer,
        400: BAD_INPUT,
        404: TRACKING_NOT_FOUND,
        409: CONFLICT,
        429: TOO_MANY,
    },
)
class PublicDisputeView(PublicView):
    parser_classes = [BoundedJSONParser, FormParser]
    serializer_class = FeedbackDisputeInputSerializer

    def post(self, request):
        serializer = FeedbackDisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _track(request, data["code"], data["pin"])
        item = services.feedback_dispute(code=data["code"], pin=data["pin"], reason=data["reason"])
        return no_store(
            Response(FeedbackPublicItemSerializer(tracking.public_view(item_id=item.pk)).data)
        )


class FeedbackPublishedFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        help_text=_("Words of the title, question or answer (diacritics ignored)."),
    )
    unit = _int_filter(_("Id of a unit: results of it and its descendants."), method="filter_unit")
    kind = filters.ChoiceFilter(choices=Kind.choices, method="filter_kind")

    class Meta:
        model = Publication
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.published_list(q=value).values("pk"))

    def filter_unit(self, queryset, name, value):
        unit = AdministrativeUnit.objects.filter(pk=value).first()
        return queryset.filter(item__unit__path__startswith=unit.path) if unit else queryset.none()

    def filter_kind(self, queryset, name, value):
        return queryset.filter(item__kind=value)


@extend_schema_view(
    get=extend_schema(
        summary=_("Published results (anonymised)"),
        description=_("Public, no sign-in (R-FB-3): newest first, paginated, searchable."),
        tags=[PUBLIC_TAG],
        auth=[],
        responses={200: FeedbackPublishedSerializer(many=True), 400: INVALID_FILTER},
    )
)
class PublishedListView(ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = FeedbackPublishedSerializer
    filterset_class = FeedbackPublishedFilter

    def get_queryset(self):
        return selectors.published_list()


class FeedbackPublicUnitFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", help_text=_("Part of the name (diacritics ignored)."))

    class Meta:
        model = AdministrativeUnit
        fields = []

    def filter_q(self, queryset, name, value):
        return selectors.units_taking_feedback(q=value).filter(pk__in=queryset.values("pk"))


@extend_schema_view(
    get=extend_schema(
        summary=_("Units that take feedback"),
        description=_("Public: units existing today with an active service desk."),
        tags=[PUBLIC_TAG],
        auth=[],
        responses={200: FeedbackPublicUnitSerializer(many=True), 400: INVALID_FILTER},
    )
)
class PublicUnitListView(ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = FeedbackPublicUnitSerializer
    filterset_class = FeedbackPublicUnitFilter

    def get_queryset(self):
        return selectors.units_taking_feedback()


@extend_schema_view(
    get=extend_schema(
        summary=_("Feedback categories"),
        tags=[PUBLIC_TAG],
        auth=[],
        responses={200: FeedbackCategorySerializer(many=True)},
    )
)
class CategoryListView(ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = FeedbackCategorySerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.categories_active()
