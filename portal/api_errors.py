"""One place where errors become API responses (wired as ``EXCEPTION_HANDLER``).

- ``portal.exceptions.DomainError`` from a service → HTTP 400, or the subclass's
  ``status_code`` (409 for a conflict with the current state), body
  ``{"detail": <translated message>, "code": <code>}``.
- Django's ``ValidationError`` (e.g. from ``full_clean`` in a service) → HTTP 400 in DRF's
  validation shape (``{"field": ["message", ...]}``, ``non_field_errors`` for the rest).
- Django's form-body limits (``RequestDataTooBig``, ``TooManyFieldsSent``) → 400
  ``body_too_large`` (JSON bodies are bounded by ``portal.parsers``).
- ``Http404`` → DRF's ``NotFound`` with its translated message, whatever raised it.
- Every other error is DRF's own response; when it is a single message it also gets its
  ``code`` (``not_authenticated``, ``not_found``, ``throttled`` …) next to ``detail``.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from portal.exceptions import DomainError


class ErrorSerializer(serializers.Serializer):
    """The body of an error with one message (for the schema; responses are built below)."""

    detail = serializers.CharField(help_text=_("What went wrong, in the request's language."))
    code = serializers.CharField(help_text=_("Stable machine-readable code of the error."))


def domain_error_status(exc: DomainError) -> int:
    """The HTTP status of a domain error: its class's ``status_code`` if it is a 4xx, else 400."""
    code = getattr(exc, "status_code", status.HTTP_400_BAD_REQUEST)
    if isinstance(code, int) and 400 <= code < 500:
        return code
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        set_rollback()
        body = {"detail": str(exc.message), "code": str(exc.code)}
        if exc.fields:  # per-field messages, e.g. an invalid phone number at intake
            body["fields"] = {name: [str(m) for m in msgs] for name, msgs in exc.fields.items()}
        return Response(body, status=domain_error_status(exc))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django's limits on form bodies (DATA_UPLOAD_MAX_*): a JSON 400, not its HTML page.
        exc = exceptions.ParseError(
            _("The request body is too large or has too many fields."), code="body_too_large"
        )
    elif isinstance(exc, Http404):
        # One translated message for "absent" and "not yours" alike, without the model name
        # that ``get_object_or_404`` puts in its (untranslated) message.
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(response.data, dict)
        and set(response.data) == {"detail"}
    ):
        detail = response.data["detail"]
        code = getattr(detail, "code", None)
        if code:
            response.data["code"] = code
    return response
