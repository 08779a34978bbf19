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


def test_english_short_date_is_day_first_too():
    """Vietnam writes dates day first in either language: 03/12/2026 is 3 December."""
    with translation.override("en"):
        assert formats.date_format(dt.date(2026, 12, 3), "SHORT_DATE_FORMAT") == "03/12/2026"
        assert formats.date_format(dt.date(2026, 12, 3), "DATE_FORMAT") == "3 December 2026"
        moment = dt.datetime(2026, 12, 3, 14, 5)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "14:05 03/12/2026"


def test_english_date_input_is_day_first():
    with translation.override("en"):
        form = _DayForm({"day": "03/12/2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2026, 12, 3)
