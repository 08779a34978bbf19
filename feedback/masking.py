"""Masking of personal data in published texts (R-FB-3, R-PRIV-1).

Staff edit what is published, but a name or a phone number left in by mistake must still not
appear: ``mask_personal_data`` runs on every published text, whatever staff typed. It removes

- the sender's own values, as stored: the full name, the name without the family name (when it
  has three words or more: "Văn An" of "Nguyễn Văn An"), the phone number also as grouped
  digits, the email, the ID number, the address and its first part (the house and street,
  "12 Phúc Xá" of "12 Phúc Xá, Ba Đình, Hà Nội"); matched without regard to letter case or
  Vietnamese diacritics ("nguyen van an" is found as well);
- any phone-or-ID-like run of 9 to 12 digits (spaces, dots or dashes between them allowed,
  "+84" in front allowed) and any email address, whoever they belong to.

A given name alone ("An") is not masked: it is an ordinary word too often. Each hit becomes
``MASK``.
"""

from __future__ import annotations

import re
import unicodedata

from portal.contacts import EMAIL_IN_TEXT, NUMBER_IN_TEXT

MASK = "***"


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", char)[0].lower()


def _fold(text: str) -> str:
    """One lower-case, unaccented character for each character of ``text`` (same length, so a
    match in the folded text is the same span in the original)."""
    return "".join(_fold_char(c) for c in text)


def _known_values(sender: dict) -> list[str]:
    values = []
    name = " ".join((sender.get("name") or "").split())
    if name:
        values.append(name)
        words = name.split()
        if len(words) >= 3:
            values.append(" ".join(words[1:]))
    address = " ".join((sender.get("address") or "").split())
    if address:
        values.append(address)
        first = address.split(",")[0].strip()
        if first != address and len(first) >= 4:
            values.append(first)
    for key in ("email", "id_number", "phone"):
        value = (sender.get(key) or "").strip()
        if value:
            values.append(value)
    return values


def _value_pattern(value: str) -> re.Pattern:
    """Matches ``value`` in folded text: white space flexible, digits also when grouped by
    spaces, dots or dashes (``0912345678`` finds ``0912 345 678``)."""
    folded = _fold(unicodedata.normalize("NFC", value))
    parts = []
    for char in folded:
        if char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char.isdigit():
            parts.append(re.escape(char) + r"[\s.\-]?")
        else:
            parts.append(re.escape(char))
    pattern = "".join(parts).removesuffix(r"[\s.\-]?")
    return re.compile(rf"(?<!\w){pattern}(?!\w)")


def _spans_of(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def mask_personal_data(text: str, *, sender: dict | None = None) -> str:
    """``text`` with the sender's known values and any phone number, ID number or email
    replaced by ``MASK``."""
    text = unicodedata.normalize("NFC", text or "")
    folded = _fold(text)
    spans = []
    # longest values first, so "Nguyễn Văn An" is masked whole rather than as "Nguyễn ***"
    for value in sorted(_known_values(sender or {}), key=len, reverse=True):
        spans += _spans_of(_value_pattern(value), folded)
    spans += _spans_of(EMAIL_IN_TEXT, text)
    spans += _spans_of(NUMBER_IN_TEXT, text)
    if not spans:
        return text
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, cursor = [], 0
    for start, end in merged:
        out += [text[cursor:start], MASK]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def sender_of(item) -> dict:
    return {
        "name": item.sender_name,
        "phone": item.sender_phone,
        "email": item.sender_email,
        "address": item.sender_address,
        "id_number": item.sender_id_number,
    }
