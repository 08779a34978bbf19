"""Pages of the exports, mounted at /reports/exports/ (namespace ``exports``) by portal/urls.py."""

from django.urls import path

from reports.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("<uuid:pk>/progress/", views.export_progress, name="progress"),
    path("<uuid:pk>/cancel/", views.export_cancel, name="cancel"),
    path("<uuid:pk>/download/", views.export_download, name="download"),
    path("tables/<slug:table>.<slug:fmt>", views.table_export, name="table"),
]
