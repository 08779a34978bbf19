"""Celery wiring: a real worker takes tasks from Redis (not eager mode), and the scheduling
settings are the ones operations rely on (beat in the database, visibility above time limit)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app as celery_app
from portal.tasks import ping
from tests.factories import UnitFactory
from tests.redis_outage import forget_result_backend


@pytest.fixture
def real_broker_app():
    """The project's Celery app switched from eager mode to the test Redis for one test."""
    import celery.contrib.testing.tasks  # noqa: F401  (registers celery.ping for start_worker)

    overrides = {
        "task_always_eager": False,
        "broker_url": settings.REDIS_URL,
        "result_backend": settings.REDIS_URL,
    }
    saved = {key: celery_app.conf[key] for key in overrides}
    celery_app.conf.update(overrides)
    forget_result_backend(celery_app)  # one an earlier test built for another Redis
    try:
        yield celery_app
    finally:
        celery_app.conf.update(saved)
        forget_result_backend(celery_app)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_a_task_sent_through_redis(real_broker_app):
    UnitFactory()
    UnitFactory()
    # The worker runs in a thread with its own database connection, hence transaction=True:
    # it sees the two committed units, and Celery's Django fixup closes it after the task.
    with start_worker(real_broker_app, perform_ping_check=True, shutdown_timeout=30):
        result = ping.delay()
        assert result.get(timeout=30) == {"reply": "pong", "units": 2}
        assert result.status == "SUCCESS"


def test_task_goes_to_the_default_queue_the_worker_consumes():
    """docker-compose.yml starts ``celery worker -Q default,pdf``: a task sent without a route
    must land on one of those queues, not Celery's built-in ``celery`` queue."""
    assert celery_app.conf.task_default_queue == "default"


def test_beat_reads_schedules_from_the_database():
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_visibility_timeout_exceeds_the_longest_task():
    """A late-acked task is handed to a second worker if it runs longer than the broker's
    visibility timeout; the hard time limit must therefore stay below it."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
