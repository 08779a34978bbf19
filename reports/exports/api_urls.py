"""Routes of the export jobs API, included under ``/api/v1/reports/exports/`` by
``portal.api_urls``."""

from django.urls import path

from reports.exports import api

urlpatterns = [
    path("", api.ExportJobListView.as_view(), name="export-jobs"),
    path("<uuid:pk>/", api.ExportJobDetailView.as_view(), name="export-job"),
    path("<uuid:pk>/cancel/", api.ExportJobCancelView.as_view(), name="export-job-cancel"),
    path("<uuid:pk>/download/", api.ExportJobDownloadView.as_view(), name="export-job-download"),
]
