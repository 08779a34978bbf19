"""The surveys' abuse limits with Redis down (issue 13; docs/security.md, "Abuse limits"): the
code entry, the answer page, the by-token API and the kiosk API answer (counting moves to the
process, ``portal.throttling``), never a 500, and the limits still hold."""

from django.test import Client
from rest_framework.test import APIClient

from surveys import services
from surveys.models import Response
from tests.surveys.api_helpers import KIOSK_URL, as_text, by_token_url


def test_code_entry_answers_and_limits_with_redis_down(db, settings, dead_redis):
    settings.SURVEY_CODE_RATE_PER_IP = "3/m"
    client = Client()

    answers = [client.post("/khao-sat/ma/", {"code": "ABCDE12345"}).status_code for _ in range(4)]

    assert 500 not in answers
    assert answers[-1] == 429


def test_answer_page_and_api_answer_with_redis_down(db, dead_redis):
    assert Client().post("/khao-sat/not-a-token/", {}).status_code == 404
    response = APIClient().post(by_token_url("not-a-token"), {"answers": {}}, format="json")
    assert response.status_code in (400, 404)


def test_kiosk_api_records_answers_with_redis_down(desk, leader, small_form, dead_redis):
    _device, token = services.kiosk_device_register(desk=desk, name="Quầy 1", actor=leader)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Kiosk {token}")

    response = client.post(
        KIOSK_URL, {"answers": as_text(small_form.c, {"x1": 5, "y1": 4})}, format="json"
    )

    assert response.status_code == 201
    assert Response.objects.count() == 1
