"""Query-string filters that take only what the schema says (issue 13).

django-filter's ``BooleanFilter`` reads ``true``, ``false``, ``1``, ``0``, ``True`` and also
``null``, ``unknown`` and ``None`` (as "no filter"), while the schema says ``boolean``: a typo
silently listed everything. ``BooleanFilter`` here takes ``true`` or ``false`` (an empty value
is "no filter", as for every optional parameter: ``allowEmptyValue`` in the schema) and
refuses the rest with a 400 and a translated message.

Ids in a query string are read by ``portal.strict_input.StrictIdFormField``
(``portal.api.IdFilter``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters


class StrictBooleanField(forms.Field):
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(filters.BooleanFilter):
    """``true`` or ``false``; empty or absent: no filter; anything else: 400."""

    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # django-filter's REST BooleanFilter sets BooleanWidget, which reads "x" as None.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)
