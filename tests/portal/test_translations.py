"""Vietnamese is the default language and the catalogues are complete ("Vietnamese default,
English complete"): every string of ours has a Vietnamese translation, none fuzzy, and the
committed .mo files match their .po files (a fresh machine may have no gettext to compile)."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
VI_PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sdif]|\{[a-z_]*\}")


def _live_entries(po):
    return [e for e in po if not e.obsolete]


def _translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_vietnamese_catalogue_has_no_untranslated_string():
    po = polib.pofile(str(VI_PO))
    untranslated = [e.msgid for e in _live_entries(po) if not all(_translations(e))]
    assert untranslated == []
    assert len(_live_entries(po)) > 50  # the catalogue really holds the portal's strings


def test_vietnamese_catalogue_has_no_fuzzy_string():
    po = polib.pofile(str(VI_PO))
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in _live_entries(po) if "fuzzy" in e.flags] == []
    assert "nplurals=1" in po.metadata["Plural-Forms"]


def test_vietnamese_translations_keep_the_placeholders_of_the_source():
    po = polib.pofile(str(VI_PO))
    broken = []
    for entry in _live_entries(po):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for translated in _translations(entry):
            if sorted(PLACEHOLDER.findall(translated)) != expected:
                broken.append(entry.msgid)
    assert broken == []


@pytest.mark.parametrize(
    "language", [p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")]
)
def test_compiled_catalogue_matches_its_source(language):
    """The committed .mo holds exactly the translated entries of the .po (run compilemessages)."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): _translations(e) for e in mo if e.msgid}
    expected = {
        (e.msgctxt, e.msgid): _translations(e)
        for e in _live_entries(po)
        if all(_translations(e)) and "fuzzy" not in e.flags
    }
    assert compiled == expected


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_choosing_english_shows_the_login_page_in_english(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Đăng nhập" not in html


@pytest.mark.django_db
def test_switching_back_to_vietnamese_works(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})

    assert "Đăng nhập" in client.get(reverse("login")).content.decode()
