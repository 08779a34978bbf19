"""Settings of the benchmark server: the production choices that decide speed (PostgreSQL with
persistent connections, Redis cache, database sessions, DEBUG off, tasks handed to a broker
instead of run in the request) over plain HTTP on 127.0.0.1, with a database, Redis keys and a
task queue of their own so a run never touches real data.

``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/motcua_bench``) is dropped
and created again by the scripts; ``BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/14``)
holds the cache under the key prefix ``bench`` and the Celery queue ``bench``.
"""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING, env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {
    "default": env.db_url(
        "BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/motcua_bench"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 60
BENCH_REDIS_URL = env.str("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/14")
CACHES = {
    "default": {
        "BACKEND": "portal.cache.FaultTolerantRedisCache",
        "LOCATION": BENCH_REDIS_URL,
        "KEY_PREFIX": "bench",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = BENCH_REDIS_URL
CELERY_RESULT_BACKEND = BENCH_REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = "bench"
# Requests are not logged one by one in production either (gunicorn's access log is off).
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
