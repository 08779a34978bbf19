"""Checks of what a citizen or a staff member types, before anything is written.

Texts are stored as typed (HTML or script stays text: every output escapes it, the pages and
the PDF through Django's autoescaping, the API as JSON strings) after the one normalisation of
people's text, ``portal.contacts.clean_person_text``: Unicode NFC (so accent-insensitive
search and masking see one spelling), no control characters (a NUL byte would make PostgreSQL
refuse the row), one kind of line break, no zero-width or other format characters; bidi
overrides, piles of combining marks and text that shows nothing are refused. Phones and ID
numbers are stored in ASCII digits. Errors name the input
field (``sender_phone``, ``body``...) so pages and the API can show them next to it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from feedback.exceptions import InvalidSender, InvalidText
from portal.contacts import (
    PERSON_ID,
    PHONE,
    clean_id_number,
    clean_person_text,
    clean_phone,
    normalise_spaces,
)

SENDER_FIELDS = ("name", "phone", "email", "address", "id_number")
SENDER_CLEANERS = {"phone": clean_phone, "id_number": clean_id_number}
SENDER_LIMITS = {"name": 200, "phone": 20, "email": 254, "address": 300, "id_number": 20}


def text_max_chars() -> int:
    return settings.FEEDBACK_TEXT_MAX_CHARS


def clean_text(value, *, field: str, label: str, required=True, max_chars=None) -> str:
    """A multi-line text as stored: NFC, control characters removed, ``\\n`` line breaks,
    surrounding white space dropped; refused when empty (if required) or too long."""
    try:
        text = clean_person_text(value, multiline=True)
    except ValidationError as exc:
        raise InvalidText(exc.messages[0], fields={field: exc.messages}) from exc
    limit = max_chars or text_max_chars()
    if required and not text:
        raise InvalidText(
            _("Enter %(label)s.") % {"label": label},
            fields={field: [_("This field is required.")]},
        )
    if len(text) > limit:
        message = ngettext(
            "%(label)s is too long: at most %(limit)d character (it has %(length)d).",
            "%(label)s is too long: at most %(limit)d characters (it has %(length)d).",
            limit,
        ) % {"label": label, "limit": limit, "length": len(text)}
        raise InvalidText(message, fields={field: [message]})
    return text


def clean_line(value, *, field: str, label: str, max_chars: int, required=False) -> str:
    """A one-line text (a subject, a name): like ``clean_text`` with white space collapsed."""
    return normalise_spaces(
        clean_text(value, field=field, label=label, required=required, max_chars=max_chars)
    )


def clean_sender(sender: dict | None, *, identity_required: bool) -> dict:
    """The sender's details, normalised: ``{name, phone, email, address, id_number}``.

    When the item's rule requires the sender's identity (complaints, conduct, denunciations),
    a name and at least one way to reach them (phone, email or address) must be given.
    Formats are checked whenever a value is given. Raises ``InvalidSender`` with messages by
    field (``sender_name``...)."""
    sender = sender or {}
    data = {}
    errors = {}
    for key in SENDER_FIELDS:
        clean = SENDER_CLEANERS.get(key, clean_person_text)
        try:
            value = clean(sender.get(key) or "")
        except ValidationError as exc:
            errors[f"sender_{key}"] = exc.messages
            data[key] = ""
            continue
        if len(value) > SENDER_LIMITS[key]:
            errors[f"sender_{key}"] = [
                _("At most %(limit)d characters.") % {"limit": SENDER_LIMITS[key]}
            ]
        data[key] = value
    if data["phone"] and not PHONE.match(data["phone"]):
        errors["sender_phone"] = [_("Enter a Vietnamese phone number, e.g. 0912345678.")]
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["sender_email"] = [_("Enter a valid email address.")]
    if data["id_number"] and not PERSON_ID.match(data["id_number"]):
        errors["sender_id_number"] = [
            _("An ID number has 12 digits (citizen ID) or 9 digits (old ID card).")
        ]
    if identity_required:
        if not data["name"]:
            errors.setdefault("sender_name", [_("Enter the sender's full name.")])
        if not (data["phone"] or data["email"] or data["address"]):
            errors.setdefault("sender_phone", []).append(
                _("Give a phone number, an email or an address, so the answer can reach you.")
            )
    if errors:
        if identity_required and ("sender_name" in errors or not data["name"]):
            message = _(
                "A complaint or denunciation needs the sender's name and a way to reach them."
            )
        else:
            message = _("Check the sender's details.")
        raise InvalidSender(message, fields=errors)
    return data
