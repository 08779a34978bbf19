"""Writes of the reports: recomputing rollups (dirty buckets, ranges, the nightly rebuild) and
the marks that keep the overdue snapshot fresh. Every recompute overwrites whole buckets, so
running it again gives the same rows (idempotent), and it commits its progress with its rows
(restart-safe: a run that died resumes after its last committed chunk)."""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from feedback import selectors as feedback_selectors
from reports import days as days_mod
from reports import locks, rollups
from reports.cache import rollups_changed
from reports.dirty import buckets_mark
from reports.exceptions import InvalidRange, RecomputeAlreadyRunning
from reports.models import DirtyBucket, RecomputeRun, StateMark

logger = logging.getLogger(__name__)

OVERDUE_MARK = "overdue_checked_until"


def chunk_days() -> int:
    return max(1, int(getattr(settings, "REPORTS_RECOMPUTE_CHUNK_DAYS", 31)))


def _delete_dirty(scope: rollups.Scope, seen: list[tuple[int, object]]) -> None:
    """Clear the marks read before computing, unless a newer mark replaced them meanwhile."""
    if not seen:
        return
    q = Q()
    for pk, token in seen:
        q |= Q(pk=pk, token=token)
    DirtyBucket.objects.filter(q).delete()


def _recompute_locked(scope: rollups.Scope) -> int:
    """Inside a transaction holding the days' locks: read the marks, compute, clear them."""
    seen = list(scope.filter(DirtyBucket.objects.all()).values_list("pk", "token"))
    written = rollups.recompute(scope)
    transaction.on_commit(rollups_changed)
    for start in range(0, len(seen), 500):
        _delete_dirty(scope, seen[start : start + 500])
    return written


def stats_recompute_days(*, days, unit_ids=None, path=None, now=None) -> int:
    """Recompute these days (for these units, or a subtree, or all) in one transaction."""
    scope = rollups.Scope(days=days, unit_ids=unit_ids, path=path, now=now)
    with transaction.atomic():
        locks.lock_days(scope.days)
        return _recompute_locked(scope)


# --- the beat task: dirty buckets ----------------------------------------------------------
def stats_recompute_dirty(*, limit: int | None = None, now=None) -> int:
    """Recompute the dirty buckets, oldest day first, one transaction per day: one grouped query
    per rollup table for all the day's dirty units. A day another recompute holds is skipped
    (it stays dirty for the next run). Returns the number of buckets done."""
    limit = limit or int(getattr(settings, "REPORTS_DIRTY_BATCH", 5000))
    today = days_mod.today(now)
    pending = list(
        DirtyBucket.objects.filter(day__lte=today)
        .order_by("day", "unit_id")
        .values_list("day", "unit_id")[:limit]
    )
    by_day = defaultdict(list)
    for day, unit_id in pending:
        by_day[day].append(unit_id)
    done = 0
    for day, unit_ids in sorted(by_day.items()):
        with transaction.atomic():
            if not locks.try_lock_days([day]):
                continue
            rows = list(
                DirtyBucket.objects.select_for_update(skip_locked=True)
                .filter(day=day, unit_id__in=unit_ids)
                .values_list("pk", "unit_id", "token")
            )
            if not rows:
                continue
            scope = rollups.Scope(days=[day], unit_ids=[u for _pk, u, _t in rows], now=now)
            rollups.recompute(scope)
            transaction.on_commit(rollups_changed)
            _delete_dirty(scope, [(pk, token) for pk, _u, token in rows])
            done += len(rows)
    # Marks for future days (a clock skew, a mistyped date) would never be due: drop them.
    DirtyBucket.objects.filter(day__gt=today).delete()
    return done


def stats_mark_overdue_crossings(*, now=None) -> int:
    """Time alone makes dossiers and feedback items overdue, with no event to mark their bucket:
    mark today's bucket of every unit whose running dossiers or open items crossed their
    deadline since the last check (on a new day, of every unit with overdue ones, whose
    snapshot starts afresh)."""
    now = now or timezone.now()
    today = days_mod.today(now)
    mark = StateMark.objects.filter(key=OVERDUE_MARK).first()
    since = None if mark is None or days_mod.local_day(mark.at) < today else mark.at
    units = dossier_selectors.units_with_due_crossed(since=since, now=now)
    units |= feedback_selectors.units_with_due_crossed(since=since, now=now)
    buckets_mark(((unit_id, today) for unit_id in units), now=now)
    StateMark.objects.update_or_create(key=OVERDUE_MARK, defaults={"at": now})
    return len(units)


