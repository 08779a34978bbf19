from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from portal import api

# The apps' API routers, named like `include("surveys.api_urls")` names its module: the core
# imports no app of ours (the import-linter layers contract in pyproject.toml checks it). Each
# module's `router` joins the root router, so the API root lists its endpoints.
APP_ROUTERS = ("dossiers.api_urls",)

router = DefaultRouter()
router.register("units", api.UnitViewSet, basename="unit")
# One router, so the API root lists every app's endpoints.
for module_name in APP_ROUTERS:
    router.registry.extend(import_module(module_name).router.registry)

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
    # Surveys (R-SUR-1..3): forms, answers by token and at kiosks, responses, indices.
    path("", include("surveys.api_urls")),
    path("", include("feedback.api_urls")),  # feedback and complaints (R-FB-1..4)
    # Reports (R-IND-1..8): indicators, rankings, targets; read-only, from the rollups.
    path("reports/", include("reports.api_urls")),
    # Export jobs (issue 11): PDF reports, XLSX/CSV tables, progress, cancel, audited download.
    path("reports/exports/", include("reports.exports.api_urls")),
]
