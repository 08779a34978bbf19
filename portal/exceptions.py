"""Domain errors: raised by services, mapped once to HTTP 400/409 in the API and to form
errors in pages. Each carries a translated message and a stable code."""


class DomainError(Exception):
    status_code = 400
    default_code = "invalid"

    def __init__(self, message, code=None, fields=None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.fields = fields or {}  # {field name: [translated messages]} for forms and the API


class PermissionDenied(DomainError):
    status_code = 403
    default_code = "permission_denied"


class Conflict(DomainError):
    status_code = 409
    default_code = "conflict"
