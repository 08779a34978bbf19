"""Forms of the feedback pages. They only read and convert input (types, choices); every rule
(identity for complaints, text lengths, attachments, who may do what) is checked by
``feedback.services``, whose errors are put back next to the fields they name
(``errors_onto``). Field names are the services' own (``body``, ``sender_phone``,
``attachments``...), so a service's error by field lands on the right input."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from feedback import selectors
from feedback.models import STAFF_CHANNELS, Channel, Finding, Kind, Status
from feedback.services import publication_draft
from feedback.validation import SENDER_LIMITS
from portal.exceptions import DomainError
from portal.models import AdministrativeUnit
from portal.strict_input import BoundedDateField

SENDER_FIELDS = (
    "sender_name",
    "sender_phone",
    "sender_email",
    "sender_address",
    "sender_id_number",
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.Field):
    """The uploaded files as sent: checking them (content, size, count) is the service's job
    (``feedback.attachments``), so that pages and the API refuse the same files the same way."""

    widget = MultipleFileInput

    def clean(self, value):
        return [f for f in (value or []) if f]


def errors_onto(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on ``form``: each message by field next to its input when the
    form has it, the others (and a refusal without fields) at the top of the form."""
    placed = False
    for field, messages in (error.fields or {}).items():
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def mark_errors(form: forms.Form, *, autofocus: str | None = None) -> None:
    """Link each wrong input to its message (screen readers) and focus ``autofocus``."""
    for name, field in form.fields.items():
        if form.is_bound and name in form.errors:
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"
        if name == autofocus:
            field.widget.attrs["autofocus"] = True


def first_error(form: forms.Form) -> str | None:
    return next((name for name in form.fields if name in form.errors), None)


def _kind_choices():
    return [(k.value, k.label) for k in Kind]


