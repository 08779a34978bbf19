"""Celery tasks of the feedback app: thin wrappers around services, idempotent."""

from celery import shared_task

from feedback.retention import items_anonymise_expired


@shared_task(name="feedback.anonymise_expired")
def anonymise_expired() -> int:
    """Nightly: blank senders' personal data past the retention period, batch after batch."""
    total = 0
    while made := items_anonymise_expired():
        total += made
    return total
