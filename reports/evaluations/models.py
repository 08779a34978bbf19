"""Rule sets, profiles and entered figures of the official evaluations (R-IND-6, R-IND-7).

- ``Circular01RuleSet``: the numbers of Circular 01/2018/TT-VPCP Art. 13–15 (2/1/0 thresholds,
  staff bands, agency grades), versioned by the day it comes into force (06/01/2019). Whether
  Decree 118/2025 keeps the scheme is unconfirmed (docs/evaluations.md): an administrator ends
  it by setting ``effective_to`` or adds a new version.
- ``EvaluationEntry``: what the portal cannot know and a unit enters per period, from the rating
  forms (indices 3 and 4: how many dossiers scored 2, 1 and 0) and from its own check (index 6:
  procedures published at the desk and electronically); who entered it is kept and every save is
  in the audit log.
- ``Index766Profile`` / ``Index766Item``: the Decision 766 rule table (weight × achieved ÷ target,
  capped at the weight), effective-dated and edited in the admin; ``Index766Band`` only when an
  administrator sets bands (there are no official ones); ``Index766Entry``: the sub-items
  entered per period (national-portal data, payments, population data).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import history_of_settings
from portal.models import AdministrativeUnit


def _dec(label, default, **kwargs):
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, default=Decimal(default), **kwargs
    )


PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


# --- Circular 01/2018 ------------------------------------------------------------------------
@history_of_settings()
class Circular01RuleSet(models.Model):
    """Circular 01/2018/TT-VPCP Art. 13–15 as numbers, one version per day it comes into force.
    The evaluation of a period uses the version in force on the period's last day."""

    class StepAggregation(models.TextChoices):
        WORST = "worst", _("The dossier scores its worst step")
        MEAN = "mean", _("The dossier scores the mean of its steps")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"), unique=True)
    effective_to = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("Empty: still in force (whether Decree 118/2025 keeps it is unconfirmed)."),
    )
    verified = models.BooleanField(_("verified against the legal text"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    # Art. 15.3.a: officials
    # xgettext: no-python-format
    staff_full = _dec(_("officials: 100 % of duties from (points)"), "5.0")
    staff_partial = _dec(_("officials: 70 % to < 100 % from (points)"), "3.5")
    # Art. 15.3.b: agencies
    grade_excellent = _dec(_("agencies: excellent from (points)"), "15")
    grade_good = _dec(_("agencies: good from (points)"), "12")
    grade_fair = _dec(_("agencies: fair from (points)"), "9")
    grade_average = _dec(_("agencies: average from (points)"), "6")
    # Art. 13 index 5: minimum share of the procedures handled entirely at the desk (2 points)
    desk_share_city = _dec(
        _("index 5: share handled at a provincial desk (%)"), "20", validators=PERCENT
    )
    desk_share_district = _dec(
        _("index 5: share handled at a district desk (%)"), "50", validators=PERCENT
    )
    desk_share_commune = _dec(
        _("index 5: share handled at a commune desk (%)"), "100", validators=PERCENT
    )
    # Art. 13 index 8: feedback handled on time
    feedback_full = _dec(_("index 8: on-time share for 2 points (%)"), "100", validators=PERCENT)
    feedback_partial = _dec(_("index 8: on-time share for 1 point (%)"), "90", validators=PERCENT)
    # Art. 13 index 9: online services
    online_services_full = _dec(
        _("index 9: procedures offered online for 2 points (%)"), "20", validators=PERCENT
    )
    online_dossiers_full = _dec(
        _("index 9: dossiers received online for 2 points (%)"), "30", validators=PERCENT
    )
    online_dossiers_partial = _dec(
        _("index 9: dossiers received online for 1 point (%)"), "15", validators=PERCENT
    )
    # A portal choice the Circular leaves open: how a dossier with several steps scores index 2.
    step_aggregation = models.CharField(
        _("index 2: a dossier with several steps"),
        max_length=8,
        choices=StepAggregation.choices,
        default=StepAggregation.WORST,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Circular 01/2018 rule set")
        verbose_name_plural = _("Circular 01/2018 rule sets")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="evaluations_c01_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(staff_full__gte=models.F("staff_partial"))
                & Q(grade_excellent__gte=models.F("grade_good"))
                & Q(grade_good__gte=models.F("grade_fair"))
                & Q(grade_fair__gte=models.F("grade_average")),
                name="evaluations_c01_bands_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"

    def clean(self):
        if None in (self.staff_full, self.staff_partial, self.grade_excellent, self.grade_good):
            return
        if self.staff_full < self.staff_partial:
            raise ValidationError(_("The 100 % band must start at or above the 70 % band."))
        if not (self.grade_excellent >= self.grade_good >= self.grade_fair >= self.grade_average):
            raise ValidationError(_("Agency grades must be in descending order."))


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


@history_of_settings()
class EvaluationEntry(models.Model):
    """Circular 01 inputs a unit enters for a period (Art. 14.3: from the rating forms and its
    own checks). ``staff`` empty: the unit's own figures; set: one official's (indices 3 and 4
    only). Counts are of dossiers that scored 2, 1 and 0 points; an empty index stays missing."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("official (empty: the unit)"),
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    contacts_2 = _count(_("index 3: dossiers with no extra contact (2 points)"))
    contacts_1 = _count(_("index 3: dossiers with one extra contact (1 point)"))
    contacts_0 = _count(_("index 3: dossiers with more than one (0 points)"))
    bodies_2 = _count(_("index 4: dossiers that needed no other body (2 points)"))
    bodies_1 = _count(_("index 4: dossiers that needed only the desk (1 point)"))
    bodies_0 = _count(_("index 4: dossiers that needed more bodies (0 points)"))
    published_at_desk = models.BooleanField(
        _("index 6: procedures posted at the desk accurately, completely and on time"),
        null=True,
        blank=True,
    )
    published_online = models.BooleanField(
        _("index 6: procedures published electronically accurately, completely and on time"),
        null=True,
        blank=True,
    )
    note = models.TextField(_("source or note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("Circular 01 entry")
        verbose_name_plural = _("Circular 01 entries")
        ordering = ["-period_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"],
                condition=Q(staff__isnull=True),
                name="evaluations_entry_unit_period_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "staff", "period_start", "period_end"],
                condition=Q(staff__isnull=False),
                name="evaluations_entry_staff_period_unique",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="evaluations_entry_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(staff__isnull=True)
                | (Q(published_at_desk__isnull=True) & Q(published_online__isnull=True)),
                name="evaluations_entry_index6_unit_only",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.period_start}..{self.period_end}"


# --- Decision 766 ----------------------------------------------------------------------------
class Index766Group(models.TextChoices):
    """The six groups the national portal reports (the Decision's 22-point online group is
    split 12 + 10, EVALUATIONS.md §1.1)."""

    TRANSPARENCY = "transparency", _("Transparency")
    PROGRESS = "progress", _("Processing progress")
    ONLINE = "online", _("Online services")
    PAYMENT = "payment", _("Online payment")
    SATISFACTION = "satisfaction", _("Satisfaction")
    DIGITISATION = "digitisation", _("Digitisation")


GROUP_MAX = {
    Index766Group.TRANSPARENCY: Decimal(18),
    Index766Group.PROGRESS: Decimal(20),
    Index766Group.ONLINE: Decimal(12),
    Index766Group.PAYMENT: Decimal(10),
    Index766Group.SATISFACTION: Decimal(18),
    Index766Group.DIGITISATION: Decimal(22),
}


@history_of_settings()
class Index766Profile(models.Model):
    """One version of the Decision 766 rule table. The profile used for a period is the newest
    *active* one in force on the period's last day; an inactive profile (another reading of a
    conflicting source) can still be chosen on the page to compare."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    is_active = models.BooleanField(
        _("used by default"),
        default=True,
        help_text=_("Inactive profiles can still be chosen on the page to compare readings."),
    )
    notes = models.TextField(_("sources and notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Decision 766 profile")
        verbose_name_plural = _("Decision 766 profiles")
        ordering = ["-effective_from", "code"]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


@history_of_settings()
class Index766Item(models.Model):
    """One sub-indicator: ``score = weight × min(1, R ÷ target)`` (uncapped:
    ``weight × R ÷ target``), R the achieved ratio in percent. ``source`` says whether the
    portal computes R (``computation``) or a unit enters it per period."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed by the portal")
        ENTERED = "entered", _("Entered per period")

    class NoData(models.TextChoices):
        ZERO = "zero", _("0 points")
        FULL = "full", _("Full points")
        MISSING = "missing", _("Missing (left out)")
        REDISTRIBUTE = "redistribute", _("Its points go equally to other sub-items")

    class Computation(models.TextChoices):
        PROGRESS_ON_TIME = "progress_on_time", _("Dossiers handled early or on time")
        PROCEDURES_ONLINE = "procedures_online", _("Procedures offered online (partly or fully)")
        ONLINE_SERVICES_USED = "online_services_used", _("Online services that received dossiers")
        DOSSIERS_ONLINE = "dossiers_online", _("Dossiers received online")
        FULLY_ONLINE = "fully_online", _("Dossiers of fully online procedures received online")
        FEEDBACK_ON_TIME = "feedback_on_time", _("Feedback handled on time")
        FEEDBACK_SATISFACTION = "feedback_satisfaction", _("Feedback handled without dispute")
        DOSSIER_SATISFACTION = (
            "dossier_satisfaction",
            _("Dossiers neither late nor complained about"),
        )

    profile = models.ForeignKey(
        Index766Profile, on_delete=models.CASCADE, related_name="items", verbose_name=_("profile")
    )
    group = models.CharField(_("group"), max_length=16, choices=Index766Group.choices)
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(
        _("points (weight)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    target = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text=_("Full points from this ratio; 100: linear."),
    )
    capped = models.BooleanField(_("capped at the weight"), default=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    computation = models.CharField(
        _("computation"), max_length=32, choices=Computation.choices, blank=True
    )
    no_data = models.CharField(
        _("when the denominator is zero"),
        max_length=16,
        choices=NoData.choices,
        default=NoData.ZERO,
    )
    redistribute_to = models.CharField(
        _("codes receiving its points"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated codes, for “its points go equally to other sub-items”."),
    )
    times_item = models.CharField(
        _("ratio multiplied by the ratio of"),
        max_length=64,
        blank=True,
        help_text=_("Code of another sub-item (e.g. the online share × the synchronised share)."),
    )
    description = models.TextField(_("what is counted"), blank=True)
    sources = models.CharField(_("sources"), max_length=100, blank=True)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        verbose_name = _("Decision 766 sub-indicator")
        verbose_name_plural = _("Decision 766 sub-indicators")
        ordering = ["profile", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="evaluations_766_item_code"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(target__gt=0) & Q(target__lte=100),
                name="evaluations_766_item_numbers",
            ),
            models.CheckConstraint(
                condition=Q(source="entered") | ~Q(computation=""),
                name="evaluations_766_computed_has_computation",
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.weight})"

    def clean(self):
        if self.source == self.Source.COMPUTED and not self.computation:
            raise ValidationError({"computation": _("Choose what the portal computes.")})
        if self.no_data == self.NoData.REDISTRIBUTE and not self.redistribute_to.strip():
            raise ValidationError({"redistribute_to": _("Name the sub-items that receive it.")})

    @property
    def redistribute_codes(self) -> list[str]:
        return [c.strip() for c in self.redistribute_to.split(",") if c.strip()]


@history_of_settings()
class Index766Band(models.Model):
    """An administrator's band (Decision 766 has none): from ``min_score`` points."""

    profile = models.ForeignKey(
        Index766Profile, on_delete=models.CASCADE, related_name="bands", verbose_name=_("profile")
    )
    label = models.CharField(_("label"), max_length=100)
    min_score = models.DecimalField(
        _("from (points)"), max_digits=5, decimal_places=2, validators=PERCENT
    )

    class Meta:
        verbose_name = _("Decision 766 band")
        verbose_name_plural = _("Decision 766 bands")
        ordering = ["profile", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "min_score"], name="evaluations_766_band_unique"
            )
        ]

    def __str__(self):
        return f"{self.label} ≥ {self.min_score}"


@history_of_settings()
class Index766Entry(models.Model):
    """A sub-item a unit enters for a period: numerator and denominator of its ratio (a
    denominator of 0 means "nothing to count", scored by the item's rule)."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    code = models.CharField(_("sub-indicator code"), max_length=64)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2)
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("Decision 766 entry")
        verbose_name_plural = _("Decision 766 entries")
        ordering = ["-period_start", "unit__path", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end", "code"],
                name="evaluations_766_entry_unique",
            ),
            models.CheckConstraint(
                condition=Q(numerator__gte=0)
                & Q(denominator__gte=0)
                & Q(numerator__lte=models.F("denominator")),
                name="evaluations_766_entry_ratio",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.code} {self.period_start}"
