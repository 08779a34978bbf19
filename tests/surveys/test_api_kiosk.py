"""Anonymous walk-in answers at a kiosk of the desk (R-SUR-2) through the API:
``/api/v1/surveys/kiosk/`` with ``Authorization: Kiosk <device token>``."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from surveys import api as surveys_api
from surveys import services
from surveys.models import KioskDevice, Response
from tests.surveys.api_helpers import KIOSK_URL, as_text, signed_in
from tests.surveys.helpers import db_state

pytestmark = pytest.mark.usefixtures("cleared_cache")


@pytest.fixture
def kiosk(desk, leader):
    return services.kiosk_device_register(desk=desk, name="Máy tính bảng quầy 1", actor=leader)


def kiosk_client(token: str) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Kiosk {token}")
    return client


def answer(small_form, **values):
    return {"answers": as_text(small_form.c, values or {"x1": 5, "y1": 4})}


def test_kiosk_reads_the_form_of_its_desk(kiosk, small_form, desk):
    _device, token = kiosk
    response = kiosk_client(token).get(KIOSK_URL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["desk"] == {"id": desk.pk, "name": desk.name, "unit": "Phường Phúc Xá"}
    assert body["form"]["id"] == small_form.form.pk
    assert [c["code"] for c in body["form"]["areas"][0]["criteria"]] == ["x1", "x2"]


def test_two_walk_ins_in_a_row_are_both_recorded_anonymously_r_sur_2(kiosk, small_form, desk):
    device, token = kiosk
    client = kiosk_client(token)
    first = client.post(KIOSK_URL, answer(small_form, x1=5), format="json")
    second = client.post(KIOSK_URL, answer(small_form, x1=2, x2="na"), format="json")
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert first.json()["channel"] == "kiosk"
    stored = list(Response.objects.order_by("id"))
    assert len(stored) == 2
    for response in stored:
        assert (response.channel, response.dossier, response.entered_by) == ("kiosk", None, None)
        assert (response.desk, response.unit, response.kiosk_device) == (desk, desk.unit, device)
    assert [r.answers.get(criterion__code="x1").value for r in stored] == [5, 2]
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_revoked_unknown_and_malformed_devices_get_the_same_403_r_sur_2(
    kiosk, small_form, leader, returned_dossier
):
    device, token = kiosk
    services.kiosk_device_revoke(device=device, actor=leader)
    invitation_token = services.invitation_create(dossier=returned_dossier, send=False)
    before = db_state()
    bodies = set()
    for bad in (token, token[:-3] + "xyz", "garbage", invitation_token, "two parts"):
        response = kiosk_client(bad).post(
            KIOSK_URL, answer(small_form), format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 403, bad
        bodies.add(response.content)
        assert kiosk_client(bad).get(KIOSK_URL, HTTP_ACCEPT_LANGUAGE="en").content in bodies
    assert len(bodies) == 1
    assert kiosk_client(token).post(
        KIOSK_URL, answer(small_form), format="json", HTTP_ACCEPT_LANGUAGE="en"
    ).json() == {
        "detail": "This kiosk is not registered or has been switched off. Please ask the staff.",
        "code": "kiosk_refused",
    }
    assert db_state() == before


def test_missing_header_is_401_with_the_kiosk_challenge(kiosk, small_form):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Token abc"}):
        response = APIClient().post(KIOSK_URL, answer(small_form), format="json", **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Kiosk"
        assert response.json()["code"] == "not_authenticated"
    assert not Response.objects.exists()


def test_a_signed_in_staff_member_is_not_a_kiosk(kiosk, small_form, alice, leader):
    """Staff sessions do not open the kiosk endpoint: it takes the device token only."""
    response = signed_in(leader).post(KIOSK_URL, answer(small_form), format="json")
    assert response.status_code == 401
    assert not Response.objects.exists()


def test_bad_answers_are_refused_and_nothing_is_stored(kiosk, small_form):
    _device, token = kiosk
    before = db_state()
    response = kiosk_client(token).post(KIOSK_URL, answer(small_form, x1=0), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "out_of_scale")
    assert db_state() == before
    assert KioskDevice.objects.get().last_used_at is None


def test_submissions_are_rate_limited_per_device(kiosk, small_form, desk, leader, monkeypatch):
    rates = {**surveys_api.KioskDeviceThrottle.THROTTLE_RATES, "survey_kiosk": "2/hour"}
    monkeypatch.setattr(surveys_api.KioskDeviceThrottle, "THROTTLE_RATES", rates)
    _device, token = kiosk
    _other, other_token = services.kiosk_device_register(desk=desk, name="Quầy 2", actor=leader)
    client = kiosk_client(token)
    for _ in range(2):
        assert client.post(KIOSK_URL, answer(small_form), format="json").status_code == 201
    throttled = client.post(KIOSK_URL, answer(small_form), format="json")
    assert (throttled.status_code, throttled.json()["code"]) == (429, "throttled")
    assert Response.objects.count() == 2
    # Reading the form is not counted, and another device at the same desk and IP goes on.
    assert client.get(KIOSK_URL).status_code == 200
    other = kiosk_client(other_token).post(KIOSK_URL, answer(small_form), format="json")
    assert other.status_code == 201
    assert Response.objects.count() == 3


def test_default_kiosk_rate():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["survey_kiosk"] == "120/hour"
