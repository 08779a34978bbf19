"""Database locks of the recomputes (PostgreSQL advisory locks; no-ops on SQLite, where the demo
runs one process).

- ``lock_days`` (transaction-scoped, waits): whoever overwrites the rollups of a day holds that
  day's lock until commit, so the beat task, the nightly rebuild and a manual rebuild never
  interleave their delete + insert of the same day. Days are always locked in ascending order
  (no deadlock between two recomputes).
- ``try_lock_days``: the same without waiting (the beat task leaves a locked day dirty and
  comes back to it at its next run).
- ``range_lock`` (session-scoped, does not wait): one rebuild per range at a time; a second start
  of the same range is refused while the first one's connection holds the lock. A worker that
  dies loses its connection and so its lock, and the next start resumes its run.
"""

import contextlib
import zlib

from django.db import connection

DAY_NAMESPACE = 0x5250  # "RP": one lock key per day (its ordinal)
RANGE_NAMESPACE = 0x5251


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def lock_days(days) -> None:
    if not _is_postgres():
        return
    with connection.cursor() as cursor:
        for day in sorted(set(days)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [DAY_NAMESPACE, day.toordinal()])


def try_lock_days(days) -> bool:
    if not _is_postgres():
        return True
    with connection.cursor() as cursor:
        for day in sorted(set(days)):
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", [DAY_NAMESPACE, day.toordinal()]
            )
            if not cursor.fetchone()[0]:
                return False
    return True


def range_key(key: str) -> int:
    return zlib.crc32(key.encode()) & 0x7FFFFFFF


@contextlib.contextmanager
def range_lock(key: str):
    """Yields True when this connection got the range's lock, False when another holds it."""
    if not _is_postgres():
        yield True
        return
    number = range_key(key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RANGE_NAMESPACE, number])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RANGE_NAMESPACE, number])
