"""Strict reading of numbers, ids, dates and list sizes typed or sent by anyone (issue 13,
docs/security.md "Input"). One place for every app, pages and API alike:

- integers are ASCII digits with an optional minus sign, nothing else: ``"²"``, ``"--5"``,
  ``"٣"``, ``"1e3"`` or ``" 7 "`` inside a query string are not numbers (``str.isdigit`` says
  yes to ``"²"``, and ``int`` then crashes);
- ids sent in a JSON body are JSON integers: ``36.5``, ``"36"`` and ``true`` are refused rather
  than rounded, parsed or taken as 1 (form and multipart bodies carry text, so there a string
  of ASCII digits is the integer);
- dates lie between ``PORTAL_DATE_MIN`` and ``PORTAL_DATE_MAX`` (``9999-12-31`` plus a day
  overflows Python's dates);
- lists (documents of a dossier, answers of a survey, attachments) have a maximum length.

Errors are translated: ``ValidationError`` for forms and serializers, ``InvalidInput`` (a
``DomainError``: 400 with ``detail`` and ``code`` on the API) for services and views.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from rest_framework import serializers

from portal.exceptions import InvalidInput

ASCII_INTEGER = re.compile(r"-?[0-9]+\Z")
# A database id is a positive bigint; longer digit strings are not ids.
ID_MAX = 2**63 - 1
INT_MAX_DIGITS = 19


# --- integers ---------------------------------------------------------------------------
def parse_int(value, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """``value`` as an int: an ``int`` (not a bool) or a string of ASCII digits with an
    optional leading minus, within the bounds given. Raises ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and len(value) <= INT_MAX_DIGITS + 1 and ASCII_INTEGER.match(value):
        number = int(value)
    else:
        raise ValueError(value)
    if (min_value is not None and number < min_value) or (
        max_value is not None and number > max_value
    ):
        raise ValueError(value)
    return number


def parse_id(value) -> int:
    """A database id (1 … 2⁶³−1) as ``parse_int`` reads it; ``ValueError`` otherwise."""
    return parse_int(value, min_value=1, max_value=ID_MAX)


def int_or_none(value, *, min_value: int = 0, max_value: int = 2**31 - 1) -> int | None:
    """A whole number as ``parse_int`` reads it (by default one a PostgreSQL ``integer``
    holds, not negative), or None for anything else: for searches that try a text as a
    number too."""
    try:
        return parse_int(value, min_value=min_value, max_value=max_value)
    except ValueError:
        return None


def id_or_none(value) -> int | None:
    """A database id, or None for anything else (an empty or absent parameter included)."""
    try:
        return parse_id(value)
    except ValueError:
        return None


def query_id(params, name: str) -> int | None:
    """The id in query or form parameter ``name``: None when absent or empty; ``InvalidInput``
    (400) when it is something else than a database id (``?desk=²``, ``?desk=1.5``)."""
    raw = params.get(name, "")
    if raw in ("", None):
        return None
    try:
        return parse_id(raw)
    except ValueError:
        raise InvalidInput(
            _("“%(name)s” must be a whole number (an id).") % {"name": name},
            code="invalid_id",
        ) from None


def _is_form_data(field) -> bool:
    root = getattr(field, "root", None)
    return isinstance(getattr(root, "initial_data", None), QueryDict)


class StrictIntegerField(serializers.IntegerField):
    """An integer that is a JSON integer: ``36.5``, ``"36"`` and ``true`` are refused. In a
    form or multipart body (text only) a string of ASCII digits is accepted."""

    default_error_messages = {
        "invalid": gettext_lazy('A whole number is required (e.g. 36, not 36.5 or "36").'),
    }

    def to_internal_value(self, data):
        if _is_form_data(self) and isinstance(data, str):
            try:
                data = parse_int(data)
            except ValueError:
                self.fail("invalid")
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """``PrimaryKeyRelatedField`` whose id must be a JSON integer: Django would otherwise look
    up ``36.5`` as 36, ``true`` as 1 and ``"36"`` as 36."""

    default_error_messages = {
        "incorrect_type": gettext_lazy(
            'Give the id as a whole number (e.g. 36, not 36.5, "36" or true).'
        ),
    }

    def to_internal_value(self, data):
        if _is_form_data(self) and isinstance(data, str):
            try:
                data = parse_int(data)
            except ValueError:
                self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class StrictIdFormField(forms.IntegerField):
    """A form field for an id in a query string: ASCII digits only (``1.0``, ``²`` and ``٣``
    are refused), within a bigint."""

    default_error_messages = {"invalid": gettext_lazy("Enter a whole number (an id).")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_id(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- dates ------------------------------------------------------------------------------
def date_min() -> dt.date:
    return dt.date.fromisoformat(settings.PORTAL_DATE_MIN)


def date_max() -> dt.date:
    return dt.date.fromisoformat(settings.PORTAL_DATE_MAX)


def date_range_message() -> str:
    return _("Enter a date between %(min)s and %(max)s.") % {
        "min": date_format(date_min(), "SHORT_DATE_FORMAT"),
        "max": date_format(date_max(), "SHORT_DATE_FORMAT"),
    }


def check_date(day: dt.date | None) -> dt.date | None:
    """``day`` if it lies in the portal's range of dates; ``InvalidInput`` otherwise (for the
    services, whatever called them)."""
    if day is not None and not date_min() <= day <= date_max():
        raise InvalidInput(date_range_message(), code="date_out_of_range")
    return day


def validate_date_range(day) -> None:
    """A Django validator: the date lies between ``PORTAL_DATE_MIN`` and ``PORTAL_DATE_MAX``."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if day is not None and not date_min() <= day <= date_max():
        raise ValidationError(date_range_message(), code="date_out_of_range")


class BoundedDateField(forms.DateField):
    """A form date within the portal's range of dates."""

    default_validators = [validate_date_range]


class BoundedDateSerializerField(serializers.DateField):
    """An API date within the portal's range of dates."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], validate_date_range]
        super().__init__(**kwargs)


class BoundedDateFilter(filters.DateFilter):
    """A django-filter date parameter within the portal's range of dates."""

    field_class = BoundedDateField


# --- list sizes -------------------------------------------------------------------------
def check_list_size(
    items, *, most: int, what: str, field: str | None = None, error=InvalidInput
) -> None:
    """Refuse a list longer than ``most`` (``what`` names its items, e.g. "documents") with
    ``error`` (a ``DomainError`` class: the caller's own, so its pages catch it)."""
    if items is not None and len(items) > most:
        message = _("Too many %(what)s: at most %(most)d, %(count)d were sent.") % {
            "what": what,
            "most": most,
            "count": len(items),
        }
        raise error(message, code="too_many_items", fields={field: [message]} if field else None)
