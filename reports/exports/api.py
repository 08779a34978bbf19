"""Export jobs through the API (issue 11): list one's jobs (and, for an administrator, their
unit's), create a PDF report or a table export, follow its progress, cancel it, download the
file. Thin views over ``reports.exports.services`` and ``selectors``; another user's job is a
404, the same as a missing one."""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from portal.api import NOT_AUTHENTICATED
from portal.api_errors import ErrorSerializer
from portal.http import no_store
from portal.strict_input import StrictIntegerField
from reports.exports import selectors, services, tables
from reports.exports.models import ExportJob
from reports.exports.views import CONTENT_TYPES

TAG = "exports"


class ExportJobSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=ExportJob.State.choices, read_only=True)
    owner = serializers.CharField(source="owner.get_username", read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file once ready (null before, and after expiry).")
    )

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "table",
            "fmt",
            "title",
            "unit",
            "owner",
            "state",
            "progress",
            "rows_done",
            "rows_total",
            "message",
            "cancel_requested",
            "attempt",
            "personal_data",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "file_size",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if job.state != ExportJob.State.DONE:
            return None
        request = self.context.get("request")
        url = f"/api/v1/reports/exports/{job.pk}/download/"
        return request.build_absolute_uri(url) if request else url


class ExportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportJob.Kind.choices)
    fmt = serializers.ChoiceField(
        choices=ExportJob.Format.choices, help_text=_("pdf for a report; xlsx or csv for a table.")
    )
    table = serializers.ChoiceField(choices=sorted(tables.TABLES), required=False, allow_blank=True)
    unit = StrictIntegerField(help_text=_("Id of a unit you may see."))
    period = serializers.CharField(
        help_text=_("A month (2026-03), a quarter (2026-Q1), a year (2026) or two days.")
    )
    figure = serializers.CharField(
        required=False, help_text=_("Table dossiers: the figure (received, late, overdue…).")
    )
    channel = serializers.CharField(required=False)
    index = StrictIntegerField(
        required=False, help_text=_("Table evaluation_dossiers: the Circular 01 index.")
    )
    staff = StrictIntegerField(required=False)
    profile = serializers.CharField(required=False, help_text=_("Decision 766 profile code."))


NOT_FOUND = OpenApiResponse(response=ErrorSerializer, description=_("No such job of yours."))


class _Pages(PageNumberPagination):
    page_size = 25


@extend_schema(tags=[TAG])
class ExportJobListView(APIView):
    pagination_class = _Pages  # for the schema: the list is paginated like every other list

    @extend_schema(
        summary=_("Your export jobs"),
        description=_(
            "Your jobs, and those about the units you administer, newest first, with their "
            "state and progress (stored in the database: poll this or the job itself)."
        ),
        responses={200: ExportJobSerializer(many=True), 401: NOT_AUTHENTICATED},
    )
    def get(self, request):
        paginator = _Pages()
        page = paginator.paginate_queryset(selectors.jobs_visible(user=request.user), request)
        data = ExportJobSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        summary=_("Start an export"),
        description=_(
            "A PDF report of a unit and period (kind report, fmt pdf; rendered on the pdf "
            "queue) or a table (kind table, fmt xlsx or csv, table one of the listed names). "
            "Answers 202 with the queued job."
        ),
        request=ExportCreateSerializer,
        responses={
            202: ExportJobSerializer,
            400: ErrorSerializer,
            401: NOT_AUTHENTICATED,
            403: ErrorSerializer,
        },
    )
    def post(self, request):
        data = ExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        kind, fmt, table = values.pop("kind"), values.pop("fmt"), values.pop("table", "")
        job = services.export_job_create(
            owner=request.user,
            kind=kind,
            fmt=fmt,
            table=table,
            params=values,
            language=getattr(request, "LANGUAGE_CODE", None),
        )
        body = ExportJobSerializer(job, context={"request": request}).data
        return ApiResponse(body, status=status.HTTP_202_ACCEPTED)


def _job(request, pk) -> ExportJob:
    try:
        return selectors.job_for(user=request.user, pk=pk)
    except ExportJob.DoesNotExist:
        raise exceptions.NotFound() from None


@extend_schema(tags=[TAG])
class ExportJobDetailView(APIView):
    @extend_schema(
        summary=_("An export job"),
        responses={200: ExportJobSerializer, 401: NOT_AUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        job = _job(request, pk)
        return ApiResponse(ExportJobSerializer(job, context={"request": request}).data)


@extend_schema(tags=[TAG])
class ExportJobCancelView(APIView):
    @extend_schema(
        summary=_("Cancel an export job"),
        description=_(
            "A queued job is cancelled at once; a running one stops at its next progress "
            "update (cancel_requested), its partial file deleted. A finished job: 409."
        ),
        request=None,
        responses={
            200: ExportJobSerializer,
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
            409: ErrorSerializer,
        },
    )
    def post(self, request, pk):
        job = services.export_job_cancel(job=_job(request, pk), actor=request.user)
        return ApiResponse(ExportJobSerializer(job, context={"request": request}).data)


@extend_schema(tags=[TAG])
class ExportJobDownloadView(APIView):
    @extend_schema(
        summary=_("Download the file of an export job"),
        description=_(
            "The finished file (PDF, XLSX or CSV), never cached; every download is audited. "
            "Not finished yet: 409; expired and deleted: 410."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            401: NOT_AUTHENTICATED,
            404: NOT_FOUND,
            409: ErrorSerializer,
            410: ErrorSerializer,
        },
    )
    def get(self, request, pk):
        job = _job(request, pk)
        handle = services.export_file_open(job=job, user=request.user)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=job.download_name or f"export.{job.fmt}",
            content_type=CONTENT_TYPES.get(job.fmt, "application/octet-stream"),
        )
        return no_store(response)
