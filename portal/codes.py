"""Tracking codes and PINs shared by every app that gives citizens something to track
(dossiers, feedback): gapless counters for codes and register numbers, random PINs and their
keyed hashes.

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
