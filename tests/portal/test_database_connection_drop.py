"""PostgreSQL drops the connections (a restart, a failover, pg_terminate_backend): the next
requests succeed, because Django checks a persistent connection before reusing it
(``CONN_HEALTH_CHECKS``; issue 13, docs/security.md "Redis and other faults").

Requests go through Django's own WSGI handler in this thread, as in a gunicorn sync worker:
the connection is kept between requests (``CONN_MAX_AGE``) and ``request_started`` closes
obsolete ones (the test client switches that off, so it is not used here)."""

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.client import RequestFactory

from tests.factories import UnitFactory


def _get(path: str) -> int:
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers, *exc: statuses.append(status))
    b"".join(response)
    response.close()  # request_finished, as the WSGI server sends it
    return int(statuses[0].split()[0])


def _terminate(pid: int) -> None:
    """End the session from outside, as a PostgreSQL restart does."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def persistent_connection():
    """The connection kept between requests (production's ``CONN_MAX_AGE``), restored after."""
    saved = {k: connection.settings_dict[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()

    def configure(*, health_checks: bool):
        connection.settings_dict["CONN_MAX_AGE"] = 60
        connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks

    yield configure
    connection.close()
    connection.settings_dict.update(saved)


def test_settings_check_connections_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_next_requests_succeed_after_postgresql_drops_the_connection(persistent_connection):
    persistent_connection(health_checks=True)
    UnitFactory()
    assert _get("/healthz") == 200
    pid = connection.connection.info.backend_pid

    _terminate(pid)

    assert [_get("/healthz") for _ in range(3)] == [200, 200, 200]
    assert connection.connection.info.backend_pid != pid  # a new session replaced it
    assert _get("/api/v1/units/") in (401, 403)  # the next page works too (answers, no 500)


@pytest.mark.django_db(transaction=True)
def test_without_health_checks_the_first_request_after_a_drop_fails(persistent_connection):
    """The counter-proof: the same drop without ``CONN_HEALTH_CHECKS`` costs a 500."""
    persistent_connection(health_checks=False)
    assert _get("/healthz") == 200

    _terminate(connection.connection.info.backend_pid)

    assert _get("/healthz") == 500
    assert _get("/healthz") == 200  # Django discarded the broken connection after the error
