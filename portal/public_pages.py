"""Helpers of the public look-up pages (dossier tracking at ``/tra-cuu/``, feedback tracking at
``/phan-anh/tra-cuu/``): no account, a code and a PIN, nothing personal in a URL or a history.

- ``see_other``: 303 after a POST, so the browser follows with a GET and Back or Refresh never
  posts the form again;
- ``private``: never indexed, and the path (it may hold a QR token) never sent as a Referer;
- ``SignedCookie``: a short-lived, signed, time-stamped, HttpOnly cookie limited to the page's
  path, holding an id or the code as typed (never the PIN). A look-up then writes nothing on the
  server, and a changed or stale cookie counts as absent.

Why here: both apps need the same behaviour, and ``portal`` is where shared helpers live.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse


def see_other(url: str) -> HttpResponseRedirect:
    """303: the browser follows with a GET, so Back and Refresh never re-post the form."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def private(response):
    """Look-up pages: never indexed, and their path (a QR token) never sent as a Referer, not
    even to our own static files. ``strict-origin`` rather than ``no-referrer``: with the latter
    browsers post forms with ``Origin: null``, which the CSRF check rightly refuses. Callers
    add ``never_cache`` (or ``portal.http.no_store``)."""
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@dataclass(frozen=True)
class SignedCookie:
    """A signed cookie of one look-up page. ``salt`` is the signing salt (never change it while
    cookies may be in flight), ``path_name`` the URL name of the page the cookie is limited to,
    ``max_age`` its life in seconds."""

    name: str
    salt: str
    max_age: int
    path_name: str

    def _path(self) -> str:
        return reverse(self.path_name)

    def set(self, response, value: str) -> None:
        response.set_signed_cookie(
            self.name,
            value,
            salt=self.salt,
            max_age=self.max_age,
            path=self._path(),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )

    def read(self, request) -> str | None:
        """The cookie's value, or None when absent, changed or older than ``max_age``."""
        return request.get_signed_cookie(
            self.name, default=None, salt=self.salt, max_age=self.max_age
        )

    def drop(self, response) -> None:
        response.delete_cookie(self.name, path=self._path(), samesite="Lax")

    def present(self, request) -> bool:
        return self.name in request.COOKIES
