"""Abuse limits: the one place that counts requests (docs/security.md, "Abuse limits").

Every limit of the portal (pages and API, sign-in, tracking, surveys, feedback) goes through
``hit()``: a set of fixed-window counters, each keyed on a name and an identity (the client IP
from ``portal.http.client_ip``, a code, a device), incremented **before** the request is
checked, atomically, all in one Redis round trip. A request is let through only if every
counter it touched is still within its limit after its own increment, so N concurrent tries
never let more than the limit through (the old "read, check, then increment" let 5-7 of 30
through). A refused request takes its increments back (``refused requests count nowhere``),
and a caller can hand increments back for an attempt that turned out not to count (a right
PIN: ``Hit.refund()``).

Rates are written as django-ratelimit and DRF write them, one window or several separated by
commas: ``"20/m"``, ``"5/15m"``, ``"30/hour"``, ``"20/h,50/d,100/7d"``. Several windows are the
back-off: the more a counter is hit, the longer the wait before the next try.

Storage: the default cache. With Django's ``RedisCache`` (production) the counters are one
``MULTI``/``EXEC`` pipeline (``SET key 0 EX window NX``, ``INCR``, ``TTL`` per window), so every
counter has its expiry from its first increment; any other backend goes through the cache API
(``add`` then ``incr``, atomic in ``LocMemCache``). Keys are ``RATELIMIT_CACHE_PREFIX``, the
counter's name, its window and an HMAC (``SECRET_KEY``) of the identity: codes and addresses
are not stored in clear, nor can they be found again from a key by trying sequential codes.

When the cache fails (Redis down, a timeout, a refused connection), no limit ever raises:
counting moves to a per-process memory for ``OUTAGE_RETRY_SECONDS`` before Redis is tried
again, so each limit still holds per worker process (a deployment with W workers lets at most
W times the limit through while Redis is down) and nobody is locked out by the outage. The
warning is logged once per outage and process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import ipaddress
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling
from rest_framework.settings import api_settings

from portal.http import client_ip

logger = logging.getLogger(__name__)

OUTAGE_RETRY_SECONDS = 5
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Window:
    limit: int
    seconds: int


def parse_rate(rate: str | None) -> tuple[Window, ...]:
    """``"5/15m"`` → one window of 5 per 900 s; ``"20/h,50/d"`` → two; ``None``/``""`` → none
    (no limit). A malformed rate raises ``ValueError`` (a settings mistake, seen at once)."""
    if not rate:
        return ()
    windows = []
    for part in str(rate).split(","):
        match = _RATE.match(part)
        if not match:
            raise ValueError(f"Not a rate: {part!r} (expected e.g. '5/15m', '30/hour')")
        count, multiplier, unit = match.groups()
        seconds = int(multiplier or 1) * _UNITS[unit.lower()]
        windows.append(Window(int(count), seconds))
    return tuple(windows)


@dataclasses.dataclass(frozen=True)
class Counter:
    """One limit: ``name`` (e.g. ``"tracking:code"``), ``ident`` (whose count: an address, a
    code) and ``rate`` (see ``parse_rate``)."""

    name: str
    ident: str
    rate: str | None

    def windows(self) -> list[tuple[str, Window]]:
        prefix = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
        key = settings.SECRET_KEY.encode()
        digest = hmac.new(key, self.ident.encode(), hashlib.sha256).hexdigest()[:32]
        return [(f"{prefix}{self.name}:{w.seconds}:{digest}", w) for w in parse_rate(self.rate)]


def ip_counter(name: str, request, rate: str | None) -> Counter:
    """A counter per client address (``portal.http.client_ip``: trusted proxies, IPv6 /64)."""
    return Counter(name, client_ip(request), rate)


@dataclasses.dataclass
class Hit:
    """What ``hit()`` saw: ``limited`` (refuse the request), ``retry_after`` (seconds until
    every exceeded window has reset), ``over`` (names of the exceeded counters)."""

    limited: bool = False
    retry_after: int = 0
    over: tuple[str, ...] = ()
    degraded: bool = False
    _taken: list[tuple[str, str, int]] = dataclasses.field(default_factory=list, repr=False)

    def refund(self, names=None) -> None:
        """Give back this request's increments of the counters ``names`` (all if ``None``):
        the attempt turned out not to count (a right PIN is not a failed try)."""
        keys = [key for name, key, _ in self._taken if names is None or name in names]
        self._taken = [t for t in self._taken if t[1] not in keys]
        _store_refund(keys, degraded=self.degraded)


def hit(*counters: Counter) -> Hit:
    """Count one request against ``counters`` (all windows of all of them, one round trip) and
    say whether it may go on. A refused request's increments are taken back at once."""
    if not settings.RATELIMIT_ENABLE:  # off only where a test sends many requests on purpose
        return Hit()
    taken = [(c.name, key, w) for c in counters for key, w in c.windows()]
    if not taken:
        return Hit()
    values, degraded = _store_incr([(key, w.seconds) for _, key, w in taken])
    over, waits = [], []
    for (name, _key, window), (value, ttl) in zip(taken, values, strict=True):
        if value > window.limit:
            over.append(name)
            waits.append(ttl if ttl and ttl > 0 else window.seconds)
    result = Hit(degraded=degraded, _taken=[(n, k, w.seconds) for n, k, w in taken])
    if over:
        result.refund()
        result.limited = True
        result.retry_after = max(waits)
        result.over = tuple(dict.fromkeys(over))
    return result


