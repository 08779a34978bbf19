"""Dates are read and shown day first in Vietnamese (dd/mm/yyyy), as official papers write them."""

import datetime as dt

from django import forms
from django.utils import formats, translation


class _DayForm(forms.Form):
    day = forms.DateField()


def test_vietnamese_date_input_is_day_first():
    with translation.override("vi"):
        form = _DayForm({"day": "02/01/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 1, 2)


def test_iso_dates_are_still_accepted_in_vietnamese():
    with translation.override("vi"):
        form = _DayForm({"day": "2026-01-02"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 1, 2)


def test_vietnamese_short_date_is_day_first_with_slashes():
    with translation.override("vi"):
        shown = formats.date_format(dt.date(2026, 1, 2), "SHORT_DATE_FORMAT")
    assert shown == "02/01/2026"
