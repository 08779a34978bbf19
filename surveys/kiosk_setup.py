"""One-time setup links for kiosk tablets (R-SUR-2).

``kiosk_device_register`` returns the device token once. The staff page does not show that
token: it keeps it in the shared cache (Redis in production) under a fresh random setup code
and shows the link ``/khao-sat/kiosk/cai-dat/<code>/``. Opening that link on the tablet and
confirming takes the token out of the cache (so the link works once) and stores it in a
long-lived HttpOnly cookie on the tablet; after that the token never appears in a URL.

Only a hash of the setup code is used as the cache key, and the entry expires after
``SETUP_MINUTES``. A lost or expired link is replaced by revoking the device and registering
it again.
"""

import hashlib
import secrets

from django.core.cache import cache

SETUP_MINUTES = 30
COOKIE_NAME = "motcua_kiosk"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers keep a cookie (400 days)
_PREFIX = "surveys:kiosk-setup:"


def _key(code: str) -> str:
    return _PREFIX + hashlib.sha256(code.encode()).hexdigest()


def setup_code_create(*, device_token: str) -> str:
    """Keep the device token for one setup; returns the code for the setup link."""
    code = secrets.token_urlsafe(24)
    cache.set(_key(code), device_token, timeout=SETUP_MINUTES * 60)
    return code


def setup_code_peek(code: str) -> bool:
    """Whether the code still opens a setup (without using it up)."""
    if not isinstance(code, str) or not 0 < len(code) <= 100:
        return False
    return cache.get(_key(code)) is not None


def setup_code_consume(code: str) -> str | None:
    """The device token behind the code, once: of two tablets opening the same link at the same
    moment only the one whose delete succeeds gets it (the cache's delete is atomic)."""
    if not isinstance(code, str) or not 0 < len(code) <= 100:
        return None
    key = _key(code)
    token = cache.get(key)
    if token is None or not cache.delete(key):
        return None
    return token
