"""Routes of the reports API, included under ``/api/v1/reports/`` by ``portal.api_urls``."""

from django.urls import path

from reports import api

urlpatterns = [
    path("indicators/", api.IndicatorsView.as_view(), name="report-indicators"),
    path("rankings/", api.RankingView.as_view(), name="report-rankings"),
    path("targets/", api.TargetsView.as_view(), name="report-targets"),
]
