"""Procedures, dossiers and everything that happens to a dossier (R-DUE-3..6, R-LIFE-1..6,
R-RES-1..4)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.contacts import mask_name
from portal.history import history_of_records, history_of_settings
from portal.models import AdministrativeUnit, AppendOnly, Department, ServiceDesk, UnitLevel


@history_of_settings()
class RuleSet(models.Model):
    """The numbers of the one-stop-shop regulation in force from a date (Decree 61/2018 with
    Circular 01/2018; Decree 118/2025 with Circular 03/2025). A dossier follows the rule set in
    force on its receipt date."""

    class SupplementClock(models.TextChoices):
        RESTART = "restart", _("Restart from zero")
        RESUME = "resume", _("Resume where it stopped")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("effective from"), unique=True)
    paper_handover_cutoff = models.TimeField(
        _("paper handover cut-off"),
        default=datetime.time(15, 0),
        help_text=_("Paper dossiers received after this hour go to the department next morning."),
    )
    supplement_request_days = models.PositiveSmallIntegerField(
        _("working days to request a supplement after receipt"), default=3
    )
    supplement_clock_default = models.CharField(
        _("clock after a supplement (default)"),
        max_length=16,
        choices=SupplementClock.choices,
        default=SupplementClock.RESTART,
    )
    reschedule_min_working_days = models.PositiveSmallIntegerField(
        _("working days before the due date a rescheduling must be made"), default=1
    )
    reschedule_max_working_days = models.PositiveSmallIntegerField(
        _("most working days a rescheduling may add after the due date"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A portal safeguard, not law (R-RES-1): the one rescheduling of a dossier cannot be "
            "corrected, so its new date is at most this many working days after the due date."
        ),
    )

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


@history_of_settings()
class Procedure(models.Model):
    """A catalogued administrative procedure (thủ tục hành chính)."""

    class TimeUnit(models.TextChoices):
        DAYS = "days", _("Working days")
        HOURS = "hours", _("Working hours")

    class OnlineLevel(models.TextChoices):
        NONE = "none", _("Not online")
        INFORMATION = "information", _("Information only")
        PARTIAL = "partial", _("Partly online")
        FULL = "full", _("Fully online")

    class ReturnMode(models.TextChoices):
        DESK = "desk", _("At the desk")
        POST = "post", _("By post")
        ONLINE = "online", _("Online")

    code = models.CharField(_("national procedure code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    time_unit = models.CharField(
        _("time unit"), max_length=8, choices=TimeUnit.choices, default=TimeUnit.DAYS
    )
    processing_time = models.PositiveSmallIntegerField(_("processing time"))
    fee_vnd = models.PositiveIntegerField(_("fee (VND)"), default=0)
    online_level = models.CharField(
        _("online service level"), max_length=16, choices=OnlineLevel.choices, default="none"
    )
    return_modes = models.JSONField(_("return modes"), default=list, blank=True)
    supplement_clock = models.CharField(
        _("clock after a supplement"),
        max_length=16,
        choices=RuleSet.SupplementClock.choices,
        blank=True,
        help_text=_("Empty: the rule set's default (restart from zero)."),
    )
    desks = models.ManyToManyField(
        ServiceDesk, related_name="procedures", blank=True, verbose_name=_("offered at desks")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["field", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processing_time__gt=0), name="procedure_processing_time_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        bad = set(self.return_modes or []) - set(self.ReturnMode.values)
        if bad:
            raise ValidationError({"return_modes": _("Unknown return mode: %s") % ", ".join(bad)})


@history_of_settings()
class RequiredDocument(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("procedure")
    )
    name = models.CharField(_("name"), max_length=500)
    original_required = models.BooleanField(_("original required"), default=False)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    is_optional = models.BooleanField(_("optional"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "order", "id"]

    def __str__(self):
        return self.name


class DossierStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROCESS = "in_process", _("In process")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Waiting for supplement")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Stopped at the applicant's request")


OPEN_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.IN_PROCESS,
    DossierStatus.WAITING_SUPPLEMENT,
)


class Classification(models.TextChoices):
    """R-DUE-6, Circular 01/2018 Art. 13: early 2, on time 1, late 0 points."""

    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


CLASSIFICATION_POINTS = {Classification.EARLY: 2, Classification.ON_TIME: 1, Classification.LATE: 0}


# R-PRIV-1: the columns the change history never copies (portal.history).
DOSSIER_PERSONAL_DATA = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "pin_hash",
)


@history_of_records(personal=DOSSIER_PERSONAL_DATA)
class Dossier(models.Model):
    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class Channel(models.TextChoices):
        DESK = "desk", _("At the desk")
        ONLINE = "online", _("Online")
        POST = "post", _("By post")

    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("unit"),
    )
    desk = models.ForeignKey(
        ServiceDesk, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("desk")
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure")
    )
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("rule set")
    )
    log_year = models.PositiveSmallIntegerField(_("log year"))
    log_number = models.PositiveIntegerField(_("log entry number"))

    applicant_kind = models.CharField(
        _("applicant kind"), max_length=16, choices=ApplicantKind.choices, default="person"
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default="desk")
    return_mode = models.CharField(
        _("way of return"), max_length=8, choices=Procedure.ReturnMode.choices, default="desk"
    )
    sets_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)

    time_unit = models.CharField(_("time unit"), max_length=8, choices=Procedure.TimeUnit.choices)
    processing_time = models.PositiveSmallIntegerField(_("processing time"))
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"), db_index=True)
    original_due_at = models.DateTimeField(_("original due at"))

    status = models.CharField(
        _("status"), max_length=24, choices=DossierStatus.choices, default="received", db_index=True
    )
    current_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current department"),
    )
    current_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current holder"),
    )
    pin_hash = models.CharField(max_length=128, editable=False)

    completed_at = models.DateTimeField(_("result ready at"), null=True, blank=True)
    classification = models.CharField(
        _("classification"), max_length=8, choices=Classification.choices, blank=True
    )
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["unit", "status", "due_at"]),
            models.Index(fields=["desk", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DossierStatus.values), name="dossier_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(classification="") | Q(completed_at__isnull=False),
                name="dossier_classified_only_when_completed",
            ),
            models.UniqueConstraint(
                fields=["desk", "log_year", "log_number"], name="dossier_log_number_unique"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def masked_applicant_name(self):
        """R-PRIV-1: 'Nguyễn Văn An' → 'N***** V** An' for public pages: every name but the
        last keeps its first letter, one star per other letter (``portal.contacts.mask_name``)."""
        return mask_name(self.applicant_name)


class DossierDocument(models.Model):
    """A document received with the dossier (receipt slip: name, original or copy, quantity)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("name"), max_length=500)
    is_original = models.BooleanField(_("original"), default=False)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        verbose_name = _("document received")
        verbose_name_plural = _("documents received")
        ordering = ["dossier", "id"]

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ROUTED = "routed", _("Handed over")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    RESUBMITTED = "resubmitted", _("Supplement received")
    REFUSED = "refused", _("Refused")
    COMPLETED = "completed", _("Result ready")
    RETURNED = "returned", _("Result returned")
    WITHDRAWN = "withdrawn", _("Stopped at the applicant's request")
    RESCHEDULED = "rescheduled", _("Rescheduled with apology")


