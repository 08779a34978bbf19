"""Forms of the staff pages. They only read and convert input (types, lengths, choices); every
business rule is checked by the services, whose errors are put back on these forms."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers import selectors
from dossiers.models import Dossier, DossierStatus, Procedure
from portal.strict_input import BoundedDateField

# Service field names of ``InvalidApplicant.fields`` → fields of the intake form.
APPLICANT_FIELDS = {
    "kind": "applicant_kind",
    "name": "applicant_name",
    "id_number": "applicant_id_number",
    "phone": "applicant_phone",
    "email": "applicant_email",
    "address": "applicant_address",
}
MAX_QUANTITY = 99
MAX_LOG_DAYS = 92  # a quarter: a longer log is a report, not a print-out of the desk


def date_input():
    # ISO value for <input type="date">; the Vietnamese input formats accept it too.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IntakeForm(forms.Form):
    """Receiving a dossier at the desk. The procedure list and the document checklist are
    rendered by the template (they change with the desk and the procedure through htmx); the
    checklist is read by ``documents``."""

    desk = forms.IntegerField(widget=forms.HiddenInput)
    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.all(),
        label=_("Procedure"),
        error_messages={
            "required": _("Choose the procedure."),
            "invalid_choice": _("Choose a procedure from the list."),
        },
    )
    applicant_kind = forms.ChoiceField(
        label=_("Person or organisation"),
        choices=Dossier.ApplicantKind.choices,
        initial=Dossier.ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    applicant_id_number = forms.CharField(
        label=_("ID number / tax code"), max_length=20, required=False
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    applicant_email = forms.CharField(label=_("Email"), max_length=254, required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Dossier.Channel.choices, initial=Dossier.Channel.DESK
    )
    return_mode = forms.ChoiceField(
        label=_("Way of return"),
        choices=Procedure.ReturnMode.choices,
        initial=Procedure.ReturnMode.DESK,
    )
    sets_count = forms.IntegerField(
        label=_("Number of sets"), min_value=1, max_value=MAX_QUANTITY, initial=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_kind"].widget.attrs["class"] = "radio-row"
        inputs = {
            "applicant_name": {"autocomplete": "off"},
            "applicant_id_number": {"inputmode": "numeric", "autocomplete": "off"},
            "applicant_phone": {"type": "tel", "autocomplete": "off"},
            "applicant_email": {"type": "email", "autocomplete": "off"},
            "applicant_address": {"autocomplete": "off"},
        }
        for name, attrs in inputs.items():
            self.fields[name].widget.attrs.update(attrs)

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {service: data.get(field, "") for service, field in APPLICANT_FIELDS.items()}

    def applicant_raw(self) -> dict:
        """The applicant as typed, for checking it while other fields are still wrong."""
        return {service: self.data.get(field, "") for service, field in APPLICANT_FIELDS.items()}

    def add_applicant_errors(self, fields: dict) -> None:
        """Put the service's ``InvalidApplicant.fields`` next to the matching inputs."""
        for service_name, messages in fields.items():
            field = APPLICANT_FIELDS.get(service_name)
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(field, message)


def mark_errors(form, *, autofocus: str | None = None) -> None:
    """Link each wrong input to its message (for screen readers) and focus ``autofocus``."""
    for name, field in form.fields.items():
        if form.is_bound and name in form.errors:
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}_error"
        if name == autofocus:
            field.widget.attrs["autofocus"] = True


def checklist_rows(procedure, data=None) -> list[dict]:
    """The procedure's required documents as checklist rows, with the posted values when the
    form was submitted (so a re-rendered form keeps what was ticked and typed)."""
    rows = []
    for doc in procedure.documents.all() if procedure else []:
        prefix = f"doc_{doc.pk}"
        if data is None:
            received = not doc.is_optional
            original = doc.original_required
            quantity = str(doc.quantity)
        else:
            received = data.get(prefix) == "on"
            original = data.get(f"{prefix}_original") == "1"
            quantity = data.get(f"{prefix}_quantity", "")
        rows.append(
            {
                "doc": doc,
                "prefix": prefix,
                "received": received,
                "original": original,
                "quantity": quantity,
            }
        )
    return rows


def document_guidance(doc) -> str:
    """What the guidance (form 02, Vietnamese like the form) says about a required document."""
    copies = f"{doc.quantity:02d} bản {'chính' if doc.original_required else 'sao'}"
    return f"Nộp {copies}"


def extra_document(data=None) -> dict:
    data = data or {}
    return {
        "name": data.get("extra_name", ""),
        "original": data.get("extra_original") == "1",
        "quantity": data.get("extra_quantity", "1"),
    }


def documents_received(rows: list[dict], extra: dict) -> tuple[list[dict], list[str]]:
    """The ticked rows (and the free row, if named) as service input, and errors."""
    documents, errors = [], []
    wanted = [(r["doc"].name, r["original"], r["quantity"]) for r in rows if r["received"]]
    if extra["name"].strip():
        wanted.append((extra["name"].strip(), extra["original"], extra["quantity"]))
    for name, original, quantity in wanted:
        try:
            number = int(str(quantity).strip())
        except ValueError:
            number = 0
        if not 1 <= number <= MAX_QUANTITY:
            errors.append(
                _("“%(name)s”: enter a number of copies from 1 to %(max)s.")
                % {"name": name, "max": MAX_QUANTITY}
            )
            continue
        documents.append({"name": name, "is_original": original, "quantity": number})
    return documents, errors


