"""Export jobs (issue 11): create, run with progress in the database, cancel, expire, sweep the
stale ones, and the checked, audited download.

States: ``queued`` → ``running`` → ``done`` | ``failed`` | ``cancelled``; ``done`` → ``expired``
when its file is deleted. Progress (``progress``, ``rows_done``, ``heartbeat_at``) is written by
the worker in its own short updates, so the page and the API see it while the file is made.

- **Cancel**: a queued job is cancelled at once; a running one gets ``cancel_requested`` and the
  worker stops at its next progress update, deletes what it wrote and marks it cancelled.
- **A worker that dies** (killed, out of memory, the machine restarted) leaves its job
  ``running`` with an old ``heartbeat_at``. ``export_jobs_sweep_stale`` (beat, every minute)
  queues such a job again with the next ``attempt`` (a late duplicate of the old attempt then
  does nothing), up to ``REPORTS_EXPORT_MAX_ATTEMPTS``, and marks it failed after that: a job is
  never left at 99 %. The file is written to storage under its final name only after it is
  complete, and the job becomes ``done`` in the same update that records the name.
- **Expiry**: a finished file lives ``REPORTS_EXPORT_TTL_HOURS``; ``export_jobs_expire`` (beat)
  deletes it and marks the job ``expired``; a download after that gets a clear 410.
- **Who sees a job**: its owner and the administrators of its unit (``selectors``).
"""

import contextlib
import datetime as dt
import logging
import os
import tempfile
import time

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import broker
from portal.audit import audit_log_write
from portal.exceptions import ConflictError, DomainError, PermissionDenied
from reports.exports import tables
from reports.exports.models import ExportJob
from reports.exports.storage import export_storage

logger = logging.getLogger(__name__)
REPORT = ExportJob.Kind.REPORT
TABLE = ExportJob.Kind.TABLE
S = ExportJob.State


class ExportCancelled(Exception):
    """Raised inside a running export when its owner cancelled it."""


class StaleAttempt(Exception):
    """The job moved on to another attempt (or finished) while this one ran."""


class ExportNotReady(ConflictError):
    code = "export_not_ready"
    default_message = gettext_lazy("This file is not ready.")


class ExportExpired(DomainError):
    code = "export_expired"
    status_code = 410
    default_message = gettext_lazy("This file has expired and was deleted; export it again.")


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "REPORTS_EXPORT_TTL_HOURS", 24)))


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "REPORTS_EXPORT_STALE_SECONDS", 900)))


def max_attempts() -> int:
    return int(getattr(settings, "REPORTS_EXPORT_MAX_ATTEMPTS", 2))


# --- create ---------------------------------------------------------------------------------
def _enqueue(job: ExportJob) -> None:
    from reports.exports import tasks

    task = tasks.export_report if job.kind == REPORT else tasks.export_table
    job_id, attempt = str(job.pk), job.attempt
    # Never waits on a dead broker (portal.broker); a job not published is re-queued by the
    # stale sweep (reports.exports_sweep_stale, every minute).
    transaction.on_commit(lambda: broker.publish(task, args=(job_id, attempt)))


@transaction.atomic
def export_job_create(
    *, owner, kind: str, fmt: str, params: dict, table: str = "", language: str | None = None
) -> ExportJob:
    """Queue an export for ``owner``: a PDF report (``kind="report"``, params ``unit`` and
    ``period``) or a table (``kind="table"``, ``table`` one of ``tables.TABLES``, ``fmt`` xlsx
    or csv). The unit and period are checked now (a unit the owner cannot see is refused as
    unknown), so a bad request fails here, not in the worker."""
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    p = tables.parse(user=owner, params=params)
    if kind == REPORT:
        if fmt != ExportJob.Format.PDF:
            raise tables.InvalidExport(_("A report is exported as PDF."))
        from reports.selectors import require_visible

        require_visible(user=owner, unit=p.unit)
        title = _("Report of %(unit)s, %(period)s") % {"unit": p.unit.name, "period": p.period}
        personal = False
    elif kind == TABLE:
        if table not in tables.TABLES:
            raise tables.UnknownTable(_("Unknown table."))
        if fmt not in (ExportJob.Format.XLSX, ExportJob.Format.CSV):
            raise tables.InvalidExport(_("A table is exported as XLSX or CSV."))
        built = tables.TABLES[table](user=owner, p=p)  # checks scope and parameters now
        title, personal = built.title, built.personal
    else:
        raise tables.InvalidExport(_("Unknown kind of export."))
    now = timezone.now()
    params["period"] = str(p.period)
    params["unit"] = p.unit.pk
    params["language"] = language or translation.get_language() or settings.LANGUAGE_CODE
    job = ExportJob.objects.create(
        owner=owner,
        unit=p.unit,
        kind=kind,
        table=table if kind == TABLE else "",
        fmt=fmt,
        params=params,
        title=title[:300],
        personal_data=personal,
        created_at=now,
        heartbeat_at=now,
        attempt=1,
    )
    audit_log_write(
        actor=owner,
        action="export.created",
        instance=job,
        unit=p.unit,
        data={"kind": kind, "table": job.table, "format": fmt, "period": params["period"]},
    )
    _enqueue(job)
    return job


