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
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # pytest-xdist processes share one Redis database: keep their keys (rate limits) apart.
        "KEY_PREFIX": env.str("PYTEST_XDIST_WORKER", default="main"),
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
