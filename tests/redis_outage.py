"""A Redis server of a test's own, to stop and start during the test (issue 13's outage tests).

The shared Redis (``REDIS_URL``) is never stopped: each test spawns ``redis-server`` on a free
port of 6391–6399 (another test process may hold one), without persistence, and points the
cache, the broker and the result backend at it with ``pointed_at``."""

import contextlib
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.test import override_settings

PORTS = range(6391, 6400)


def _port_is_free(port: int) -> bool:
    """Whether redis-server could listen on ``port``. With SO_REUSEADDR, as redis-server binds:
    the connections of an earlier test's server linger in TIME_WAIT for a minute, and without it
    every port of the range looked taken after a few tests (the test was then skipped)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class OwnRedis:
    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = None
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "OwnRedis":
        ports = [self.port] if self.port else [p for p in PORTS if _port_is_free(p)]
        for port in ports:
            process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--loglevel",
                    "warning",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if self._wait_for(port, process):
                self.port, self.process = port, process
                return self
            process.kill()
            process.wait()
        pytest.skip("no free port for a Redis server of this test's own (6391-6399)")

    @staticmethod
    def _wait_for(port, process) -> bool:
        client = redis.Redis(port=port, socket_connect_timeout=0.2)
        for _ in range(50):
            if process.poll() is not None:
                return False
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if client.ping():
                    return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Kill the server, as a crash would (SIGKILL: no goodbye to the clients)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def is_running(self) -> bool:
        return bool(self.process) and self.process.poll() is None


@contextlib.contextmanager
def pointed_at(own: OwnRedis):
    """The cache, the Celery broker and result backend all on ``own``, tasks really published
    (not eager), and no memory of an earlier broker failure."""
    from portal import broker
    from portal.celery import app

    cache = {
        "BACKEND": "portal.cache.FaultTolerantRedisCache",
        "LOCATION": own.url,
        "KEY_PREFIX": f"outage-{own.port}",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
    }
    overrides = {"task_always_eager": False, "broker_url": own.url, "result_backend": own.url}
    saved = {key: app.conf[key] for key in overrides}
    app.conf.update(overrides)
    broker.reset()
    try:
        with override_settings(
            CACHES={"default": cache},
            REDIS_URL=own.url,
            CELERY_BROKER_URL=own.url,
            CELERY_RESULT_BACKEND=own.url,
            CELERY_TASK_ALWAYS_EAGER=False,
        ):
            yield
    finally:
        app.conf.update(saved)
        forget_result_backend(app)
        broker.reset()


def forget_result_backend(app) -> None:
    """Drop the result backend and the broker connection pools Celery built for a changed
    ``result_backend`` / ``broker_url`` (it keeps the first ones it makes): a later test would
    otherwise talk to a Redis that is gone (``Retry limit exceeded ... result store``)."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def eager_celery():
    """Tasks run in the test's process again (to deliver what the outbox holds)."""
    from portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved


@contextlib.contextmanager
def at_most(seconds: float, what: str):
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    assert took < seconds, f"{what} took {took:.2f} s (limit {seconds} s)"