class DossierEvent(AppendOnly):
    """One change of a dossier: who, when, where, from which state to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(
        _("from"), max_length=24, choices=DossierStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=24, choices=DossierStatus.choices)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.dossier_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Step(models.Model):
    """One leg of the process control slip (R-LIFE-3): who holds the dossier from
    ``handed_at`` until ``finished_at``, against the step's own deadline (R-DUE-6)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("number"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("department"),
        help_text=_("Empty: the service desk holds the dossier."),
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handed_at = models.DateTimeField(_("handed over at"))
    due_at = models.DateTimeField(_("step deadline"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    classification = models.CharField(
        _("result of the step"), max_length=8, choices=Classification.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="step_number_unique"),
        ]

    def __str__(self):
        return f"{self.dossier_id}#{self.number}"


class Pause(models.Model):
    """A supplement request (R-DUE-5, R-LIFE-4): the clock stops from ``requested_at`` until
    ``resumed_at``; the items missing are listed at once."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("allowed by (leader)"),
    )
    items = models.JSONField(_("items needed"), default=list)
    status_before = models.CharField(max_length=24, choices=DossierStatus.choices)
    remaining_days = models.PositiveSmallIntegerField(null=True, blank=True)
    remaining_seconds = models.PositiveIntegerField(null=True, blank=True)
    is_late_request = models.BooleanField(_("requested after the deadline"), default=False)
    resumed_at = models.DateTimeField(_("resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
        ordering = ["dossier", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(resumed_at__isnull=True),
                name="one_open_pause_per_dossier",
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.requested_at:%Y-%m-%d}"


class Refusal(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="refusal")
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    refused_at = models.DateTimeField(_("refused at"))
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")

    def __str__(self):
        return f"{self.dossier_id}"


class Withdrawal(models.Model):
    """Stop notice (Circular 03/2025 form 05): the applicant asked to stop."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="withdrawal")
    request_text = models.TextField(_("the applicant's request"))
    withdrawn_at = models.DateTimeField(_("stopped at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("stop notice")
        verbose_name_plural = _("stop notices")

    def __str__(self):
        return f"{self.dossier_id}"


class Reschedule(models.Model):
    """The one-time apology and new appointment (R-RES-1..4). One per dossier: the one-to-one
    key is the database's guarantee behind the service's check (R-RES-2)."""

    dossier = models.OneToOneField(
        Dossier,
        on_delete=models.CASCADE,
        related_name="reschedule",
        error_messages={"unique": _("This dossier has already been rescheduled once.")},
    )
    reason = models.TextField(_("reason for the delay"))
    responsible_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    responsible_unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    original_due_at = models.DateTimeField(_("original due at"))
    new_due_at = models.DateTimeField(_("new appointment"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rescheduling with apology")
        verbose_name_plural = _("reschedulings with apology")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_at__gt=models.F("original_due_at")),
                name="reschedule_after_original_due",
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}"
