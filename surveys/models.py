"""Satisfaction surveys (R-SUR-1, R-SUR-2): configurable forms with areas and criteria, single-use
invitations, kiosk devices, and the responses with their answers.

A form version that has been answered is frozen: its wording, scale, areas, criteria and extra
questions never change, so every stored answer keeps the meaning it had when it was given.
Change a form by copying it into a new version (``surveys.services.survey_form_new_version``).
What may still change on an answered version: whether it is published, its validity dates and
the units it applies to.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import history_of_records, history_of_settings


class Scale(models.TextChoices):
    FIVE_LEVEL = "five_level", _("Five levels (1–5) with “not applicable”")
    SCORE_10 = "score_10", _("Score from 0 to 10")


# The values each scale accepts, and which of them count as satisfied (R-SUR-3).
SCALE_RANGE = {Scale.FIVE_LEVEL: (1, 5), Scale.SCORE_10: (0, 10)}
SCALE_ALLOWS_NOT_APPLICABLE = {Scale.FIVE_LEVEL: True, Scale.SCORE_10: False}
SATISFIED_LEVELS = {Scale.FIVE_LEVEL: (4, 5), Scale.SCORE_10: ()}
NOT_APPLICABLE = "na"

# The wording of the Ministry of Home Affairs' five-level scale, stored on each form as data.
FIVE_LEVEL_LABELS = [
    {"value": 1, "label_vi": "Rất không hài lòng", "label_en": "Very dissatisfied"},
    {"value": 2, "label_vi": "Không hài lòng", "label_en": "Dissatisfied"},
    {"value": 3, "label_vi": "Bình thường", "label_en": "Neutral"},
    {"value": 4, "label_vi": "Hài lòng", "label_en": "Satisfied"},
    {"value": 5, "label_vi": "Rất hài lòng", "label_en": "Very satisfied"},
    {"value": NOT_APPLICABLE, "label_vi": "Không áp dụng", "label_en": "Not applicable"},
]
SCORE_10_LABELS = [
    {"value": 0, "label_vi": "Hoàn toàn không hài lòng", "label_en": "Not satisfied at all"},
    {"value": 10, "label_vi": "Hoàn toàn hài lòng", "label_en": "Completely satisfied"},
]


class FormVersionFrozen(ValidationError):
    """Raised when something would change a form version that has been answered."""


def _frozen_message():
    return _(
        "This form version has been answered and can no longer be changed; "
        "make a new version instead."
    )


@history_of_settings()
class SurveyForm(models.Model):
    """One version of a survey form (R-SUR-1). ``code`` names the form across versions."""

    FROZEN_FIELDS = ("code", "version", "name_vi", "name_en", "scale", "scale_labels")

    code = models.SlugField(_("code"), max_length=32)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices)
    scale_labels = models.JSONField(
        _("scale labels"),
        default=list,
        blank=True,
        help_text=_("List of {value, label_vi, label_en}; value “na” labels “not applicable”."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    units = models.ManyToManyField(
        "portal.AdministrativeUnit",
        blank=True,
        related_name="survey_forms",
        verbose_name=_("applies to units"),
        help_text=_("The form applies to these units and their descendants; empty: everywhere."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey form")
        verbose_name_plural = _("survey forms")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="survey_form_code_version"),
            models.CheckConstraint(
                condition=Q(scale__in=Scale.values), name="survey_form_scale_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="survey_form_validity_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name_vi} (v{self.version})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        touches_frozen = update_fields is None or set(update_fields) & set(self.FROZEN_FIELDS)
        if not self._state.adding and touches_frozen and self.is_answered():
            before = SurveyForm.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if before and any(before[f] != getattr(self, f) for f in self.FROZEN_FIELDS):
                raise FormVersionFrozen(_frozen_message(), code="form_frozen")
        super().save(*args, **kwargs)

    # --- the freeze (see save) ------------------------------------------------------------
    def is_answered(self) -> bool:
        return self.pk is not None and Response.objects.filter(form_id=self.pk).exists()

    # --- the scale -------------------------------------------------------------------------
    @property
    def scale_min(self) -> int:
        return SCALE_RANGE[self.scale][0]

    @property
    def scale_max(self) -> int:
        return SCALE_RANGE[self.scale][1]

    @property
    def allows_not_applicable(self) -> bool:
        return SCALE_ALLOWS_NOT_APPLICABLE[self.scale]

    def label_for(self, value, language: str = "vi") -> str:
        for item in self.scale_labels or []:
            if item.get("value") == value:
                return item.get(f"label_{language}") or item.get("label_vi", "")
        return str(value)


class FormPart(models.Model):
    """A piece of a form (area, criterion, extra question): refused once the form is answered."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_answered()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_answered()
        return super().delete(*args, **kwargs)

    def owning_form_id(self) -> int | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _refuse_if_answered(self):
        form_id = self.owning_form_id()
        if form_id is not None and Response.objects.filter(form_id=form_id).exists():
            raise FormVersionFrozen(_frozen_message(), code="form_frozen")


