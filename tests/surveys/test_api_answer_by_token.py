"""Citizens read and answer their survey through the token of their invitation, without an
account (R-SUR-2): ``/api/v1/surveys/by-token/{token}/``."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from portal.throttling import ScopedRateThrottle
from surveys import services
from surveys.models import Answer, ExtraAnswer, Invitation, Response
from tests.helpers import at
from tests.surveys.api_helpers import as_text, by_token_url
from tests.surveys.helpers import APPLICANT, by_id, db_state

NOW = at(2026, 3, 6, 20)

pytestmark = pytest.mark.usefixtures("cleared_cache")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api():
    # CSRF checks on, as for a browser: the endpoint uses no session, so none applies.
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def token(returned_dossier, small_form):
    return services.invitation_create(dossier=returned_dossier, at=NOW - dt.timedelta(days=1))


def test_citizen_reads_the_form_of_their_dossier_r_sur_2(api, token, small_form, returned_dossier):
    response = api.get(by_token_url(token))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dossier"] == {
        "code": returned_dossier.code,
        "procedure": "Đăng ký khai sinh",
        "unit": "Phường Phúc Xá",
        "desk": "Bộ phận một cửa Phúc Xá",
    }
    form = body["form"]
    assert (form["id"], form["code"], form["scale"]) == (small_form.form.pk, "small", "five_level")
    assert (form["scale_min"], form["scale_max"], form["allows_not_applicable"]) == (1, 5, True)
    assert [a["code"] for a in form["areas"]] == ["X", "Y"]
    assert [[c["id"] for c in a["criteria"]] for a in form["areas"]] == [
        [small_form.c["x1"].pk, small_form.c["x2"].pk],
        [small_form.c["y1"].pk],
    ]
    criterion = form["areas"][0]["criteria"][0]
    assert {"text_vi", "text_en"} <= set(criterion)
    (question,) = form["extra_questions"]
    assert question["id"] == small_form.q["harassment"].pk
    assert [o["code"] for o in question["options"]] == ["none", "some", "many"]
    assert {"gender", "age_band", "education", "occupation"} == set(body["respondent_options"])
    assert dt.datetime.fromisoformat(body["expires_at"]) == Invitation.objects.get().expires_at


def test_the_form_shows_nothing_personal_r_priv_1(api, token):
    text = api.get(by_token_url(token)).content.decode()
    for value in (APPLICANT["name"], APPLICANT["phone"], APPLICANT["id_number"]):
        assert value not in text


def test_citizen_answers_once_and_gets_201_r_sur_2(api, token, small_form, returned_dossier):
    payload = {
        "answers": as_text(small_form.c, {"x1": 5, "x2": "na", "y1": None}),
        "extras": {str(small_form.q["harassment"].pk): "none"},
        "respondent": {"gender": "female", "age_band": "35-49"},
        "comment": "Cán bộ nhiệt tình.",
        "channel": "qr",
    }
    response = api.post(by_token_url(token), payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "qr"
    assert dt.datetime.fromisoformat(response.json()["submitted_at"]) == NOW

    stored = Response.objects.get()
    assert (stored.dossier, stored.channel, stored.gender, stored.age_band) == (
        returned_dossier,
        "qr",
        "female",
        "35-49",
    )
    assert stored.comment == "Cán bộ nhiệt tình."
    rows = dict(Answer.objects.values_list("criterion__code", "value").order_by("criterion__code"))
    assert rows == {"x1": 5, "x2": None, "y1": None}
    assert Answer.objects.get(criterion__code="x2").not_applicable
    assert list(ExtraAnswer.objects.values_list("option", flat=True)) == ["none"]
    assert Invitation.objects.get().used_at == NOW


def test_second_submit_gets_the_same_404_as_a_forged_link_r_sur_2(api, token, small_form):
    """The service finds the link used; the citizen sees the generic answer."""
    payload = {"answers": as_text(small_form.c, {"x1": 4})}
    assert api.post(by_token_url(token), payload, format="json").status_code == 201
    before = db_state()
    again = api.post(by_token_url(token), payload, format="json")
    forged = api.post(by_token_url("nonsense.token"), payload, format="json")
    assert again.status_code == forged.status_code == 404
    assert again.json() == forged.json()
    assert again.json()["code"] == "survey_link_invalid"
    assert db_state() == before
    assert api.get(by_token_url(token)).json() == forged.json()


def test_expired_used_replaced_and_forged_links_get_identical_404s_r_sur_2(
    api, small_form, make_dossier
):
    """Nothing tells the four apart: status, message and code are the same for GET and POST
    (the reason only goes to the log)."""
    expired = services.invitation_create(dossier=make_dossier(), at=NOW - dt.timedelta(days=31))
    used_dossier = make_dossier()
    used = services.invitation_create(dossier=used_dossier, at=NOW - dt.timedelta(days=1))
    services.response_submit_by_token(
        token=used, answers=by_id(small_form.c, {"x1": 5}), at=NOW - dt.timedelta(hours=1)
    )
    rotated_dossier = make_dossier()
    replaced = services.invitation_create(dossier=rotated_dossier, at=NOW - dt.timedelta(days=2))
    services.invitation_create(dossier=rotated_dossier, at=NOW - dt.timedelta(days=1))
    valid = services.invitation_create(dossier=make_dossier(), at=NOW - dt.timedelta(days=1))
    forged = valid[:-3] + ("aaa" if not valid.endswith("aaa") else "bbb")

    before = db_state()
    payload = {"answers": as_text(small_form.c, {"x1": 4})}
    bodies = set()
    for bad in (expired, used, replaced, forged, "not-even-signed"):
        read = api.get(by_token_url(bad), HTTP_ACCEPT_LANGUAGE="en")
        write = api.post(by_token_url(bad), payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert read.status_code == write.status_code == 404, bad
        bodies |= {read.content, write.content}
    assert len(bodies) == 1
    assert api.get(by_token_url(expired), HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "This survey link cannot be used. It may have expired or been used already. "
        "Ask the service desk for a new one.",
        "code": "survey_link_invalid",
    }
    assert db_state() == before
    assert api.get(by_token_url(valid)).status_code == 200


def test_out_of_scale_value_is_refused_and_nothing_is_stored(api, token, small_form):
    before = db_state()
    response = api.post(
        by_token_url(token),
        {"answers": as_text(small_form.c, {"x1": 6, "x2": 5})},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "out_of_scale"
    assert body["fields"] == {f"criterion_{small_form.c['x1'].pk}": ["Choose a value from 1 to 5."]}
    assert db_state() == before
    assert api.get(by_token_url(token)).status_code == 200  # the link still works


def test_criterion_of_another_form_version_is_refused_and_nothing_is_stored(api, token, small_form):
    """A new version (copied, with new criterion ids) is not the form being answered."""
    v2 = services.survey_form_new_version(form=small_form.form)
    x1_v2 = v2.areas.get(code="X").criteria.get(code="x1")
    before = db_state()
    response = api.post(
        by_token_url(token),
        {"answers": {str(x1_v2.pk): 4, str(small_form.c["x2"].pk): 5}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "foreign_criterion"
    assert list(response.json()["fields"]) == [f"criterion_{x1_v2.pk}"]
    assert db_state() == before


def test_unknown_option_and_empty_form_are_refused(api, token, small_form):
    before = db_state()
    unknown = api.post(
        by_token_url(token),
        {
            "answers": as_text(small_form.c, {"x1": 4}),
            "extras": {str(small_form.q["harassment"].pk): "always"},
        },
        format="json",
    )
    empty = api.post(by_token_url(token), {"answers": {}}, format="json")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_option")
    assert (empty.status_code, empty.json()["code"]) == (400, "empty")
    assert db_state() == before


def test_malformed_body_is_refused_by_field(api, token, small_form):
    before = db_state()
    response = api.post(
        by_token_url(token),
        {"answers": [4, 5], "respondent": {"gender": "robot"}, "channel": "paper"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"answers", "respondent", "channel"}
    assert db_state() == before


def test_form_encoded_bodies_are_not_accepted(api, token, small_form):
    response = api.post(by_token_url(token), {"comment": "x"})  # multipart
    assert response.status_code == 415
    assert not Response.objects.exists()


def test_without_a_published_form_the_unit_has_no_survey(api, token, small_form):
    small_form.form.is_published = False
    small_form.form.save()
    response = api.get(by_token_url(token))
    assert (response.status_code, response.json()["code"]) == (400, "form_not_available")


def test_submissions_are_rate_limited_per_client_ip(api, token, small_form, monkeypatch):
    """Scope ``survey_submit`` (SURVEY_API_RATE) counts every POST of an IP, refused ones
    too, so probing tokens is slow; another IP is not affected."""
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "survey_submit": "3/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    payload = {"answers": as_text(small_form.c, {"x1": 4})}
    for n in range(3):
        assert api.post(by_token_url(f"guess-{n}"), payload, format="json").status_code == 404
    before = db_state()
    throttled = api.post(by_token_url(token), payload, format="json")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert db_state() == before

    other_ip = APIClient(REMOTE_ADDR="10.0.0.2")
    assert other_ip.post(by_token_url(token), payload, format="json").status_code == 201


def test_default_submission_rate_is_thirty_an_hour():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["survey_submit"] == "30/hour"