# --- the limits the apps share ----------------------------------------------------------
PIN_FAILURES = ("code", "code-ip", "fails-ip")


def pin_attempt(request, *, group: str, code: str) -> Hit:
    """One code + PIN try (tracking a dossier or a feedback item; ``code`` normalised), counted
    before the PIN is checked against (settings, docs/security.md):

    - ``TRACKING_RATE_PER_IP``: every look-up from the client address (``<group>:ip``);
    - ``TRACKING_RATE_PER_CODE_IP``: tries on this code from this address (``<group>:code-ip``),
      the limit a lone guesser meets, which locks out nobody else;
    - ``TRACKING_RATE_PER_CODE``: tries on this code from anywhere (``<group>:code``), a higher
      ceiling in several windows (back-off) that bounds guessing by many addresses;
    - ``TRACKING_FAILS_PER_IP``: failed tries from this address on any code, dossiers and
      feedback together (``pin:fails-ip``), against guessing along sequential codes.

    A right PIN is not a failed try: call ``pin_right(hit)`` and only the look-up counts."""
    ip = client_ip(request)
    return hit(
        Counter(f"{group}:ip", ip, settings.TRACKING_RATE_PER_IP),
        Counter(f"{group}:code", code, settings.TRACKING_RATE_PER_CODE),
        Counter(f"{group}:code-ip", f"{code}\n{ip}", settings.TRACKING_RATE_PER_CODE_IP),
        Counter("pin:fails-ip", ip, settings.TRACKING_FAILS_PER_IP),
    )


def pin_right(attempt: Hit) -> None:
    """The PIN was right: take the try back from the failure counters of ``pin_attempt``."""
    attempt.refund([n for n, _k, _s in attempt._taken if n.rsplit(":", 1)[-1] in PIN_FAILURES])


def lookup(request, *, group: str) -> Hit:
    """A look-up without a PIN (a QR link, a letter): ``TRACKING_RATE_PER_IP`` only."""
    return hit(ip_counter(f"{group}:ip", request, settings.TRACKING_RATE_PER_IP))


