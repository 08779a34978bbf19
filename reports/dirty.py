"""Dirty marking: every change marks its (unit, local day) bucket for recompute, with an
idempotent upsert into ``DirtyBucket`` after the change's transaction commits.

The receivers are connected in ``ReportsConfig.ready`` to ``post_save`` of the append-only
``dossiers.DossierEvent`` (every dossier change writes one, with ``unit`` and ``at``) and of
``surveys.Response`` / ``surveys.Answer``, so neither app imports reports (DESIGN.md).

An event dated in the past (a back-dated action) marks its own day and today: today's overdue
snapshot may change. The snapshots of the days in between are corrected by the nightly rebuild
of the recent months (docs/reports.md).
"""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reports import days as days_mod
from reports.models import DirtyBucket


def buckets_mark(buckets: Iterable[tuple[int, dt.date]], *, now: dt.datetime | None = None) -> int:
    """Mark (unit id, day) buckets dirty: insert, or give an existing mark a new token (so a
    recompute that read the old token leaves it dirty). Idempotent."""
    now = now or timezone.now()
    rows = [
        DirtyBucket(unit_id=unit_id, day=day, token=uuid.uuid4(), marked_at=now)
        for unit_id, day in sorted(set(buckets))
        if unit_id is not None
    ]
    if rows:
        DirtyBucket.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["unit", "day"],
            update_fields=["token", "marked_at"],
        )
    return len(rows)


def _mark_on_commit(buckets) -> None:
    buckets = list(buckets)
    transaction.on_commit(lambda: _marked(buckets))


def _marked(buckets) -> None:
    buckets_mark(buckets)
    if getattr(settings, "REPORTS_RECOMPUTE_ON_COMMIT", False):
        # The demo run has no beat: recompute the buckets at once (make run sets this).
        from reports import services

        for day in sorted({day for _unit, day in buckets}):
            services.stats_recompute_days(
                days=[day], unit_ids=[unit for unit, d in buckets if d == day]
            )


def _event_buckets(unit_id, at) -> set:
    day = days_mod.local_day(at)
    return {(unit_id, day), (unit_id, max(day, days_mod.today()))}


def on_dossier_event(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    _mark_on_commit(_event_buckets(instance.unit_id, instance.at))


def on_response_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.submitted_at is None:
        return
    _mark_on_commit({(instance.unit_id, days_mod.local_day(instance.submitted_at))})


def on_answer_saved(sender, instance, raw=False, **kwargs):
    """Answers are written in bulk with their response (which marks the bucket); this catches a
    single answer changed later (e.g. in the admin)."""
    if raw:
        return
    from surveys.models import Response

    row = Response.objects.filter(pk=instance.response_id).values("unit_id", "submitted_at").first()
    if row:
        _mark_on_commit({(row["unit_id"], days_mod.local_day(row["submitted_at"]))})


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from dossiers.models import DossierEvent
    from surveys.models import Answer, Response

    post_save.connect(on_dossier_event, sender=DossierEvent, dispatch_uid="reports.dossier_event")
    post_save.connect(on_response_saved, sender=Response, dispatch_uid="reports.response_saved")
    post_delete.connect(on_response_saved, sender=Response, dispatch_uid="reports.response_gone")
    post_save.connect(on_answer_saved, sender=Answer, dispatch_uid="reports.answer_saved")
    post_delete.connect(on_answer_saved, sender=Answer, dispatch_uid="reports.answer_gone")
