"""``GET /api/v1/dossiers/{id}/``: one dossier with documents, handovers and its timeline, in
a fixed number of queries; 404 outside the caller's units (R-UNIT-3)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import services
from tests.dossiers.api_helpers import (
    APPLICANT,
    at,
    desks_of_three_communes,
    detail_url,
    receive_at,
    signed_in,
    with_token,
)


@pytest.fixture
def dossier(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    return dossier


def test_detail_shows_documents_steps_and_events(dossier, alice, officer, departments):
    services.dossier_route(
        dossier=dossier,
        actor=alice,
        to_department=departments["civil"],
        step_days=2,
        note="Chuyển Tư pháp",
        at=at(2026, 3, 2, 10),
    )
    body = signed_in(alice).get(detail_url(dossier)).json()
    assert body["code"] == dossier.code
    assert body["status"] == "in_process"
    assert body["rule_set"] == "nd118-2025"
    assert body["received_by"] == {"id": alice.pk, "username": "alice", "full_name": "Nguyễn Văn A"}
    assert body["current_department"] == {
        "id": departments["civil"].pk,
        "code": "tu-phap",
        "name": "Tư pháp – Hộ tịch",
    }
    assert body["applicant"]["name"] == APPLICANT["name"]
    assert [(d["name"], d["is_original"], d["quantity"]) for d in body["documents"]] == [
        ("Tờ khai", True, 1)
    ]
    assert [
        (s["number"], s["department"] and s["department"]["code"], s["handed_at"], s["due_at"])
        for s in body["steps"]
    ] == [
        (1, None, "2026-03-02T09:00:00+07:00", "2026-03-02T17:00:00+07:00"),
        (2, "tu-phap", "2026-03-02T10:00:00+07:00", "2026-03-04T17:00:00+07:00"),
    ]
    desk_step = body["steps"][0]
    assert (desk_step["finished_at"], desk_step["classification"]) == (
        "2026-03-02T10:00:00+07:00",
        "on_time",
    )
    assert desk_step["handed_by"]["username"] == "alice"
    assert [(e["kind"], e["from_status"], e["to_status"], e["at"]) for e in body["events"]] == [
        ("received", "", "received", "2026-03-02T09:00:00+07:00"),
        ("routed", "received", "in_process", "2026-03-02T10:00:00+07:00"),
    ]
    assert body["events"][1]["actor"]["username"] == "alice"
    assert body["events"][1]["note"] == "Chuyển Tư pháp"
    assert body["supplement_requests"] == []
    assert (body["refusal"], body["withdrawal"], body["reschedule"]) == (None, None, None)
    assert "pin" not in body and "pin_hash" not in body


def test_detail_shows_the_endings(dossier, officer):
    services.dossier_request_supplement(
        dossier=dossier,
        items=[{"name": "Bản sao CCCD", "guidance": "Chứng thực"}],
        actor=officer,
        at=at(2026, 3, 3, 9),
    )
    services.dossier_refuse(
        dossier=dossier,
        reason="Không bổ sung",
        legal_basis="Điều 19 Nghị định 61/2018/NĐ-CP",
        actor=officer,
        at=at(2026, 3, 20, 9),
    )
    body = signed_in(officer).get(detail_url(dossier)).json()
    assert body["status"] == "refused"
    assert body["supplement_requests"] == [
        {
            "id": dossier.pauses.get().pk,
            "requested_at": "2026-03-03T09:00:00+07:00",
            "items": [{"name": "Bản sao CCCD", "guidance": "Chứng thực"}],
            "is_late_request": False,
            "resumed_at": "2026-03-20T09:00:00+07:00",
        }
    ]
    assert body["refusal"] == {
        "reason": "Không bổ sung",
        "legal_basis": "Điều 19 Nghị định 61/2018/NĐ-CP",
        "refused_at": "2026-03-20T09:00:00+07:00",
    }


def test_detail_shows_the_reschedule(dossier, officer, departments):
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ xác minh",
        new_due_date=dt.date(2026, 3, 12),
        responsible_department=departments["civil"],
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    body = signed_in(officer).get(detail_url(dossier)).json()
    assert body["reschedule"] == {
        "reason": "Chờ xác minh",
        "responsible_department": departments["civil"].pk,
        "responsible_unit": dossier.unit_id,
        "original_due_at": "2026-03-09T17:00:00+07:00",
        "new_due_at": "2026-03-12T17:00:00+07:00",
        "created_at": "2026-03-05T10:00:00+07:00",
    }
    assert body["due_at"] == "2026-03-12T17:00:00+07:00"
    assert body["original_due_at"] == "2026-03-09T17:00:00+07:00"


def test_district_leader_opens_a_communes_dossier_r_unit_3(dossier, bob):
    assert signed_in(bob).get(detail_url(dossier)).status_code == 200


def test_dossier_outside_scope_is_404_like_a_missing_one_r_unit_3(
    tree, desk, procedure, alice, bob, charlie
):
    """R-UNIT-3: Charlie's dossier answers Alice and Bob exactly like an id that does not
    exist; Alice does not see Commune A2's either."""
    desks = desks_of_three_communes(tree, desk, procedure, charlie)
    in_b1 = receive_at(desks["b1"][0], procedure, charlie, at(2026, 3, 2, 9))
    in_a2 = receive_at(desks["a2"][0], procedure, desks["a2"][1], at(2026, 3, 2, 9))
    missing = signed_in(alice).get("/api/v1/dossiers/999999/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    for user, dossier in ((alice, in_b1), (bob, in_b1), (alice, in_a2)):
        response = signed_in(user).get(detail_url(dossier))
        assert response.status_code == 404
        assert response.json() == missing.json()
    assert signed_in(charlie).get(detail_url(in_b1)).status_code == 200


def test_non_numeric_id_is_404(dossier, alice):
    assert signed_in(alice).get("/api/v1/dossiers/abc/").status_code == 404


def _detail_queries(client, dossier):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(detail_url(dossier))
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["events"])


def test_detail_query_count_does_not_grow_with_events(
    receive, alice, officer, departments, django_assert_max_num_queries
):
    """2 or 20 events (received, 18 handovers, a rescheduling) cost the same number of
    queries."""
    client = with_token(officer)
    short, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=short, actor=alice, to_department=departments["civil"], at=at(2026, 3, 2, 10)
    )
    long, _pin = receive(received_at=at(2026, 3, 2, 9, 30))
    targets = [departments["civil"], departments["land"]]
    for n in range(18):
        services.dossier_route(
            dossier=long,
            actor=officer,
            to_department=targets[n % 2],
            at=at(2026, 3, 2, 10, n),
        )
    services.dossier_reschedule(
        dossier=long,
        reason="Chậm",
        new_due_date=dt.date(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 2, 11),
    )
    small = _detail_queries(client, short)
    large = _detail_queries(client, long)
    assert (small[1], large[1]) == (2, 20)
    assert small[0] == large[0]
    # token+user, memberships, dossier with its endings, events, steps, their departments and
    # senders, documents, supplement requests
    with django_assert_max_num_queries(9):
        client.get(detail_url(long))
