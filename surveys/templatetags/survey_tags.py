"""Presentation helpers of the survey pages: wording in the active language, percentages."""

from django import template
from django.utils import translation

from surveys.forms import localized, scale_options

register = template.Library()


@register.filter
def tr(obj, field):
    """``{{ criterion|tr:"text" }}``: ``text_en`` when English is active and filled in, else
    ``text_vi``. Works on models, the index dataclasses and option dictionaries."""
    return localized(obj, field, translation.get_language())


@register.filter
def percent(value, digits=1):
    """An index (0..100) as "54.2 %" (comma decimals in Vietnamese); "—" without a value."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):.{int(digits)}f}"
    if (translation.get_language() or "vi").startswith("vi"):
        text = text.replace(".", ",")
    return f"{text} %"


@register.filter
def get_item(mapping, key):
    """``{{ distribution|get_item:value }}``"""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def option_label(extra_answer):
    """The label of the option chosen for an extra question, in the active language."""
    language = (translation.get_language() or "vi")[:2]
    return extra_answer.question.option_label(extra_answer.option, language)


@register.filter
def answer_label(answer, form):
    """ "4 · Satisfied", "Not applicable" or "" (blank) for an answer on ``form``'s scale."""
    if answer.not_applicable or answer.value is None:
        return ""
    labels = {o["value"]: o["label"] for o in scale_options(form, translation.get_language())}
    label = labels.get(str(answer.value), "")
    return f"{answer.value} · {label}" if label else str(answer.value)
