"""Presentation helpers of the dossier pages."""

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def iso_datetime(value):
    """An ISO datetime string stored in an event's data, as a datetime for ``|date``."""
    if not value or not isinstance(value, str):
        return None
    return parse_datetime(value)
