"""Feedback senders and texts go through the one normalisation of people's text
(``portal.contacts``; issue 13, part 5; R-PRIV-1): invisible names and texts, bidi overrides
and piles of combining marks are refused by field; ID numbers and phones in other scripts'
digits are stored in ASCII; a unit id in JSON is a JSON integer."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from feedback.exceptions import InvalidSender, InvalidText
from feedback.models import Item
from tests.feedback.api_helpers import PUBLIC_URL
from tests.feedback.helpers import SENDER, database_snapshot
from tests.helpers import at


@pytest.mark.parametrize(
    ("name", "code_text"),
    [
        ("\u200b\u200b", "only invisible or formatting characters"),
        ("An \u202egnọưrt", "text-direction control characters"),
        ("A" + "\u0301" * 199, "Too many accents on one letter"),
    ],
)
def test_a_sender_name_that_shows_nothing_or_reorders_itself_is_refused(submit, name, code_text):
    before = database_snapshot()
    with pytest.raises(InvalidSender) as refused, translation.override("en"):
        submit(kind="complaint", sender={**SENDER, "name": name})
    assert code_text in refused.value.fields["sender_name"][0]
    assert database_snapshot() == before


@pytest.mark.parametrize("body", ["\u200b\u2060\ufeff", "Nội dung \u2067ẩn\u2069", "\u3164"])
def test_a_body_that_shows_nothing_or_holds_bidi_controls_is_refused(submit, body):
    with pytest.raises(InvalidText) as refused:
        submit(body=body)
    assert list(refused.value.fields) == ["body"]


def test_zero_width_characters_are_dropped_and_digits_made_ascii(submit):
    item, _pin = submit(
        body="Nội\u200b dung",
        sender={**SENDER, "phone": "٠٩١٢٣٤٥٦٧٨", "id_number": "００１０８５０１２３４５"},
    )
    item.refresh_from_db()
    assert item.body == "Nội dung"
    assert (item.sender_phone, item.sender_id_number) == ("0912345678", "001085012345")


@pytest.mark.parametrize("unit", ["decimal", "string", "true"])
def test_a_unit_id_in_json_must_be_an_integer(desk, fresh_rate_limits, time_machine, unit):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    data = {
        "unit": {"decimal": desk.unit_id + 0.5, "string": str(desk.unit_id), "true": True}[unit],
        "kind": "feedback",
        "body": "Góp ý",
    }
    response = APIClient().post(PUBLIC_URL, data, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert "whole number" in response.json()["unit"][0]
    assert not Item.objects.exists()


def test_a_unit_id_in_a_multipart_form_is_its_digits(desk, fresh_rate_limits, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    data = {"unit": str(desk.unit_id), "kind": "feedback", "body": "Góp ý"}
    response = APIClient().post(PUBLIC_URL, data, format="multipart")
    assert response.status_code == 201, response.content
    data["unit"] = f"{desk.unit_id}.0"
    response = APIClient().post(PUBLIC_URL, data, format="multipart")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("unit", ["²", "1.5", "9" * 30])
def test_the_public_unit_search_ignores_an_unreadable_unit(client, desk, unit):
    # "²".isdigit() is True: it used to reach a database lookup and crash (500).
    response = client.get(reverse("feedback:unit_options"), {"q": "Phúc", "unit": unit})
    assert response.status_code == 200
    response = client.get(reverse("feedback:submit"), {"don_vi": unit})
    assert response.status_code == 200


def test_the_staff_queue_shows_a_form_error_for_year_9999(client, alice, desk, settings):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("feedback:queue"), {"received_to": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert "31/12/2100" in response.content.decode()


def test_the_staff_api_refuses_year_9999_with_400(alice, desk):
    client = APIClient()
    client.force_login(alice)
    response = client.get("/api/v1/feedback/", {"received_to": "9999-12-31"})
    assert response.status_code == 400, response.content
