"""The API's documentation pages (Swagger UI, ReDoc), served from local assets only.

drf-spectacular's stock pages are adapted to the portal's Content Security Policy: no inline
script or style in the HTML, no web fonts from elsewhere. Swagger UI runs under the site-wide
policy unchanged (its init script comes from its own URL). ReDoc injects ``<style>`` elements
at run time, before it could give them a nonce, and builds its search index in a ``blob:`` web
worker; so its page alone allows inline styles and that worker. Scripts stay ``'self'`` only,
and the page shows nothing but the schema the portal generates.
"""

from django.conf import settings
from django.utils.csp import CSP
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "portal/api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    template_name = "portal/api/redoc.html"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        policy = dict(settings.SECURE_CSP)
        policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
        policy["worker-src"] = [CSP.SELF, "blob:"]
        response._csp_config = policy  # read by ContentSecurityPolicyMiddleware
        return response
