"""HTTP helpers every app uses: who the client is (for rate limits) and how files are answered.

One place for each, so that a proxy setting or a cache policy cannot drift between apps.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpResponse
from django.urls import get_script_prefix
from django.utils.cache import add_never_cache_headers, patch_cache_control


def client_ip(request) -> str:
    """The client's address for rate limits: ``REMOTE_ADDR``, or the address the nearest
    trusted proxy saw (``DJANGO_NUM_PROXIES``, the rule DRF's throttles use). IPv6 clients are
    counted per /64, the block one subscriber usually gets, so one household cannot dodge a
    limit by rotating addresses inside its own prefix."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            remote = addresses[-min(proxies, len(addresses))]
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return remote
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def no_store(response: HttpResponse) -> HttpResponse:
    """The one cache policy for anything that may carry personal data (R-PRIV-1): never kept
    by the browser or a proxy (``private, no-store`` plus Django's never-cache headers)."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (``inline``) under ``filename``, never cached: every PDF the
    portal prints either carries personal data or is cheap to render again."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return no_store(response)


def public_url(path: str = "/") -> str:
    """The address a citizen reaches ``path`` at (a path from ``reverse()``, or ``"/"``): the one
    setting ``PORTAL_PUBLIC_URL`` plus the path. Every link that leaves the server (QR codes on
    slips and invitations, links in SMS and e-mail) is built here, never from the request, so a
    printed link works from outside the desk's network. ``make run`` sets the setting from
    ``HOST`` and ``PORT``. A script prefix that ``reverse()`` added is dropped: the public
    address already ends where the portal starts."""
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    return settings.PORTAL_PUBLIC_URL.rstrip("/") + "/" + path.lstrip("/")