@transaction.atomic
def export_job_cancel(*, job: ExportJob, actor) -> ExportJob:
    """Cancel a queued job at once, ask a running one to stop; a finished job is left as it is
    (a conflict)."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.owner_id != actor.pk:
        from reports.exports.selectors import is_unit_admin

        if not is_unit_admin(user=actor, job=job):
            raise PermissionDenied(_("Only the owner or an administrator of the unit can cancel."))
    if job.state == S.QUEUED:
        job.state, job.finished_at = S.CANCELLED, timezone.now()
        job.message = _("Cancelled before it started.")
        job.save(update_fields=["state", "finished_at", "message"])
    elif job.state == S.RUNNING:
        job.cancel_requested = True
        job.message = _("Stopping…")
        job.save(update_fields=["cancel_requested", "message"])
    else:
        raise ConflictError(_("This export has already finished."), code="export_finished")
    audit_log_write(actor=actor, action="export.cancelled", instance=job, unit=job.unit)
    return job


# --- run (in the worker) --------------------------------------------------------------------
class Progress:
    """The worker's handle on its job: short UPDATEs of the progress and the heartbeat (at most
    every ``interval`` seconds), each telling whether the job was cancelled or moved on."""

    def __init__(self, job: ExportJob, *, interval: float = 0.5):
        self.job_id = job.pk
        self.attempt = job.attempt
        self.total = job.rows_total
        self.interval = interval
        self._last = 0.0

    def _update(self, **fields) -> None:
        fields["heartbeat_at"] = timezone.now()
        updated = ExportJob.objects.filter(
            pk=self.job_id, attempt=self.attempt, state=S.RUNNING
        ).update(**fields)
        if not updated:
            raise StaleAttempt(self.job_id)
        if ExportJob.objects.filter(pk=self.job_id, cancel_requested=True).exists():
            raise ExportCancelled(self.job_id)

    def percent(self, value: int, message: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        fields = {"progress": max(0, min(99, int(value)))}
        if message:
            fields["message"] = message[:300]
        self._update(**fields)

    def rows(self, done: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        fields = {"rows_done": done}
        if self.total:
            fields["progress"] = min(99, done * 100 // self.total)
        self._update(**fields)


def _start(job_id, attempt: int) -> ExportJob | None:
    """Take the job for this attempt; None when it was cancelled, finished or re-queued as
    another attempt meanwhile (a duplicate delivery does nothing)."""
    now = timezone.now()
    updated = (
        ExportJob.objects.filter(pk=job_id, attempt=attempt, state__in=ExportJob.ACTIVE)
        .exclude(cancel_requested=True)
        .update(state=S.RUNNING, started_at=now, heartbeat_at=now, progress=0, rows_done=0)
    )
    if not updated:
        ExportJob.objects.filter(
            pk=job_id, attempt=attempt, state__in=ExportJob.ACTIVE, cancel_requested=True
        ).update(state=S.CANCELLED, finished_at=now, message=_("Cancelled."))
        return None
    return ExportJob.objects.select_related("owner", "unit").get(pk=job_id)


def _download_name(job: ExportJob) -> str:
    base = slugify(job.title, allow_unicode=False)[:80] or "export"
    return f"{base}.{job.fmt}"


def _finish(job: ExportJob, *, local_path: str, rows: int | None) -> None:
    """Store the finished file under its final name and mark the job done, in that order: the
    job never says "done" without its file."""
    storage = export_storage()
    name = f"{job.pk}/{_download_name(job)}"
    with open(local_path, "rb") as handle:
        stored = storage.save(name, File(handle, name=os.path.basename(name)))
    size = storage.size(stored)
    now = timezone.now()
    updated = ExportJob.objects.filter(
        pk=job.pk, attempt=job.attempt, state=S.RUNNING, cancel_requested=False
    ).update(
        state=S.DONE,
        progress=100,
        rows_done=rows or 0,
        file_name=stored,
        file_size=size,
        download_name=_download_name(job),
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + ttl(),
        message="",
    )
    if not updated:  # cancelled or superseded at the last moment: drop the file
        storage.delete(stored)
        raise StaleAttempt(job.pk)


def _fail(job_id, attempt: int, message: str, state=S.FAILED) -> None:
    ExportJob.objects.filter(pk=job_id, attempt=attempt, state__in=ExportJob.ACTIVE).update(
        state=state, finished_at=timezone.now(), message=message[:300]
    )


def _run(job_id, attempt: int, make) -> str:
    """Run ``make(job, progress, path)`` for the job's attempt, then store the file. Returns
    the final state."""
    job = _start(job_id, attempt)
    if job is None:
        return "skipped"
    progress = Progress(job)
    fd, path = tempfile.mkstemp(prefix="export-", suffix=f".{job.fmt}")
    os.close(fd)
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            rows = make(job, progress, path)
        _finish(job, local_path=path, rows=rows)
        return S.DONE
    except ExportCancelled:
        _fail(job_id, attempt, _("Cancelled while it was being made."), state=S.CANCELLED)
        return S.CANCELLED
    except StaleAttempt:
        return "superseded"
    except DomainError as exc:  # the owner lost their role, the period became invalid, …
        _fail(job_id, attempt, str(exc))
        return S.FAILED
    except Exception as exc:
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(exc, SoftTimeLimitExceeded):
            _fail(job_id, attempt, _("It took too long and was stopped; try a shorter period."))
            return S.FAILED
        logger.exception("export %s failed", job_id)
        _fail(job_id, attempt, _("The file could not be made (an error was logged)."))
        return S.FAILED
    finally:
        if os.path.exists(path):
            os.unlink(path)


def _make_table(job: ExportJob, progress: Progress, path: str) -> int:
    from reports.exports import writers

    table = tables.build(job.table, user=job.owner, params=job.params)
    total = table.row_count()
    if total is not None:
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
        progress.total = total
    with open(path, "wb") as target:
        # Rows come through a server-side cursor, so progress updates (on the same connection)
        # can run between fetches; PostgreSQL's COPY (the streamed CSV of the pages) would hold
        # the connection until its end, with no progress and no cancel in between.
        if job.fmt == ExportJob.Format.CSV:
            rows = writers.write_csv(target, table.headers, table.rows, progress=progress.rows)
        else:
            rows = writers.write_xlsx(
                target, table.headers, table.rows, title=table.title, progress=progress.rows
            )
    if job.personal_data:
        audit_log_write(
            actor=job.owner,
            action="export.personal_data_written",
            instance=job,
            unit=job.unit,
            data={"table": job.table, "rows": rows, "period": job.params.get("period")},
        )
    return rows


def _make_report(job: ExportJob, progress: Progress, path: str) -> int | None:
    from reports.exports import report
    from reports.periods import parse_period

    period = parse_period(job.params["period"])
    context = report.report_context(
        user=job.owner,
        unit=job.unit,
        period=period,
        progress=lambda pct, step: progress.percent(pct, force=True),
    )
    progress.percent(60, _("Laying out the pages…"), force=True)
    data = report.render_report(context, language=job.params.get("language") or "vi")
    progress.percent(95, _("Saving…"), force=True)
    with open(path, "wb") as target:
        target.write(data)
    return None


def export_job_run(job_id, attempt: int) -> str:
    """The worker's entry point for a table (CSV or XLSX)."""
    return _run(job_id, attempt, _make_table)


