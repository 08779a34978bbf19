"""The OpenAPI schema says what the API answers (issue 13; docs/security.md, "API schema").

- ``PortalAutoSchema`` (``DEFAULT_SCHEMA_CLASS``): a read-only choice field over a model field
  with ``blank=True`` lists ``""`` among its values, as it may answer it (DRF builds such
  fields without ``allow_blank``, so drf-spectacular's ``ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE``
  missed them: ``"classification": ""`` of a dossier not yet finished).
- ``document_error_responses`` (``POSTPROCESSING_HOOKS``): every error answer that DRF and
  Django may give an operation (portal/api_errors.py) is documented, and optional query
  parameters say that an empty value means "absent" (``allowEmptyValue``).
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


def _model_field(field):
    """The model field behind a serializer field, when it maps one model field directly."""
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    source = field.source
    if model is None or not source or source == "*" or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


class PortalAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model_field = _model_field(field)
            if model_field is not None and model_field.blank:
                # Read-only: never validates input, so this only changes the schema.
                field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


# --- Every error answer in the schema (drf-spectacular postprocessing hook) ------------------
ERROR_REF = {"$ref": "#/components/schemas/Error"}
VALIDATION_ERROR_REF = {"$ref": "#/components/schemas/ValidationError"}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "A refused request: either one message (`detail` and `code`, as `Error`), or "
        "messages by field or parameter name (lists of strings; `non_field_errors` for the "
        "request as a whole; nested objects for nested fields)."
    ),
    "additionalProperties": True,
}
HTTP_METHODS = {"get", "put", "patch", "post", "delete", "head", "options", "trace"}


def _json(schema, description):
    return {"content": {"application/json": {"schema": schema}}, "description": description}


def _error_responses(path: str, method: str, operation: dict) -> dict:
    """Status code → response of every error ``operation`` may answer, beyond its own."""
    anonymous_allowed = any(not requirement for requirement in operation.get("security", [{}]))
    parameters = operation.get("parameters", [])
    has_input = bool(parameters) or "requestBody" in operation
    paginated = any(p.get("in") == "query" and p.get("name") == "page" for p in parameters)
    answers = {
        401: _json(
            ERROR_REF,
            str(
                _("Invalid credentials were sent (an unknown or revoked token).")
                if anonymous_allowed
                else _("No valid credentials were sent.")
            ),
        ),
        403: _json(ERROR_REF, str(_("Not allowed for your roles or units."))),
        429: _json(ERROR_REF, str(_("Too many requests: retry after the `Retry-After` delay."))),
    }
    if has_input:
        answers[400] = _json(VALIDATION_ERROR_REF, str(_("The request is invalid.")))
    if "{" in path or paginated:
        answers[404] = _json(
            ERROR_REF,
            str(_("No such object, not one of yours, or a page beyond the last one.")),
        )
    if parameters:
        # Answered by gunicorn before Django (``limit_request_line``, 4094 bytes), not JSON.
        answers[414] = {
            "description": str(
                _(
                    "The URL is longer than the server accepts (4094 bytes for the request "
                    "line); answered by the web server, not as JSON."
                )
            )
        }
    if "requestBody" in operation:
        answers[415] = _json(ERROR_REF, str(_("The request body's media type is not accepted.")))
    return answers


def _empty_means_absent(parameter: dict) -> bool:
    """``?due_to=`` is read as no ``due_to`` at all (HTML forms send empty fields), for an
    optional single-valued filter; not for a list (``?status=`` is an unknown status) nor for
    ``page`` (an empty page number is an invalid page, 404)."""
    return (
        parameter.get("in") == "query"
        and not parameter.get("required")
        and parameter.get("name") != "page"
        and parameter.get("schema", {}).get("type") != "array"
    )


def _merge_400(existing: dict) -> None:
    """A 400 documented with one message may also carry messages by field: say so."""
    for media in existing.get("content", {}).values():
        schema = media.get("schema")
        if schema == ERROR_REF:
            media["schema"] = {"anyOf": [ERROR_REF, VALIDATION_ERROR_REF]}
        elif schema is not None and schema.get("type") == "object" and "properties" not in schema:
            media["schema"] = VALIDATION_ERROR_REF


def document_error_responses(result, generator, request, public):
    """Add to every operation the error answers it may give (401, 403 and 429; 400 when it
    takes input; 404 on an object or a page; 414 with parameters; 415 with a body), as JSON
    (414 comes from the web server), unless the view documents that status itself."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
            "required": ["code", "detail"],
        },
    )
    schemas["ValidationError"] = VALIDATION_ERROR_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if _empty_means_absent(parameter):
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            if "400" in responses:
                _merge_400(responses["400"])
            for status_code, answer in _error_responses(path, method, operation).items():
                responses.setdefault(str(status_code), answer)
            operation["responses"] = dict(
                sorted(responses.items(), key=lambda kv: (kv[0] == "default", kv[0]))
            )
    return result
