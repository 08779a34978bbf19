"""Routes of the surveys API, included under ``/api/v1/`` by ``portal.api_urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from surveys import api

router = SimpleRouter()
router.register("survey-forms", api.SurveyFormViewSet, basename="survey-form")
router.register("survey-responses", api.SurveyResponseViewSet, basename="survey-response")

urlpatterns = [
    path(
        "surveys/by-token/<str:token>/",
        api.SurveyByTokenView.as_view(),
        name="survey-by-token",
    ),
    path("surveys/kiosk/", api.KioskSurveyView.as_view(), name="survey-kiosk"),
    path("survey-indices/", api.SurveyIndicesView.as_view(), name="survey-indices"),
    *router.urls,
]
