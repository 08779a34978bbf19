"""Test settings: real PostgreSQL and Redis (``DATABASE_URL``, ``REDIS_URL``), local defaults."""

import os

from .base import *  # noqa: F403
from .base import LOGGING, env

# Pinned, so a developer's .env with production host names cannot break the test client or
# the live server (pytest-django adds "testserver" itself).
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/motcua"),
}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True


def _worker_redis_url(url: str, worker: str) -> str:
    """Each pytest-xdist process gets its own Redis database for the cache (gw0: the given
    one, gw1: one below, ...): a test's ``cache.clear()`` flushes a whole database, and must
    not reset the rate-limit counters another process's test is counting."""
    base, _sep, number = url.rpartition("/")
    if not worker.startswith("gw") or not number.isdigit():
        return url
    return f"{base}/{(int(number) - int(worker[2:])) % 16}"


CACHES = {
    "default": {
        "BACKEND": "portal.cache.FaultTolerantRedisCache",
        "LOCATION": _worker_redis_url(REDIS_URL, env.str("PYTEST_XDIST_WORKER", default="")),
        "KEY_PREFIX": env.str("PYTEST_XDIST_WORKER", default="main"),
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 1},
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Dashboard pages are built afresh in tests (their cache outlives a test's transaction); the
# page cache has its own test (tests/reports/test_page_cache.py).
REPORTS_PAGE_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
LANGUAGE_CODE = "vi"
# Quiet start-up chatter, so the test runner's summary stays the last line printed.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}
# whitenoise warns on every request when STATIC_ROOT is missing (no collectstatic in tests).
os.makedirs(str(STATIC_ROOT), exist_ok=True)  # noqa: F405
