"""``{% once_per_language %}`` (portal/templatetags/fragments.py): parts of the layout rendered
once per process and language (issue 14)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.utils.translation import override

from portal.templatetags import fragments

SOURCE = (
    '{% load i18n fragments %}{% once_per_language "t" kind %}'
    "{% translate 'Language' %} {{ counter.next }} {{ kind }}{% endonce_per_language %}"
)


class Counter:
    def __init__(self):
        self.calls = 0

    def next(self):
        self.calls += 1
        return self.calls


@pytest.fixture(autouse=True)
def empty():
    fragments.clear()
    yield
    fragments.clear()


def render(counter, kind="a", language="en"):
    with override(language):
        return Template(SOURCE).render(Context({"counter": counter, "kind": kind}))


def test_rendered_once_per_language_and_value():
    counter = Counter()
    assert render(counter) == "Language 1 a"
    assert render(counter) == "Language 1 a"  # reused: the counter was not asked again
    assert render(counter, language="vi") == "Ngôn ngữ 2 a"
    assert render(counter, kind="b") == "Language 3 b"
    assert counter.calls == 3


def test_forgotten_when_the_url_configuration_changes():
    counter = Counter()
    render(counter)
    with override_settings(ROOT_URLCONF="portal.urls"):
        assert render(counter) == "Language 2 a"


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 3)
    counter = Counter()
    for kind in "abcdef":
        render(counter, kind=kind)
    assert len(fragments._rendered) <= 3


def test_a_name_is_required():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% once_per_language %}x{% endonce_per_language %}")


def test_the_layout_still_answers_in_each_language(client, db):
    for language, brand in (("vi", "Hệ thống Một cửa điện tử"), ("en", "One-stop-shop portal")):
        client.cookies["django_language"] = language
        for _ in range(2):
            page = client.get("/tra-cuu/").content.decode()
            assert brand in page and f'value="{language}" lang="{language}" selected' in page
