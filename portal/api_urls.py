from django.urls import include, path
from rest_framework.routers import DefaultRouter

from dossiers.api_urls import router as dossiers_router
from portal import api

router = DefaultRouter()
router.register("units", api.UnitViewSet, basename="unit")
# One router, so the API root lists every app's endpoints.
router.registry.extend(dossiers_router.registry)

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
    # Surveys (R-SUR-1..3): forms, answers by token and at kiosks, responses, indices.
    path("", include("surveys.api_urls")),
    # Reports (R-IND-1..8): indicators, rankings, targets; read-only, from the rollups.
    path("reports/", include("reports.api_urls")),
]
