"""The tracking page is rate-limited per client IP and, for wrong PINs, per dossier code and IP,
per code from anywhere (a higher ceiling with back-off) and per IP on all codes; over a limit it
answers 429 with a translated page (DESIGN.md, Security; R-PRIV-1; docs/security.md)."""

import pytest

from dossiers.tracking.tokens import make_tracking_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

LOOKUP = "/tra-cuu/"
GUESSER = "192.0.2.66"
CITIZEN = "198.51.100.5"
RESULT = "/tra-cuu/ket-qua/"
NOT_FOUND = "not found"
FOUND = "found"


def _answer(response):
    """found / not found (both 303, told apart by where they lead) / the status otherwise."""
    if response.status_code == 303:
        return FOUND if response["Location"] == RESULT else NOT_FOUND
    return response.status_code


@pytest.fixture
def limits(settings):
    """The shipped defaults, pinned so that a change to them is a visible change here."""
    settings.TRACKING_RATE_PER_IP = "20/m"
    settings.TRACKING_RATE_PER_CODE_IP = "5/15m,10/d"
    settings.TRACKING_RATE_PER_CODE = "20/h,50/d,100/7d"
    settings.TRACKING_FAILS_PER_IP = "30/h,100/d"


def test_twenty_first_lookup_from_one_ip_in_a_minute_gets_429(client, tracked, limits):
    dossier, pin = tracked
    answers = [_answer(client.post(LOOKUP, {"code": f"X-{n}", "pin": "000000"})) for n in range(20)]

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    assert answers == [NOT_FOUND] * 20
    assert response.status_code == 429
    assert "Quá nhiều lần thử" in response.content.decode()  # translated "Too many attempts"
    assert int(response["Retry-After"]) > 0
    assert not client.cookies.get("tra_cuu")


def test_ip_limit_counts_each_address_apart(client, tracked, limits):
    dossier, pin = tracked
    for n in range(21):
        client.post(LOOKUP, {"code": f"X-{n}", "pin": "000000"}, REMOTE_ADDR="10.0.0.1")

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, REMOTE_ADDR="10.0.0.2")

    assert _answer(response) == FOUND


def test_a_lone_guesser_is_stopped_after_five_wrong_pins_r_priv_1(client, tracked, limits):
    dossier, pin = tracked
    answers = [
        _answer(client.post(LOOKUP, {"code": dossier.code, "pin": "000000"}, REMOTE_ADDR=GUESSER))
        for _ in range(5)
    ]

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, REMOTE_ADDR=GUESSER)

    assert answers == [NOT_FOUND] * 5
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not client.cookies.get("tra_cuu")


def test_a_guesser_does_not_lock_the_citizen_out_from_another_address_r_priv_1(
    client, tracked, limits
):
    """The finding: anyone could lock a citizen's look-up for 15 minutes, renewably."""
    dossier, pin = tracked
    for _ in range(20):  # well past the guesser's own limit: refused tries count nowhere
        client.post(LOOKUP, {"code": dossier.code, "pin": "000000"}, REMOTE_ADDR=GUESSER)

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, REMOTE_ADDR=CITIZEN)

    assert _answer(response) == FOUND


def test_many_addresses_reach_the_code_ceiling_then_every_address_waits_r_priv_1(
    client, tracked, limits
):
    """20 wrong PINs an hour on one code from anywhere: guessing with many addresses stays
    bounded (docs/security.md has the numbers); the QR link still opens the dossier."""
    dossier, pin = tracked
    answers = [
        _answer(
            client.post(
                LOOKUP, {"code": dossier.code, "pin": "000000"}, REMOTE_ADDR=f"10.0.1.{n // 5}"
            )
        )
        for n in range(20)
    ]

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, REMOTE_ADDR=CITIZEN)
    qr = client.get(f"/tra-cuu/t/{make_tracking_token(dossier)}/", REMOTE_ADDR=CITIZEN)

    assert answers == [NOT_FOUND] * 20
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert qr.status_code == 200


def test_wrong_pins_on_many_codes_from_one_address_are_limited_r_priv_1(
    client, receive, limits, settings
):
    """Codes are sequential: guessing along them meets the per-address failure limit."""
    settings.TRACKING_RATE_PER_IP = "100/m"
    dossier, pin = receive()
    answers = [
        _answer(client.post(LOOKUP, {"code": f"X-{n}", "pin": "000000"}, REMOTE_ADDR=GUESSER))
        for n in range(30)
    ]

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, REMOTE_ADDR=GUESSER)

    assert answers == [NOT_FOUND] * 30
    assert response.status_code == 429


def test_code_limit_ignores_case_and_spaces(client, tracked, limits):
    dossier, pin = tracked
    code = dossier.code
    for variant in (code, code.lower(), f" {code} ", f"  {code}", f"{code.lower()}  "):
        client.post(LOOKUP, {"code": variant, "pin": "000000"})

    response = client.post(LOOKUP, {"code": code, "pin": pin})

    assert response.status_code == 429


def test_unknown_code_is_limited_like_a_known_one(client, tracked, limits):
    """Otherwise the sixth wrong try would tell an existing code from an unknown one."""
    dossier, _pin = tracked
    unknown = dossier.code[:-4] + "9999"
    answers = {
        code: [_answer(client.post(LOOKUP, {"code": code, "pin": "000000"})) for _ in range(6)]
        for code in (dossier.code, unknown)
    }

    assert answers[dossier.code] == answers[unknown] == [NOT_FOUND] * 5 + [429]


def test_right_pins_do_not_use_up_the_code_limit(client, tracked, limits):
    dossier, pin = tracked

    answers = [_answer(client.post(LOOKUP, {"code": dossier.code, "pin": pin})) for _ in range(8)]

    assert answers == [FOUND] * 8


def test_other_codes_are_not_blocked_by_one_code_limit(client, tracked, receive, limits):
    dossier, _pin = tracked
    other, other_pin = receive()
    for _ in range(6):
        client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})

    response = client.post(LOOKUP, {"code": other.code, "pin": other_pin})

    assert _answer(response) == FOUND


def test_limits_come_from_settings(client, tracked, settings):
    dossier, _pin = tracked
    settings.TRACKING_RATE_PER_IP = "2/m"

    answers = [_answer(client.post(LOOKUP, {"code": dossier.code, "pin": "0"})) for _ in "123"]

    assert answers == [NOT_FOUND, NOT_FOUND, 429]


def test_token_links_count_against_the_ip_limit(client, tracked, settings):
    dossier, _pin = tracked
    settings.TRACKING_RATE_PER_IP = "2/m"
    url = f"/tra-cuu/t/{make_tracking_token(dossier)}/"

    assert [client.get(url).status_code for _ in "123"] == [200, 200, 429]


def test_limited_page_is_english_for_english_readers(client, tracked, settings):
    settings.TRACKING_RATE_PER_IP = "0/m"
    client.cookies["django_language"] = "en"

    response = client.post(LOOKUP, {"code": "X", "pin": "1"})

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, tracked, settings):
    """A client cannot dodge the IP limit by sending its own X-Forwarded-For."""
    settings.TRACKING_RATE_PER_IP = "2/m"

    answers = [
        _answer(client.post(LOOKUP, {"code": "X", "pin": "1"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"))
        for n in range(3)
    ]

    assert answers == [NOT_FOUND, NOT_FOUND, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(client, tracked, settings):
    settings.TRACKING_RATE_PER_IP = "2/m"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    answers = [
        _answer(client.post(LOOKUP, {"code": "X", "pin": "1"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"))
        for n in range(3)
    ]

    assert answers == [NOT_FOUND] * 3
