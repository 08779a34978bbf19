"""Handing tasks to Celery from a web request without ever waiting on the broker (issue 13).

``publish`` sends a task once, over a connection with short socket timeouts and without
Celery's publish retries (which wait up to 20 s on a dead Redis). When the broker does not
answer, the error is logged, not raised, and further publishes from this process are skipped
for ``CELERY_PUBLISH_BACKOFF_SECONDS`` so a burst of requests does not each pay the timeout.
Callers publish only what a periodic task will pick up anyway: the outbox row is the promise
(``portal.flush_outbox``), an export job is re-queued by ``reports.exports_sweep_stale``.

The connection is kept per thread and process and reused by the next publish (issue 14): a new
one per publish cost a connection pool, a ``PING``, a queue declaration and a look-up of
redis-py's version in the package metadata, about 8 ms of CPU per dossier received. When a kept
connection fails quickly (the broker restarted and closed it), the publish is tried once more on
a new connection before the broker is marked down.
"""

import contextlib
import logging
import os
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_skip_until = 0.0
_kept = threading.local()  # .connection, .key: the thread's broker connection and what it is for


def _timeout() -> float:
    return float(getattr(settings, "CELERY_PUBLISH_TIMEOUT_SECONDS", 0.5))


def _backoff() -> float:
    return float(getattr(settings, "CELERY_PUBLISH_BACKOFF_SECONDS", 10))


def reset() -> None:
    """Forget an earlier failure (tests, and the readiness check once the broker answers)."""
    global _skip_until
    with _lock:
        _skip_until = 0.0
    _drop_kept()


def _drop_kept() -> None:
    """Close this thread's kept connection (one inherited through a fork is only forgotten:
    its socket belongs to the parent)."""
    connection = getattr(_kept, "connection", None)
    key = getattr(_kept, "key", None)
    _kept.connection = _kept.key = None
    if connection is not None and key and key[0] == os.getpid():
        with contextlib.suppress(Exception):
            connection.release()


def _kept_connection(app, timeout: float):
    """This thread's connection to ``app``'s broker, made on first use; and whether it was
    kept from an earlier publish."""
    key = (os.getpid(), app.conf.broker_url, timeout)
    if getattr(_kept, "connection", None) is not None and _kept.key == key:
        return _kept.connection, True
    _drop_kept()
    _kept.connection, _kept.key = _connection(app, timeout), key
    return _kept.connection, False


def _connection(app, timeout: float):
    """A broker connection for writing that gives up after ``timeout`` seconds, no retries."""
    transport_options = {
        **(app.conf.broker_transport_options or {}),
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "max_retries": 0,
    }
    return app.connection_for_write(connect_timeout=timeout, transport_options=transport_options)


def publish(task, args=(), kwargs=None, **options) -> bool:
    """Send ``task`` with ``args``/``kwargs``; True when the broker took it. Never raises for
    a broker that is down or slow, and never blocks much longer than the publish timeout."""
    global _skip_until
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    if time.monotonic() < _skip_until:
        logger.info("broker marked down: %s not published now (a periodic task will)", task.name)
        return False
    timeout = _timeout()

    def send(connection):
        task.apply_async(
            args=args,
            kwargs=kwargs,
            connection=connection,
            retry=False,
            # No result to wait for: the redis result backend would otherwise subscribe to
            # the task's result channel on the result Redis first.
            ignore_result=True,
            **options,
        )

    started = time.monotonic()
    try:
        connection, kept = _kept_connection(app, timeout)
        try:
            send(connection)
        except Exception:
            _drop_kept()
            # A kept connection that failed at once was most likely closed by a broker that
            # restarted since: one more try on a new one. A slow failure is the broker itself.
            if not kept or time.monotonic() - started > timeout / 2:
                raise
            connection, _kept_again = _kept_connection(app, timeout)
            send(connection)
    except Exception as exc:  # any broker error: the periodic task delivers later
        _drop_kept()
        with _lock:
            _skip_until = time.monotonic() + _backoff()
        logger.error(
            "broker unavailable (%s: %s): %s not published; left for the periodic task",
            exc.__class__.__name__,
            exc,
            task.name,
        )
        return False
    return True


def ping(timeout: float | None = None) -> None:
    """Connect to the broker with a short timeout and raise if it does not answer."""
    from portal.celery import app

    timeout = timeout or _timeout()
    with _connection(app, timeout) as connection:
        connection.ensure_connection(max_retries=0, timeout=timeout)
        # kombu's redis transport connects lazily: a round trip proves the broker answers.
        client = getattr(connection.default_channel, "client", None)
        if client is not None:
            client.ping()
