"""The period picker of the dashboards: a month, a quarter, a year or two days (R-IND-4). Every
field is always shown (no JavaScript); the kind chosen says which ones count. Links carry the
period in its text form (``?period=2026-03``, ``reports.periods``)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.strict_input import BoundedDateField
from reports import periods
from reports.exceptions import InvalidPeriod

KIND_CHOICES = [
    (periods.MONTH, _("Month")),
    (periods.QUARTER, _("Quarter")),
    (periods.YEAR, _("Year")),
    (periods.CUSTOM, _("From … to …")),
]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=KIND_CHOICES)
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
    )
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)
    # A date input takes and shows ISO days (yyyy-mm-dd) whatever the language.
    date_from = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    date_to = BoundedDateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        years = list(range(today.year, today.year - 11, -1))
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
        self.fields["quarter"].choices = [
            (f"{y}-Q{q}", f"Q{q}/{y}") for y in years for q in (4, 3, 2, 1)
        ]

    @classmethod
    def for_period(cls, period: periods.Period, *, today: dt.date) -> "PeriodForm":
        """A form showing ``period`` (the other fields at sensible values)."""
        quarter = (period.start.month - 1) // 3 + 1
        return cls(
            initial={
                "kind": period.kind,
                "month": f"{period.start:%Y-%m}",
                "quarter": f"{period.start.year}-Q{quarter}",
                "year": str(period.start.year),
                "date_from": period.start,
                "date_to": period.end,
            },
            today=today,
        )

    def period(self) -> periods.Period:
        """The period chosen (call after ``is_valid``); ``InvalidPeriod`` with a clear message
        when the fields of the chosen kind do not make one."""
        data = self.cleaned_data
        kind = data["kind"]
        if kind == periods.MONTH:
            return periods.parse_period(data.get("month") or "")
        if kind == periods.QUARTER:
            return periods.parse_period(data.get("quarter") or "")
        if kind == periods.YEAR:
            return periods.parse_period(data.get("year") or "")
        start, end = data.get("date_from"), data.get("date_to")
        if start is None or end is None:
            raise InvalidPeriod(_("Give both days of the range."))
        return periods.custom(start, end)
