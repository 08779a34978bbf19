"""Pages of the official evaluations, mounted at /reports/evaluations/ (namespace
``evaluations``) by portal/urls.py."""

from django.urls import path

from reports.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.circular01_page, name="circular01"),
    path("dossiers/", views.dossiers_page, name="dossiers"),
    path("entries/", views.entry_page, name="entries"),
    path("766/", views.index766_page, name="index766"),
    path("766/entries/", views.entry766_page, name="entries766"),
    path("scorecards/", views.scorecards_page, name="scorecards"),
]
