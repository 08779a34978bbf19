"""Preflight for ``make test``: stop at once, with a helpful message, when PostgreSQL or
Redis cannot be reached, instead of letting every test fail on a connection error.

Reads DATABASE_URL and REDIS_URL (the same variables as ``portal.settings.test``).
Exit code 0 when both answer, 1 otherwise.
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg
import redis

TIMEOUT = 3  # seconds per service

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"

HOW_TO_START = {
    "PostgreSQL": (
        "  start it with:  pg_ctlcluster --skip-systemctl-redirect 15 main start\n"
        "  or with Docker: docker compose up -d postgres\n"
        "  or point DATABASE_URL at a running server (postgres://USER:PASSWORD@HOST:PORT/NAME)"
    ),
    "Redis": (
        "  start it with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379"
        ' --save "" --appendonly no\n'
        "  or with Docker: docker compose up -d redis\n"
        "  or point REDIS_URL at a running server (redis://HOST:PORT/DB)"
    ),
}


def masked(url):
    """The URL without its password, fit for a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_postgres(url):
    """Connect to the server. The database itself may not exist yet (pytest-django creates
    ``test_<name>`` through the ``postgres`` maintenance database), so try that one too."""
    config = environ.Env.db_url_config(url)
    if "postgres" not in config["ENGINE"]:
        raise RuntimeError(f"DATABASE_URL is not a PostgreSQL URL: {config['ENGINE']}")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "connect_timeout": TIMEOUT,
    }
    last_error = None
    for dbname in (config["NAME"], "postgres"):
        try:
            with psycopg.connect(dbname=dbname, **params) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as error:
            last_error = error
    raise last_error


def check_redis(url):
    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        if not client.ping():
            raise RuntimeError("PING got no PONG")
    finally:
        client.close()


def main():
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    failures = []
    for name, check, url in (
        ("PostgreSQL", check_postgres, database_url),
        ("Redis", check_redis, redis_url),
    ):
        try:
            check(url)
        except Exception as error:  # any failure means: tests cannot run
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            failures.append(
                f"{name} is not reachable at {masked(url)}: {first_line or type(error).__name__}"
            )
            failures.append(HOW_TO_START[name])
        else:
            print(f"ok: {name} at {masked(url)}")
    if failures:
        print("\nThe test suite needs PostgreSQL and Redis.\n", file=sys.stderr)
        print("\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
