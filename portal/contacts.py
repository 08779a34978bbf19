"""People's text and contact details as typed by citizens and staff: the one normalisation of
names, addresses, comments and letters (``clean_person_text``), the formats of Vietnamese phone
numbers and ID numbers (ASCII digits), and their normalisation. One place for every app that
takes a name, a phone, an ID number or a free text (intake, surveys, feedback; pages and API
alike, through their services) and for the masking of published texts."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Citizen ID (CCCD, 12 digits) or the older ID card (CMND, 9 digits). ASCII digits only
# (``\d`` would also take Arabic-Indic or Devanagari digits): ``ascii_digits`` first.
PERSON_ID = re.compile(r"^([0-9]{9}|[0-9]{12})\Z")
# Enterprise / tax code: 10 digits, or 10 digits + "-" + 3 for branches.
ORGANISATION_ID = re.compile(r"^[0-9]{10}(-[0-9]{3})?\Z")
# Vietnamese mobile and landline numbers: 0 + 9 or 10 digits, or +84 instead of the 0.
PHONE = re.compile(r"^(0|\+84)[0-9]{9,10}\Z")

# --- people's text (issue 13, docs/security.md "Input") ---------------------------------
# Bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) reorder what
# follows them: "‮txt.exe" shows as "exe.txt". Refused, not removed, so nothing is silently
# changed in a name or a letter.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width joiner and non-joiner: part of emoji and some scripts, kept.
KEPT_FORMAT = frozenset("\u200c\u200d")
# Letters and marks that show nothing: Hangul fillers, the braille blank, the combining
# grapheme joiner (format characters, category Cf, are invisible by definition).
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# Combining marks in a row on one letter, after NFC: Vietnamese needs none (its letters are
# precomposed) and at most two (a vowel mark and a tone) when typed decomposed.
MAX_COMBINING_MARKS = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    return not (char.isspace() or char in INVISIBLE or category == "Cf" or category.startswith("M"))


def clean_person_text(value, *, multiline: bool = False) -> str:
    """The one normalisation of text typed by or about people (names, addresses, comments,
    letters): Unicode NFC; control characters removed, ``\\n`` line breaks (``multiline``) or
    white space collapsed (one line); format characters (zero-width spaces, direction marks,
    soft hyphens; category Cf) removed except the zero-width joiners. Raises
    ``ValidationError`` (translated) when the text

    - holds bidi overrides or isolates (``bidi_control``),
    - has more than ``MAX_COMBINING_MARKS`` combining marks on one letter (``combining_marks``),
    - is not empty but shows nothing once invisible and format characters are removed
      (``invisible_text``).

    Lengths and "required" stay with the caller (an empty result is returned as ``""``)."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if any(c in BIDI_CONTROLS for c in text):
        raise ValidationError(
            _("Remove the text-direction control characters (bidi overrides or isolates)."),
            code="bidi_control",
        )
    run = 0
    for char in text:
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        if run > MAX_COMBINING_MARKS:
            raise ValidationError(
                _("Too many accents on one letter: at most %(count)d.")
                % {"count": MAX_COMBINING_MARKS},
                code="combining_marks",
            )
    stripped = "".join(c for c in text if unicodedata.category(c) != "Cf" or c in KEPT_FORMAT)
    if text.strip() and not any(_visible(c) for c in stripped):
        raise ValidationError(
            _("This text shows nothing: it has only invisible or formatting characters."),
            code="invisible_text",
        )
    if multiline:
        return stripped.strip()
    return normalise_spaces(stripped)


def ascii_digits(text: str) -> str:
    """Digits as ASCII: NFKC (full-width ``０９`` → ``09``, ``²`` → ``2``), then every other
    decimal digit (Arabic-Indic ``٠١٢``, Devanagari ``०१२`` …) by its value. ID numbers and phones
    are stored and matched in ASCII only."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not "0" <= c <= "9" else c for c in text
    )


def clean_id_number(value) -> str:
    """An ID number or tax code as stored: the people's-text checks, then ASCII digits (the
    format is checked by the caller against ``PERSON_ID`` or ``ORGANISATION_ID``)."""
    return ascii_digits(clean_person_text(value)).strip()


def clean_phone(value) -> str:
    """A phone number as stored: the people's-text checks, ASCII digits, separators dropped
    (the format is checked by the caller against ``PHONE``)."""
    return normalise_phone(ascii_digits(clean_person_text(value)))


# Inside free text: a run of 9 to 12 digits, possibly grouped by spaces, dots or dashes, with an
# optional +84 in front: phone numbers ("0912 345 678", "+84.912.345.678") and ID numbers
# ("001085012345", "001 085 012 345") as people write them. Dates (slashes) and ordinary
# amounts (up to 8 digits) do not match.
NUMBER_IN_TEXT = re.compile(r"(?<![\w+])(?:\+84[\s.\-]?)?\d(?:[\s.\-]?\d){8,11}(?!\w)")
EMAIL_IN_TEXT = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def mask_name(name: str) -> str:
    """R-PRIV-1: ``"Nguyễn Văn An"`` → ``"N***** V** An"`` for public pages: every name but the
    last keeps its first letter, one star per other letter."""
    parts = (name or "").split()
    if not parts:
        return ""
    return " ".join([p[0] + "*" * (len(p) - 1) for p in parts[:-1]] + [parts[-1]])


def normalise_phone(phone: str) -> str:
    """``"0912 345.678"`` → ``"0912345678"``: spaces, dots, dashes and brackets dropped."""
    return re.sub(r"[\s.\-()]", "", phone or "")


def normalise_spaces(text: str) -> str:
    """Surrounding spaces dropped and inner runs of white space collapsed (names, addresses)."""
    return " ".join((text or "").split())


def digits_in_text(text: str) -> int:
    return sum(c.isdigit() for c in text)
