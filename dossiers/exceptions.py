"""Domain errors of the dossier lifecycle, each with a translated message."""

from django.utils.translation import gettext_lazy as _

from portal.exceptions import Conflict, DomainError


class InvalidApplicant(DomainError):
    default_code = "invalid_applicant"


class ProcedureNotOffered(DomainError):
    default_code = "procedure_not_offered"


class TransitionNotAllowed(Conflict):
    default_code = "transition_not_allowed"


class SupplementNotAllowed(Conflict):
    default_code = "supplement_not_allowed"


class RefusalTooLate(Conflict):
    default_code = "refusal_too_late"


class RescheduleNotAllowed(Conflict):
    default_code = "reschedule_not_allowed"


class DossierAlreadyRescheduled(RescheduleNotAllowed):
    """R-RES-2: the one-time rescheduling has been used."""

    default_code = "already_rescheduled"

    def __init__(self, message=None, code=None):
        super().__init__(
            message
            or _(
                "This dossier has already been rescheduled once; a second "
                "rescheduling is not allowed."
            ),
            code,
        )


class MissingAgencyCode(DomainError):
    default_code = "missing_agency_code"
