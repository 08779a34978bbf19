"""A Redis cache that survives Redis outages (issue 13, docs/security.md "Redis and other faults").

``FaultTolerantRedisCache`` is Django's ``RedisCache`` with short socket timeouts. When Redis
does not answer (connection refused, reset or timed out), the operation is logged and served by
a small in-process cache instead, and Redis is left alone for ``RETRY_SECONDS`` before the next
try, so a request never waits on a dead Redis more than once per process and period.

What this means while Redis is down (the stated, safe degradation):

- pages built from the cache (the desk directory, the dashboard page cache) are rebuilt from
  the database and kept per process;
- rate-limit counters (django-ratelimit, DRF throttles, ``portal.throttling``) keep counting,
  per worker process: a limit of N holds as at most N × number of worker processes, and the
  counts restart when Redis comes back;
- nothing the cache holds is the only copy of anything: sessions live in the database
  (``SESSION_ENGINE``), outbox rows and dossiers too.

Any other Redis error (a wrong command, a full memory with ``noeviction``) is raised as before.

Settings (``OPTIONS`` of the cache): ``socket_connect_timeout`` and ``socket_timeout`` (seconds,
passed to redis-py), ``FALLBACK_RETRY_SECONDS`` (default 5), ``FALLBACK_MAX_ENTRIES`` (1000).
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: The errors that mean "Redis is not there", as opposed to a bug in the caller.
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)

DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.5}


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's ``RedisCacheClient`` keeping one ``redis.Redis`` client per connection pool.

    Django builds a new ``redis.Redis(connection_pool=pool)`` for every cache call, and each
    construction fills a ~170-entry table of response callbacks: two or three per tracking
    look-up (issue 14, docs/performance.md). A ``redis.Redis`` client is thread-safe (it takes
    a connection from its pool for each command and gives it back), so one per pool is reused
    for the life of the cache object (Django keeps one per thread, with its pools). Connections and their failures stay the pool's business: an
    outage does not spoil the client, the next command asks the pool for a new connection.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._clients_lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            with self._clients_lock:  # one pool and one client per index, even under a race
                client = self._clients.get(index)
                if client is None:
                    if index not in self._pools:  # as Django's _get_connection_pool
                        self._pools[index] = self._pool_class.from_url(
                            self._servers[index], **self._pool_options
                        )
                    pool = self._pools[index]
                    client = self._clients[index] = self._client(connection_pool=pool)
        return client


def _tolerant(method_name):
    """The named cache method, tried on Redis and served by the local fallback on an outage."""

    def method(self, *args, **kwargs):
        if self._redis_usable():
            try:
                result = getattr(super(FaultTolerantRedisCache, self), method_name)(*args, **kwargs)
            except OUTAGE_ERRORS as exc:
                self._mark_down(method_name, exc)
            else:
                self._mark_up()
                return result
        return getattr(self._fallback, method_name)(*args, **kwargs)

    method.__name__ = method_name
    method.__doc__ = getattr(RedisCache, method_name).__doc__
    return method


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("FALLBACK_RETRY_SECONDS", 5))
        max_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 1000))
        for key, value in DEFAULT_TIMEOUTS.items():
            options.setdefault(key, value)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        # Django makes a cache object per thread; the fallback's entries are shared by the
        # threads of a process (LocMemCache keeps them per name, behind a lock).
        self._fallback = LocMemCache(
            f"fault-tolerant-fallback:{server}:{params.get('KEY_PREFIX', '')}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": max_entries},
            },
        )
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down_since = None

    # --- outage bookkeeping ---------------------------------------------------------------
    def _redis_usable(self) -> bool:
        return time.monotonic() >= self._down_until

    def _mark_down(self, operation, exc) -> None:
        with self._lock:
            first = self._down_since is None
            if first:
                self._down_since = time.monotonic()
            self._down_until = time.monotonic() + self.retry_seconds
        log = logger.error if first else logger.warning
        log(
            "Redis cache unavailable (%s: %s); serving from the local fallback for %.0f s",
            operation,
            exc.__class__.__name__,
            self.retry_seconds,
        )

    def _mark_up(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            seconds = time.monotonic() - self._down_since
            self._down_since = None
            self._down_until = 0.0
        logger.warning("Redis cache back after %.1f s; local fallback entries dropped", seconds)
        self._fallback.clear()

    @property
    def degraded(self) -> bool:
        """True while the last Redis operation failed (served by the local fallback)."""
        return self._down_since is not None

    def ping(self) -> None:
        """Ask Redis directly, with the short timeouts; raises on an outage (readiness check)."""
        client = self._cache.get_client(write=True)
        client.ping()

    get = _tolerant("get")
    get_many = _tolerant("get_many")
    set = _tolerant("set")
    set_many = _tolerant("set_many")
    add = _tolerant("add")
    touch = _tolerant("touch")
    delete = _tolerant("delete")
    delete_many = _tolerant("delete_many")
    has_key = _tolerant("has_key")
    incr = _tolerant("incr")
    clear = _tolerant("clear")
