"""Signed tracking links for the QR code on the receipt slip (R-LIFE-5).

The link carries a token that encodes the dossier's id and nothing else: no PIN, no code, no
name, no phone (R-PRIV-1: personal data never in URLs). It is signed with the server's secret
key (``django.core.signing``, salt ``dossiers.tracking``), so it cannot be forged or pointed at
another dossier; a changed token fails the signature check.

A token is a bearer link (anyone holding the printed slip can open it), so the page behind it
should show what the public tracking page shows for a code, masked (R-PRIV-1).
"""

from django.core import signing
from django.urls import reverse

from portal.http import public_url

SALT = "dossiers.tracking"  # never change it: printed slips carry tokens signed with it


def make_tracking_token(dossier) -> str:
    """A URL-safe signed token for the dossier (its id and a timestamp only)."""
    return signing.dumps(int(dossier.pk), salt=SALT, compress=False)


def read_tracking_token(token: str, max_age=None) -> int:
    """The dossier id in ``token``.

    Raises ``django.core.signing.BadSignature`` for a changed, forged or malformed token, and
    its subclass ``SignatureExpired`` when ``max_age`` (seconds or a timedelta) has passed.
    """
    value = signing.loads(token, salt=SALT, max_age=max_age)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise signing.BadSignature("The tracking token does not hold a dossier id.")
    return value


def tracking_url(dossier) -> str:
    """The public tracking page of the dossier, for the QR code on slips (``PORTAL_PUBLIC_URL``)."""
    return public_url(reverse("tracking:token", args=[make_tracking_token(dossier)]))
