"""Dashboard pages, mounted at /bao-cao/ (namespace ``reports``) by ``portal/urls.py``, which
includes this module by its dotted name (portal imports no app of ours)."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_home, name="dashboard"),
    path("don-vi/<int:unit_id>/", views.dashboard, name="unit"),
    path("don-vi/<int:unit_id>/danh-sach/<slug:figure>/", views.figure_list, name="list"),
]
