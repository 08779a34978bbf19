"""Public tracking pages under /tra-cuu/ (Vietnamese: "look up"), no account needed."""

from django.urls import path

from dossiers.tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("ket-qua/", views.result, name="result"),
    path("xong/", views.forget, name="forget"),
    path("t/<str:token>/", views.by_token, name="token"),
]
