"""Single-use tokens for survey links and kiosk devices.

A token is a random part (192 bits) signed with the server's secret key and a purpose salt:
``<random>.<signature>``. The signature lets a forged or mistyped token be refused without
touching the database; the random part makes it unguessable. Only the SHA-256 of the whole
token is stored, so a copy of the database gives no working link.
"""

import hashlib
import secrets

from django.core import signing

from portal import codes

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


SHORT_CODE_PURPOSE = "surveys.invitation.short_code"


def invitation_short_code(token: str) -> str:
    """The short code (10 characters, ``portal.codes``) a citizen can type at the front door
    instead of the survey link: derived from the token with the server's key, so it changes
    when the token does and is never stored (only ``invitation_code_hash`` of it)."""
    return codes.short_code_from(token, purpose=SHORT_CODE_PURPOSE)


def invitation_code_hash(code: str) -> str:
    return codes.short_code_hash(code, purpose=SHORT_CODE_PURPOSE)


def token_check(token: str, *, salt: str) -> str | None:
    """The hash to look up, or None when the token was not signed by us for this purpose."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        _signer(salt).unsign(token)
    except signing.BadSignature:
        return None
    return token_hash(token)
