"""The dashboards' page cache, shared by every web process (the cache backend, Redis in
production; nothing is kept in a process's memory).

A dashboard is built from the rollups only, so it can change only when rollups, targets or
weights change, when the day changes (today's snapshot) or when the unit tree changes. Every
recompute commit, and every saved target or weight version, increments one counter (the
**rollups version**); a page's key carries that version, the day, the unit, the period, the
page's options, the language and a digest of the viewer's scope (their units and whether they
cover the units below, which decides the links shown). A recompute therefore makes the next
request rebuild the page: the beat's 30 s cycle still bounds freshness, and between recomputes
every leader opening the same dashboard is served from the cache. ``REPORTS_PAGE_CACHE_SECONDS``
bounds what only the tree could change (0: no page cache). The page cache is used only with a
cache every process shares (Redis: production, the benchmarks), never with the in-process
default of the demo settings."""

import hashlib
import zlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from portal.selectors import active_memberships

VERSION_KEY = "reports:rollups-version"
# Part of every key: raise it when the dashboard's templates change, so pages cached by the
# previous release are not served by the new one.
LAYOUT = 5


def page_cache_seconds() -> int:
    """How long a page may stay cached; 0 (no page cache) unless the cache is shared by every
    process: with Django's in-process default (``LocMemCache``) a recompute in the worker would
    not reach the web processes' copies."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return 0
    return int(getattr(settings, "REPORTS_PAGE_CACHE_SECONDS", 300))


def rollups_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return int(version)


def rollups_changed(**_kwargs) -> None:
    """Make every cached page stale (after a recompute commits, or a target or weights change;
    also a signal receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new value differs from the pages' keys
        cache.add(VERSION_KEY, 2, timeout=None)


def scope_digest(user) -> str:
    """Who sees what: a superuser, or the units of the user's roles in force and whether each
    covers the units below (one query)."""
    if user.is_superuser:
        return "all"
    rows = sorted(
        {(m.unit_id, m.covers_descendants) for m in active_memberships(user=user)}, key=str
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def dashboard_key(*, user, unit, period, options: dict) -> str:
    """The fragment key of a dashboard (see the module's docstring)."""
    parts = [
        LAYOUT,
        rollups_version(),
        timezone.localdate().isoformat(),
        unit.pk,
        str(period),
        translation.get_language() or "",
        scope_digest(user),
        *(f"{k}={options[k]}" for k in sorted(options)),
    ]
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def cached_page(key: str) -> bytes | None:
    """A page body (UTF-8) kept by ``cache_page``, or None."""
    data = cache.get(f"reports:page:{key}")
    return zlib.decompress(data) if data is not None else None


def cache_page(key: str, body: bytes, seconds: int) -> None:
    """Keep a page body, compressed (a province's ranking is a few hundred kB of HTML, a tenth
    of that compressed: less to move to and from the cache on every look)."""
    cache.set(f"reports:page:{key}", zlib.compress(body, 1), seconds)
