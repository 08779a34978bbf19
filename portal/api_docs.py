"""The API's documentation pages (Swagger UI, ReDoc), served from local assets only.

drf-spectacular's stock pages are adapted to the portal's Content Security Policy: no inline
script or style in the HTML, no web fonts from elsewhere. Swagger UI runs under the site-wide
policy unchanged (its init script comes from its own URL). ReDoc injects ``<style>`` elements
at run time, before it could give them a nonce, and builds its search index in a ``blob:`` web
worker; so its page alone allows inline styles and that worker. Scripts stay ``'self'`` only,
and the page shows nothing but the schema the portal generates.

ReDoc's bundle asks a CDN for the Redocly logo in its "API docs by Redocly" credit (an image
the policy would refuse, leaving an error in the console). ``redoc_bundle`` serves the sidecar's
bundle with that address replaced by an empty inline image, so the page makes no request
outside the portal; the credit's text and link stay.
"""

import functools

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOCLY_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
# A transparent 1x1 GIF: the credit keeps its layout and its text, nothing is fetched.
BLANK_IMAGE = b"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


@functools.cache
def _redoc_bundle_bytes() -> bytes:
    """The sidecar's ReDoc bundle without its one outside address (read once per process:
    it is a file of the installed package, not data)."""
    path = finders.find(REDOC_BUNDLE)
    if not path:
        raise ImproperlyConfigured(f"{REDOC_BUNDLE} is missing (drf-spectacular-sidecar).")
    with open(path, "rb") as bundle:
        return bundle.read().replace(REDOCLY_LOGO, BLANK_IMAGE)


@require_GET
def redoc_bundle(request):
    response = HttpResponse(_redoc_bundle_bytes(), content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "portal/api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "portal/api/redoc.html"

    @staticmethod
    def _redoc_standalone():
        return reverse("api-redoc-bundle")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        policy = dict(settings.SECURE_CSP)
        policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
        policy["worker-src"] = [CSP.SELF, "blob:"]
        response._csp_config = policy  # read by ContentSecurityPolicyMiddleware
        return response
