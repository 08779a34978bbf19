"""Rollup tables of the indicators (R-IND-1, R-IND-2), the bookkeeping that keeps them fresh,
and the admin-set targets (R-IND-8) and ranking weights (R-IND-3).

Rollups are derived data: one row per (unit, local day[, channel | criterion | form]) holding
counts, overwritten whole by ``reports.rollups`` from the source tables. Dashboards read only
these rows (DESIGN.md, "Reports never aggregate raw rows at request time")."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import history_of_settings
from portal.models import AdministrativeUnit, UnitLevel


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class DossierDayStat(models.Model):
    """R-IND-1 per unit, local day and reception channel. Flows are counted on the day their
    event happened (received, completed and its class, refused, supplement requests, apologies,
    withdrawn). ``overdue`` is a **snapshot**: dossiers still in process (clock running) past
    their due moment at the end of that day (or at the moment of computing, for today)."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,  # derived rows: no per-row foreign-key trigger on rebuilds
    )
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=8)
    received = _count(_("received"))
    completed = _count(_("completed"))
    early = _count(_("early"))
    on_time = _count(_("on time"))
    late = _count(_("late"))
    overdue = _count(_("overdue in process (snapshot at the end of the day)"))
    refused = _count(_("refused"))
    supplement_requests = _count(_("supplement requests"))
    apologies = _count(_("apologies (reschedulings)"))
    withdrawn = _count(_("withdrawn"))

    COUNTS = (
        "received",
        "completed",
        "early",
        "on_time",
        "late",
        "overdue",
        "refused",
        "supplement_requests",
        "apologies",
        "withdrawn",
    )

    class Meta:
        verbose_name = _("dossier figures of a day")
        verbose_name_plural = _("dossier figures by day")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "channel"], name="reports_dossier_day_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="reports_dossier_day_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.channel}"


class SurveyDayStat(models.Model):
    """R-SUR-3 tallies per unit, local day (of the answer) and criterion of one form version:
    valid answers and satisfied ones (numerator and denominator of the criterion index), not
    applicable, blank, and the count of each value so ``surveys.indices`` can recompute
    every figure exactly from summed tallies."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField(_("day"))
    form = models.ForeignKey(
        "surveys.SurveyForm", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    criterion = models.ForeignKey(
        "surveys.Criterion", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    valid = _count(_("valid answers"))
    satisfied = _count(_("satisfied answers"))
    not_applicable = _count(_("not applicable"))
    blank = _count(_("blank"))
    level_0 = _count("0")
    level_1 = _count("1")
    level_2 = _count("2")
    level_3 = _count("3")
    level_4 = _count("4")
    level_5 = _count("5")
    level_6 = _count("6")
    level_7 = _count("7")
    level_8 = _count("8")
    level_9 = _count("9")
    level_10 = _count("10")

    LEVELS = tuple(range(0, 11))
    COUNTS = ("valid", "satisfied", "not_applicable", "blank", *(f"level_{v}" for v in LEVELS))

    class Meta:
        verbose_name = _("survey tallies of a day")
        verbose_name_plural = _("survey tallies by day")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "criterion"], name="reports_survey_day_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="reports_survey_day_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.criterion_id}"


class SurveyResponseDayStat(models.Model):
    """Responses per unit, local day and form version (the sample size of R-SUR-3)."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField(_("day"))
    form = models.ForeignKey(
        "surveys.SurveyForm", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    responses = _count(_("responses"))

    class Meta:
        verbose_name = _("survey responses of a day")
        verbose_name_plural = _("survey responses by day")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "form"], name="reports_response_day_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="reports_response_day_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.day} {self.form_id}"


