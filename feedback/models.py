"""Feedback, suggestions, complaints and denunciations received from citizens (R-FB-1..4).

Three legal regimes apply and are never mixed in one case (``../shared/FEEDBACK_LAW.md`` §0):
feedback on rules and staff conduct (Decree 20/2008), complaints against a decision or act (Law
on Complaints 2011) and denunciations (Law on Denunciations 2018, routed only). The kind of an
item says which one governs it; its deadlines come from the ``DeadlineRule`` of its kind in
force on the day it was received. See docs/feedback.md.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from feedback.storage import private_storage
from portal.contacts import mask_name
from portal.history import history_of_records, history_of_settings
from portal.models import AdministrativeUnit, AppendOnly, ServiceDesk


class Kind(models.TextChoices):
    """What an item is; each kind follows one law (FEEDBACK_LAW.md §0, §4.1)."""

    FEEDBACK = "feedback", _("Feedback on a procedure or regulation")
    SUGGESTION = "suggestion", _("Suggestion")
    CONDUCT = "conduct", _("Complaint about staff conduct")
    COMPLAINT = "complaint", _("Complaint about a result or decision")
    DENUNCIATION = "denunciation", _("Denunciation (routed only)")


class Channel(models.TextChoices):
    """How an item came in (R-FB-1). Web and kiosk are the citizen's own; the others are
    entered by staff."""

    WEB = "web", _("Web")
    KIOSK = "kiosk", _("Kiosk at the desk")
    HOTLINE = "hotline", _("Hotline (entered by staff)")
    LETTER = "letter", _("Letter or post")
    EMAIL = "email", _("Email (entered by staff)")
    IN_PERSON = "in_person", _("In person at the desk")


PUBLIC_CHANNELS = (Channel.WEB, Channel.KIOSK)
STAFF_CHANNELS = (Channel.HOTLINE, Channel.LETTER, Channel.EMAIL, Channel.IN_PERSON)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    TRANSFERRED = "transferred", _("Transferred")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected as out of scope")


OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.TRANSFERRED)


class DayCounting(models.TextChoices):
    """How a number of days is counted (FEEDBACK_LAW.md §4.3)."""

    WORKING = "working", _("Working days")
    CALENDAR = "calendar", _("Calendar days")


class Finding(models.TextChoices):
    """What the reply found (R-FB-4: a conduct complaint found untrue does not count against
    the staff member, Circular 01/2018 Art. 13 index 7)."""

    FOUNDED = "founded", _("Founded")
    PARTLY = "partly", _("Partly founded")
    UNFOUNDED = "unfounded", _("Unfounded")


@history_of_settings()
class DeadlineRule(models.Model):
    """The deadlines of one kind of item from a date (R-FB-2, FEEDBACK_LAW.md §4.2). An item
    keeps the rule of its kind in force on its receipt date. Empty numbers mean "no such
    deadline" (e.g. suggestions have no reply deadline, denunciations are only routed)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=400)
    verified = models.BooleanField(
        _("verified against the legal text"),
        default=True,
        help_text=_("Off when the numbers come from a secondary source or are a portal default."),
    )
    notes = models.TextField(_("notes"), blank=True)
    identity_required = models.BooleanField(
        _("sender's identity required"),
        default=False,
        help_text=_("Name and at least one way to reach the sender (phone, email or address)."),
    )
    transfer_days = models.PositiveSmallIntegerField(
        _("working days to transfer to the competent body"), default=5
    )
    accept_days = models.PositiveSmallIntegerField(
        _("days to accept (complaints)"), null=True, blank=True
    )
    accept_counting = models.CharField(
        _("acceptance counted in"),
        max_length=8,
        choices=DayCounting.choices,
        default=DayCounting.WORKING,
    )
    reply_days = models.PositiveSmallIntegerField(
        _("days to answer or settle"),
        null=True,
        blank=True,
        help_text=_("Complaints: from acceptance; the others: from receipt. Empty: no deadline."),
    )
    reply_days_extended = models.PositiveSmallIntegerField(
        _("days to answer after the one extension (complex case)"), null=True, blank=True
    )
    reply_days_remote = models.PositiveSmallIntegerField(
        _("days to answer in a remote area"), null=True, blank=True
    )
    reply_days_remote_extended = models.PositiveSmallIntegerField(
        _("days to answer in a remote area after the extension"), null=True, blank=True
    )
    reply_counting = models.CharField(
        _("answer counted in"),
        max_length=8,
        choices=DayCounting.choices,
        default=DayCounting.WORKING,
        help_text=_(
            "Where the law says only “days” (complaints), calendar days are the safe default; "
            "switch per rule when the province decides otherwise."
        ),
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"], name="feedback_rule_one_per_kind_and_day"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="feedback_rule_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(reply_days_extended__isnull=True)
                | Q(reply_days__isnull=True)
                | Q(reply_days_extended__gt=models.F("reply_days")),
                name="feedback_rule_extension_longer",
            ),
            models.CheckConstraint(
                condition=Q(transfer_days__gt=0), name="feedback_rule_transfer_days_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.effective_from:%d/%m/%Y})"

    def reply_days_for(self, *, remote: bool, extended: bool) -> int | None:
        """The answer time for an item, by its remoteness and extension; a missing remote
        number falls back to the ordinary one."""
        if remote and self.reply_days_remote is not None:
            return self.reply_days_remote_extended if extended else self.reply_days_remote
        return self.reply_days_extended if extended else self.reply_days


@history_of_settings()
class Category(models.Model):
    """What an item is about, for sorting and statistics (admin-editable)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


@history_of_settings()
class UnitSettings(models.Model):
    """A unit's feedback settings (FEEDBACK_LAW.md §4.7): the remote-area flag that lengthens
    complaint deadlines, and the published contacts for feedback."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="feedback_settings",
        verbose_name=_("unit"),
    )
    is_remote_area = models.BooleanField(
        _("remote or hard-to-reach area"),
        default=False,
        help_text=_("Complaints are settled within 45 days (60 if complex) instead of 30 (45)."),
    )
    hotline = models.CharField(_("feedback hotline"), max_length=32, blank=True)
    email = models.EmailField(_("feedback email"), blank=True)
    address = models.CharField(_("address for letters"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit feedback settings")
        verbose_name_plural = _("unit feedback settings")

    def __str__(self):
        return str(self.unit)


# R-PRIV-1: the columns the change history never copies (portal.history): the sender, the
# text they wrote and the description of a staff member they name.
ITEM_PERSONAL_DATA = (
    "sender_name",
    "sender_phone",
    "sender_email",
    "sender_address",
    "sender_id_number",
    "subject",
    "body",
    "staff_description",
    "pin_hash",
)


@history_of_records(personal=ITEM_PERSONAL_DATA)
class Item(models.Model):
    """One case: feedback, suggestion, complaint or denunciation, of one kind only."""

    code = models.CharField(_("tracking code"), max_length=40, unique=True)
    pin_hash = models.CharField(max_length=128, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, related_name="items", verbose_name=_("rule")
    )
    intake_unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="feedback_received",
        verbose_name=_("unit of receipt"),
    )
    register_year = models.PositiveSmallIntegerField(_("register year"))
    register_number = models.PositiveIntegerField(_("register number"))
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="feedback_items",
        verbose_name=_("unit in charge"),
    )
    desk = models.ForeignKey(
        ServiceDesk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_items",
        verbose_name=_("desk"),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("content"))
    external_code = models.CharField(
        _("code in another system"),
        max_length=40,
        blank=True,
        help_text=_("e.g. the national system's PAKN.YYYYMMDD.NNNN"),
    )

    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    sender_phone = models.CharField(_("phone"), max_length=20, blank=True)
    sender_email = models.EmailField(_("email"), blank=True)
    sender_address = models.CharField(_("address"), max_length=300, blank=True)
    sender_id_number = models.CharField(_("ID number"), max_length=20, blank=True)

    dossier = models.ForeignKey(
        "dossiers.Dossier",  # by name: feedback reads dossiers only through its selectors
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier concerned"),
    )
    dossier_code = models.CharField(_("dossier code as given"), max_length=40, blank=True)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_about",
        verbose_name=_("staff member concerned"),
    )
    staff_description = models.CharField(
        _("staff member as described by the sender"), max_length=300, blank=True
    )

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_assigned",
        verbose_name=_("assigned to"),
    )
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_("Empty when the citizen filed it on the web or at a kiosk."),
    )
    counted_from = models.DateField(
        _("counted from"),
        help_text=_("The day deadlines count from: the next working day after a late receipt."),
    )
    is_remote_area = models.BooleanField(_("remote area"), default=False)
    transfer_due_at = models.DateTimeField(_("transfer due at"))
    accept_due_at = models.DateTimeField(_("acceptance due at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("answer due at"), null=True, blank=True)
    original_reply_due_at = models.DateTimeField(
        _("answer due at (before extension)"), null=True, blank=True
    )
    due_at = models.DateTimeField(
        _("current deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The deadline running now: empty once the item left the unit's hands."),
    )
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    transferred_to_unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to (unit)"),
    )
    transferred_to_body = models.CharField(
        _("transferred to (other body)"), max_length=300, blank=True
    )
    transfer_late = models.BooleanField(_("transferred late"), default=False)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    rejected_reason = models.TextField(_("reason for rejection"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"]),
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["intake_unit", "received_at"]),
            models.Index(fields=["staff_member", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="feedback_status"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="feedback_kind"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="feedback_channel"
            ),
            models.UniqueConstraint(
                fields=["intake_unit", "register_year", "register_number"],
                name="feedback_register_number_unique",
            ),
            # Complaints and denunciations are never anonymous (Law on Complaints Art. 8,
            # Law on Denunciations Art. 23, 25), whatever the rule table says.
            models.CheckConstraint(
                condition=~Q(kind__in=[Kind.COMPLAINT, Kind.DENUNCIATION]) | ~Q(sender_name=""),
                name="feedback_complaint_has_sender",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(rejected_reason=""),
                name="feedback_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ANSWERED) | Q(replied_at__isnull=False),
                name="feedback_answered_has_reply",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.TRANSFERRED)
                | Q(transferred_to_unit__isnull=False)
                | ~Q(transferred_to_body=""),
                name="feedback_transfer_has_destination",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_sender_identity(self) -> bool:
        return bool(self.sender_name)

    @property
    def masked_sender_name(self) -> str:
        """R-PRIV-1: 'Nguyễn Văn An' → 'N***** V** An' for public pages."""
        return mask_name(self.sender_name)

    def current_due(self) -> dt.datetime | None:
        """The deadline running in the item's present state: routing for a denunciation,
        acceptance then settlement for a complaint, the answer for the others; none once the
        unit has answered, rejected, closed or passed it to a body outside the portal."""
        if self.status not in OPEN_STATUSES:
            return None
        if self.status == Status.TRANSFERRED and self.transferred_to_unit_id is None:
            return None
        if self.kind == Kind.DENUNCIATION:
            return self.transfer_due_at
        if self.kind == Kind.COMPLAINT and self.accepted_at is None:
            return self.accept_due_at
        return self.reply_due_at


class Attachment(models.Model):
    """A file sent with an item: content sniffed, photos re-encoded without their metadata
    (``feedback.attachments``), kept in private storage and served only to staff of the unit."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, max_length=200)
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="feedback_attachment_not_empty"),
        ]

    def __str__(self):
        return self.original_name


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    TRANSFERRED = "transferred", _("Transferred")
    EXTENDED = "extended", _("Deadline extended")
    REPLIED = "replied", _("Answered in writing")
    REJECTED = "rejected", _("Rejected as out of scope")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Publication withdrawn")


class Event(AppendOnly):
    """One change of an item: who (no one for a citizen), when, at which unit, from which
    state to which, and why. Never edited or deleted (a PostgreSQL trigger refuses it too)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the sender"), default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        ordering = ["item", "at", "id"]
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self):
        return f"{self.item_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Reply(AppendOnly):
    """A written answer (R-FB-2): its text is the reply letter (PDF rendered from this row by
    ``feedback.documents``), sent to the sender through the outbox. A reopened item gets a
    further reply; none is ever changed."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="replies")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    replied_at = models.DateTimeField(_("answered at"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    on_time = models.BooleanField(_("on time"))

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="feedback_reply_number"),
        ]

    def __str__(self):
        return f"{self.item_id}#{self.number}"


class Extension(models.Model):
    """The one extension of an item's deadline, with its reason (a complex case). One per
    item: the one-to-one key is the database's guarantee behind the service's check."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="extension")
    reason = models.TextField(_("reason"))
    extended_at = models.DateTimeField(_("extended at"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    previous_due_at = models.DateTimeField(_("deadline before"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("deadline after"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self):
        return f"{self.item_id}"


@history_of_records()
class Publication(models.Model):
    """The anonymised result shown on the public list (R-FB-3): texts edited by staff, then
    masked (``feedback.masking``) so that the sender's name, phone, address and ID number never
    appear."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="publication")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("published question"))
    answer = models.TextField(_("published answer"))
    published_at = models.DateTimeField(_("published at"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title
