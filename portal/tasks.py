"""Celery tasks of the core app (thin: they take ids, call services or selectors)."""

from celery import shared_task

from portal.models import AdministrativeUnit


@shared_task(name="portal.ping")
def ping():
    """Prove the wiring end to end: a worker picked the task from the broker, reached the
    database and stored a result. Read-only, so it is safe to run any number of times."""
    return {"reply": "pong", "units": AdministrativeUnit.objects.count()}
