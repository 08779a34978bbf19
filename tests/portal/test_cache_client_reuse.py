"""The fault-tolerant cache reuses one redis-py client per connection pool instead of building
one per cache call (issue 14, docs/performance.md), and the reused client still rides out an
outage (issue 13)."""

import threading
from unittest import mock

import redis

from portal.cache import FaultTolerantRedisCache
from tests.redis_outage import OwnRedis


def _cache(url, **options):
    return FaultTolerantRedisCache(url, {"KEY_PREFIX": "reuse-test", "OPTIONS": options})


def test_two_cache_calls_reuse_the_same_client(settings):
    cache = _cache(settings.CACHES["default"]["LOCATION"])
    try:
        with mock.patch.object(redis, "Redis", wraps=redis.Redis) as built:
            cache._cache._client = redis.Redis  # the patched class, as Django reads it
            cache.set("a", 1)
            assert cache.get("a") == 1
            assert cache.incr("a") == 2
        first = cache._cache.get_client(write=True)
        assert cache._cache.get_client() is first  # reads and writes share the one pool
        assert built.call_count == 1
        assert first.connection_pool is cache._cache._get_connection_pool(True)
    finally:
        cache.delete("a")


def test_threads_sharing_the_cache_object_get_one_client(settings):
    cache = _cache(settings.CACHES["default"]["LOCATION"])
    cache._cache  # noqa: B018 - Django's client object, made once (one per thread in Django)
    clients = []
    barrier = threading.Barrier(8)

    def work():
        barrier.wait()
        clients.append(cache._cache.get_client(write=True))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in clients}) == 1
    assert len(cache._cache._pools) == 1


def test_the_reused_client_works_again_after_an_outage():
    own = OwnRedis().start()
    cache = _cache(own.url, FALLBACK_RETRY_SECONDS=0)
    cache.set("k", "before")
    client = cache._cache.get_client(write=True)
    own.stop()
    assert cache.get("k") is None  # served by the fallback
    assert cache.degraded

    own.start()
    try:
        cache.set("k", "after")
        assert not cache.degraded
        assert cache.get("k") == "after"
        assert cache._cache.get_client(write=True) is client
    finally:
        own.stop()
