"""REST API of the core app: administrative units (read-only) and token sign-in.

Scoping by role (R-UNIT-3) comes from ``portal.selectors.visible_units``: a unit outside the
user's units is absent from the list and its detail answers 404, so its existence is not
revealed.
"""

from django.db.models import Count
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from portal import selectors, services
from portal.api_errors import ErrorSerializer
from portal.api_filters import StrictIntegerField
from portal.models import AdministrativeUnit, UnitLevel
from portal.search import FoldAccents, fold_accents
from portal.selectors import in_force_q
from portal.throttling import ScopedRateThrottle


class UnitSerializer(serializers.ModelSerializer):
    tree = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Code of the unit tree.")
    )
    children_count = serializers.IntegerField(
        read_only=True,
        help_text=_("Number of direct child units in the tree, whatever their validity."),
    )

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "tree",
            "parent",
            "level",
            "code",
            "name",
            "division_type",
            "valid_from",
            "valid_to",
            "children_count",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """An integer id; ``1.5``, ``30.0`` or ``x`` are rejected rather than rounded."""

    field_class = StrictIntegerField


INVALID_FILTER = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("A filter value is invalid: messages by parameter name."),
)
NOT_AUTHENTICATED = OpenApiResponse(
    response=ErrorSerializer, description=_("No valid credentials were sent.")
)


def read_only_schema(serializer, *, list_summary, retrieve_summary, not_found, tags=None):
    """The OpenAPI description of a read-only viewset: a filterable list of ``serializer``
    objects and one of them by id (``not_found``: the 404 answer)."""
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            tags=tags,
            responses={200: serializer(many=True), 400: INVALID_FILTER, 401: NOT_AUTHENTICATED},
        ),
        retrieve=extend_schema(
            summary=retrieve_summary,
            tags=tags,
            responses={200: serializer, 401: NOT_AUTHENTICATED, 404: not_found},
        ),
    )


class UnitFilter(filters.FilterSet):
    tree = filters.CharFilter(field_name="tree__code", help_text=_("Code of the unit tree."))
    level = filters.ChoiceFilter(choices=UnitLevel.choices, help_text=_("Level of the unit."))
    # A plain number, not a model choice: an unknown or hidden parent gives an empty list
    # rather than a validation error that would tell whether the unit exists.
    parent = extend_schema_field({"type": "integer", "description": _("Id of the parent unit.")})(
        IdFilter(field_name="parent_id")
    )
    code = filters.CharFilter(help_text=_("Official code of the unit."))
    valid_on = filters.DateFilter(
        method="filter_valid_on",
        input_formats=["%Y-%m-%d"],  # the API speaks ISO 8601 whatever the page language
        help_text=_("Only units that exist on this day (YYYY-MM-DD)."),
    )
    q = filters.CharFilter(
        method="filter_q",
        help_text=_("Part of the name; case and Vietnamese diacritics are ignored."),
    )

    class Meta:
        model = AdministrativeUnit
        fields = ["tree", "level", "parent", "code", "valid_on", "q"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(in_force_q(value))

    def filter_q(self, queryset, name, value):
        term = fold_accents(value)
        if not term:
            return queryset
        return queryset.filter(Contains(FoldAccents("name"), term))


@read_only_schema(
    UnitSerializer,
    list_summary=_("List the units you may see"),
    retrieve_summary=_("One unit you may see"),
    not_found=OpenApiResponse(
        response=ErrorSerializer, description=_("No such unit, or not one of yours.")
    ),
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units (R-UNIT-1) within the caller's roles (R-UNIT-3)."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return (
            selectors.visible_units(user=self.request.user)
            .annotate(children_count=Count("children"))
            .order_by("tree_id", "path", "id")
        )


@extend_schema(
    summary=_("Obtain an API token"),
    description=_(
        "Exchange a username and password for a new API token; send it afterwards as "
        "`Authorization: Token <token>`. The token is shown only in this answer (it is stored "
        "hashed), and issuing it revokes the user's previous token. Rate-limited, and failed "
        "attempts count towards the sign-in lockout."
    ),
    tags=["auth"],
    responses={
        200: AuthTokenSerializer,
        400: OpenApiResponse(
            response=OpenApiTypes.OBJECT,
            description=_(
                "Missing fields, wrong username or password, or an account locked out after "
                "repeated failures (the same answer, so a lockout is not revealed)."
            ),
        ),
        429: OpenApiResponse(response=ErrorSerializer, description=_("Too many requests.")),
    },
)
class ObtainTokenView(GenericAPIView):
    # Credentials are in the body; no session or token is needed (so no CSRF check either),
    # and the rate limit counts per client IP. DRF's serializer authenticates through
    # django.contrib.auth with the request, so django-axes counts failures and lockouts.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"
    serializer_class = AuthTokenSerializer
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    renderer_classes = [JSONRenderer]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        _token, key = services.api_token_create(user=user, actor=user)
        return Response({"token": key})
