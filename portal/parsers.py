"""The API's JSON parser, bounded (issue 13, docs/security.md "Input"): DRF's own reads a body
of any size and hands 100,000 nested ``[`` to Python's ``json``, whose ``RecursionError`` was
a 500 on anonymous endpoints. This one refuses, with a 400 and a translated message:

- a body longer than ``PORTAL_JSON_MAX_BYTES`` (by its ``Content-Length`` before reading, and by
  what is read, for a chunked body);
- JSON nested deeper than ``PORTAL_JSON_MAX_DEPTH`` arrays and objects (the portal's deepest
  payload, a dossier with its documents, has 3).

It is the default parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``); views that list their
parsers name it instead of DRF's ``JSONParser``.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json


def json_max_bytes() -> int:
    return settings.PORTAL_JSON_MAX_BYTES


def json_max_depth() -> int:
    return settings.PORTAL_JSON_MAX_DEPTH


def too_large_error() -> ParseError:
    return ParseError(
        _("The request body is too large: at most %(bytes)d bytes.") % {"bytes": json_max_bytes()},
        code="body_too_large",
    )


def too_deep_error() -> ParseError:
    return ParseError(
        _("The JSON is nested too deeply: at most %(depth)d levels of arrays and objects.")
        % {"depth": json_max_depth()},
        code="json_too_deep",
    )


def depth_exceeds(data, limit: int) -> bool:
    """Whether ``data`` (parsed JSON) nests arrays and objects more than ``limit`` deep; the
    top-level array or object is level 1. Iterative: no recursion on hostile input."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


class BoundedJSONParser(parsers.JSONParser):
    """DRF's ``JSONParser`` with a size and a depth limit (400 ``body_too_large``,
    ``json_too_deep``)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = json_max_bytes()
        request = parser_context.get("request")
        meta = getattr(request, "META", {}) if request is not None else {}
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except (TypeError, ValueError):
            declared = 0
        if declared > limit:
            raise too_large_error()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise too_large_error()
        encoding = parsers.get_encoding(parser_context)
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise too_deep_error() from None
        except ValueError as exc:
            # DRF's own message, untranslated as DRF leaves it (it quotes the parser).
            raise ParseError(f"JSON parse error - {exc}") from None
        if isinstance(data, dict | list) and depth_exceeds(data, json_max_depth()):
            raise too_deep_error()
        return data
