"""Answers that ``str.isdigit`` takes for numbers (``"²"``, ``"٣"``) or that only look like one
(``"--5"``, ``3.0``) are refused with a translated 400 by the survey API, the kiosk API and the
answer page, instead of crashing ``int()`` (issue 13, part 5: input; R-SUR-1 scale values)."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from surveys import services, validation
from surveys.exceptions import InvalidAnswers
from surveys.models import Response
from tests.surveys.api_helpers import KIOSK_URL, as_text, by_token_url
from tests.surveys.helpers import db_state, sheet_post

pytestmark = pytest.mark.usefixtures("cleared_cache")

NOT_NUMBERS = ["²", "--5", "٣", "３", "1e0", " 5 5", "+-3", "5\n5"]


@pytest.fixture
def token(returned_dossier, small_form):
    return services.invitation_create(dossier=returned_dossier, send=False)


@pytest.fixture
def kiosk(desk, leader):
    return services.kiosk_device_register(desk=desk, name="Quầy 1", actor=leader)


@pytest.mark.parametrize("raw", [*NOT_NUMBERS, 3.0, 4.5, True, [5], {"v": 5}])
def test_a_value_that_is_not_an_ascii_integer_is_out_of_scale_r_sur_1(small_form, raw):
    with pytest.raises(InvalidAnswers) as refused:
        validation.clean_answers(form=small_form.form, answers=as_text(small_form.c, {"x1": raw}))
    assert refused.value.code == "out_of_scale"


def test_ascii_digits_as_text_and_json_integers_are_values(small_form):
    rows = validation.clean_answers(
        form=small_form.form, answers=as_text(small_form.c, {"x1": " 5 ", "x2": 4})
    )
    assert [value for _cid, value, _na in rows] == [5, 4, None]


@pytest.mark.parametrize("raw", ["²", "--5"])
def test_the_token_api_answers_400_not_500(token, small_form, raw):
    before = db_state()
    response = APIClient().post(
        by_token_url(token),
        {"answers": as_text(small_form.c, {"x1": raw})},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "out_of_scale"
    assert "Choose a value from 1 to 5" in body["fields"][f"criterion_{small_form.c['x1'].pk}"][0]
    assert db_state() == before


@pytest.mark.parametrize("raw", ["²", "--5"])
def test_the_kiosk_api_answers_400_not_500(kiosk, small_form, raw):
    _device, key = kiosk
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Kiosk {key}")
    response = client.post(
        KIOSK_URL,
        {"answers": as_text(small_form.c, {"x1": raw})},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "out_of_scale"
    assert not Response.objects.exists()


@pytest.mark.parametrize("raw", ["²", "--5"])
def test_the_answer_page_shows_a_form_error_not_a_500(client, token, small_form, raw):
    data = sheet_post(small_form.c, {"x1": raw}, form=small_form.form)
    response = client.post(reverse("surveys:answer", args=[token]), data)
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_an_unreadable_form_id_on_the_page_is_a_clear_error(client, token, small_form):
    data = sheet_post(small_form.c, {"x1": 5}, form=small_form.form)
    data["form"] = "²"
    response = client.post(reverse("surveys:answer", args=[token]), data)
    assert response.status_code == 400
    assert not Response.objects.exists()


@override_settings(SURVEY_ANSWERS_MAX=5)
def test_too_many_answers_are_refused_with_the_limit(token, small_form):
    answers = {str(n): 5 for n in range(1, 7)}
    response = APIClient().post(
        by_token_url(token), {"answers": answers}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "too_many_items"
    assert "at most 5" in response.json()["detail"]


def test_the_default_answers_limit_holds_more_than_the_default_form():
    assert settings.SURVEY_ANSWERS_MAX >= 19 + 3


def test_the_blank_form_page_refuses_an_unreadable_desk_with_400(client, alice):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for bad in ("²", "1.0", "x", "99999999999999999999999"):
        response = client.get(reverse("surveys:blank_form"), {"desk": bad})
        assert response.status_code == 400, bad
        assert "“desk” must be a whole number" in response.content.decode()


def test_the_answers_page_refuses_an_unreadable_value_with_400(client, alice, small_form):
    client.force_login(alice)
    response = client.get(
        reverse("surveys:answers"), {"criterion": small_form.c["x1"].code, "value": "²"}
    )
    assert response.status_code == 400


# --- dates in filters (issue 13: year 9999 overflowed the day after) -----------------------
def test_api_date_filters_refuse_year_9999_with_400(alice, small_form):
    from tests.surveys.api_helpers import INDICES_URL, RESPONSES_URL, signed_in

    client = signed_in(alice)
    for url, name in (
        (INDICES_URL, "to"),
        (RESPONSES_URL, "submitted_to"),
        (RESPONSES_URL, "submitted_from"),
    ):
        response = client.get(url, {name: "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (url, response.content)
        assert response.json()[name] == ["Enter a date between 01/01/1990 and 31/12/2100."]


def test_the_responses_page_shows_a_form_error_for_year_9999(client, alice, small_form):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("surveys:responses"), {"date_to": "9999-12-31"})
    assert response.status_code in (200, 400)
    assert "31/12/2100" in response.content.decode()
