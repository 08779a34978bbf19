"""The form renderer (``FORM_RENDERER``): Django's, with the plain ``<input>`` widgets written
directly instead of through two small templates each (issue 14).

Rendering an ``<input>`` through ``django/forms/widgets/input.html`` and ``attrs.html`` cost
about 0.25 ms per field, more than half of the tracking form page's template time. The output
is the same, character for character (``tests/portal/test_form_rendering.py`` renders every
input widget both ways): the type, the name, ``value`` unless it is ``None``, then each
attribute that is not ``False`` (a ``True`` one without a value), each value as
``stringformat:'s'`` and escaped unless already safe. Any other widget (select, textarea,
radio, …), and every input widget when a template of these names is overridden by an
installed app, is rendered by Django's templates as before.
"""

import functools
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
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
_DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"


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
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_text(value)}"')
    return "".join(parts)


def input_html(widget) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value below went through conditional_escape()
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{attributes(widget["attrs"])}>'
    )


class FastInputRenderer(DjangoTemplates):
    @functools.cached_property
    def _inputs_are_django_s(self) -> bool:
        """Whether every input template found is Django's own (an app may override one)."""
        for name in INPUT_TEMPLATES:
            origin = Path(self.get_template(name).origin.name)
            if _DJANGO_FORMS not in origin.parents:
                return False
        return True

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES and self._inputs_are_django_s:
            return input_html(context["widget"])
        return super().render(template_name, context, request=request)
