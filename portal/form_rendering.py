"""The form renderer (``FORM_RENDERER``): Django's, with the plain ``<input>`` and ``<select>``
widgets written directly instead of through their small templates (issue 14).

Rendering an ``<input>`` through ``django/forms/widgets/input.html`` and ``attrs.html`` cost
about 0.25 ms per field, more than half of the tracking form page's template time; a
``<select>`` paid two more templates per option (a work queue's procedure filter has dozens).
The output is the same, character for character (``tests/portal/test_form_rendering.py``
renders every such widget both ways): for an input the type, the name, ``value`` unless it is
``None``, then each attribute that is not ``False`` (a ``True`` one without a value), each
value as ``stringformat:'s'`` and escaped unless already safe; for a select the same
attributes, the option groups and each option with the line breaks of Django's templates. Any
other widget (textarea, radio, …), a select whose options use another template, and every
widget when a template of these names is overridden by an installed app, is rendered by
Django's templates as before.
"""

import functools
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# Django's templates that are only ``{% include "django/forms/widgets/input.html" %}`` (and
# input.html itself).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "hidden",
        "url",
        "tel",
        "search",
        "date",
        "time",
        "datetime",
        "color",
        "checkbox",
    )
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_OWN_TEMPLATES = INPUT_TEMPLATES | {SELECT_TEMPLATE, OPTION_TEMPLATE}
_DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"
# The context the renderer's templates get: autoescape on, localisation and time zone as set.
_CONTEXT = Context()


def _value(value) -> str:
    """``{{ value }}``."""
    return render_value_in_context(value, _CONTEXT)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    text = "%s" % (value,)  # noqa: UP031 (the filter's own formatting, kept exactly)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def attributes(attrs) -> str:
    """``{% include "django/forms/widgets/attrs.html" %}``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_value(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    return "".join(parts)


def input_html(widget) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value below went through conditional_escape()
        f'<input type="{_value(widget["type"])}" '
        f'name="{_value(widget["name"])}"{value}{attributes(widget["attrs"])}>'
    )


def select_html(widget) -> str | None:
    """``select.html`` with ``select_option.html`` for each option; ``None`` when an option
    has another template."""
    parts = [f'<select name="{_value(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{attributes(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value went through conditional_escape()


class FastInputRenderer(DjangoTemplates):
    @functools.cached_property
    def _templates_are_django_s(self) -> bool:
        """Whether every template written here is Django's own (an app may override one)."""
        for name in _OWN_TEMPLATES:
            origin = Path(self.get_template(name).origin.name)
            if _DJANGO_FORMS not in origin.parents:
                return False
        return True

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES and self._templates_are_django_s:
            return input_html(context["widget"])
        if template_name == SELECT_TEMPLATE and self._templates_are_django_s:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
