"""Routes of the feedback API, included under ``/api/v1/`` by ``portal.api_urls``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from feedback import api

router = SimpleRouter()
router.register("feedback", api.FeedbackViewSet, basename="feedback")

urlpatterns = [
    path("public/feedback/", api.PublicSubmitView.as_view(), name="feedback-public-submit"),
    path("public/feedback/track/", api.PublicTrackView.as_view(), name="feedback-public-track"),
    path(
        "public/feedback/dispute/", api.PublicDisputeView.as_view(), name="feedback-public-dispute"
    ),
    path(
        "public/feedback/published/",
        api.PublishedListView.as_view(),
        name="feedback-public-published",
    ),
    path("public/feedback/units/", api.PublicUnitListView.as_view(), name="feedback-public-units"),
    path(
        "public/feedback/categories/",
        api.CategoryListView.as_view(),
        name="feedback-public-categories",
    ),
    *router.urls,
]