# --- ranges: manage.py recompute_stats and the nightly rebuild ----------------------------
def _range_key(date_from, date_to, unit) -> str:
    return f"{date_from:%Y-%m-%d}:{date_to:%Y-%m-%d}:{unit.pk if unit else ''}"


def _run_for(date_from, date_to, unit, total: int, now) -> RecomputeRun:
    """The run to continue (an unfinished one of the same range) or a new one."""
    unfinished = (
        RecomputeRun.objects.filter(
            date_from=date_from,
            date_to=date_to,
            unit=unit,
            status__in=(RecomputeRun.Status.RUNNING, RecomputeRun.Status.FAILED),
        )
        .order_by("-started_at", "-id")
        .first()
    )
    if unfinished is not None:
        RecomputeRun.objects.filter(
            date_from=date_from, date_to=date_to, unit=unit, status=RecomputeRun.Status.RUNNING
        ).exclude(pk=unfinished.pk).update(status=RecomputeRun.Status.FAILED)
        unfinished.status = RecomputeRun.Status.RUNNING
        unfinished.total_days = total
        unfinished.updated_at = now
        unfinished.error = ""
        unfinished.save(update_fields=["status", "total_days", "updated_at", "error"])
        return unfinished
    try:
        with transaction.atomic():
            return RecomputeRun.objects.create(
                date_from=date_from,
                date_to=date_to,
                unit=unit,
                total_days=total,
                started_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:  # another process started the same range just now
        raise RecomputeAlreadyRunning() from exc


def stats_recompute_range(
    *,
    date_from: dt.date,
    date_to: dt.date,
    unit=None,
    progress: Callable[[RecomputeRun], None] | None = None,
    now: dt.datetime | None = None,
) -> RecomputeRun:
    """Rebuild every rollup of the days ``date_from``..``date_to`` (of ``unit`` and its
    descendants, or of all units), a chunk of days per transaction, recording the progress in a
    ``RecomputeRun`` with each chunk. Days after today are left out (nothing happened yet).

    One rebuild per range at a time: while one runs, starting the same range again raises
    ``RecomputeAlreadyRunning``; a run that died is resumed after its last committed chunk."""
    now = now or timezone.now()
    if date_from > date_to:
        raise InvalidRange()
    last = min(date_to, days_mod.today(now))
    path = unit.path if unit is not None else None
    with locks.range_lock(_range_key(date_from, date_to, unit)) as acquired:
        if not acquired:
            raise RecomputeAlreadyRunning()
        days = days_mod.days_between(date_from, last) if date_from <= last else []
        run = _run_for(date_from, date_to, unit, len(days), now)
        if run.last_day_done is not None:
            days = [d for d in days if d > run.last_day_done]
        run.done_days = run.total_days - len(days)
        if progress:
            progress(run)
        try:
            size = chunk_days()
            for start in range(0, len(days), size):
                chunk = days[start : start + size]
                with transaction.atomic():
                    locks.lock_days(chunk)
                    _recompute_locked(rollups.Scope(days=chunk, path=path, now=now))
                    run.done_days += len(chunk)
                    run.last_day_done = chunk[-1]
                    run.updated_at = timezone.now()
                    run.save(update_fields=["done_days", "last_day_done", "updated_at"])
                if progress:
                    progress(run)
        except Exception as exc:
            RecomputeRun.objects.filter(pk=run.pk).update(
                status=RecomputeRun.Status.FAILED, error=repr(exc)[:2000], updated_at=timezone.now()
            )
            raise
        run.status = RecomputeRun.Status.DONE
        run.finished_at = run.updated_at = timezone.now()
        run.save(update_fields=["status", "finished_at", "updated_at"])
        return run


def recent_range(*, months: int | None = None, now=None) -> tuple[dt.date, dt.date]:
    """The nightly range: from the first day of the month ``months - 1`` months back to today."""
    months = months or int(getattr(settings, "REPORTS_REBUILD_MONTHS", 2))
    today = days_mod.today(now)
    year, month = today.year, today.month - (max(months, 1) - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1), today


def stats_rebuild_recent(*, months: int | None = None, now=None) -> RecomputeRun | None:
    """Nightly: rebuild the recent months in full (snapshots of past days become final, and
    anything a mark missed is corrected). A rebuild of the same range still running is left
    alone."""
    date_from, date_to = recent_range(months=months, now=now)
    try:
        return stats_recompute_range(date_from=date_from, date_to=date_to, now=now)
    except RecomputeAlreadyRunning:
        logger.info(_("nightly rebuild skipped: the same range is being recomputed"))
        return None
