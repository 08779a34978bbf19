"""DRF throttles that count clients the way the pages' rate limits do (``portal.http.client_ip``:
trusted proxies, IPv6 per /64), so a limit means the same on a page and in the API."""

from rest_framework import throttling

from portal.http import client_ip


class ClientIpMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(ClientIpMixin, throttling.AnonRateThrottle):
    pass


class ScopedRateThrottle(ClientIpMixin, throttling.ScopedRateThrottle):
    pass
