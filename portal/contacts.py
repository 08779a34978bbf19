"""People's contact details as typed by citizens and staff: the formats of Vietnamese phone
numbers and ID numbers, and their normalisation. One place for every app that takes a name, a
phone or an ID number (intake forms, feedback senders) and for the masking of published texts."""

import re

# Citizen ID (CCCD, 12 digits) or the older ID card (CMND, 9 digits).
PERSON_ID = re.compile(r"^(\d{9}|\d{12})$")
# Enterprise / tax code: 10 digits, or 10 digits + "-" + 3 for branches.
ORGANISATION_ID = re.compile(r"^\d{10}(-\d{3})?$")
# Vietnamese mobile and landline numbers: 0 + 9 or 10 digits, or +84 instead of the 0.
PHONE = re.compile(r"^(0|\+84)\d{9,10}$")

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
