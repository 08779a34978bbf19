"""Public desk directory under /bo-phan-mot-cua/ ("one-stop desks"), no account needed."""

from django.urls import path

from dossiers.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.desk, name="desk"),
]
