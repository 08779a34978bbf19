"""Domain errors raised by services.

A service raises a ``DomainError`` (or a subclass) with a translated, user-facing ``message``
and a stable machine-readable ``code``. The API maps it once, in ``portal.api_errors``, to
HTTP 400 (or the subclass's ``status_code``, e.g. 409 for a conflict with the current state);
pages show the message as a form error.
"""


class DomainError(Exception):
    """A business rule refused the operation; nothing was changed."""

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
