"""Celery tasks of the reports: thin wrappers around ``reports.services``, idempotent."""

from celery import shared_task

from reports import services


@shared_task(name="reports.recompute_dirty")
def recompute_dirty() -> int:
    """Beat (every 30 s): mark buckets of dossiers that just became overdue, then recompute
    the dirty buckets, so dashboards are fresh within a minute."""
    services.stats_mark_overdue_crossings()
    return services.stats_recompute_dirty()


@shared_task(name="reports.rebuild_recent")
def rebuild_recent() -> int:
    """Nightly: rebuild the recent months (``REPORTS_REBUILD_MONTHS``, default 2) in full."""
    run = services.stats_rebuild_recent()
    return run.done_days if run else 0


@shared_task(name="reports.recompute_range")
def recompute_range(date_from: str, date_to: str, unit_id: int | None = None) -> int:
    """A rebuild of any range in a worker (progress in ``RecomputeRun``)."""
    import datetime as dt

    from portal.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.get(pk=unit_id) if unit_id else None
    run = services.stats_recompute_range(
        date_from=dt.date.fromisoformat(date_from),
        date_to=dt.date.fromisoformat(date_to),
        unit=unit,
    )
    return run.done_days
