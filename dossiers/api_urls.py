"""Routes of the dossiers API; ``portal.api_urls`` adds them to the ``/api/v1/`` router."""

from rest_framework.routers import SimpleRouter

from dossiers import api

router = SimpleRouter()
router.register("procedures", api.ProcedureViewSet, basename="procedure")
router.register("dossiers", api.DossierViewSet, basename="dossier")

urlpatterns = router.urls
