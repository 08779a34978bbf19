"""An unknown code and a wrong PIN get the same answer: same status, same page (apart from the
per-response CSRF token) and the same work, so the page cannot be used to learn which codes
exist (DESIGN.md, Security; R-PRIV-1)."""

import re

import pytest

from dossiers.models import Dossier
from portal import codes

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

LOOKUP = "/tra-cuu/"
# Django masks the CSRF token afresh in every response: in the forms and in htmx's header.
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _body(response):
    return CSRF.sub(rb'\1"', response.content)


def _unknown_code(dossier):
    code = dossier.code[:-4] + "9999"
    assert not Dossier.objects.filter(code=code).exists()
    return code


def test_wrong_pin_and_unknown_code_give_identical_answers(client, tracked):
    dossier, pin = tracked
    wrong_pin = f"{(int(pin) + 1) % 10**6:06d}"
    unknown = _unknown_code(dossier)

    wrong = client.post(LOOKUP, {"code": dossier.code, "pin": wrong_pin})
    wrong_page = client.get(wrong["Location"])
    missing = client.post(LOOKUP, {"code": unknown, "pin": wrong_pin})
    missing_page = client.get(missing["Location"])

    assert wrong.status_code == missing.status_code == 303
    assert wrong["Location"] == missing["Location"] == LOOKUP
    assert wrong.content == missing.content
    assert wrong_page.status_code == missing_page.status_code == 200
    # The page gives the code back as typed; with it blanked out the bodies are byte-identical.
    assert _body(wrong_page).replace(dossier.code.encode(), b"CODE") == _body(missing_page).replace(
        unknown.encode(), b"CODE"
    )
    html = wrong_page.content.decode()
    assert "Không tìm thấy hồ sơ" in html
    assert f'value="{dossier.code}"' in html
    assert wrong_pin not in html
    assert not client.cookies.get("tra_cuu")


def test_the_message_shows_once(client, tracked):
    dossier, _pin = tracked
    client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})

    first = client.get(LOOKUP).content.decode()
    again = client.get(LOOKUP).content.decode()

    assert "Không tìm thấy hồ sơ" in first
    assert "Không tìm thấy hồ sơ" not in again and dossier.code not in again


def test_unknown_code_still_computes_the_pin_hash(client, tracked, monkeypatch):
    dossier, _pin = tracked
    calls = []
    real = codes.pin_hash

    def counting(**kwargs):
        calls.append(kwargs["code"])
        return real(**kwargs)

    monkeypatch.setattr(codes, "pin_hash", counting)

    client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})
    client.post(LOOKUP, {"code": _unknown_code(dossier), "pin": "000000"})

    assert len(calls) == 2