class ComplaintDayStat(models.Model):
    """R-IND-2 complaint figures per unit and local day, for feedback items of every kind: the
    flows on the day of their event (received at the receiving unit; answered, and answered in
    time, at the answering unit) and ``overdue``, a **snapshot** at the end of the day (or now,
    for today) at the unit in charge. Filled by ``reports.complaints`` from
    ``feedback.selectors``' counting rules (docs/reports.md)."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    day = models.DateField(_("day"))
    received = _count(_("complaints received"))
    answered = _count(_("complaints answered"))
    answered_in_time = _count(_("complaints answered in time"))
    overdue = _count(_("complaints overdue (snapshot at the end of the day)"))

    COUNTS = ("received", "answered", "answered_in_time", "overdue")

    class Meta:
        verbose_name = _("complaint figures of a day")
        verbose_name_plural = _("complaint figures by day")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="reports_complaint_day_unique")
        ]
        indexes = [models.Index(fields=["day"], name="reports_complaint_day_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.day}"


# --- freshness bookkeeping ---------------------------------------------------------------
class DirtyBucket(models.Model):
    """A (unit, day) whose rollups must be recomputed. Marked by an upsert that writes a new
    ``token``; the recompute deletes the row only if the token is still the one it read, so a
    mark that arrives while it computes is never lost."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField(_("day"))
    token = models.UUIDField(default=uuid.uuid4)
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("bucket to recompute")
        verbose_name_plural = _("buckets to recompute")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="reports_dirty_bucket_unique")
        ]
        indexes = [models.Index(fields=["day", "unit"], name="reports_dirty_day_idx")]

    def __str__(self):
        return f"{self.unit_id} {self.day}"


