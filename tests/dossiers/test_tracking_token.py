"""The QR link on the receipt slip opens the tracking page without a PIN: the signed token is
the credential (R-LIFE-5). A changed, forged or expired token gets one generic page."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import signing

from dossiers.tracking.tokens import SALT, make_tracking_token, tracking_url
from tests.dossiers.helpers import APPLICANT
from tests.helpers import at

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

# Per response: the masked CSRF token (forms, htmx header) and the language form's return path.
VARYING = re.compile(
    rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": "|name="next" value=")[^"]+"'
)


def _path(dossier):
    return f"/tra-cuu/t/{make_tracking_token(dossier)}/"


def test_token_link_shows_the_dossier_without_a_pin_r_priv_1(client, tracked):
    dossier, _pin = tracked

    response = client.get(_path(dossier))

    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "N***** V** An" in html
    assert APPLICANT["name"] not in html and APPLICANT["phone"] not in html
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]


def test_slip_qr_url_points_at_the_token_page(client, tracked, settings):
    dossier, _pin = tracked
    settings.PORTAL_PUBLIC_URL = "https://motcua.example.gov.vn"

    url = tracking_url(dossier)

    assert url.startswith("https://motcua.example.gov.vn/tra-cuu/t/")
    assert client.get(url.removeprefix("https://motcua.example.gov.vn")).status_code == 200


def _body(response):
    return VARYING.sub(rb'\1"', response.content)


def _generic(response):
    return response.status_code, "Không tìm thấy hồ sơ" in response.content.decode()


def test_tampered_token_gets_the_generic_not_found_page(client, tracked, receive):
    dossier, _pin = tracked
    other, _ = receive()
    value, stamp, signature = make_tracking_token(dossier).split(":")
    other_value = make_tracking_token(other).split(":")[0]
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    tokens = [
        f"{other_value}:{stamp}:{signature}",  # pointed at another dossier
        f"{value}:{stamp}:{flipped}",  # signature changed
        signing.dumps(dossier.pk, key="not-our-secret-key-at-all-0123456789", salt=SALT),
        "abc",  # malformed
    ]

    answers = [client.get(f"/tra-cuu/t/{token}/") for token in tokens]

    assert {_generic(r) for r in answers} == {(404, True)}
    assert len({_body(r) for r in answers}) == 1  # one page, whatever went wrong
    assert all(other.code not in r.content.decode() for r in answers)
    assert all(dossier.code not in r.content.decode() for r in answers)


def test_expired_token_gets_the_same_generic_page(client, tracked, settings):
    dossier, _pin = tracked
    settings.TRACKING_TOKEN_MAX_AGE_DAYS = 365
    path = _path(dossier)  # made on 4 March 2026

    with time_machine.travel(at(2027, 3, 4, 10) + dt.timedelta(days=2), tick=False):
        late = client.get(path)
    with time_machine.travel(at(2027, 3, 1, 10), tick=False):
        in_time = client.get(path)

    assert _generic(late) == (404, True)
    assert in_time.status_code == 200


def test_token_for_a_deleted_or_unknown_dossier_gets_the_generic_page(client, db):
    token = signing.dumps(987654321, salt=SALT, compress=False)

    assert _generic(client.get(f"/tra-cuu/t/{token}/")) == (404, True)


def test_token_page_reads_two_queries(client, tracked, django_assert_num_queries):
    """The busiest public page: the dossier with what it shows in one row, then its events."""
    dossier, _pin = tracked
    path = _path(dossier)

    with django_assert_num_queries(2):
        response = client.get(path)

    assert response.status_code == 200
