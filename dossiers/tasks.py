"""Celery tasks of the dossier app: thin wrappers around services, idempotent."""

from celery import shared_task

from dossiers import services


@shared_task(name="dossiers.anonymise_expired")
def anonymise_expired() -> int:
    """Nightly: blank personal data past the retention period, batch after batch."""
    total = 0
    while made := services.dossiers_anonymise_expired():
        total += made
    return total
