"""Tracking codes and PINs shared by every app that gives citizens something to track
(dossiers, feedback): gapless counters for codes and register numbers, random PINs and their
keyed hashes, and short codes a citizen types instead of a long link (survey invitations).

PINs are stored as an HMAC keyed with ``SECRET_KEY``, not a slow password hash: the public
tracking pages must answer in milliseconds, and a six-digit PIN would fall to an offline
search against any hash, so the secret key is what protects it (docs/architecture.md).
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import connection

from portal.models import Counter

PIN_DIGITS = 6


def counter_next(*, key: str) -> int:
    """Increment a gapless counter inside the caller's transaction (one upsert statement): a
    rollback gives the number back, and concurrent callers wait on the row lock."""
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, value) VALUES (%s, 1) "  # noqa: S608 - table name is ours
            f"ON CONFLICT (key) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [key],
        )
        return cursor.fetchone()[0]


def pin_new() -> str:
    """A random PIN of ``PIN_DIGITS`` digits (shown once, printed on the slip)."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def pin_hash(*, code: str, pin: str) -> str:
    """The keyed hash stored for ``pin`` of the item with ``code``."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{code}:{pin}".encode(), hashlib.sha256).hexdigest()


def pin_matches(*, stored_hash: str, code: str, pin: str) -> bool:
    """Whether ``pin`` (as typed: surrounding spaces ignored) is the one behind ``stored_hash``,
    compared in constant time."""
    return hmac.compare_digest(stored_hash, pin_hash(code=code, pin=(pin or "").strip()))


# --- short codes a citizen types (survey invitations; feedback may reuse them) -------------
# No 0/O, 1/I/L: letters and digits that cannot be misread on paper or typed wrongly.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 10  # 31**10 ≈ 8·10**14 codes: guessing one under the rate limits is hopeless


def short_code_from(secret_material: str, *, purpose: str) -> str:
    """A ``SHORT_CODE_LENGTH``-character code derived from ``secret_material`` (e.g. a signed
    token) with a key only the server holds: the same material always gives the same code, and
    the code tells nothing about the material."""
    key = f"{settings.SECRET_KEY}:{purpose}".encode()
    number = int.from_bytes(hmac.new(key, secret_material.encode(), hashlib.sha256).digest())
    base = len(SHORT_CODE_ALPHABET)
    chars = []
    for _position in range(SHORT_CODE_LENGTH):
        number, index = divmod(number, base)
        chars.append(SHORT_CODE_ALPHABET[index])
    return "".join(chars)


def short_code_normalise(typed: str) -> str:
    """What a person typed, as a code: upper case, without spaces, dashes or dots."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def short_code_display(code: str) -> str:
    """``K7M2PQX4RT`` → ``K7M2P-QX4RT``: two groups of five, easier to read out and type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) > 5 else code


def short_code_hash(code: str, *, purpose: str) -> str:
    """The keyed hash stored for a short code (the code itself is never stored)."""
    key = f"{settings.SECRET_KEY}:{purpose}:hash".encode()
    return hmac.new(key, short_code_normalise(code).encode(), hashlib.sha256).hexdigest()
