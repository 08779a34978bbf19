"""The feedback tracking page is rate-limited like the dossiers' (R-PRIV-1; DESIGN.md,
Security; docs/security.md): per client IP on every look-up; on failed ones per code and IP,
per code from anywhere and per IP on all codes (an unknown code counts the same as a wrong
PIN), shared with the API's budget (``feedback.limits``); over a limit it answers 429 with a
page that says to wait."""

import pytest

from feedback.tracking import make_tracking_token
from tests.feedback.pages import RESULT_URL, TRACK_URL, html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]
NOT_FOUND, FOUND = "not found", "found"


@pytest.fixture
def limits(settings):
    settings.TRACKING_RATE_PER_IP = "20/m"
    settings.TRACKING_RATE_PER_CODE_IP = "5/15m,10/d"
    settings.TRACKING_RATE_PER_CODE = "5/15m"  # a low ceiling, to see it apply from anywhere
    settings.TRACKING_FAILS_PER_IP = "30/h,100/d"


def _answer(response):
    if response.status_code == 303:
        return FOUND if response["Location"] == RESULT_URL else NOT_FOUND
    return response.status_code


def _post(client, code, pin, **extra):
    return _answer(client.post(TRACK_URL, {"code": code, "pin": pin}, **extra))


def test_the_twenty_first_look_up_from_one_ip_gets_429(client, submit, limits):
    item, pin = submit()
    answers = [_post(client, f"PA-X-{n}", "000000") for n in range(20)]

    response = client.post(TRACK_URL, {"code": item.code, "pin": pin})

    assert answers == [NOT_FOUND] * 20
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "phan_anh" not in response.cookies


def test_the_code_ceiling_blocks_the_code_from_any_address(client, submit, limits):
    item, pin = submit()
    wrong = "000000" if pin != "000000" else "111111"
    answers = [_post(client, item.code, wrong, REMOTE_ADDR=f"10.0.1.{n}") for n in range(5)]

    assert answers == [NOT_FOUND] * 5
    assert _post(client, item.code, pin, REMOTE_ADDR="10.0.2.1") == 429


def test_a_guesser_does_not_lock_the_sender_out_from_another_address_r_priv_1(
    client, submit, settings
):
    settings.TRACKING_RATE_PER_CODE_IP = "5/15m"
    settings.TRACKING_RATE_PER_CODE = "20/h"
    item, pin = submit()
    wrong = "000000" if pin != "000000" else "111111"
    answers = [_post(client, item.code, wrong, REMOTE_ADDR="192.0.2.66") for _ in range(8)]

    assert answers == [NOT_FOUND] * 5 + [429] * 3
    assert _post(client, item.code, pin, REMOTE_ADDR="198.51.100.5") == FOUND


def test_an_unknown_code_is_limited_like_a_known_one(client, submit, limits):
    item, _pin = submit()
    unknown = "PA-00001-26-09999"

    answers = {
        code: [_post(client, code, "000000") for _ in range(6)] for code in (item.code, unknown)
    }

    assert answers[item.code] == answers[unknown] == [NOT_FOUND] * 5 + [429]


def test_right_pins_do_not_use_up_the_code_limit(client, submit, limits):
    item, pin = submit()

    assert [_post(client, item.code, pin) for _ in range(8)] == [FOUND] * 8


def test_qr_links_count_against_the_ip_limit(client, submit, settings):
    item, _pin = submit()
    settings.TRACKING_RATE_PER_IP = "2/m"
    url = f"{TRACK_URL}t/{make_tracking_token(item)}/"

    assert [client.get(url).status_code for _ in "123"] == [303, 303, 429]


def test_the_limit_is_shared_with_the_api(client, submit, settings):
    item, pin = submit()
    settings.TRACKING_RATE_PER_IP = "2/m"
    for _n in range(2):
        api = client.post(
            "/api/v1/public/feedback/track/",
            {"code": "X", "pin": "1"},
            content_type="application/json",
        )
        assert api.status_code == 404

    response = client.post(TRACK_URL, {"code": item.code, "pin": pin})

    assert response.status_code == 429
    assert 'lang="vi"' in html(response)
