"""Dirty marking: every change marks its (unit, local day) bucket for recompute, with an
idempotent upsert into ``DirtyBucket`` after the change's transaction commits.

The receivers are connected in ``ReportsConfig.ready`` to ``post_save`` of the append-only
``dossiers.DossierEvent`` (every dossier change writes one, with ``unit`` and ``at``), of
``surveys.Response`` / ``surveys.Answer``, and to feedback's ``feedback_changed`` signal (sent
after commit, per unit and day), so none of those apps imports reports (DESIGN.md).

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
    from surveys.selectors import response_bucket

    bucket = response_bucket(pk=instance.response_id)
    if bucket and bucket[1] is not None:
        _mark_on_commit({(bucket[0], days_mod.local_day(bucket[1]))})


def on_feedback_changed(sender, *, unit_id, day, **kwargs):
    """``feedback.signals.feedback_changed``: sent after the change has committed, once per unit
    the change touches, with the local day of the change. Marks that bucket and today's (the
    overdue snapshot of today may change), at once: there is no transaction left to wait for."""
    _marked(_event_buckets_on_day(unit_id, day))


def _event_buckets_on_day(unit_id, day) -> list:
    return sorted({(unit_id, day), (unit_id, max(day, days_mod.today()))})


def connect() -> None:
    """Model signals by lazy reference ("app.Model"): reports imports no model of the other apps
    (pyproject.toml, import-linter); feedback sends its own signal."""
    from django.db.models.signals import post_delete, post_save

    from feedback.signals import feedback_changed

    event, response, answer = "dossiers.DossierEvent", "surveys.Response", "surveys.Answer"
    post_save.connect(on_dossier_event, sender=event, dispatch_uid="reports.dossier_event")
    post_save.connect(on_response_saved, sender=response, dispatch_uid="reports.response_saved")
    post_delete.connect(on_response_saved, sender=response, dispatch_uid="reports.response_gone")
    post_save.connect(on_answer_saved, sender=answer, dispatch_uid="reports.answer_saved")
    post_delete.connect(on_answer_saved, sender=answer, dispatch_uid="reports.answer_gone")
    feedback_changed.connect(on_feedback_changed, dispatch_uid="reports.feedback_changed")
