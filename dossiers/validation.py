"""Validation of applicant data at intake (the normalisation and patterns are
``portal.contacts``', shared with surveys and feedback senders)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portal.contacts import (
    ORGANISATION_ID,
    PERSON_ID,
    PHONE,
    clean_id_number,
    clean_person_text,
    clean_phone,
)

CLEANERS = {
    "name": clean_person_text,
    "id_number": clean_id_number,
    "phone": clean_phone,
    "email": clean_person_text,
    "address": clean_person_text,
}


def clean_applicant(applicant: dict) -> dict:
    """Check and normalise an applicant (``portal.contacts``: one normalisation of people's
    text, ASCII digits in ID numbers and phones); raise ``ValidationError`` with field
    messages."""
    kind = applicant.get("kind") or "person"
    data = {"kind": kind}
    errors = {}
    for name, clean in CLEANERS.items():
        try:
            data[name] = clean(applicant.get(name) or "")
        except ValidationError as exc:
            data[name] = ""
            errors[name] = exc.messages[0]
    if kind not in ("person", "organisation"):
        errors["kind"] = _("Choose a person or an organisation.")
    if not data["name"] and "name" not in errors:
        errors["name"] = _("Enter the applicant's name.")
    if data["id_number"]:
        pattern = PERSON_ID if kind == "person" else ORGANISATION_ID
        if not pattern.match(data["id_number"]):
            errors["id_number"] = (
                _("An ID number has 12 digits (citizen ID) or 9 digits (old ID card).")
                if kind == "person"
                else _("A tax code has 10 digits, or 10 digits, a dash and 3 digits.")
            )
    if data["phone"] and not PHONE.match(data["phone"]):
        errors["phone"] = _("Enter a Vietnamese phone number, e.g. 0912345678.")
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if errors:
        raise ValidationError(errors)
    return data
