"""Domain errors raised by services of every app.

A service validates its input and raises a ``DomainError`` (or a subclass) with a translated
message instead of writing anything. Pages show ``str(error)`` as a form or page error, the API
maps ``status_code`` (400 for bad input, 409 for a conflict with existing data) and ``code``
(stable, machine-readable) once, and management commands wrap the message in ``CommandError``.

Messages are lazy translations with named ``params`` and are rendered when shown, so the same
error reads in Vietnamese or English depending on the active language.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the request; nothing was changed."""

    code = "invalid"
    status_code = 400
    default_message = _("The request was refused by a business rule.")

    def __init__(self, message=None, *, code=None, params=None, fields=None):
        self.template = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.params = dict(params or {})
        # {field name: [messages]} so forms and the API can show errors next to the fields
        self.fields = dict(fields or {})
        super().__init__(self.template)

    @property
    def message(self) -> str:
        """The message in the active language, with its parameters filled in."""
        text = str(self.template)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, params={self.params!r})"


class ConflictError(DomainError):
    """The request conflicts with data that already exists (HTTP 409)."""

    code = "conflict"
    status_code = 409


Conflict = ConflictError


class InvalidInput(DomainError):
    """A value that cannot be read: a number, a date out of range, a list too long, text that
    is invisible or reorders itself (portal.strict_input, portal.contacts): HTTP 400."""

    code = "invalid_input"


class PermissionDenied(DomainError):
    """The actor has no role at the unit that allows this action (R-UNIT-3)."""

    code = "permission_denied"
    status_code = 403
    default_message = _("You do not have a role at this unit that allows this action.")


class NotFoundError(DomainError):
    """Something the request names does not exist (e.g. a province code)."""

    code = "not_found"


# --- Administrative units (R-UNIT-1) ---


class UnknownUnitTree(NotFoundError):
    code = "unknown_unit_tree"


class UnknownProvince(NotFoundError):
    code = "unknown_province"


# --- Staff roles (R-UNIT-3) ---


class UnitEnded(DomainError):
    code = "unit_ended"


class InvalidPeriod(DomainError):
    code = "invalid_period"


class DuplicateMembership(ConflictError):
    code = "duplicate_membership"


class LastAdmin(ConflictError):
    """The change would leave a unit without an administrator (R-UNIT-3)."""

    code = "last_admin"


# --- Working calendar (R-DUE-1) ---


class DuplicateCalendarOverride(ConflictError):
    code = "duplicate_calendar_override"