def export_report_run(job_id, attempt: int) -> str:
    """The worker's entry point for a PDF report (queue ``pdf``)."""
    return _run(job_id, attempt, _make_report)


# --- housekeeping (beat) --------------------------------------------------------------------
def export_jobs_sweep_stale(*, now: dt.datetime | None = None) -> dict:
    """Jobs whose worker went silent (queued or running with a heartbeat older than
    ``REPORTS_EXPORT_STALE_SECONDS``): queued again as the next attempt, or failed after
    ``REPORTS_EXPORT_MAX_ATTEMPTS``. Returns {"requeued": n, "failed": m}."""
    now = now or timezone.now()
    limit = now - stale_after()
    counts = {"requeued": 0, "failed": 0}
    stale = ExportJob.objects.filter(state__in=ExportJob.ACTIVE, heartbeat_at__lt=limit)
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = (
                ExportJob.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state__in=ExportJob.ACTIVE, heartbeat_at__lt=limit)
                .first()
            )
            if job is None:
                continue
            if job.cancel_requested:
                job.state, job.finished_at = S.CANCELLED, now
                job.message = _("Cancelled.")
                job.save(update_fields=["state", "finished_at", "message"])
                continue
            if job.attempt >= max_attempts():
                job.state, job.finished_at = S.FAILED, now
                job.message = _(
                    "The worker stopped while making this file, %(n)d times; it was given up."
                ) % {"n": job.attempt}
                job.save(update_fields=["state", "finished_at", "message"])
                counts["failed"] += 1
                continue
            job.attempt += 1
            job.state, job.progress, job.rows_done = S.QUEUED, 0, 0
            job.heartbeat_at = now
            job.message = _("The worker stopped; trying again.")
            job.save(
                update_fields=[
                    "attempt",
                    "state",
                    "progress",
                    "rows_done",
                    "heartbeat_at",
                    "message",
                ]
            )
            _enqueue(job)
            counts["requeued"] += 1
    return counts


