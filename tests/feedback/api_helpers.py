"""Helpers shared by the feedback API tests."""

from tests.dossiers.api_helpers import signed_in, with_token

FEEDBACK_URL = "/api/v1/feedback/"
PUBLIC_URL = "/api/v1/public/feedback/"


def detail_url(item, suffix=""):
    return f"{FEEDBACK_URL}{item.pk}/{suffix}"


def listed_codes(response):
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


__all__ = ["signed_in", "with_token"]