@history_of_settings()
class Area(FormPart):
    """An area of a form (e.g. access to the service), whose index is the mean of its criteria."""

    form = models.ForeignKey(
        SurveyForm, on_delete=models.CASCADE, related_name="areas", verbose_name=_("form")
    )
    code = models.SlugField(_("code"), max_length=32)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey area")
        verbose_name_plural = _("survey areas")
        ordering = ["form", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="survey_area_code_per_form"),
        ]

    def __str__(self):
        return self.name_vi

    def owning_form_id(self):
        return self.form_id


@history_of_settings()
class Criterion(FormPart):
    """One statement the respondent rates on the form's scale."""

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("area")
    )
    code = models.SlugField(_("code"), max_length=32)
    text_vi = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey criterion")
        verbose_name_plural = _("survey criteria")
        ordering = ["area__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="survey_criterion_code_per_area"),
        ]

    def __str__(self):
        return f"{self.code}. {self.text_vi}"

    def owning_form_id(self):
        if self.area_id is None:
            return None
        return Area.objects.filter(pk=self.area_id).values_list("form_id", flat=True).first()


@history_of_settings()
class ExtraQuestion(FormPart):
    """A single-choice question reported as shares per option, never folded into the index."""

    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Single choice")

    form = models.ForeignKey(
        SurveyForm, on_delete=models.CASCADE, related_name="extra_questions", verbose_name=_("form")
    )
    code = models.SlugField(_("code"), max_length=32)
    text_vi = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE_CHOICE
    )
    options = models.JSONField(
        _("options"), default=list, help_text=_("List of {code, label_vi, label_en}.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["form", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="survey_question_code_per_form"),
        ]

    def __str__(self):
        return self.text_vi

    def owning_form_id(self):
        return self.form_id

    @property
    def option_codes(self) -> list[str]:
        return [o["code"] for o in self.options or []]

    def clean(self):
        options = self.options if isinstance(self.options, list) else None
        if not options or any(
            not isinstance(o, dict) or not str(o.get("code") or "").strip() or not o.get("label_vi")
            for o in options
        ):
            raise ValidationError(
                {"options": _("Give at least one option, each with a code and a label.")}
            )
        codes = [o["code"] for o in options]
        if len(codes) != len(set(codes)):
            raise ValidationError({"options": _("Option codes must be unique.")})

    def option_label(self, code: str, language: str = "vi") -> str:
        for o in self.options or []:
            if o.get("code") == code:
                return o.get(f"label_{language}") or o.get("label_vi", code)
        return code


class Invitation(models.Model):
    """The single-use invitation of a returned dossier's applicant (R-SUR-2). Only a hash of the
    token is stored; the raw token exists in the message, on the slip and in the URL."""

    class Channel(models.TextChoices):
        MESSAGE = "message", _("SMS or email")
        SLIP = "slip", _("QR code on a printed slip")

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="survey_invitation",
        verbose_name=_("dossier"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Keyed hash of the short code typed at the front door instead of the link; "
            "cleared once the survey is answered."
        ),
    )
    channel = models.CharField(
        _("sent by"), max_length=8, choices=Channel.choices, default=Channel.MESSAGE
    )
    generation = models.PositiveSmallIntegerField(
        _("token generation"),
        default=1,
        help_text=_("Raised each time the token is re-issued; earlier tokens stop working."),
    )
    created_at = models.DateTimeField(_("created at"))
    issued_at = models.DateTimeField(_("current token issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="survey_invitation_expires_after_issue",
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}"


@history_of_settings(exclude=("token_hash", "last_used_at"))
class KioskDevice(models.Model):
    """A tablet or kiosk at a desk on which walk-in citizens answer anonymously (R-SUR-2). It
    authenticates with a long token shown once at registration; only its hash is stored."""

    desk = models.ForeignKey(
        "portal.ServiceDesk",
        on_delete=models.PROTECT,
        related_name="kiosk_devices",
        verbose_name=_("service desk"),
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiosk device")
        verbose_name_plural = _("kiosk devices")
        ordering = ["desk", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(is_active=False),
                name="survey_kiosk_revoked_is_inactive",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.desk})"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    FROM_18_TO_24 = "18-24", _("18–24")
    FROM_25_TO_34 = "25-34", _("25–34")
    FROM_35_TO_49 = "35-49", _("35–49")
    FROM_50_TO_60 = "50-60", _("50–60")
    OVER_60 = "over-60", _("Over 60")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or less")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational school or college")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant or public employee")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    BUSINESS_OWNER = "business_owner", _("Business owner or manager")
    EMPLOYEE = "employee", _("Employee or worker")
    FARMER = "farmer", _("Farmer, forester or fisher")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    STUDENT = "student", _("Pupil or student")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


