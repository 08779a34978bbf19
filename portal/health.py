"""Readiness checks (``/readyz``): the database, the Redis cache and the Celery broker, each
asked separately with a short timeout, so an operator sees which one is down (issue 13).

``/healthz`` stays the cheap liveness probe (the process answers and reaches the database)."""

import time

from django.core.cache import caches
from django.db import connection

from portal import broker


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        detail = check()
    except Exception as exc:  # any failure of the dependency means "not ready"
        return {
            "status": "down",
            "error": exc.__class__.__name__,
            "ms": round((time.monotonic() - started) * 1000),
        }
    result = {"status": "ok", "ms": round((time.monotonic() - started) * 1000)}
    if detail:
        result["detail"] = detail
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is None:  # a local cache (the demo run): nothing outside the process to reach
        return "local"
    ping()
    return None


def check_broker():
    from portal.celery import app

    if app.conf.task_always_eager:  # the demo run: tasks run in the request, no broker
        return "eager"
    broker.ping()
    return None


def readiness() -> tuple[bool, dict]:
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": _timed(check_broker),
    }
    ready = all(c["status"] == "ok" for c in checks.values())
    return ready, {"status": "ok" if ready else "unavailable", "checks": checks}
