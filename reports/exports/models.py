"""Export jobs: a file made in a worker (a PDF report, a large XLSX or CSV table) with its state
and progress in the database, polled by the page and the API, a download through a checked and
audited view, an expiry after which the file is deleted, and a cancel."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AdministrativeUnit


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report (PDF)")
        TABLE = "table", _("Table")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    ACTIVE = (State.QUEUED, State.RUNNING)
    FINISHED = (State.DONE, State.FAILED, State.CANCELLED, State.EXPIRED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The unit the file is about; its administrators see the job too."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    table = models.CharField(_("table"), max_length=32, blank=True)
    fmt = models.CharField(_("format"), max_length=4, choices=Format.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=300)
    personal_data = models.BooleanField(_("holds personal data"), default=False)

    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    task_id = models.CharField(max_length=64, blank=True)

    file_name = models.CharField(_("file in storage"), max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    download_name = models.CharField(_("file name"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="exports_job_owner_idx"),
            models.Index(fields=["state", "heartbeat_at"], name="exports_job_state_idx"),
            models.Index(fields=["state", "expires_at"], name="exports_job_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="exports_job_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=["queued", "running", "done", "failed", "cancelled", "expired"]
                ),
                name="exports_job_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | ~Q(file_name=""), name="exports_job_done_has_file"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def is_downloadable(self) -> bool:
        return self.state == self.State.DONE
