"""``GET /api/v1/feedback/``: scoped by role (R-UNIT-3), filtered, paginated, with the
sender's data for staff of the unit (R-PRIV-1), and a query count that does not grow with
the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from feedback import services
from tests.factories import DeskFactory
from tests.feedback.api_helpers import FEEDBACK_URL, listed_codes, signed_in, with_token
from tests.feedback.helpers import SENDER
from tests.helpers import at


@pytest.fixture
def three_communes(submit, tree, charlie):
    a1, _ = submit()
    DeskFactory(unit=tree["commune_a2"])
    a2, _ = submit(unit=tree["commune_a2"], channel="web", actor=None, kind="suggestion")
    DeskFactory(unit=tree["commune_b1"])
    b1, _ = submit(unit=tree["commune_b1"], actor=charlie)
    return {"a1": a1, "a2": a2, "b1": b1}


def test_each_user_sees_the_items_of_their_units_r_unit_3(three_communes, alice, bob, charlie):
    assert listed_codes(signed_in(alice).get(FEEDBACK_URL)) == [three_communes["a1"].code]
    assert listed_codes(signed_in(bob).get(FEEDBACK_URL)) == sorted(
        [three_communes["a1"].code, three_communes["a2"].code]
    )
    assert listed_codes(signed_in(charlie).get(FEEDBACK_URL)) == [three_communes["b1"].code]


def test_anonymous_request_is_refused_with_401(three_communes):
    assert APIClient().get(FEEDBACK_URL).status_code == 401


def test_staff_of_the_unit_see_the_senders_data_r_priv_1(three_communes, alice):
    row = signed_in(alice).get(FEEDBACK_URL).json()["results"][0]
    assert row["sender"] == {
        "name": SENDER["name"],
        "phone": "0912345678",
        "email": SENDER["email"],
        "address": SENDER["address"],
        "id_number": SENDER["id_number"],
    }
    assert row["code"] == "PA-00001-26-00001"
    assert (row["kind"], row["channel"], row["status"]) == ("feedback", "hotline", "received")
    assert row["due_at"] == "2026-03-16T17:00:00+07:00"
    assert "pin" not in row and "pin_hash" not in row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "suggestion"}, ["a2"]),
        ({"kind": ["feedback", "suggestion"]}, ["a1", "a2"]),
        ({"channel": "web"}, ["a2"]),
        ({"status": "received"}, ["a1", "a2"]),
        ({"status": "answered"}, []),
        ({"unassigned": "true"}, ["a1", "a2"]),
        ({"transferred": "true"}, []),
        ({"q": "PA-00004"}, ["a2"]),
        ({"q": "1"}, ["a1", "a2"]),  # register number 1 at each commune
        ({"received_from": "2026-03-02", "received_to": "2026-03-02"}, ["a1", "a2"]),
        ({"received_from": "2026-03-03"}, []),
    ],
)
def test_filters(three_communes, bob, params, expected):
    by_code = {item.code: name for name, item in three_communes.items()}
    codes = listed_codes(signed_in(bob).get(FEEDBACK_URL, params))
    assert sorted(by_code[c] for c in codes) == expected


def test_overdue_and_due_soon_filters(three_communes, bob, time_machine):
    client = signed_in(bob)
    time_machine.move_to(at(2026, 3, 13, 10), tick=False)
    assert listed_codes(client.get(FEEDBACK_URL, {"due_soon": "true"})) == [
        three_communes["a1"].code
    ]
    time_machine.move_to(at(2026, 3, 17, 10), tick=False)
    assert listed_codes(client.get(FEEDBACK_URL, {"overdue": "true"})) == [
        three_communes["a1"].code
    ]


def test_search_does_not_match_personal_data_r_priv_1(three_communes, alice):
    client = signed_in(alice)
    assert client.get(FEEDBACK_URL, {"q": "Nguyễn"}).json()["count"] == 0
    assert client.get(FEEDBACK_URL, {"q": SENDER["id_number"]}).json()["count"] == 0


@pytest.mark.parametrize(
    "params", [{"status": "open"}, {"kind": "rumour"}, {"unit": "x"}, {"received_from": "2/3/2026"}]
)
def test_invalid_filters_are_rejected_by_name(three_communes, alice, params):
    response = signed_in(alice).get(FEEDBACK_URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def _queries(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(FEEDBACK_URL, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_items(submit, alice, officer, category):
    client = with_token(alice)
    for n in range(4):
        item, _ = submit(received_at=at(2026, 3, 2, 8 + n), category=category)
        services.feedback_assign(item=item, actor=alice, assignee=officer, at=at(2026, 3, 2, 16))
    small = _queries(client)
    for n in range(26):
        submit(received_at=at(2026, 3, 3, 8, n), category=category)
    large = _queries(client)
    assert (small[1], large[1]) == (4, 30)
    assert small[0] == large[0] <= 5  # token+user, two scoping reads, count, page
    filtered = _queries(client, {"overdue": "false", "due_soon": "false", "mine": "false"})
    assert filtered[0] == small[0]


def test_list_is_paginated_by_fifty(submit, alice):
    for n in range(52):
        submit(received_at=at(2026, 3, 2, 8, n))
    first = signed_in(alice).get(FEEDBACK_URL).json()
    assert (first["count"], len(first["results"])) == (52, 50)
