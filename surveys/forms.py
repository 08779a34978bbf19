"""Reading and laying out the survey pages' forms. No rules here: what a sheet may contain is
checked by the services (``surveys.services``), which refuse the whole sheet with errors per
field; these helpers only turn posted fields into the services' arguments and back.

Field names of a filled-in sheet, shared by the citizen, kiosk and staff pages and by the
services' error ``fields``:

* ``criterion_<id>``: ``1``–``5`` (or ``0``–``10``), ``na`` for "not applicable", empty for blank;
* ``question_<id>``: an option code of an extra question, empty to skip it;
* ``gender``, ``age_band``, ``education``, ``occupation``, ``procedure``: respondent fields;
* ``comment``; ``form``: the id of the form version that was shown.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.selectors import desks_visible, visible_units
from portal.strict_input import BoundedDateField, id_or_none
from surveys.exceptions import InvalidAnswers
from surveys.models import (
    FIVE_LEVEL_LABELS,
    NOT_APPLICABLE,
    SCORE_10_LABELS,
    AgeBand,
    Education,
    Gender,
    Occupation,
    Response,
    Scale,
    SurveyForm,
)

CRITERION_PREFIX = "criterion_"
QUESTION_PREFIX = "question_"
RESPONDENT_FIELDS = (
    ("gender", _("Gender"), Gender),
    ("age_band", _("Age"), AgeBand),
    ("education", _("Education"), Education),
    ("occupation", _("Occupation"), Occupation),
)
# On the paper entry page "0" and "-" mean "not applicable" on the five-level scale.
PAPER_NOT_APPLICABLE = ("0", "-")


def localized(obj, name: str, language: str | None) -> str:
    """The ``<name>_en`` wording when English is active and filled in, else ``<name>_vi``."""
    language = (language or "vi")[:2]

    def get(attr):
        if isinstance(obj, dict):
            return obj.get(attr)
        return getattr(obj, attr, None)

    if language != "vi":
        text = get(f"{name}_{language}")
        if text:
            return text
    return get(f"{name}_vi") or ""


def scale_options(form: SurveyForm, language: str | None) -> list[dict]:
    """The answers a criterion offers: ``[{value, label, number}]`` in order, "not applicable"
    last (five-level forms). Labels come from the form, else the Ministry's wording."""
    stored = {str(item.get("value")): item for item in form.scale_labels or []}
    defaults = FIVE_LEVEL_LABELS if form.scale == Scale.FIVE_LEVEL else SCORE_10_LABELS
    fallback = {str(item["value"]): item for item in defaults}
    values = [str(v) for v in range(form.scale_min, form.scale_max + 1)]
    if form.allows_not_applicable:
        values.append(NOT_APPLICABLE)
    options = []
    for value in values:
        item = stored.get(value) or fallback.get(value)
        label = localized(item, "label", language) if item else ""
        options.append(
            {"value": value, "label": label, "number": "" if value == NOT_APPLICABLE else value}
        )
    return options


@dataclass
class Sheet:
    """A filled-in sheet as posted, in the shape the services take."""

    answers: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)
    respondent: dict = field(default_factory=dict)
    comment: str = ""
    form_id: str = ""
    values: dict = field(default_factory=dict)  # every posted field, to show the sheet again

    def service_kwargs(self) -> dict:
        return {
            "answers": self.answers,
            "extras": self.extras,
            "respondent": self.respondent,
            "comment": self.comment,
        }


def sheet_from_post(post) -> Sheet:
    """Every ``criterion_*`` and ``question_*`` field is passed on as posted (the service
    refuses those of another form), respondent fields only when present."""
    sheet = Sheet(comment=post.get("comment", ""), form_id=post.get("form", ""))
    for key in post:
        value = post.get(key, "")
        sheet.values[key] = value
        if key.startswith(CRITERION_PREFIX):
            sheet.answers[key.removeprefix(CRITERION_PREFIX)] = value.strip()
        elif key.startswith(QUESTION_PREFIX):
            sheet.extras[key.removeprefix(QUESTION_PREFIX)] = value
    for name, _label, _choices in RESPONDENT_FIELDS:
        if name in post:
            sheet.respondent[name] = post.get(name, "")
    if post.get("procedure"):
        sheet.respondent["procedure"] = post.get("procedure")
    return sheet


