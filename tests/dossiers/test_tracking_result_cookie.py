"""After a code + PIN lookup the result sits behind a URL without code, PIN or id, held by a
short-lived signed cookie: refresh works, Back returns to an empty form, "Finish" forgets it (a
kiosk is shared), and an anonymous look-up writes nothing on the server (R-PRIV-1)."""

import pytest
import time_machine
from django.contrib.sessions.models import Session

from tests.helpers import at

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

LOOKUP = "/tra-cuu/"
RESULT = "/tra-cuu/ket-qua/"


def test_success_redirects_with_303_to_the_result_url(client, tracked):
    dossier, pin = tracked

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    assert response.status_code == 303
    assert response["Location"] == RESULT
    again = client.get(RESULT)  # refresh
    assert again.status_code == 200 and dossier.code in again.content.decode()
    assert client.get(RESULT).status_code == 200


def test_back_to_the_form_shows_it_empty(client, tracked):
    dossier, pin = tracked
    client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    html = client.get(LOOKUP).content.decode()

    assert dossier.code not in html and pin not in html


def test_result_without_a_lookup_goes_back_to_the_form(client, db):
    response = client.get(RESULT)

    assert response.status_code == 302
    assert response["Location"] == LOOKUP


def test_result_expires_after_fifteen_minutes(client, tracked):
    dossier, pin = tracked
    client.post(LOOKUP, {"code": dossier.code, "pin": pin})  # at 10:00

    with time_machine.travel(at(2026, 3, 4, 10, 14), tick=False):
        assert client.get(RESULT).status_code == 200
    with time_machine.travel(at(2026, 3, 4, 10, 16), tick=False):
        assert client.get(RESULT).status_code == 302


def test_finish_forgets_the_result(client, tracked):
    dossier, pin = tracked
    client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    response = client.post("/tra-cuu/xong/")

    assert response.status_code == 303
    assert client.get(RESULT).status_code == 302


def test_changed_cookie_shows_no_dossier(client, tracked, receive):
    """The cookie is signed: pointing it at another dossier voids it."""
    dossier, pin = tracked
    other, _ = receive()
    client.post(LOOKUP, {"code": dossier.code, "pin": pin})
    value = client.cookies["tra_cuu"].value
    client.cookies["tra_cuu"] = value.replace(f"{dossier.pk}:", f"{other.pk}:", 1)

    response = client.get(RESULT)

    assert response.status_code == 302
    assert other.code not in response.content.decode()


def test_result_cookie_is_httponly_lax_scoped_and_holds_no_code_or_pin(client, tracked, settings):
    dossier, pin = tracked
    settings.SESSION_COOKIE_SECURE = True

    client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    cookie = client.cookies["tra_cuu"]
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == LOOKUP
    assert cookie["max-age"] == 900
    assert dossier.code not in cookie.value and pin not in cookie.value


def test_failed_try_keeps_the_code_for_one_minute_but_never_the_pin(client, tracked):
    dossier, _pin = tracked

    client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})

    cookie = client.cookies["tra_cuu_lai"]
    assert cookie["max-age"] == 60 and cookie["httponly"]
    assert "000000" not in cookie.value


def test_an_anonymous_lookup_writes_nothing_on_the_server(
    client, tracked, django_assert_num_queries
):
    dossier, pin = tracked

    with django_assert_num_queries(1):  # the dossier by its code
        client.post(LOOKUP, {"code": dossier.code, "pin": pin})
    with django_assert_num_queries(1):
        client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})

    assert Session.objects.count() == 0
