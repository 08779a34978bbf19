"""Core models: administrative units (R-UNIT-1), desks and departments (R-UNIT-2), staff roles
(R-UNIT-3), working-calendar overrides (R-DUE-1..2) and the audit log."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.history import history_of_settings


@history_of_settings()
class UnitTree(models.Model):
    """One organisation of the country into units: the legacy three-level tree (province →
    district → commune, until 30 June 2025) or the two-level tree (province → commune, since
    1 July 2025). Units of both trees live side by side, so history keeps its old units."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    levels = models.PositiveSmallIntegerField(_("number of levels"), default=3)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit tree")
        verbose_name_plural = _("unit trees")
        ordering = ["valid_from", "code"]

    def __str__(self):
        return self.name


class UnitLevel(models.TextChoices):
    CITY = "city", _("City / province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune / ward")


@history_of_settings()
class AdministrativeUnit(models.Model):
    """A node of a unit tree. ``path`` is a materialised path (``/01/001/00001/``) of official
    codes, so descendants are one indexed prefix query."""

    tree = models.ForeignKey(
        UnitTree, on_delete=models.PROTECT, related_name="units", verbose_name=_("unit tree")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    code = models.CharField(
        _("official code"),
        max_length=16,
        help_text=_("Code of the General Statistics Office (NSO)."),
    )
    name = models.CharField(_("name"), max_length=200)
    division_type = models.CharField(_("division type"), max_length=64, blank=True)
    agency_code = models.CharField(
        _("agency identifier"),
        max_length=32,
        blank=True,
        help_text=_("Identifier used in dossier codes, shaped V1V2V3.Z1Z2.Y1Y2.MX1X2."),
    )
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Last day the unit existed; empty while it exists."),
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["tree", "level", "code"], name="unit_code_unique_in_tree"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["tree", "level"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.build_path()
        super().save(*args, **kwargs)

    def build_path(self):
        """``/<tree>/<province>/<district>/<commune>/``: the tree code first, so a role that
        covers descendants never reaches into the other tree by a shared province code."""
        prefix = self.parent.path if self.parent_id else f"/{self.tree.code}/"
        return f"{prefix}{self.code}/"

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def ancestors_and_self_paths(self):
        """Paths of this unit and every ancestor, derived from the path itself."""
        tree, *codes = [p for p in self.path.split("/") if p]
        return [f"/{tree}/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


@history_of_settings()
class ServiceDesk(models.Model):
    """A one-stop counter of a unit (R-UNIT-2) with its hours, used for due moments (R-DUE-4)."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="desks", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    opening_hours = models.CharField(
        _("opening hours (as shown to citizens)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Monday to Friday, 7:30–11:30 and 13:30–17:00"),
    )
    opens_at = models.TimeField(_("opens at"), default=datetime.time(7, 30))
    lunch_starts_at = models.TimeField(
        _("lunch break starts"), null=True, blank=True, default=datetime.time(11, 30)
    )
    lunch_ends_at = models.TimeField(
        _("lunch break ends"), null=True, blank=True, default=datetime.time(13, 30)
    )
    closes_at = models.TimeField(_("closing hour"), default=datetime.time(17, 0))
    paper_handover_cutoff = models.TimeField(
        _("paper handover cut-off"),
        null=True,
        blank=True,
        help_text=_(
            "Paper dossiers received after this hour go to the department the next morning. "
            "Empty: the rule set's hour (15:00)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service desk")
        verbose_name_plural = _("service desks")
        ordering = ["unit__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="desk_opens_before_closing"
            ),
            models.CheckConstraint(
                condition=(Q(lunch_starts_at__isnull=True) & Q(lunch_ends_at__isnull=True))
                | (
                    Q(lunch_starts_at__gt=models.F("opens_at"))
                    & Q(lunch_ends_at__gt=models.F("lunch_starts_at"))
                    & Q(closes_at__gt=models.F("lunch_ends_at"))
                ),
                name="desk_lunch_within_hours",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


@history_of_settings()
class Department(models.Model):
    """A department behind a desk that processes dossiers (R-UNIT-2)."""

    desk = models.ForeignKey(
        ServiceDesk,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("service desk"),
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["desk", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "code"], name="department_code_unique_per_desk"
            ),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Receptionist")
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


@history_of_settings()
class Membership(models.Model):
    """A staff member's role at a unit (R-UNIT-3). Covers descendants only when granted so."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    covers_descendants = models.BooleanField(_("covers descendant units"), default=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("department"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


@history_of_settings()
class CalendarOverride(models.Model):
    """An admin correction of the working calendar for one date (R-DUE-1): an extra day off
    (e.g. a compensatory day) or a make-up working day (e.g. a Saturday declared working)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={
            "unique": _("This date already has a calendar override; edit that one instead."),
        },
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"

    @property
    def year(self):
        return self.date.year


@history_of_settings(exclude=("key_hash", "last_used_at"))
class ApiToken(models.Model):
    """A key for ``Authorization: Token <key>``. Only the SHA-256 of the key is stored (the key
    is shown once, when it is issued), with a short prefix to tell tokens apart. A user has at
    most one usable token: issuing a new one revokes the previous one. Revoked rows are kept as
    history."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("prefix"),
        max_length=PREFIX_LENGTH,
        editable=False,
        help_text=_("The first characters of the key, to recognise it; not a secret."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a token that does not expire."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_one_active_per_user",
            )
        ]

    def __str__(self):
        return f"{self.prefix}…"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def is_usable(self, now: datetime.datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AuditLog(models.Model):
    """Append-only audit trail of state changes and personal-data exports."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The admin's filter by kind of action (exports and prints...), newest first.
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """The notification outbox: a message is written here in the same transaction as the change
    it reports, then sent by a Celery task. ``dedupe_key`` makes a second enqueue of the same
    message a no-op, and a sent message is never sent again."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("body"))
    dedupe_key = models.CharField(max_length=200, unique=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notification outbox")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.channel} {self.dedupe_key} ({self.status})"


class Counter(models.Model):
    """Gapless counters (dossier code sequence per agency and day, log entry per desk and
    year, feedback register numbers), incremented with one upsert inside the caller's transaction: a rollback gives the
    number back, and concurrent callers wait on the row lock instead of colliding."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.key}={self.value}"


class AppendOnly(models.Model):
    """Rows that are written once and never edited or deleted: the events of dossiers and
    feedback (R-LIFE-1). A PostgreSQL trigger per table refuses UPDATE and DELETE as well."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Events are never edited."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Events are never deleted."))
