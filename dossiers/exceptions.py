"""Domain errors of the dossier lifecycle, each with a translated message."""

from django.utils.translation import gettext_lazy as _

from portal.exceptions import Conflict, DomainError, PermissionDenied


class InvalidApplicant(DomainError):
    code = "invalid_applicant"


class ProcedureNotOffered(DomainError):
    code = "procedure_not_offered"


class IncompleteDossier(DomainError):
    """Required documents are missing at intake: the dossier is not received (the desk guides
    the applicant with form 02); ``fields["documents"]`` lists the missing ones."""

    code = "incomplete_dossier"


class IncompleteOverrideNotAllowed(PermissionDenied):
    """Only a leader of the unit allows an incomplete dossier to be received."""

    code = "incomplete_override_not_allowed"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class SupplementNotAllowed(Conflict):
    code = "supplement_not_allowed"


class RefusalTooLate(Conflict):
    code = "refusal_too_late"


class RescheduleNotAllowed(Conflict):
    code = "reschedule_not_allowed"


class RescheduleTooFar(RescheduleNotAllowed):
    """R-RES-1 (a portal safeguard): the new date is past the rule set's maximum of working
    days after the due date. Bad input, not a conflict with the dossier's state: 400."""

    code = "reschedule_too_far"
    status_code = 400


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
