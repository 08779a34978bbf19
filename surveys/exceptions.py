"""Domain errors of the surveys, each with a translated message and a stable code."""

from django.utils.translation import gettext_lazy as _

from portal.exceptions import Conflict, DomainError


class SurveyLinkInvalid(DomainError):
    """A survey link that cannot be used. The citizen always sees the same message, whether
    the token was forged, has expired or was used (so nothing is learnt by probing); ``code``
    tells them apart for logs and tests: ``forged``, ``expired``, ``used``."""

    status_code = 404
    code = "forged"

    def __init__(self, code=None):
        super().__init__(
            _(
                "This survey link cannot be used. It may have expired or been used "
                "already. Ask the service desk for a new one."
            ),
            code=code,
        )


class KioskDeviceInvalid(DomainError):
    """An unknown or revoked kiosk device (codes ``unknown``, ``revoked``)."""

    status_code = 403
    code = "unknown"

    def __init__(self, code=None):
        super().__init__(
            _("This kiosk is not registered or has been switched off. Please ask the staff."),
            code=code,
        )


class InvalidAnswers(DomainError):
    code = "invalid_answers"


class FormNotAvailable(DomainError):
    code = "form_not_available"


class AlreadyAnswered(Conflict):
    """R-SUR-2: a dossier is answered once."""

    code = "already_answered"
    default_message = _("A survey has already been answered for this dossier.")


class DuplicatePaperSerial(Conflict):
    code = "duplicate_paper_serial"

    def __init__(self, serial: str):
        super().__init__(
            _("The paper form %(serial)s has already been entered at this desk.")
            % {"serial": serial}
        )


class InvitationNotAllowed(Conflict):
    code = "invitation_not_allowed"
