"""Celery tasks of the core app: thin wrappers that call services, idempotent, taking ids."""

import logging

from celery import shared_task

from portal import outbox

logger = logging.getLogger(__name__)


@shared_task(
    name="portal.send_notification",
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=outbox.MAX_ATTEMPTS,
    # Idempotent (a sent message is skipped), so a worker killed mid-task hands it back to the
    # queue and another worker runs it to completion (docs/security.md, "Redis and other faults").
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def send_notification(notification_id: int) -> bool:
    """Send one outbox message; a message already sent is skipped, so a retry never sends twice."""
    return outbox.notification_send(notification_id=notification_id)


@shared_task(
    name="portal.send_notifications",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def send_notifications(notification_ids: list[int]) -> int:
    """Send a batch of outbox messages (those of one change). A message that fails stays
    pending with its error and attempt count; ``flush_outbox`` (every minute) tries it again
    until it is sent or has failed ``MAX_ATTEMPTS`` times."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += outbox.notification_send(notification_id=pk)
        except Exception:  # one bad address or a gateway hiccup must not hold back the others
            logger.warning("notification %s left pending after a failed send", pk)
    return sent


@shared_task(name="portal.flush_outbox", acks_late=True, reject_on_worker_lost=True)
def flush_outbox() -> int:
    """Beat task: queue every pending message (e.g. if a worker was down at commit time)."""
    ids = outbox.pending_notification_ids()
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


@shared_task(name="portal.clear_sessions")
def clear_sessions() -> None:
    """Nightly: delete expired sessions (they live in the database, SESSION_ENGINE)."""
    from django.core.management import call_command

    call_command("clearsessions")


@shared_task(name="portal.ping")
def ping():
    """Prove the wiring end to end: a worker picked the task from the broker, reached the
    database and stored a result. Read-only, so it is safe to run any number of times."""
    from portal.models import AdministrativeUnit

    return {"reply": "pong", "units": AdministrativeUnit.objects.count()}
