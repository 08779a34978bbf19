"""Presentation helpers of the dossier pages."""

from django import template
from django.utils.dateparse import parse_datetime
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def iso_datetime(value):
    """An ISO datetime string stored in an event's data, as a datetime for ``|date``."""
    if not value or not isinstance(value, str):
        return None
    return parse_datetime(value)


def duration_text(amount: int, time_unit: str) -> str:
    """ "1 working day", "5 working days", "4 working hours": the plural chosen by the
    language's own rule (``ngettext``), never a word glued to a number."""
    if time_unit == "hours":
        return ngettext("%(count)d working hour", "%(count)d working hours", amount) % {
            "count": amount
        }
    return ngettext("%(count)d working day", "%(count)d working days", amount) % {"count": amount}


@register.filter
def processing_time(obj):
    """``{{ dossier|processing_time }}``, ``{{ procedure|processing_time }}``, or a dict with
    ``processing_time`` and ``time_unit`` (the cached desk directory)."""
    if isinstance(obj, dict):
        return duration_text(obj["processing_time"], obj["time_unit"])
    return duration_text(obj.processing_time, obj.time_unit)
