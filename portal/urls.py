from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from portal import api_docs, views

urlpatterns = [
    path("", views.home, name="home"),
    path("cong-dan/", views.front_door, name="front_door"),
    path("nhan-vien/", views.staff_home, name="staff_home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tra-cuu/", include("dossiers.tracking.urls")),
    path("bo-phan-mot-cua/", include("dossiers.directory.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("admin/", admin.site.urls),
    path("quan-tri/", include("portal.administration.urls")),
    path("khao-sat/", include("surveys.urls")),
    path("phan-anh/", include("feedback.urls")),
    path("bao-cao/", include("reports.urls")),
    # Official evaluations and exports (issue 11).
    path("reports/evaluations/", include("reports.evaluations.urls")),
    path("reports/exports/", include("reports.exports.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", api_docs.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/redoc/redoc.standalone.js", api_docs.redoc_bundle, name="api-redoc-bundle"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Errors raised outside a DRF view (no URL matches, Django's own 400/403/500): JSON under
# /api/, the site's pages elsewhere (portal/api_errors.py).
handler400 = "portal.api_errors.api_or_page_400"
handler403 = "portal.api_errors.api_or_page_403"
handler404 = "portal.api_errors.api_or_page_404"
handler500 = "portal.api_errors.api_or_page_500"