@history_of_records()
class Response(models.Model):
    """One filled-in form. At most one per dossier (R-SUR-2): the service checks it and the
    partial unique constraint guarantees it under concurrency."""

    class Channel(models.TextChoices):
        LINK = "link", _("Link in an SMS or email")
        QR = "qr", _("QR code on the slip")
        KIOSK = "kiosk", _("Kiosk at the desk")
        PAPER = "paper", _("Paper form entered by staff")
        PHONE = "phone", _("Phone interview")

    form = models.ForeignKey(
        SurveyForm, on_delete=models.PROTECT, related_name="responses", verbose_name=_("form")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("dossier"),
    )
    unit = models.ForeignKey(
        "portal.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("unit"),
    )
    desk = models.ForeignKey(
        "portal.ServiceDesk",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("service desk"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    kiosk_device = models.ForeignKey(
        KioskDevice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("kiosk device"),
    )
    paper_serial = models.CharField(_("paper form serial number"), max_length=40, blank=True)

    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=16, choices=Occupation.choices, blank=True
    )
    procedure = models.ForeignKey(
        "dossiers.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("procedure used"),
    )
    comment = models.TextField(_("comment"), blank=True)

    submitted_at = models.DateTimeField(_("answered at"), db_index=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["desk", "submitted_at"]),
            models.Index(fields=["form", "submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(dossier__isnull=False),
                name="survey_one_response_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["desk", "paper_serial"],
                condition=~Q(paper_serial=""),
                name="survey_paper_serial_unique_per_desk",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["link", "qr", "kiosk", "paper", "phone"]),
                name="survey_response_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(paper_serial="") | Q(channel="paper"),
                name="survey_serial_only_on_paper",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_channel_display()} {self.submitted_at:%Y-%m-%d}"


@history_of_records()
class Answer(models.Model):
    """The rating of one criterion. ``value`` null and not ``not_applicable``: left blank.
    The database holds values to 0..10 (the widest scale); the service checks the form's own."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("criterion")
    )
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "criterion"], name="survey_answer_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=10),
                name="survey_answer_value_in_widest_scale",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(value__isnull=True),
                name="survey_answer_not_applicable_has_no_value",
            ),
        ]

    def __str__(self):
        shown = "n/a" if self.not_applicable else self.value
        return f"{self.response_id}/{self.criterion_id}={shown}"


@history_of_records()
class ExtraAnswer(models.Model):
    """The option chosen for an extra question."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="extra_answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        ExtraQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    option = models.CharField(_("option"), max_length=32)

    class Meta:
        verbose_name = _("extra answer")
        verbose_name_plural = _("extra answers")
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_extra_answer_once_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}={self.option}"
