"""The surveys' strings are in Vietnamese, the default language: the app's catalogue
(``surveys/locale/vi``) translates every string, and what citizens read comes out in Vietnamese."""

import gettext
import re
from pathlib import Path

from django.utils import translation

import surveys
from surveys.exceptions import AlreadyAnswered, SurveyLinkInvalid
from surveys.models import FIVE_LEVEL_LABELS, Response

FOLDER = Path(surveys.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def _po_msgids(text: str) -> set[str]:
    """The msgids of a .po file (joined continuation lines), the header excluded."""
    ids, current, in_id = set(), None, False
    for line in [*text.splitlines(), ""]:
        if line.startswith("msgid "):
            current, in_id = line[7:-1], True
        elif in_id and line.startswith('"'):
            current += line[1:-1]
        else:
            if in_id and current:
                ids.add(current.encode().decode("unicode_escape").encode("latin-1").decode())
            in_id = False
    return ids


def test_compiled_catalogue_translates_every_string_of_the_source():
    """msgfmt leaves untranslated and fuzzy entries out of the .mo, so the two sets differ when
    a string lacks its translation or the .mo was not compiled again."""
    source = _po_msgids((FOLDER / "django.po").read_text(encoding="utf-8"))
    with (FOLDER / "django.mo").open("rb") as handle:
        compiled = {k for k, v in gettext.GNUTranslations(handle)._catalog.items() if k and v}
    assert len(source) > 100
    assert compiled == source
    assert "#, fuzzy" not in (FOLDER / "django.po").read_text(encoding="utf-8")


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\([a-z_]+\)s")
    with (FOLDER / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    broken = [
        k
        for k, v in catalogue.items()
        if k and sorted(placeholder.findall(k)) != sorted(placeholder.findall(v))
    ]
    assert broken == []


def test_citizens_read_survey_errors_and_channels_in_vietnamese():
    with translation.override("vi"):
        assert str(SurveyLinkInvalid("expired").message).startswith(
            "Không thể sử dụng đường dẫn khảo sát này"
        )
        assert str(AlreadyAnswered().message) == "Hồ sơ này đã được đánh giá."
        assert str(Response.Channel.KIOSK.label) == "Thiết bị tại quầy"
    with translation.override("en"):
        assert str(AlreadyAnswered().message) == (
            "A survey has already been answered for this dossier."
        )


def test_scale_labels_are_the_ministrys_wording():
    assert [item["label_vi"] for item in FIVE_LEVEL_LABELS] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
        "Không áp dụng",
    ]
