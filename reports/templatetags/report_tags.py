"""Presentation helpers of the dashboards: counts, changes in percentage points, rank movement
(percentages use ``survey_tags.percent``)."""

from django import template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _decimal(text: str) -> str:
    if (translation.get_language() or "vi").startswith("vi"):
        return text.replace(".", ",")
    return text


@register.filter
def count(value):
    """A count with thousands grouped as the language groups them; "—" without a value."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=0, force_grouping=True)


@register.filter
def points(value):
    """A change of a rate in percentage points: "+1.5 pp" / "−0.4 pp"; "—" without one."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return _("%(sign)s%(n)s pp") % {"sign": sign, "n": _decimal(f"{abs(value):.1f}")}


@register.filter
def delta(value, before):
    """The change of a count: "+12" / "−3" / "±0"."""
    if value is None or before is None:
        return "—"
    diff = value - before
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    return f"{sign}{number_format(abs(diff), decimal_pos=0, force_grouping=True)}"


@register.filter
def score(value):
    if value is None:
        return "—"
    return _decimal(f"{value:.1f}")


@register.simple_tag
def movement(places):
    """Rank movement since the previous period: (symbol, css, text, places) with places as a
    number without sign ("" when unchanged)."""
    if places is None:
        return ("", "move--none", "", "")
    if places > 0:
        return ("▲", "move--up", _("up %(n)d") % {"n": places}, places)
    if places < 0:
        return ("▼", "move--down", _("down %(n)d") % {"n": -places}, -places)
    return ("=", "move--same", _("unchanged"), "")


@register.filter
def get(mapping, key):
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None