def paper_answers(answers: dict, *, scale: str) -> dict:
    """On the paper entry page ``0`` and ``-`` stand for "not applicable" on a five-level form
    (on a 0–10 form, 0 is a score)."""
    if scale != Scale.FIVE_LEVEL:
        return answers
    return {k: NOT_APPLICABLE if v in PAPER_NOT_APPLICABLE else v for k, v in answers.items()}


def posted_form(sheet: Sheet) -> SurveyForm | None:
    """The form version the sheet was filled in on (a hidden field), or None when absent."""
    if not sheet.form_id:
        return None
    form_id = id_or_none(sheet.form_id)
    form = SurveyForm.objects.filter(pk=form_id).first() if form_id is not None else None
    if form is None:
        raise InvalidAnswers(
            _("This form is no longer in use. Please fill in the form shown again."),
            code="unknown_form",
        )
    return form


def sheet_layout(
    form: SurveyForm,
    *,
    language: str | None,
    values: dict | None = None,
    errors: dict | None = None,
    procedures=None,
    paper: bool = False,
) -> dict:
    """What the sheet templates show: areas with numbered criteria and their options, extra
    questions, respondent fields, each with the posted value and its errors. ``form`` must come
    from ``selectors.survey_form_structure`` (areas, criteria and questions prefetched)."""
    values = values or {}
    errors = errors or {}
    options = scale_options(form, language)
    number = 0
    areas = []
    for area in form.areas.all():
        criteria = []
        for criterion in area.criteria.all():
            number += 1
            name = f"{CRITERION_PREFIX}{criterion.pk}"
            value = values.get(name, "")
            if paper and value == NOT_APPLICABLE:
                value = "-"
            criteria.append(
                {
                    "id": criterion.pk,
                    "code": criterion.code,
                    "number": number,
                    "text": localized(criterion, "text", language),
                    "name": name,
                    "value": value,
                    "errors": errors.get(name, []),
                }
            )
        areas.append({"name": localized(area, "name", language), "criteria": criteria})
    questions = []
    for question in form.extra_questions.all():
        name = f"{QUESTION_PREFIX}{question.pk}"
        questions.append(
            {
                "id": question.pk,
                "text": localized(question, "text", language),
                "name": name,
                "value": values.get(name, ""),
                "errors": errors.get(name, []),
                "options": [
                    {"value": o.get("code"), "label": localized(o, "label", language)}
                    for o in question.options or []
                ],
            }
        )
    respondent = [
        {
            "name": name,
            "label": label,
            "choices": list(choices.choices),
            "value": values.get(name, ""),
            "errors": errors.get(name, []),
        }
        for name, label, choices in RESPONDENT_FIELDS
    ]
    if procedures is not None:
        respondent.append(
            {
                "name": "procedure",
                "label": _("Procedure used"),
                "choices": [(str(p.pk), p.name) for p in procedures],
                "value": values.get("procedure", ""),
                "errors": errors.get("procedure", []),
            }
        )
    shown = {c["name"] for a in areas for c in a["criteria"]}
    shown |= {q["name"] for q in questions} | {f["name"] for f in respondent}
    shown |= {"comment", "serial", "dossier_code"}  # the last two: next to their fields
    return {
        "form": form,
        "form_name": localized(form, "name", language),
        # errors about fields the sheet does not show (e.g. a question of another version)
        "other_errors": [m for name, ms in errors.items() if name not in shown for m in ms],
        "scale": form.scale,
        "options": options,
        "areas": areas,
        "questions": questions,
        "respondent": respondent,
        # open the respondent fields when one is filled in or wrong (a sheet shown again)
        "respondent_given": any(f["value"] or f["errors"] for f in respondent),
        "comment": values.get("comment", ""),
        "comment_errors": errors.get("comment", []),
        "criteria_count": number,
    }


def error_fields(error) -> dict:
    """The per-field messages of a domain error, as lists of strings."""
    return {name: [str(m) for m in messages] for name, messages in (error.fields or {}).items()}


# --- staff forms ----------------------------------------------------------------------------
class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


