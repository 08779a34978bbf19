"""Public tracking pages under /tra-cuu/ (Vietnamese: "look up"), no account needed."""

from django.urls import path

from dossiers import tracking_views

app_name = "tracking"

urlpatterns = [
    path("", tracking_views.lookup, name="lookup"),
    path("ket-qua/", tracking_views.result, name="result"),
    path("xong/", tracking_views.forget, name="forget"),
    path("t/<str:token>/", tracking_views.by_token, name="token"),
]
