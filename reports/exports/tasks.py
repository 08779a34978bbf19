"""Celery tasks of the exports: thin, idempotent, taking ids (and the attempt they run).

PDF reports run on the ``pdf`` queue with their own soft and hard time limits
(``REPORTS_PDF_SOFT_TIME_LIMIT``, ``REPORTS_PDF_TIME_LIMIT``); run that queue in a worker of its
own with ``--max-memory-per-child`` (docker-compose.yml, docs/operations.md), so a child that
grew while laying out a large report is replaced after it. A worker that dies mid-way leaves the
job ``running`` with an old heartbeat: the sweeper below queues it again or fails it.
"""

from celery import shared_task
from django.conf import settings

from reports.exports import services


@shared_task(name="reports.export_table", acks_late=True)
def export_table(job_id: str, attempt: int) -> str:
    return services.export_job_run(job_id, attempt)


@shared_task(
    name="reports.export_report",  # routed to the "pdf" queue (CELERY_TASK_ROUTES)
    acks_late=True,
    soft_time_limit=getattr(settings, "REPORTS_PDF_SOFT_TIME_LIMIT", 540),
    time_limit=getattr(settings, "REPORTS_PDF_TIME_LIMIT", 600),
)
def export_report(job_id: str, attempt: int) -> str:
    return services.export_report_run(job_id, attempt)


@shared_task(name="reports.exports_sweep_stale")
def exports_sweep_stale() -> dict:
    """Beat (every minute): re-queue or fail the jobs whose worker went silent."""
    return services.export_jobs_sweep_stale()


@shared_task(name="reports.exports_expire")
def exports_expire() -> int:
    """Beat (hourly): delete expired files."""
    return services.export_jobs_expire()
