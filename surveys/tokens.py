"""Single-use tokens for survey links and kiosk devices.

A token is a random part (192 bits) signed with the server's secret key and a purpose salt:
``<random>.<signature>``. The signature lets a forged or mistyped token be refused without
touching the database; the random part makes it unguessable. Only the SHA-256 of the whole
token is stored, so a copy of the database gives no working link.
"""

import hashlib
import secrets

from django.core import signing

INVITATION_SALT = "surveys.invitation"
KIOSK_SALT = "surveys.kiosk"
_SEP = "."


def _signer(salt: str) -> signing.Signer:
    return signing.Signer(salt=salt, sep=_SEP)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_new(*, salt: str) -> tuple[str, str]:
    """A fresh token and the hash to store."""
    token = _signer(salt).sign(secrets.token_urlsafe(24))
    return token, token_hash(token)


def token_check(token: str, *, salt: str) -> str | None:
    """The hash to look up, or None when the token was not signed by us for this purpose."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        _signer(salt).unsign(token)
    except signing.BadSignature:
        return None
    return token_hash(token)
