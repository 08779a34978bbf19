"""After a code + PIN lookup the result lives in the session behind a URL without code or PIN:
refresh works, Back returns to an empty form, and "Finish" forgets it (a kiosk is shared)."""

import pytest
import time_machine

from tests.dossiers.conftest import at

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
    client.post(LOOKUP, {"code": dossier.code, "pin": pin})

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


def test_lookup_starts_a_new_session(client, tracked):
    """A session id planted before the lookup does not see the result (session fixation)."""
    dossier, pin = tracked
    client.get(LOOKUP)
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key

    client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    assert client.session.session_key != before
