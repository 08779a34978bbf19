"""Helpers shared by the surveys API tests (tests/surveys/test_api_*.py)."""

from rest_framework.test import APIClient

FORMS_URL = "/api/v1/survey-forms/"
RESPONSES_URL = "/api/v1/survey-responses/"
INDICES_URL = "/api/v1/survey-indices/"
KIOSK_URL = "/api/v1/surveys/kiosk/"


def by_token_url(token: str) -> str:
    return f"/api/v1/surveys/by-token/{token}/"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def as_text(parts, values: dict) -> dict:
    """{"x1": 5} → {"<criterion id>": 5}: JSON object keys are strings."""
    return {str(parts[code].pk): value for code, value in values.items()}
