"""``portal.form_rendering.FastInputRenderer`` writes the plain ``<input>`` widgets without
their templates (issue 14); its output must be Django's, character for character."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portal.form_rendering import INPUT_TEMPLATES, SELECT_TEMPLATE, FastInputRenderer

ATTRS = [
    {},
    {"class": "x", "required": True, "disabled": False},
    {"placeholder": 'say "hi" & <b>', "maxlength": 20, "data-n": 0, "aria-label": _("Language")},
    {"title": mark_safe("<i>safe</i>"), "autofocus": True, "min": dt.date(2026, 12, 2)},
]
VALUES = [None, "", "plain", 'q"uote & <tag>', mark_safe("<b>safe</b>"), 0, 12.5, 1234567]


def widgets():
    yield forms.TextInput
    yield forms.EmailInput
    yield forms.NumberInput
    yield forms.URLInput
    yield forms.PasswordInput
    yield lambda attrs: forms.PasswordInput(attrs=attrs, render_value=True)
    yield forms.HiddenInput
    yield forms.DateInput
    yield forms.TimeInput
    yield forms.DateTimeInput
    yield forms.CheckboxInput
    yield forms.SearchInput
    yield forms.TelInput
    yield forms.ColorInput


@pytest.mark.parametrize("make", list(widgets()))
def test_every_input_widget_renders_as_django_renders_it(make):
    for attrs in ATTRS:
        widget = make(attrs=dict(attrs))
        assert widget.template_name in INPUT_TEMPLATES
        for value in VALUES:
            for language in ("vi", "en"):
                with override(language):
                    expected = widget.render("f", value, renderer=DjangoTemplates())
                    fast = widget.render("f", value, renderer=FastInputRenderer())
                assert fast == expected, (attrs, value)


CHOICES = [
    [("", "---------"), ("a", "A & B"), ("<b>", _("Language")), (3, 3), (4.5, 1234567)],
    [("x", "X"), ("Group & 1", [("g1", "One"), ("g2", mark_safe("<i>Two</i>"))]), ("y", "Y")],
    [],
]
SELECTED = [None, "", "a", "<b>", 3, "g2", ["a", "g1", 3]]


@pytest.mark.parametrize(
    "make",
    [
        forms.Select,
        forms.SelectMultiple,
        lambda attrs, choices: forms.NullBooleanSelect(attrs=attrs),
    ],
)
def test_every_select_renders_as_django_renders_it(make):
    assert FastInputRenderer()._templates_are_django_s  # so the fast path is the one compared
    for attrs in ATTRS:
        for choices in CHOICES:
            try:
                widget = make(attrs=dict(attrs), choices=choices)
            except TypeError:
                widget = make(attrs=dict(attrs))
            assert widget.template_name == SELECT_TEMPLATE
            for value in [*SELECTED, True, False, "unknown"]:
                if isinstance(widget, forms.NullBooleanSelect) and isinstance(value, list):
                    continue  # Django's own rendering raises for it
                for language in ("vi", "en"):
                    with override(language):
                        expected = widget.render("f", value, renderer=DjangoTemplates())
                        fast = widget.render("f", value, renderer=FastInputRenderer())
                    assert fast == expected, (attrs, choices, value)


def test_a_select_whose_options_have_another_template_uses_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Fancy(choices=[("a", "A")])
    expected = widget.render("f", "a", renderer=DjangoTemplates())
    assert widget.render("f", "a", renderer=FastInputRenderer()) == expected


def test_an_input_template_overridden_by_an_app_is_rendered_by_it(tmp_path):
    from django.template.backends.django import DjangoTemplates as Backend

    override_dir = tmp_path / "django" / "forms" / "widgets"
    override_dir.mkdir(parents=True)
    (override_dir / "text.html").write_text('<input class="app-s-own" name="{{ widget.name }}">')
    engine = Backend({"DIRS": [tmp_path], "APP_DIRS": False, "NAME": "t", "OPTIONS": {}})

    class WithOverride(FastInputRenderer):
        def get_template(self, template_name):
            if template_name.endswith("/text.html"):
                return engine.get_template(template_name)
            return super().get_template(template_name)

    assert (
        forms.TextInput()
        .render("f", "v", renderer=WithOverride())
        .startswith('<input class="app-s-own"')
    )


class SampleForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=40, help_text="A & B")
    pin = forms.CharField(widget=forms.PasswordInput, min_length=6)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    count = forms.IntegerField(min_value=1, initial=3)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", 'B "quoted"')])
    kinds = forms.MultipleChoiceField(choices=[("g", [("a", "A"), ("b", "B")])], required=False)
    unit = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.models import AdministrativeUnit

        self.fields["unit"].queryset = AdministrativeUnit.objects.order_by("pk")

    note = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"code": "<x>", "pin": "1", "count": "0", "agree": "on"}])
def test_a_whole_form_renders_the_same(data):
    from tests.factories import UnitFactory

    UnitFactory(name="Phường <Ba> Đình & co")
    UnitFactory()
    expected = SampleForm(data, renderer=DjangoTemplates()).as_div()
    fast = SampleForm(data, renderer=FastInputRenderer()).as_div()
    assert fast == expected
    assert "<textarea" in fast and "<select" in fast  # the others still come from templates


def test_the_portal_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "portal.form_rendering.FastInputRenderer"
    assert isinstance(get_default_renderer(), FastInputRenderer)
