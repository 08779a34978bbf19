"""How a kiosk tablet authenticates to the surveys API: ``Authorization: Kiosk <device token>``.

The token is the one shown once when a leader registered the tablet at a desk
(``surveys.services.kiosk_device_register``). An unknown, malformed or revoked token gets one and
the same 403 (``KioskRefused``), so probing tells nothing. The request stays anonymous (no user);
``request.auth`` is a ``KioskCredentials`` with the active device, which ``IsKiosk`` requires and
``KioskDeviceThrottle`` counts submissions by (scope ``survey_kiosk``, setting
``SURVEY_KIOSK_RATE``). The kiosk *page* (a cookie, not this header) is in ``surveys.views``.
"""

import dataclasses

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from portal.throttling import CounterThrottle
from surveys import selectors
from surveys.exceptions import KioskDeviceInvalid


@dataclasses.dataclass(frozen=True)
class KioskCredentials:
    """``request.auth`` of a kiosk: the active device and the token it sent."""

    device: object
    token: str


class KioskRefused(exceptions.PermissionDenied):
    """One answer for an unknown, malformed or revoked device token."""

    default_code = "kiosk_refused"

    def __init__(self):
        super().__init__(detail=KioskDeviceInvalid().message)


class KioskAuthentication(BaseAuthentication):
    """``Authorization: Kiosk <device token>``: a registered, active kiosk of a desk. The
    request stays anonymous (no user); ``request.auth`` is a ``KioskCredentials``."""

    keyword = "Kiosk"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise KioskRefused()
        try:
            token = parts[1].decode("ascii")
            device = selectors.kiosk_device_resolve(token)
        except (UnicodeDecodeError, KioskDeviceInvalid):
            raise KioskRefused() from None
        return AnonymousUser(), KioskCredentials(device=device, token=token)

    def authenticate_header(self, request):
        return self.keyword


class KioskAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = KioskAuthentication
    name = "kioskAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _(
                    "`Kiosk <device token>`: the token shown once when a leader registered the "
                    "kiosk at the desk."
                )
            ),
        }


class IsKiosk(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, KioskCredentials)


class KioskDeviceThrottle(CounterThrottle):
    """Submissions per kiosk device (scope ``survey_kiosk``)."""

    scope = "survey_kiosk"

    def get_ident(self, request):
        if not isinstance(request.auth, KioskCredentials):
            return None
        return str(request.auth.device.pk)
