"""Errors become API responses in one place: ``portal.api_errors.exception_handler``."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from portal.api_errors import exception_handler
from portal.exceptions import DomainError


class AlreadyRescheduled(DomainError):
    """Like a service's conflict with the current state."""

    status_code = 409


class NotAnHttpStatus(DomainError):
    status_code = 200


class RaisingView(APIView):
    """A test-only view that raises whatever the test gives it, through DRF's machinery."""

    authentication_classes = []
    permission_classes = [AllowAny]
    exc = None

    def get(self, request):
        raise self.exc


def call_view(exc, **headers):
    request = APIRequestFactory().get("/", **headers)
    response = RaisingView.as_view(exc=exc)(request)
    response.render()
    return response


def test_domain_error_is_400_with_message_and_code():
    response = call_view(DomainError("The dossier is incomplete.", code="incomplete"))
    assert response.status_code == 400
    assert response.data == {"detail": "The dossier is incomplete.", "code": "incomplete"}
    assert response["Content-Type"] == "application/json"


def test_domain_error_code_defaults_to_invalid():
    exc = DomainError("No.")
    assert (exc.message, exc.code) == ("No.", "invalid")
    assert call_view(exc).data == {"detail": "No.", "code": "invalid"}


def test_subclass_with_status_409_is_a_conflict():
    response = call_view(AlreadyRescheduled("Already rescheduled once.", code="rescheduled"))
    assert response.status_code == 409
    assert response.data == {"detail": "Already rescheduled once.", "code": "rescheduled"}


def test_subclass_with_a_non_error_status_falls_back_to_400():
    assert call_view(NotAnHttpStatus("No.")).status_code == 400


def test_translated_message_is_rendered_in_the_request_language():
    message = _("Enter a valid date.")  # a string Django already translates into Vietnamese
    with translation.override("vi"):
        vietnamese = call_view(DomainError(message)).data["detail"]
    with translation.override("en"):
        english = call_view(DomainError(message)).data["detail"]
    assert vietnamese == "Nhập một ngày hợp lệ."
    assert english == "Enter a valid date."


def test_django_validation_error_is_400_by_field():
    exc = DjangoValidationError({"closes_at": ["The desk must open before it closes."]})
    response = call_view(exc)
    assert response.status_code == 400
    assert response.data == {"closes_at": ["The desk must open before it closes."]}


def test_django_validation_error_without_field_goes_under_non_field_errors():
    response = call_view(DjangoValidationError("Duplicate code."))
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Duplicate code."]}


def test_http404_gets_the_generic_translated_message_without_model_name():
    response = call_view(Http404("No AdministrativeUnit matches the given query."))
    assert response.status_code == 404
    with translation.override("en"):
        assert call_view(Http404("x")).data == {"detail": "Not found.", "code": "not_found"}


def test_drf_errors_with_one_message_carry_their_code():
    with translation.override("en"):
        response = call_view(exceptions.PermissionDenied())
    assert response.status_code == 403
    assert response.data == {
        "detail": "You do not have permission to perform this action.",
        "code": "permission_denied",
    }
    assert call_view(exceptions.Throttled(wait=30)).data["code"] == "throttled"


def test_serializer_validation_errors_keep_drf_shape():
    response = call_view(exceptions.ValidationError({"level": ["Not a level."]}))
    assert response.status_code == 400
    assert response.data == {"level": ["Not a level."]}


def test_unexpected_exceptions_are_left_to_django():
    """Anything else is a bug: no JSON is made up for it (Django logs it and answers 500)."""
    assert exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.django_db
def test_error_language_follows_accept_language(client):
    """Through the whole stack (LocaleMiddleware): a 404 in English or in Vietnamese."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="dana"))
    english = client.get("/api/v1/units/999999/", HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = client.get("/api/v1/units/999999/", HTTP_ACCEPT_LANGUAGE="vi")
    assert english.json() == {"detail": "Not found.", "code": "not_found"}
    assert vietnamese.json() == {"detail": "Không tìm thấy.", "code": "not_found"}