class RecomputeRun(models.Model):
    """One rebuild of a range of days (``manage.py recompute_stats``, the nightly task). Like
    Zulip's FillState, the progress is written in the same transaction as each chunk of
    rollups, so a run that died resumes after the last chunk it committed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit (with its descendants)"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    total_days = models.PositiveIntegerField(_("days"), default=0)
    done_days = models.PositiveIntegerField(_("days done"), default=0)
    last_day_done = models.DateField(_("last day done"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("updated at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")), name="reports_run_range_ordered"
            ),
            # One unfinished run per range: a second start of the same range resumes it.
            models.UniqueConstraint(
                fields=["date_from", "date_to", "unit"],
                condition=Q(status="running", unit__isnull=False),
                name="reports_one_running_run_per_unit_range",
            ),
            models.UniqueConstraint(
                fields=["date_from", "date_to"],
                condition=Q(status="running", unit__isnull=True),
                name="reports_one_running_run_per_range",
            ),
        ]

    def __str__(self):
        return f"{self.date_from}..{self.date_to} ({self.status})"

    @property
    def percent(self) -> float:
        return 100.0 * self.done_days / self.total_days if self.total_days else 100.0


class ReportDay(models.Model):
    """The calendar of local days the overdue snapshot is taken on (``ends_at``: local midnight
    after the day), filled on demand: an indexed table lets the database join each dossier to
    the few days it was open past its due moment instead of to every day of a range."""

    day = models.DateField(primary_key=True)
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("report day")
        verbose_name_plural = _("report days")

    def __str__(self):
        return str(self.day)


class StateMark(models.Model):
    """A named moment (FillState-like), e.g. until when open dossiers were checked for having
    crossed their due moment (``overdue_checked_until``)."""

    key = models.CharField(max_length=64, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("reports state")
        verbose_name_plural = _("reports state")

    def __str__(self):
        return f"{self.key}={self.at}"


# --- indicators, targets, weights --------------------------------------------------------
class Indicator(models.TextChoices):
    """The rates that carry targets and ranks; ``LOWER_IS_BETTER`` lists the inverted ones."""

    ON_TIME_RATE = "on_time_rate", _("On-time rate")
    LATE_SHARE = "late_share", _("Late share")
    ONLINE_SHARE = "online_share", _("Online share")
    SATISFACTION = "satisfaction", _("Satisfaction index")
    COMPLAINTS_IN_TIME = "complaints_in_time", _("Complaints answered in time")


LOWER_IS_BETTER = frozenset({Indicator.LATE_SHARE})
# The indicators R-IND-8 gives targets (the on-time rate is 100 − late share: it may have one,
# but a unit is not "missing a target" without it).
TARGET_INDICATORS = (Indicator.LATE_SHARE, Indicator.SATISFACTION, Indicator.ONLINE_SHARE)

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


@history_of_settings()
class Target(models.Model):
    """R-IND-8: a target per indicator and unit level, in force from a date; ``unit`` narrows it
    to one unit and its descendants (a province sets its own online share). Late share is a
    ceiling, the others are floors."""

    indicator = models.CharField(_("indicator"), max_length=24, choices=Indicator.choices)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for this unit and its descendants"),
        help_text=_("Empty: every unit of the level."),
    )
    value = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    effective_from = models.DateField(_("in force from"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "level", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100), name="reports_target_percent"
            ),
            models.UniqueConstraint(
                fields=["indicator", "level", "unit", "effective_from"],
                condition=Q(unit__isnull=False),
                name="reports_unit_target_unique_from",
            ),
            models.UniqueConstraint(
                fields=["indicator", "level", "effective_from"],
                condition=Q(unit__isnull=True),
                name="reports_target_unique_from",
            ),
        ]

    def __str__(self):
        sign = "≤" if self.indicator in LOWER_IS_BETTER else "≥"
        return f"{self.get_indicator_display()} {sign} {self.value} % ({self.get_level_display()})"

    @property
    def lower_is_better(self) -> bool:
        return self.indicator in LOWER_IS_BETTER

    def met_by(self, value: float | None) -> bool | None:
        if value is None:
            return None
        if self.lower_is_better:
            return value <= float(self.value)
        return value >= float(self.value)

    def clean(self):
        if self.value is not None and not (0 <= self.value <= 100):
            raise ValidationError({"value": _("A target is a percentage between 0 and 100.")})


@history_of_settings()
class RankingWeights(models.Model):
    """R-IND-3: the weights of the composite score, one version per date it comes into force.
    A version is never edited: add a new one. The score is the weighted mean of the indicators
    (late share counted as 100 − late share), so only the weights' proportions matter."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    effective_from = models.DateField(_("in force from"), unique=True)
    on_time_rate = models.DecimalField(
        _("weight of the on-time rate"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    late_share = models.DecimalField(
        _("weight of (100 − late share)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    online_share = models.DecimalField(
        _("weight of the online share"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    satisfaction = models.DecimalField(
        _("weight of the satisfaction index"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    complaints_in_time = models.DecimalField(
        _("weight of the complaints answered in time"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        help_text=_(
            "Zero by default: a unit that answered no complaint in the period would have no "
            "composite score."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    WEIGHTED = tuple(Indicator.values)

    class Meta:
        verbose_name = _("ranking weights")
        verbose_name_plural = _("ranking weights")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_time_rate__gte=0)
                & Q(late_share__gte=0)
                & Q(online_share__gte=0)
                & Q(satisfaction__gte=0)
                & Q(complaints_in_time__gte=0),
                name="reports_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    on_time_rate__gt=0
                    - models.F("late_share")
                    - models.F("online_share")
                    - models.F("satisfaction")
                    - models.F("complaints_in_time")
                ),
                name="reports_weights_sum_positive",
            ),
        ]

    def __str__(self):
        return _("Weights v%(version)s from %(day)s") % {
            "version": self.version,
            "day": self.effective_from,
        }

    def as_dict(self) -> dict[str, float]:
        return {key: float(getattr(self, key)) for key in self.WEIGHTED}

    def clean(self):
        values = [getattr(self, key) for key in self.WEIGHTED]
        if any(v is None for v in values):
            return
        if any(v < 0 for v in values):
            raise ValidationError(_("Weights cannot be negative."))
        if sum(values) <= 0:
            raise ValidationError(
                _("The weights add up to zero: give at least one indicator a weight above zero.")
            )
