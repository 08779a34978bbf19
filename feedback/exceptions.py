"""Domain errors of feedback and complaints, each with a translated message and a stable code
(``portal.api_errors`` maps them to 400/403/409; pages show them next to the field)."""

from django.utils.translation import gettext_lazy as _

from portal.exceptions import Conflict, DomainError


class InvalidSender(DomainError):
    """The sender's details are missing (a complaint needs them) or malformed."""

    code = "invalid_sender"


class InvalidText(DomainError):
    """A text is empty or too long."""

    code = "invalid_text"


class InvalidAttachment(DomainError):
    """A file is empty, too large, of a type not accepted, or one too many."""

    code = "invalid_attachment"


class InvalidFeedback(DomainError):
    """Another field of the request is not acceptable (unit, channel, category, date...)."""

    code = "invalid_feedback"


class TransitionNotAllowed(Conflict):
    """The item's state or kind does not allow this action (e.g. a reply to a closed item)."""

    code = "transition_not_allowed"


class TransferNotAllowed(Conflict):
    code = "transfer_not_allowed"


class ExtensionNotAllowed(Conflict):
    code = "extension_not_allowed"


class AlreadyExtended(ExtensionNotAllowed):
    """The one extension has been used."""

    code = "already_extended"
    default_message = _("The deadline of this item has already been extended once.")


class ReopenNotAllowed(Conflict):
    code = "reopen_not_allowed"


class PublishNotAllowed(Conflict):
    code = "publish_not_allowed"
