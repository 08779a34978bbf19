"""Celery tasks of the core app: thin wrappers that call services, idempotent, taking ids."""

from celery import shared_task

from portal import outbox


@shared_task(
    name="portal.send_notification",
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=outbox.MAX_ATTEMPTS,
    acks_late=True,
)
def send_notification(notification_id: int) -> bool:
    """Send one outbox message; a message already sent is skipped, so a retry never sends twice."""
    return outbox.notification_send(notification_id=notification_id)


@shared_task(name="portal.flush_outbox")
def flush_outbox() -> int:
    """Beat task: queue every pending message (e.g. if a worker was down at commit time)."""
    ids = outbox.pending_notification_ids()
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


@shared_task(name="portal.ping")
def ping():
    """Prove the wiring end to end: a worker picked the task from the broker, reached the
    database and stored a result. Read-only, so it is safe to run any number of times."""
    from portal.models import AdministrativeUnit

    return {"reply": "pong", "units": AdministrativeUnit.objects.count()}