class DossierFilterForm(forms.Form):
    """Search of the dossier list (GET): nothing here may carry personal data, it goes in
    the URL."""

    code = forms.CharField(label=_("Dossier code"), required=False, max_length=40)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DossierStatus.choices]
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        required=False,
        queryset=Procedure.objects.none(),
        empty_label=_("Any procedure"),
    )
    received_from = BoundedDateField(label=_("Received from"), required=False, widget=date_input())
    received_to = BoundedDateField(label=_("Received to"), required=False, widget=date_input())

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if procedures is not None:
            self.fields["procedure"].queryset = procedures

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "code": data["code"],
            "status": data["status"],
            "procedure": data["procedure"],
            "received_from": data["received_from"],
            "received_to": data["received_to"],
        }

    def is_filtering(self) -> bool:
        return any(v not in ("", None) for v in self.filters().values())


class DossierLogForm(forms.Form):
    """The desk's dossier log over a date range (printed as PDF)."""

    desk = forms.ModelChoiceField(label=_("Service desk"), queryset=None, empty_label=None)
    date_from = BoundedDateField(label=_("From"), widget=date_input())
    date_to = BoundedDateField(label=_("To"), widget=date_input())

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (end - start) > dt.timedelta(days=MAX_LOG_DAYS - 1):
                self.add_error(
                    "date_to",
                    _("Print at most %(days)s days of the log at once.") % {"days": MAX_LOG_DAYS},
                )
        return data


# --- actions on a dossier ------------------------------------------------------------------
class ActionForm(forms.Form):
    """The form of one action on the detail page; ``service_kwargs`` is what the service gets
    besides the dossier and the actor."""

    def __init__(self, data=None, *, dossier, departments, **kwargs):
        self.dossier = dossier
        self.departments = departments
        super().__init__(data, **kwargs)
        self.setup()

    def setup(self):
        pass

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def note_field():
    return forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RouteForm(ActionForm):
    to_department = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=None,
        required=False,
        empty_label=_("Back to the service desk"),
    )
    step_days = forms.IntegerField(
        label=_("Working days for this step"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Empty: until the dossier's due date."),
    )
    to_officer = forms.ModelChoiceField(
        label=_("Officer (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Anyone in the department"),
        help_text=_("The named officer finds the dossier in their own queue."),
    )
    note = note_field()

    def setup(self):
        field = self.fields["to_department"]
        if self.dossier.current_department_id:
            field.queryset = self.departments.exclude(pk=self.dossier.current_department_id)
        else:
            # Already at the desk: hand it to a department.
            field.queryset = self.departments
            field.required = True
            field.empty_label = None
        officer = self.fields["to_officer"]
        officer.queryset = selectors.officers_of_unit(unit=self.dossier.unit)
        officer.label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.get_username()} — {m.department.name}"
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        membership = data.pop("to_officer", None)
        data["to_officer"] = membership.user if membership is not None else None
        return data


class SupplementForm(ActionForm):
    """Items missing, each with guidance, as rows of repeated ``item_name``/``item_guidance``
    inputs (a row can be added with or without JavaScript)."""

    MIN_ROWS = 2

    def setup(self):
        self.rows = []
        if self.data:
            names = self.data.getlist(self.add_prefix("item_name"))
            guidance = self.data.getlist(self.add_prefix("item_guidance"))
            for i in range(max(len(names), len(guidance))):
                name = names[i] if i < len(names) else ""
                hint = guidance[i] if i < len(guidance) else ""
                self.rows.append({"name": name, "guidance": hint})
        while len(self.rows) < self.MIN_ROWS:
            self.add_row()

    def add_row(self):
        self.rows.append({"name": "", "guidance": ""})

    def service_kwargs(self) -> dict:
        # Rows left completely empty are spare rows, not items.
        return {"items": [r for r in self.rows if r["name"].strip() or r["guidance"].strip()]}


class ResubmitForm(ActionForm):
    note = note_field()


class CompleteForm(ActionForm):
    note = note_field()


class RefuseForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=300,
        help_text=_("e.g. Clause 2, Article 9, Decree 61/2018/NĐ-CP"),
    )


class ReturnForm(ActionForm):
    mode = forms.ChoiceField(label=_("Way of return"), choices=Procedure.ReturnMode.choices)
    note = note_field()

    def setup(self):
        self.fields["mode"].initial = self.dossier.return_mode


class WithdrawForm(ActionForm):
    request_text = forms.CharField(
        label=_("The applicant's request to stop"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RescheduleForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for the delay"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=None,
        required=False,
        empty_label=_("The unit as a whole"),
    )
    new_due_date = BoundedDateField(label=_("New appointment date"), widget=date_input())

    def setup(self):
        field = self.fields["responsible_department"]
        field.queryset = self.departments
        field.initial = self.dossier.current_department_id
