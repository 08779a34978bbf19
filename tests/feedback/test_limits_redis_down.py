"""The feedback forms' abuse limits with Redis down (issue 13; docs/security.md, "Abuse
limits"): submitting and tracking answer (counting moves to the process), never a 500, and a
code + PIN guesser is still stopped."""

import pytest
from rest_framework.test import APIClient

from feedback.models import Item
from tests.feedback.pages import SUBMIT_URL, TRACK_URL, submission

pytestmark = pytest.mark.django_db
API_TRACK_URL = "/api/v1/public/feedback/track/"


def test_the_feedback_form_saves_with_redis_down(client, desk, settings, dead_redis):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    answers = [client.post(SUBMIT_URL, submission(desk)).status_code for _ in range(3)]

    assert answers == [303, 303, 429]
    assert Item.objects.count() == 2


def test_tracking_answers_and_limits_with_redis_down(client, submit, dead_redis):
    item, pin = submit()
    wrong = "000000" if pin != "000000" else "111111"
    api = APIClient()
    tries = [
        api.post(API_TRACK_URL, {"code": item.code, "pin": wrong}, format="json").status_code
        for _ in range(6)
    ]
    page = client.post(TRACK_URL, {"code": item.code, "pin": pin}, REMOTE_ADDR="10.9.0.1")

    assert tries == [404] * 5 + [429]
    assert page.status_code == 303
