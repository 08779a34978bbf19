from django.urls import path
from rest_framework.routers import DefaultRouter

from portal import api

router = DefaultRouter()
router.register("units", api.UnitViewSet, basename="unit")

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
