"""An unknown code and a wrong PIN get the same answer: same status, same page (apart from the
per-response CSRF token) and the same work, so the page cannot be used to learn which codes
exist (DESIGN.md, Security; R-PRIV-1)."""

import re

import pytest

from dossiers import services
from dossiers.models import Dossier

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
    missing = client.post(LOOKUP, {"code": unknown, "pin": wrong_pin})

    assert wrong.status_code == missing.status_code == 200
    # The page echoes the code as typed; with it blanked out the two bodies are byte-identical.
    assert _body(wrong).replace(dossier.code.encode(), b"CODE") == _body(missing).replace(
        unknown.encode(), b"CODE"
    )
    assert "Không tìm thấy hồ sơ" in wrong.content.decode()
    assert wrong_pin not in wrong.content.decode()
    assert "tracking_result" not in client.session


def test_unknown_code_still_computes_the_pin_hash(client, tracked, monkeypatch):
    dossier, _pin = tracked
    calls = []
    real = services.pin_hash

    def counting(**kwargs):
        calls.append(kwargs["code"])
        return real(**kwargs)

    monkeypatch.setattr(services, "pin_hash", counting)

    client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})
    client.post(LOOKUP, {"code": _unknown_code(dossier), "pin": "000000"})

    assert len(calls) == 2
