"""Strict types for API input (issue 13): a text field takes a JSON string, nothing else.

DRF's ``CharField`` turns a number into text (``"legal_basis": 0`` is stored as ``"0"``), so a
client's type error passes silently and the answer disagrees with the schema, which says
``string``. ``strict_text_to_internal_value`` refuses anything but a string with DRF's own
translated message ("Not a valid string.", code ``invalid``); ``PortalConfig.ready`` installs
it on ``CharField``, so every text field and its subclasses (``EmailField``, ``RegexField``,
``SlugField``, ``URLField`` …) of every serializer is strict, including those that come.
Form and multipart bodies are unaffected: their values are strings already.
"""

from rest_framework import serializers

_drf_char_to_internal_value = serializers.CharField.to_internal_value


def strict_text_to_internal_value(self, data):
    if not isinstance(data, str):
        self.fail("invalid")
    return _drf_char_to_internal_value(self, data)


def install_strict_text() -> None:
    """Make ``rest_framework.serializers.CharField`` (and its subclasses) refuse non-strings."""
    serializers.CharField.to_internal_value = strict_text_to_internal_value
