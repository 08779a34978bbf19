"""Domain errors of the reports (translated; mapped once to HTTP by ``portal.api_errors``)."""

from django.utils.translation import gettext_lazy as _

from portal.exceptions import ConflictError, DomainError


class InvalidPeriod(DomainError):
    code = "invalid_period"
    default_message = _("This period cannot be reported.")


class RecomputeAlreadyRunning(ConflictError):
    code = "recompute_running"
    default_message = _(
        "A recompute of these days is already running; wait for it to finish (its progress is "
        "shown in the recompute runs)."
    )


class InvalidRange(DomainError):
    code = "invalid_range"
    default_message = _("The first day must not be after the last day.")


class UnknownIndicator(DomainError):
    code = "unknown_indicator"
    default_message = _("Unknown indicator.")