class ItemFieldsForm(forms.Form):
    """What a citizen writes and what staff type from a call or a letter."""

    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=_kind_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of item this is.")},
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=selectors.categories_active(),
        required=False,
        empty_label=_("— Choose a topic (optional) —"),
    )
    subject = forms.CharField(label=_("Subject"), required=False, strip=False)
    body = forms.CharField(
        label=_("Content"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, when and where; what you ask for."),
    )
    sender_name = forms.CharField(label=_("Full name"), required=False, strip=False)
    sender_phone = forms.CharField(label=_("Phone"), required=False, strip=False)
    sender_email = forms.CharField(label=_("Email"), required=False, strip=False)
    sender_address = forms.CharField(label=_("Address"), required=False, strip=False)
    sender_id_number = forms.CharField(
        label=_("ID number"),
        required=False,
        strip=False,
        help_text=_("Citizen ID (12 digits) or old ID card (9 digits)."),
    )
    dossier_code = forms.CharField(
        label=_("Code of the dossier concerned"),
        required=False,
        strip=False,
        help_text=_("As printed on the receipt slip, if your feedback is about a dossier."),
    )
    staff_description = forms.CharField(
        label=_("Staff member concerned"),
        required=False,
        strip=False,
        help_text=_("Name, counter or time, if your feedback is about a staff member."),
    )
    attachments = AttachmentsField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = {
            "subject": {"maxlength": 200},
            "body": {"maxlength": settings.FEEDBACK_TEXT_MAX_CHARS},
            "sender_name": {"autocomplete": "name"},
            "sender_phone": {"type": "tel", "autocomplete": "tel", "inputmode": "tel"},
            "sender_email": {"type": "email", "autocomplete": "email"},
            "sender_address": {"autocomplete": "street-address"},
            "sender_id_number": {"inputmode": "numeric", "autocomplete": "off"},
            "dossier_code": {
                "maxlength": 40,
                "autocapitalize": "characters",
                "spellcheck": "false",
            },
            "staff_description": {"maxlength": 300},
            "attachments": {
                "accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
            },
        }
        for name, limit in SENDER_LIMITS.items():
            attrs[f"sender_{name}"]["maxlength"] = limit
        for name, extra in attrs.items():
            self.fields[name].widget.attrs.update(extra)
        self.fields["attachments"].help_text = _(
            "PDF, JPEG or PNG; at most %(count)d files of %(size)s each. Photos are stored "
            "without their location data. Only the staff handling your item see them."
        ) % {
            "count": settings.FEEDBACK_ATTACHMENTS_MAX_COUNT,
            "size": _megabytes(settings.FEEDBACK_ATTACHMENT_MAX_BYTES),
        }

    def sender(self) -> dict:
        data = self.cleaned_data
        return {field.removeprefix("sender_"): data.get(field, "") for field in SENDER_FIELDS}

    def item_kwargs(self) -> dict:
        """The arguments of ``feedback_submit`` these fields give."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "category": data.get("category"),
            "subject": data.get("subject", ""),
            "body": data.get("body", ""),
            "sender": self.sender(),
            "dossier_code": data.get("dossier_code", ""),
            "staff_description": data.get("staff_description", ""),
            "attachments": data.get("attachments") or [],
        }


def _megabytes(size: int) -> str:
    return filesizeformat(size)


class SubmitForm(ItemFieldsForm):
    """The citizens' form (no account). The unit list is rendered by the template (it can be
    narrowed by a search); this field only checks the chosen one takes feedback today."""

    unit = forms.ModelChoiceField(
        label=_("Unit you are writing to"),
        queryset=None,
        error_messages={
            "required": _("Choose the unit you are writing to."),
            "invalid_choice": _("Choose a unit from the list."),
        },
    )

    field_order = ["kind", "unit", "category", "subject", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read at each request: "existing today" must not be frozen at import time.
        self.fields["unit"].queryset = selectors.units_taking_feedback()


class EntryForm(ItemFieldsForm):
    """Staff enter a hotline call, a letter, an email or a visit (keyboard first)."""

    unit = forms.ModelChoiceField(
        label=_("Receiving unit"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your units.")},
    )
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        initial=Channel.HOTLINE,
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now. For a letter, the day it arrived."),
    )
    external_code = forms.CharField(
        label=_("Code in another system"),
        required=False,
        strip=False,
        help_text=_("e.g. the national system's PAKN code."),
    )

    # Keyboard order: how it came and what it is first; the moment of receipt (now, unless a
    # letter arrived earlier) last, as a date-time box takes several Tab presses.
    field_order = ["channel", "unit", "kind", "category", "subject", "body"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["kind"].widget = forms.Select(choices=_kind_choices())
        self.fields["kind"].initial = Kind.FEEDBACK
        self.fields["kind"].label = _("Kind")
        self.fields["sender_name"].label = _("Sender's full name")
        self.fields["dossier_code"].help_text = ""
        self.fields["staff_description"].help_text = _("As the sender described them.")
        self.fields["external_code"].widget.attrs["maxlength"] = 40
        for name in ("subject", "sender_name", "sender_address", "sender_phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def item_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **super().item_kwargs(),
            "unit": data["unit"],
            "channel": data["channel"],
            "received_at": data.get("received_at"),
            "external_code": data.get("external_code", ""),
        }


class FilterForm(forms.Form):
    """Search of the staff queue (GET): nothing here may carry personal data, it goes in the
    URL."""

    q = forms.CharField(
        label=_("Code or register number"), required=False, max_length=40, strip=True
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    category = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=selectors.categories_active(),
        empty_label=_("Any topic"),
    )
    received_from = BoundedDateField(
        label=_("Received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    received_to = BoundedDateField(
        label=_("Received to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Status.choices]
        self.fields["kind"].choices = [("", _("Any kind")), *Kind.choices]
        self.fields["channel"].choices = [("", _("Any channel")), *Channel.choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return dict(self.cleaned_data)


# --- tracking (citizens) -------------------------------------------------------------------
class NoValueTextInput(forms.TextInput):
    """A text box that never writes its value back into the page (for the PIN)."""

    def format_value(self, value):
        return None


def _pin_field(label):
    return forms.CharField(
        label=label,
        max_length=12,
        help_text=_("The 6 digits on your receipt."),
        widget=NoValueTextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "spellcheck": "false",
                "enterkeyhint": "go",
                "class": "pin-input",
            }
        ),
    )


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("As given when you sent it, e.g. PA-00001-26-00007."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "next",
                "class": "code-input",
            }
        ),
    )
    pin = _pin_field(_("PIN"))


class DisputeForm(forms.Form):
    """The sender disagrees with the answer: their reason, confirmed with the PIN."""

    reason = forms.CharField(
        label=_("Why do you disagree with the answer?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    pin = _pin_field(_("Your PIN, to confirm"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["maxlength"] = 2000


# --- actions on an item ----------------------------------------------------------------------
class ActionForm(forms.Form):
    """The form of one action on the item page; ``service_kwargs`` is what the service gets
    besides the item and the actor."""

    def __init__(self, data=None, *, item, **kwargs):
        self.item = item
        super().__init__(data, **kwargs)
        self.setup()

    def setup(self):
        pass

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def _note():
    return forms.CharField(
        label=_("Note"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _reason(label=None):
    return forms.CharField(
        label=label or _("Reason"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _person(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person(obj)


class ClassifyForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=_kind_choices)
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=selectors.categories_active(),
        required=False,
        empty_label=_("No topic"),
    )
    staff_member = StaffChoiceField(
        label=_("Staff member concerned"),
        queryset=None,
        required=False,
        empty_label=_("Nobody in particular"),
        help_text=_("Complaints about conduct count in the person's monthly evaluation."),
    )
    note = _note()

    def setup(self):
        item = self.item
        self.fields["staff_member"].queryset = selectors.staff_for_assignment(unit=item.unit)
        self.fields["kind"].initial = item.kind
        self.fields["category"].initial = item.category_id
        self.fields["staff_member"].initial = item.staff_member_id


class AssignForm(ActionForm):
    assignee = StaffChoiceField(
        label=_("Assign to"),
        queryset=None,
        error_messages={
            "required": _("Choose the person to assign the item to."),
            "invalid_choice": _("This person has no role at the unit."),
        },
    )
    note = _note()

    def setup(self):
        people = selectors.staff_for_assignment(unit=self.item.unit)
        if self.item.staff_member_id and self.item.kind in selectors.ABOUT_STAFF:
            people = people.exclude(pk=self.item.staff_member_id)
        self.fields["assignee"].queryset = people
        self.fields["assignee"].initial = self.item.assigned_to_id


class NoteForm(ActionForm):
    note = _note()


class ReasonForm(ActionForm):
    reason = _reason()


class TransferForm(ActionForm):
    """To a unit of the portal (``to_unit``, chosen from a list a search narrows) or a body
    outside it (``to_body``). Any unit of the same tree is accepted here; the service refuses
    the item's own unit with its message."""

    to_unit = forms.ModelChoiceField(
        label=_("Competent unit of the portal"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a unit from the list.")},
    )
    to_body = forms.CharField(
        label=_("Or a body outside the portal"),
        required=False,
        strip=False,
        help_text=_("e.g. the Provincial Inspectorate; the item can then only be closed here."),
    )
    note = _note()

    def setup(self):
        self.fields["to_unit"].queryset = AdministrativeUnit.objects.filter(
            tree_id=self.item.unit.tree_id
        )
        self.fields["to_body"].widget.attrs["maxlength"] = 300


class ReplyForm(ActionForm):
    text = forms.CharField(
        label=_("Answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The text of the reply letter, addressed to the sender."),
    )
    finding = forms.ChoiceField(
        label=_("Finding"),
        required=False,
        choices=[("", _("Not applicable")), *Finding.choices],
        help_text=_("For complaints: whether they were founded."),
    )

    def setup(self):
        self.fields["text"].widget.attrs["maxlength"] = settings.FEEDBACK_TEXT_MAX_CHARS


class PublishForm(ActionForm):
    title = forms.CharField(label=_("Title"), required=False, strip=False)
    question = forms.CharField(
        label=_("Published question"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    answer = forms.CharField(
        label=_("Published answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def setup(self):
        if not self.is_bound:
            self.initial.update(publication_draft(self.item))
        self.fields["title"].widget.attrs["maxlength"] = 200

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "question": data["question"], "answer": data["answer"]}
