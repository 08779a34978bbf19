from rest_framework.routers import DefaultRouter

from portal import api

router = DefaultRouter()
router.register("units", api.UnitViewSet, basename="unit")

urlpatterns = router.urls
