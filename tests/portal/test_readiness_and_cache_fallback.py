"""``/readyz`` reports the database, the cache and the broker separately; the fault-tolerant
cache turns a dead Redis into a per-process fallback within its timeouts (issue 13,
docs/security.md "Redis and other faults")."""

import logging
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from portal import health
from portal.cache import FaultTolerantRedisCache
from tests.redis_outage import OwnRedis


def test_readyz_reports_each_part_and_is_200_when_all_answer(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert {c["status"] for c in body["checks"].values()} == {"ok"}
    assert body["checks"]["broker"]["detail"] == "eager"  # the test settings run tasks in-process
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_and_names_the_database_when_it_is_down(client, db, monkeypatch):
    def broken():
        raise ConnectionError("could not connect to server at 10.0.0.5")

    monkeypatch.setattr(health, "check_database", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["database"]["status"], checks["database"]["error"]) == (
        "down",
        "ConnectionError",
    )
    assert checks["cache"]["status"] == "ok"
    assert "10.0.0.5" not in response.content.decode()  # no address or detail leaks


def test_healthz_stays_the_cheap_liveness_check(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.json() == {"status": "ok"}


def _cache(url, **options):
    return FaultTolerantRedisCache(url, {"KEY_PREFIX": "ft-test", "OPTIONS": options})


def test_a_dead_redis_becomes_a_local_cache_within_the_timeout(caplog):
    own = OwnRedis().start()
    cache = _cache(own.url, FALLBACK_RETRY_SECONDS=60)
    cache.set("kept", 1)
    own.stop()

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        assert cache.get("kept") is None  # a miss, not an error
        assert cache.add("counter", 0, 60) is True
        assert cache.incr("counter") == 1
        assert cache.incr("counter") == 2  # counting goes on in the process
        with pytest.raises(ValueError):
            cache.incr("missing")  # as Redis: no such key
        cache.delete("counter")
        assert cache.get_or_set("page", lambda: "built") == "built"
    assert time.monotonic() - started < 1.0
    assert cache.degraded
    assert caplog.text.count("Redis cache unavailable") == 1  # then Redis is left alone 60 s


def test_the_cache_goes_back_to_redis_when_it_returns():
    own = OwnRedis().start()
    cache = _cache(own.url, FALLBACK_RETRY_SECONDS=0)
    own.stop()
    cache.set("only-local", "x")
    assert cache.degraded

    own.start()
    cache.set("shared", "y")

    assert not cache.degraded
    assert RedisCache(own.url, {"KEY_PREFIX": "ft-test"}).get("shared") == "y"
    assert cache.get("only-local") is None  # the fallback was dropped on recovery
    own.stop()


def test_errors_that_are_not_an_outage_still_raise():
    own = OwnRedis().start()
    cache = _cache(own.url)
    try:
        cache.set("text", "not a number")
        with pytest.raises(Exception, match="not an integer"):
            cache.incr("text")
        assert not cache.degraded
    finally:
        own.stop()


def test_expired_sessions_are_cleared_every_night(db, settings):
    """Sessions live in the database (they survive a Redis outage); beat deletes expired ones."""
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from portal.tasks import clear_sessions

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    tasks = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.clear_sessions" in tasks
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - dt.timedelta(1))
    Session.objects.create(session_key="new", session_data="", expire_date=now + dt.timedelta(1))

    clear_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


def test_production_survives_redis_and_database_restarts_by_configuration():
    """Production: the fault-tolerant cache, sessions in the database, checked connections."""
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="motcua.example.gov.vn",
        DATABASE_URL="postgres://motcua@127.0.0.1:5432/motcua",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    code = (
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.CELERY_TASK_ACKS_LATE,"
        " s.CELERY_WORKER_PREFETCH_MULTIPLIER]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [
        "portal.cache.FaultTolerantRedisCache",
        "django.contrib.sessions.backends.db",
        True,
        False,  # late acks only on the idempotent tasks themselves
        1,
    ]
