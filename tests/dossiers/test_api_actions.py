"""One POST endpoint per lifecycle action (R-LIFE-1): each calls its service with the signed-in
user and the server's time and answers the updated dossier; a refused action answers
400/403/404/409 with a code and changes nothing."""

import pytest
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import Reschedule
from tests.dossiers.api_helpers import (
    at,
    database_snapshot,
    desks_of_three_communes,
    detail_url,
    signed_in,
    with_token,
)
from tests.factories import DepartmentFactory, DeskFactory

ACTIONS = [
    "route",
    "request-supplement",
    "resubmit",
    "refuse",
    "complete",
    "return",
    "withdraw",
    "reschedule",
]


@pytest.fixture
def dossier(receive):
    """Received at Commune A1 on Monday 2 March 2026, 09:00; due Monday 9 March, 17:00."""
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    return dossier


@pytest.fixture
def clock(time_machine):
    def move_to(*args):
        time_machine.move_to(at(*args), tick=False)

    move_to(2026, 3, 2, 10)
    return move_to


def post(user, dossier, action, data=None, **headers):
    return signed_in(user).post(
        detail_url(dossier, f"{action}/"), data or {}, format="json", **headers
    )


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def refused(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code, response.json()
    return response.json()


def last_event(body):
    event = body["events"][-1]
    return event["kind"], event["actor"]["username"], event["at"]


# --- route (R-LIFE-3) ---------------------------------------------------------------------
def test_route_hands_over_to_a_department_now(dossier, alice, departments, clock):
    body = ok(
        post(
            alice,
            dossier,
            "route",
            {"to_department": departments["civil"].pk, "step_days": 2, "note": "Chuyển"},
        )
    )
    assert body["status"] == "in_process"
    assert body["current_department"]["id"] == departments["civil"].pk
    assert last_event(body) == ("routed", "alice", "2026-03-02T10:00:00+07:00")
    assert body["steps"][-1]["due_at"] == "2026-03-04T17:00:00+07:00"
    assert body["steps"][-1]["note"] == "Chuyển"


def test_route_back_to_the_desk(dossier, alice, officer, departments, clock):
    ok(post(alice, dossier, "route", {"to_department": departments["civil"].pk}))
    clock(2026, 3, 3, 9)
    body = ok(post(officer, dossier, "route", {"to_department": None}))
    assert body["current_department"] is None
    assert body["steps"][-1]["department"] is None


def test_route_to_another_units_department_is_400_and_changes_nothing(tree, dossier, alice, clock):
    elsewhere = DepartmentFactory(desk=DeskFactory(unit=tree["commune_a2"]))
    before = database_snapshot()
    response = post(alice, dossier, "route", {"to_department": elsewhere.pk})
    assert response.status_code == 400
    assert set(response.json()) == {"to_department"}
    assert database_snapshot() == before


def test_route_of_a_refused_dossier_is_409(dossier, alice, officer, departments, clock):
    services.dossier_refuse(
        dossier=dossier, reason="Sai", legal_basis="Luật", actor=officer, at=at(2026, 3, 2, 9, 30)
    )
    before = database_snapshot()
    body = refused(
        post(
            alice,
            dossier,
            "route",
            {"to_department": departments["civil"].pk},
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        409,
        "transition_not_allowed",
    )
    assert body["detail"] == "A dossier that is “Refused” cannot be “Handed over”."
    assert database_snapshot() == before


# --- supplements (R-DUE-5, R-LIFE-4) --------------------------------------------------------
def test_request_supplement_stops_the_clock_with_every_item(dossier, officer, clock):
    items = [
        {"name": "Bản sao CCCD", "guidance": "Có chứng thực"},
        {"name": "Giấy chứng sinh"},
    ]
    body = ok(post(officer, dossier, "request-supplement", {"items": items}))
    assert body["status"] == "waiting_supplement"
    assert body["supplement_count"] == 1
    assert body["supplement_requests"][0]["items"] == [
        {"name": "Bản sao CCCD", "guidance": "Có chứng thực"},
        {"name": "Giấy chứng sinh", "guidance": ""},
    ]
    assert last_event(body) == ("supplement_requested", "dave", "2026-03-02T10:00:00+07:00")


def test_request_supplement_without_items_is_400(dossier, officer, clock):
    before = database_snapshot()
    for data in ({}, {"items": []}, {"items": [{"guidance": "x"}]}):
        response = post(officer, dossier, "request-supplement", data)
        assert response.status_code == 400
        assert set(response.json()) == {"items"}
    assert database_snapshot() == before


def test_second_supplement_request_needs_a_leader_r_life_4(dossier, officer, leader, clock):
    items = {"items": [{"name": "Bản sao CCCD"}]}
    ok(post(officer, dossier, "request-supplement", items))
    clock(2026, 3, 3, 9)
    ok(post(officer, dossier, "resubmit"))
    clock(2026, 3, 3, 10)
    before = database_snapshot()
    refused(post(officer, dossier, "request-supplement", items), 409, "supplement_not_allowed")
    assert database_snapshot() == before
    body = ok(post(leader, dossier, "request-supplement", items))
    assert body["supplement_count"] == 2


def test_resubmit_restarts_the_clock_r_due_5(dossier, officer, clock):
    ok(post(officer, dossier, "request-supplement", {"items": [{"name": "Bản sao CCCD"}]}))
    clock(2026, 3, 4, 9)
    body = ok(post(officer, dossier, "resubmit", {"note": "Đã đủ"}))
    assert body["status"] == "received"
    assert body["due_at"] == "2026-03-11T17:00:00+07:00"  # 5 working days from Wed 4 Mar
    assert body["supplement_requests"][0]["resumed_at"] == "2026-03-04T09:00:00+07:00"
    assert last_event(body) == ("resubmitted", "dave", "2026-03-04T09:00:00+07:00")


def test_resubmit_when_nothing_was_requested_is_409(dossier, officer, clock):
    refused(post(officer, dossier, "resubmit"), 409, "transition_not_allowed")


# --- refusal (R-LIFE-4) ---------------------------------------------------------------------
def test_refuse_with_reason_and_legal_basis(dossier, officer, clock):
    body = ok(
        post(
            officer,
            dossier,
            "refuse",
            {"reason": "Không thuộc thẩm quyền", "legal_basis": "Khoản 2 Điều 19"},
        )
    )
    assert body["status"] == "refused"
    assert body["refusal"] == {
        "reason": "Không thuộc thẩm quyền",
        "legal_basis": "Khoản 2 Điều 19",
        "refused_at": "2026-03-02T10:00:00+07:00",
    }
    assert body["closed_at"] == "2026-03-02T10:00:00+07:00"


def test_refuse_without_legal_basis_is_400(dossier, officer, clock):
    before = database_snapshot()
    response = post(officer, dossier, "refuse", {"reason": "Sai", "legal_basis": " "})
    assert response.status_code == 400
    assert set(response.json()) == {"legal_basis"}
    assert database_snapshot() == before


def test_refusal_after_the_processing_time_is_409(dossier, officer, clock):
    clock(2026, 3, 10, 9)  # due Mon 9 Mar 17:00
    refused(
        post(officer, dossier, "refuse", {"reason": "Sai", "legal_basis": "Luật"}),
        409,
        "refusal_too_late",
    )


# --- completion and return (R-DUE-6, R-LIFE-6) ----------------------------------------------
def test_complete_classifies_the_result_r_due_6(dossier, officer, clock):
    clock(2026, 3, 4, 10)
    body = ok(post(officer, dossier, "complete", {"note": "Đã ký"}))
    assert body["status"] == "result_ready"
    assert (body["classification"], body["points"]) == ("early", 2)
    assert body["completed_at"] == "2026-03-04T10:00:00+07:00"


def test_complete_while_waiting_for_a_supplement_is_409(dossier, officer, clock):
    ok(post(officer, dossier, "request-supplement", {"items": [{"name": "Bản sao CCCD"}]}))
    refused(post(officer, dossier, "complete"), 409, "transition_not_allowed")


def test_receptionist_cannot_complete_r_unit_3(dossier, alice, clock):
    before = database_snapshot()
    refused(post(alice, dossier, "complete"), 403, "permission_denied")
    assert database_snapshot() == before


def test_return_records_the_time_and_way_of_return_r_life_6(dossier, alice, officer, clock):
    ok(post(officer, dossier, "complete"))
    clock(2026, 3, 5, 14)
    body = ok(post(alice, dossier, "return", {"mode": "post"}))
    assert body["status"] == "returned"
    assert (body["returned_at"], body["return_mode"]) == ("2026-03-05T14:00:00+07:00", "post")


def test_return_before_the_result_is_ready_is_409(dossier, alice, clock):
    refused(post(alice, dossier, "return"), 409, "transition_not_allowed")


def test_return_with_an_unknown_mode_is_400(dossier, alice, officer, clock):
    ok(post(officer, dossier, "complete"))
    response = post(alice, dossier, "return", {"mode": "drone"})
    assert response.status_code == 400
    assert set(response.json()) == {"mode"}


# --- withdrawal ---------------------------------------------------------------------------
def test_withdraw_at_the_applicants_request(dossier, alice, clock):
    body = ok(post(alice, dossier, "withdraw", {"request_text": "Tôi xin rút hồ sơ"}))
    assert body["status"] == "withdrawn"
    assert body["withdrawal"] == {
        "request_text": "Tôi xin rút hồ sơ",
        "withdrawn_at": "2026-03-02T10:00:00+07:00",
    }


def test_withdraw_without_the_request_is_400(dossier, alice, clock):
    response = post(alice, dossier, "withdraw", {})
    assert response.status_code == 400
    assert set(response.json()) == {"request_text"}


def test_withdraw_a_returned_dossier_is_409(dossier, alice, officer, clock):
    ok(post(officer, dossier, "complete"))
    ok(post(alice, dossier, "return"))
    refused(
        post(alice, dossier, "withdraw", {"request_text": "Rút"}), 409, "transition_not_allowed"
    )


# --- rescheduling (R-RES-1, R-RES-2) --------------------------------------------------------
RESCHEDULE = {"reason": "Chờ xác minh của cơ quan khác", "new_due_date": "2026-03-12"}


def test_reschedule_sets_the_new_appointment_r_res_1(dossier, officer, departments, clock):
    clock(2026, 3, 5, 10)
    body = ok(
        post(
            officer,
            dossier,
            "reschedule",
            {**RESCHEDULE, "responsible_department": departments["civil"].pk},
        )
    )
    assert body["due_at"] == "2026-03-12T17:00:00+07:00"
    assert body["original_due_at"] == "2026-03-09T17:00:00+07:00"
    assert body["reschedule"]["responsible_department"] == departments["civil"].pk
    assert last_event(body) == ("rescheduled", "dave", "2026-03-05T10:00:00+07:00")


def test_district_leader_may_reschedule_a_communes_dossier(dossier, bob, clock):
    """Bob's leader role covers the district's communes (R-UNIT-3)."""
    assert post(bob, dossier, "reschedule", RESCHEDULE).status_code == 200


def test_receptionist_cannot_reschedule_r_unit_3(dossier, alice, clock):
    before = database_snapshot()
    body = refused(
        post(alice, dossier, "reschedule", RESCHEDULE, HTTP_ACCEPT_LANGUAGE="en"),
        403,
        "permission_denied",
    )
    assert body["detail"] == "You do not have a role at this unit that allows this action."
    assert database_snapshot() == before


def test_second_reschedule_is_409_already_rescheduled_r_res_2(dossier, officer, leader, clock):
    ok(post(officer, dossier, "reschedule", RESCHEDULE))
    clock(2026, 3, 10, 9)
    before = database_snapshot()
    body = refused(
        post(
            leader,
            dossier,
            "reschedule",
            {"reason": "Chậm nữa", "new_due_date": "2026-03-20"},
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        409,
        "already_rescheduled",
    )
    assert body["detail"] == (
        "This dossier has already been rescheduled once; a second rescheduling is not allowed."
    )
    assert database_snapshot() == before
    assert Reschedule.objects.get().new_due_at == at(2026, 3, 12, 17)


def test_database_refuses_a_second_reschedule_even_past_the_service_check_r_res_2(
    dossier, officer, clock, monkeypatch
):
    """R-RES-2 is enforced by the database too: when two requests pass the service's check at
    once, the one-to-one key refuses the second and the API still answers 409."""
    ok(post(officer, dossier, "reschedule", RESCHEDULE))
    # The race: the second request does not see the first one's row.
    monkeypatch.setattr(
        Reschedule.objects, "filter", lambda *args, **kwargs: Reschedule.objects.none()
    )
    inserts = []
    create = Reschedule.objects.create
    monkeypatch.setattr(
        Reschedule.objects, "create", lambda **kwargs: inserts.append(1) or create(**kwargs)
    )
    before = database_snapshot()
    refused(
        post(officer, dossier, "reschedule", {"reason": "Lần hai", "new_due_date": "2026-03-20"}),
        409,
        "already_rescheduled",
    )
    assert inserts == [1]  # the service tried the insert; the database said no
    assert database_snapshot() == before
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 12, 17)


def test_reschedule_later_than_one_working_day_before_due_is_409_r_res_1(dossier, officer, clock):
    clock(2026, 3, 9, 10)  # the due date itself
    refused(post(officer, dossier, "reschedule", RESCHEDULE), 409, "reschedule_not_allowed")


def test_reschedule_with_a_malformed_date_is_400(dossier, officer, clock):
    for value in ("12/03/2026", "", "2026-02-30"):
        response = post(officer, dossier, "reschedule", {**RESCHEDULE, "new_due_date": value})
        assert response.status_code == 400
        assert set(response.json()) == {"new_due_date"}
    assert not Reschedule.objects.exists()


# --- every action ---------------------------------------------------------------------------
def test_client_supplied_times_are_ignored(dossier, alice, departments, clock):
    """The time of an action is the server's: ``at`` in the body is not read."""
    body = ok(
        post(
            alice,
            dossier,
            "route",
            {"to_department": departments["civil"].pk, "at": "2026-03-02T09:30:00+07:00"},
        )
    )
    assert last_event(body)[2] == "2026-03-02T10:00:00+07:00"


@pytest.mark.parametrize("action", ACTIONS)
def test_outsider_gets_404_for_every_action_r_unit_3(
    tree, desk, procedure, dossier, charlie, clock, action
):
    """R-UNIT-3: Charlie cannot act on Commune A1's dossier, nor learn that it exists."""
    desks_of_three_communes(tree, desk, procedure, charlie)
    before = database_snapshot()
    response = post(charlie, dossier, action, {"note": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    missing = signed_in(charlie).post(f"/api/v1/dossiers/999999/{action}/", {}, format="json")
    assert response.json() == missing.json()
    assert database_snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_need_credentials_and_post(dossier, alice, action, clock):
    url = detail_url(dossier, f"{action}/")
    assert APIClient().post(url, {}, format="json").status_code == 401
    assert signed_in(alice).get(url).status_code == 405


def test_actions_work_with_a_token(dossier, alice, departments, clock):
    response = with_token(alice).post(
        detail_url(dossier, "route/"), {"to_department": departments["land"].pk}, format="json"
    )
    assert response.status_code == 200


def test_session_requests_need_the_csrf_token(dossier, alice, departments, clock):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(
        detail_url(dossier, "route/"), {"to_department": departments["land"].pk}, format="json"
    )
    assert response.status_code == 403


def test_a_lifecycle_through_the_api(tree, desk, procedure, alice, officer, departments, clock):
    """Receive → route → supplement → resubmit → complete → return, all through the API,
    each event at the server's time of the call."""
    client = signed_in(alice)
    created = client.post(
        "/api/v1/dossiers/",
        {"desk": desk.pk, "procedure": procedure.pk, "applicant": {"name": "Lê Văn Cường"}},
        format="json",
    ).json()

    class Ref:
        pk = created["id"]

    steps = [
        (alice, "route", {"to_department": departments["civil"].pk}, (2026, 3, 2, 11)),
        (officer, "request-supplement", {"items": [{"name": "Bản sao"}]}, (2026, 3, 3, 9)),
        (alice, "resubmit", {}, (2026, 3, 4, 9)),
        (officer, "complete", {}, (2026, 3, 6, 15)),
        (alice, "return", {}, (2026, 3, 9, 8)),
    ]
    for user, action, data, when in steps:
        clock(*when)
        ok(post(user, Ref, action, data))
    body = signed_in(alice).get(detail_url(Ref)).json()
    assert [(e["kind"], e["at"][:16]) for e in body["events"]] == [
        ("received", "2026-03-02T10:00"),
        ("routed", "2026-03-02T11:00"),
        ("supplement_requested", "2026-03-03T09:00"),
        ("resubmitted", "2026-03-04T09:00"),
        ("completed", "2026-03-06T15:00"),
        ("returned", "2026-03-09T08:00"),
    ]
    assert body["status"] == "returned"
    assert body["classification"] == "early"  # resubmitted Wed 4 Mar: due Wed 11 Mar
