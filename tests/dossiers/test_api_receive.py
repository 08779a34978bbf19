"""``POST /api/v1/dossiers/``: intake through the API (R-LIFE-2, R-DUE-3, R-LIFE-5). The
server's clock sets the time of receipt; the PIN is returned once; bad input changes nothing."""

import logging

import pytest

from dossiers.models import Dossier
from dossiers.services import pin_matches
from tests.dossiers.api_helpers import (
    APPLICANT,
    DOSSIERS_URL,
    at,
    database_snapshot,
    desks_of_three_communes,
    signed_in,
    with_token,
)
from tests.factories import ProcedureFactory


@pytest.fixture
def payload(desk, procedure):
    return {
        "desk": desk.pk,
        "procedure": procedure.pk,
        "applicant": dict(APPLICANT),
        "documents": [
            {"name": "Tờ khai đăng ký khai sinh", "is_original": True, "quantity": 1},
            {"name": "Giấy chứng sinh", "quantity": 2},
        ],
        "channel": "desk",
        "return_mode": "post",
        "sets_count": 2,
    }


@pytest.fixture
def now(time_machine):
    """Monday 2 March 2026, 09:05 at the desk."""
    time_machine.move_to(at(2026, 3, 2, 9, 5), tick=False)
    return at(2026, 3, 2, 9, 5)