def axes_client_ip(request) -> str | None:
    """django-axes' client address (``AXES_CLIENT_IP_CALLABLE``): ``portal.http.client_ip``,
    so a lockout is per user name and *real* client behind the trusted proxies, not per
    proxy. Something that is not an address (a misconfigured proxy count) counts as none."""
    address = client_ip(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


# --- storage -------------------------------------------------------------------------------
_REFUND = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
end
return 0
"""

_down_until = 0.0
_down_lock = threading.Lock()


def _outage(error: Exception) -> None:
    global _down_until
    with _down_lock:
        first = _down_until < time.monotonic()
        _down_until = time.monotonic() + OUTAGE_RETRY_SECONDS
    if first:
        logger.warning(
            "Rate-limit counters unavailable (%s); counting in this process for %s s",
            type(error).__name__,
            OUTAGE_RETRY_SECONDS,
        )


def _cache_down() -> bool:
    return _down_until > time.monotonic()


def _store_incr(items: list[tuple[str, int]]) -> tuple[list[tuple[int, int | None]], bool]:
    """``(value after increment, seconds left)`` per ``(key, window)``, and whether the
    process memory answered instead of the cache."""
    if not _cache_down():
        try:
            return _cache_incr(items), False
        except Exception as error:  # any cache failure degrades, never a 500
            _outage(error)
    return [_LOCAL.incr(key, seconds) for key, seconds in items], True


def _store_refund(keys: list[str], *, degraded: bool) -> None:
    if not keys:
        return
    if not degraded and not _cache_down():
        try:
            _cache_refund(keys)
            return
        except Exception as error:
            _outage(error)
    for key in keys:
        _LOCAL.decr(key)


def _store():
    """The default cache's backend object (``django.core.cache.cache`` is a proxy, which no
    ``isinstance`` check would recognise)."""
    return caches["default"]


def _redis(store):
    if isinstance(store, RedisCache):
        return store._cache.get_client(write=True)
    return None


def _cache_incr(items):
    store = _store()
    client = _redis(store)
    if client is not None:
        pipe = client.pipeline(transaction=True)
        for key, seconds in items:
            full = store.make_and_validate_key(key)
            pipe.set(full, 0, ex=seconds, nx=True)
            pipe.incr(full)
            pipe.ttl(full)
        answers = pipe.execute()
        return [(int(answers[i + 1]), int(answers[i + 2])) for i in range(0, len(answers), 3)]
    values = []
    for key, seconds in items:
        store.add(key, 0, seconds)
        value = store.incr(key)
        if not isinstance(value, int):
            raise TypeError("the cache gave no count")
        values.append((value, None))
    return values


def _cache_refund(keys):
    store = _store()
    client = _redis(store)
    if client is not None:
        client.eval(_REFUND, len(keys), *[store.make_and_validate_key(k) for k in keys])
        return
    for key in keys:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            store.decr(key)


class _LocalCounters:
    """Fixed-window counters in this process's memory, for while the cache is down."""

    MAX_KEYS = 50_000

    def __init__(self):
        self._lock = threading.Lock()
        self._data: dict[str, list] = {}

    def incr(self, key: str, seconds: int) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry[1] <= now:
                if len(self._data) >= self.MAX_KEYS:
                    self._data = {k: v for k, v in self._data.items() if v[1] > now}
                entry = self._data[key] = [0, now + seconds]
            entry[0] += 1
            return entry[0], max(1, int(entry[1] - now))

    def decr(self, key: str) -> None:
        with self._lock:
            entry = self._data.get(key)
            if entry is not None and entry[1] > time.monotonic():
                entry[0] -= 1

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


_LOCAL = _LocalCounters()


def reset_outage_state() -> None:
    """Forget a remembered outage and the in-process counters (tests)."""
    global _down_until
    _down_until = 0.0
    _LOCAL.clear()


# --- DRF -----------------------------------------------------------------------------------
class CounterThrottle(throttling.BaseThrottle):
    """A DRF throttle on ``hit()``: atomic, one round trip, never a 500 when Redis is down.
    ``scope`` names the rate in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``; ``get_ident``
    says whose count it is (the client IP unless a subclass says otherwise; ``None`` skips)."""

    THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    scope: str | None = None

    def __init__(self):
        self._hit = Hit()

    def get_scope(self, view) -> str | None:
        return self.scope

    def get_ident(self, request) -> str | None:
        return client_ip(request)

    def allow_request(self, request, view):
        scope = self.get_scope(view)
        rate = self.THROTTLE_RATES.get(scope) if scope else None
        ident = self.get_ident(request) if rate else None
        if ident is None:
            return True
        self._hit = hit(Counter(f"api:{scope}", str(ident), rate))
        return not self._hit.limited

    def wait(self):
        return self._hit.retry_after or None


class AnonRateThrottle(CounterThrottle):
    """Anonymous requests per client IP (scope ``anon``); signed-in users are not counted."""

    scope = "anon"

    def get_ident(self, request):
        if request.user is not None and request.user.is_authenticated:
            return None
        return client_ip(request)


class ScopedRateThrottle(CounterThrottle):
    """Per client IP under the view's ``throttle_scope``."""

    def get_scope(self, view):
        return getattr(view, "throttle_scope", None)
