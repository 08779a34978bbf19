"""The Circular 01 entry form: counts of dossiers scored 2, 1 and 0 on indices 3 and 4 (from the
rating forms, Art. 14.3), and index 6's two answers (units only). Empty counts leave an index
missing; the service checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.evaluations.services import COUNT_FIELDS

YES_NO = [("", _("Not entered")), ("yes", _("Yes")), ("no", _("No"))]


class EntryForm(forms.Form):
    contacts_2 = forms.IntegerField(
        label=_("no extra contact (2 points)"), min_value=0, required=False
    )
    contacts_1 = forms.IntegerField(
        label=_("one extra contact (1 point)"), min_value=0, required=False
    )
    contacts_0 = forms.IntegerField(
        label=_("more than one (0 points)"), min_value=0, required=False
    )
    bodies_2 = forms.IntegerField(label=_("no other body (2 points)"), min_value=0, required=False)
    bodies_1 = forms.IntegerField(
        label=_("only the one-stop desk (1 point)"), min_value=0, required=False
    )
    bodies_0 = forms.IntegerField(label=_("more bodies (0 points)"), min_value=0, required=False)
    published_at_desk = forms.ChoiceField(
        label=_("Posted at the desk accurately, completely and on time"),
        choices=YES_NO,
        required=False,
    )
    published_online = forms.ChoiceField(
        label=_("Published electronically accurately, completely and on time"),
        choices=YES_NO,
        required=False,
    )
    note = forms.CharField(
        label=_("Source or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, for_staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_staff = for_staff
        if for_staff:
            del self.fields["published_at_desk"]
            del self.fields["published_online"]

    def values(self) -> dict:
        data = self.cleaned_data
        out = {name: data.get(name) for name in COUNT_FIELDS}
        if not self.for_staff:
            for name in ("published_at_desk", "published_online"):
                out[name] = {"yes": True, "no": False}.get(data.get(name) or "")
        out["note"] = data.get("note") or ""
        return out

    def add_domain_error(self, exc) -> None:
        for name, messages in exc.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, str(message))
        if not exc.fields:
            self.add_error(None, str(exc))

    def index3(self):
        return [self[f"contacts_{n}"] for n in (2, 1, 0)]

    def index4(self):
        return [self[f"bodies_{n}"] for n in (2, 1, 0)]


def entry_initial(entry) -> dict:
    if entry is None:
        return {}
    initial = {name: getattr(entry, name) for name in COUNT_FIELDS}
    for name in ("published_at_desk", "published_online"):
        value = getattr(entry, name)
        initial[name] = "" if value is None else ("yes" if value else "no")
    initial["note"] = entry.note
    return initial