def test_receive_answers_201_with_the_dossier_and_its_pin_r_life_2(
    payload, alice, desk, procedure, now
):
    response = with_token(alice).post(DOSSIERS_URL, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get()
    assert body["id"] == dossier.pk
    assert body["code"] == "000.01.01.H26-260302-0001"
    assert body["status"] == "received"
    assert body["received_at"] == "2026-03-02T09:05:00+07:00"  # the server's time
    assert body["due_at"] == "2026-03-09T17:00:00+07:00"  # R-DUE-3: 5 working days
    assert (body["return_mode"], body["sets_count"], body["channel"]) == ("post", 2, "desk")
    assert body["applicant"]["phone"] == "0912345678"  # normalised by the service
    assert "documents" not in body  # the answer is the summary; the detail is at Location
    detail = with_token(alice).get(response["Location"]).json()
    assert [(d["name"], d["is_original"], d["quantity"]) for d in detail["documents"]] == [
        ("Tờ khai đăng ký khai sinh", True, 1),
        ("Giấy chứng sinh", False, 2),
    ]
    assert [e["kind"] for e in detail["events"]] == ["received"]
    assert detail["received_by"]["username"] == "alice"
    pin = body["pin"]
    assert len(pin) == 6 and pin.isdigit()
    assert pin_matches(dossier=dossier, pin=pin)
    assert response["Location"].endswith(f"/api/v1/dossiers/{dossier.pk}/")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_pin_is_returned_only_at_intake_r_life_5(payload, alice, now):
    client = signed_in(alice)
    created = client.post(DOSSIERS_URL, payload, format="json").json()
    pin = created["pin"]
    detail = client.get(f"{DOSSIERS_URL}{created['id']}/")
    listed = client.get(DOSSIERS_URL)
    assert "pin" not in detail.json()
    assert pin not in detail.content.decode()
    assert pin not in listed.content.decode()


def test_client_supplied_times_are_ignored(payload, alice, now):
    """The time of receipt is the server's: a ``received_at`` in the body changes nothing."""
    payload["received_at"] = "2026-02-01T08:00:00+07:00"
    body = signed_in(alice).post(DOSSIERS_URL, payload, format="json").json()
    assert body["received_at"] == "2026-03-02T09:05:00+07:00"


def test_minimal_body_uses_the_defaults(desk, procedure, alice, now):
    response = signed_in(alice).post(
        DOSSIERS_URL,
        {"desk": desk.pk, "procedure": procedure.pk, "applicant": {"name": "Trần Thị Bình"}},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["return_mode"], body["sets_count"]) == ("desk", "desk", 1)
    assert body["applicant"] == {
        "kind": "person",
        "name": "Trần Thị Bình",
        "id_number": "",
        "phone": "",
        "email": "",
        "address": "",
    }
    assert dossier_documents(body) == []


def test_invalid_applicant_is_400_with_messages_by_field_and_nothing_changes(payload, alice, now):
    payload["applicant"] = {**APPLICANT, "name": " ", "phone": "12345", "id_number": "0010"}
    before = database_snapshot()
    response = signed_in(alice).post(
        DOSSIERS_URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_applicant"
    assert body["detail"] == "Check the applicant's details."
    assert set(body["fields"]) == {"name", "phone", "id_number"}
    assert body["fields"]["phone"] == ["Enter a Vietnamese phone number, e.g. 0912345678."]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"desk": None}, {"desk"}),
        ({"desk": 999999}, {"desk"}),
        ({"procedure": "x"}, {"procedure"}),
        ({"applicant": "Nguyễn Văn An"}, {"applicant"}),
        ({"channel": "fax"}, {"channel"}),
        ({"return_mode": "pigeon"}, {"return_mode"}),
        ({"sets_count": 0}, {"sets_count"}),
        ({"documents": [{"name": "", "quantity": 0}]}, {"documents"}),
        ({"applicant": {**APPLICANT, "name": "A" * 201}}, {"applicant"}),
    ],
)
def test_malformed_input_is_400_by_field_and_nothing_changes(payload, alice, now, change, fields):
    payload.update(change)
    before = database_snapshot()
    response = signed_in(alice).post(DOSSIERS_URL, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert database_snapshot() == before


def test_a_desk_outside_the_callers_units_is_invalid_like_a_missing_one_r_unit_3(
    tree, desk, procedure, payload, alice, charlie, now
):
    """R-UNIT-3: naming Charlie's desk does not reveal that it exists."""
    desk_b1 = desks_of_three_communes(tree, desk, procedure, charlie)["b1"][0]
    client = signed_in(alice)
    hidden = client.post(DOSSIERS_URL, {**payload, "desk": desk_b1.pk}, format="json")
    missing = client.post(DOSSIERS_URL, {**payload, "desk": 999999}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert set(hidden.json()) == {"desk"}
    assert hidden.json()["desk"] == [
        m.replace("999999", str(desk_b1.pk)) for m in missing.json()["desk"]
    ]
    assert not Dossier.objects.exists()


def test_procedure_not_offered_at_the_desk_is_400(payload, alice, now):
    other = ProcedureFactory(name="Cấp giấy phép xây dựng")
    before = database_snapshot()
    response = signed_in(alice).post(
        DOSSIERS_URL, {**payload, "procedure": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "procedure_not_offered"
    assert database_snapshot() == before


def test_only_a_receptionist_of_the_unit_may_receive_r_unit_3(payload, bob, officer, now):
    """Bob sees Commune A1 as district leader and Dave is its officer; neither receives."""
    before = database_snapshot()
    for user in (bob, officer):
        response = signed_in(user).post(DOSSIERS_URL, payload, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert database_snapshot() == before


def test_form_encoded_bodies_are_refused(payload, alice, now):
    response = signed_in(alice).post(DOSSIERS_URL, {"desk": payload["desk"]})
    assert response.status_code == 415


def test_personal_data_is_not_logged_r_priv_1(payload, alice, now, caplog):
    """R-PRIV-1: neither a successful nor a refused intake writes personal data to the log."""
    caplog.set_level(logging.DEBUG)
    client = signed_in(alice)
    client.post(DOSSIERS_URL, payload, format="json")
    client.post(DOSSIERS_URL, {**payload, "applicant": {**APPLICANT, "phone": "1"}}, format="json")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["email"], "0912345678"):
        assert value not in logged


def dossier_documents(body):
    from dossiers.models import DossierDocument

    return list(DossierDocument.objects.filter(dossier_id=body["id"]))