def export_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of jobs past ``expires_at`` and mark them expired (also cleans the
    files a cancelled or failed job may have left). Returns the number expired."""
    now = now or timezone.now()
    storage = export_storage()
    done = 0
    for job in ExportJob.objects.filter(state=S.DONE, expires_at__lt=now).order_by("expires_at"):
        if job.file_name:
            with contextlib.suppress(FileNotFoundError):
                storage.delete(job.file_name)
        updated = ExportJob.objects.filter(pk=job.pk, state=S.DONE).update(
            state=S.EXPIRED, file_name="", message=_("Expired: the file was deleted.")
        )
        done += updated
    return done


# --- download -------------------------------------------------------------------------------
def export_file_open(*, job: ExportJob, user):
    """The finished file of a job the user may see (the caller fetched it through
    ``selectors.job_for``), opened for reading; writes an audit row (R-PRIV-1). Raises
    ``ExportExpired`` (410) or ``ExportNotReady`` (409)."""
    if job.state == S.EXPIRED or (job.expires_at and job.expires_at <= timezone.now()):
        raise ExportExpired()
    if job.state != S.DONE or not job.file_name:
        raise ExportNotReady()
    storage = export_storage()
    try:
        handle = storage.open(job.file_name, "rb")
    except FileNotFoundError:
        raise ExportExpired() from None
    audit_log_write(
        actor=user,
        action="export.downloaded",
        instance=job,
        unit=job.unit,
        data={
            "title": job.title,
            "format": job.fmt,
            "personal_data": job.personal_data,
            "owner": job.owner_id,
        },
    )
    return handle


def audit_direct_export(*, user, table: tables.Table, fmt: str, params: dict, unit) -> None:
    """An audit row for a table streamed straight to the browser (R-PRIV-1: exports of personal
    data are logged; the other tables are logged too, they cost one row)."""
    audit_log_write(
        actor=user,
        action="export.streamed",
        object_type="exports.table",
        object_id=table.name[:64],
        unit=unit,
        data={
            "format": fmt,
            "personal_data": table.personal,
            "period": str(params.get("period", "")),
            "title": table.title,
        },
    )