class ResponseFilterForm(forms.Form):
    """Filters of the staff pages: unit (with the units under it), desk, period, channel and
    form. The choices are the user's own units and desks; anything else is refused."""

    unit = forms.ModelChoiceField(queryset=None, required=False, label=_("Unit"))
    desk = forms.ModelChoiceField(queryset=None, required=False, label=_("Service desk"))
    date_from = BoundedDateField(
        required=False, label=_("From"), widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
    date_to = BoundedDateField(
        required=False, label=_("To"), widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
    channel = forms.ChoiceField(required=False, label=_("Channel"))
    form = forms.ChoiceField(required=False, label=_("Form"))

    def __init__(self, data=None, *, user, **kwargs):
        today = timezone.localdate()
        data = data.copy() if data is not None else {}
        data.setdefault("date_from", month_start(today).isoformat())
        data.setdefault("date_to", today.isoformat())
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["unit"].queryset = visible_units(user=user).order_by("path")
        self.fields["unit"].empty_label = _("All my units")
        self.fields["desk"].queryset = desks_visible(user=user)
        self.fields["desk"].empty_label = _("All desks")
        self.fields["channel"].choices = [("", _("All channels")), *Response.Channel.choices]
        codes = {}
        for code, name in SurveyForm.objects.order_by("code", "-version").values_list(
            "code", "name_vi"
        ):
            codes.setdefault(code, f"{name} ({code})")
        self.fields["form"].choices = [("", _("All forms")), *codes.items()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.responses_filtered`` (call after ``is_valid``)."""
        data = self.cleaned_data
        return {
            "unit": data.get("unit"),
            "desk": data.get("desk"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "channel": data.get("channel") or None,
            "form_code": data.get("form") or None,
        }

    def query(self, **extra) -> str:
        """The filters as a query string, for links to the lists behind a figure."""
        params = QueryDict(mutable=True)
        for name in ("unit", "desk", "date_from", "date_to", "channel", "form"):
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if value in (None, ""):
                continue
            params[name] = value.pk if hasattr(value, "pk") else str(value)
        for name, value in extra.items():
            if isinstance(value, list | tuple):
                params.setlist(name, [str(v) for v in value])
            elif value is not None:
                params[name] = str(value)
        return params.urlencode()


class PaperBatchForm(forms.Form):
    """The context of a batch of sheets entered by staff: desk, channel, date on the sheets,
    and (optionally) the form version, kept from one sheet to the next."""

    CHANNELS = [(Response.Channel.PAPER, _("Paper form")), (Response.Channel.PHONE, _("Phone"))]

    desk = forms.ModelChoiceField(queryset=None, label=_("Service desk"))
    channel = forms.ChoiceField(choices=CHANNELS, label=_("Channel"), initial="paper")
    date = BoundedDateField(
        label=_("Date on the sheets"), widget=DateInput(), input_formats=["%Y-%m-%d"]
    )
    form = forms.ModelChoiceField(
        queryset=SurveyForm.objects.filter(is_published=True).order_by("code", "-version"),
        required=False,
        label=_("Form"),
        empty_label=_("The form in use at the desk"),
    )

    def __init__(self, data=None, *, user, **kwargs):
        data = data.copy() if data is not None else {}
        desks = desks_visible(user=user)
        data.setdefault("date", timezone.localdate().isoformat())
        data.setdefault("channel", Response.Channel.PAPER)
        if "desk" not in data:
            only = list(desks[:2])
            if len(only) == 1:
                data["desk"] = str(only[0].pk)
        super().__init__(data, **kwargs)
        self.fields["desk"].queryset = desks
        self.fields["form"].label_from_instance = lambda f: f"{f.name_vi} (v{f.version})"

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the answers cannot be in the future."))
        return day

    def submitted_at(self) -> dt.datetime | None:
        """Noon of the date on the sheets (None, meaning now, for today's sheets)."""
        day = self.cleaned_data["date"]
        if day >= timezone.localdate():
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def next_serial(serial: str) -> str:
    """'A-0041' → 'A-0042', keeping the zeros; '' when the serial does not end in digits."""
    match = re.search(r"(\d+)$", serial or "")
    if not match:
        return ""
    digits = match.group(1)
    return serial[: match.start()] + str(int(digits) + 1).zfill(len(digits))


class KioskRegisterForm(forms.Form):
    desk = forms.ModelChoiceField(queryset=None, label=_("Service desk"))
    name = forms.CharField(
        max_length=100,
        label=_("Name of the tablet"),
        help_text=_("e.g. Tablet at counter 2"),
    )

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = desks


class DossierCodeForm(forms.Form):
    code = forms.CharField(max_length=40, label=_("Dossier code"))

    def clean_code(self):
        return self.cleaned_data["code"].strip()
