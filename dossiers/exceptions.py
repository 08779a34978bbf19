"""Domain errors of the dossier lifecycle, each with a translated message."""

from django.utils.translation import gettext_lazy as _

from portal.exceptions import Conflict, DomainError


class InvalidApplicant(DomainError):
    code = "invalid_applicant"


class ProcedureNotOffered(DomainError):
    code = "procedure_not_offered"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class SupplementNotAllowed(Conflict):
    code = "supplement_not_allowed"


class RefusalTooLate(Conflict):
    code = "refusal_too_late"


class RescheduleNotAllowed(Conflict):
    code = "reschedule_not_allowed"


class DossierAlreadyRescheduled(RescheduleNotAllowed):
    """R-RES-2: the one-time rescheduling has been used."""

    code = "already_rescheduled"
    default_message = _(
        "This dossier has already been rescheduled once; a second rescheduling is not allowed."
    )


class DepartmentInactive(DomainError):
    """A dossier is handed, or a delay attributed, only to an active department (R-UNIT-2)."""

    code = "department_inactive"


class OfficerNotInDepartment(DomainError):
    """A dossier is handed to a named officer only of the department it goes to (R-LIFE-3)."""

    code = "officer_not_in_department"


class MissingAgencyCode(DomainError):
    code = "missing_agency_code"
