"""Staff list the survey responses of their units (R-SUR-2, R-UNIT-3):
``/api/v1/survey-responses/``, scoped, filtered, paginated, answers nested."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from surveys import services
from tests.factories import DeskFactory
from tests.helpers import at
from tests.surveys.api_helpers import RESPONSES_URL, signed_in
from tests.surveys.helpers import by_id

NOW = at(2026, 3, 20, 10)


@pytest.fixture
def desk_a2(tree):
    return DeskFactory(unit=tree["commune_a2"], name="Bộ phận một cửa Trúc Bạch")


@pytest.fixture
def responses(desk, desk_a2, desk_b1, alice, bob, charlie, small_form):
    """A1: two paper sheets (19 March late evening, 1 March just after midnight); A2: one
    phone interview (20 March); B1: one paper sheet (20 March)."""
    made = {
        "A1-1": services.response_enter_paper(
            desk=desk,
            serial="A1-1",
            answers=by_id(small_form.c, {"x1": 5, "x2": "na"}),
            extras={small_form.q["harassment"].pk: "none"},
            respondent={"gender": "male"},
            submitted_at=at(2026, 3, 19, 23, 30),
            actor=alice,
            at=NOW,
        ),
        "A1-2": services.response_enter_paper(
            desk=desk,
            serial="A1-2",
            answers=by_id(small_form.c, {"x1": 2}),
            submitted_at=at(2026, 3, 1, 0, 5),
            actor=alice,
            at=NOW,
        ),
        "A2-phone": services.response_enter_phone(
            desk=desk_a2, answers=by_id(small_form.c, {"y1": 4}), actor=bob, at=NOW
        ),
        "B1-1": services.response_enter_paper(
            desk=desk_b1,
            serial="B1-1",
            answers=by_id(small_form.c, {"x1": 5}),
            actor=charlie,
            at=NOW,
        ),
    }
    return {name: r.pk for name, r in made.items()}


def listed(client, params=None):
    response = client.get(RESPONSES_URL, params or {})
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def ids(responses, *names):
    return sorted((responses[n] for n in names), reverse=True)


def test_receptionist_lists_only_her_communes_responses_r_unit_3(responses, alice):
    assert sorted(listed(signed_in(alice)), reverse=True) == ids(responses, "A1-1", "A1-2")


def test_district_leader_lists_his_district_but_not_the_other_r_unit_3(responses, bob):
    assert sorted(listed(signed_in(bob)), reverse=True) == ids(
        responses, "A1-1", "A1-2", "A2-phone"
    )


def test_outsider_lists_only_his_own_commune_r_unit_3(responses, charlie):
    assert listed(signed_in(charlie)) == [responses["B1-1"]]


def test_response_outside_scope_is_404_like_a_missing_one(responses, alice, charlie):
    client = signed_in(charlie)
    hidden = client.get(f"{RESPONSES_URL}{responses['A1-1']}/")
    missing = client.get(f"{RESPONSES_URL}999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert signed_in(alice).get(f"{RESPONSES_URL}{responses['A1-1']}/").status_code == 200


def test_anonymous_request_is_refused(responses):
    assert APIClient().get(RESPONSES_URL).status_code == 401


def test_response_carries_its_answers_r_sur_2(responses, alice, small_form, desk):
    body = signed_in(alice).get(f"{RESPONSES_URL}{responses['A1-1']}/").json()
    assert (body["form_code"], body["form_version"], body["channel"]) == ("small", 1, "paper")
    assert (body["desk"], body["unit_name"], body["paper_serial"]) == (
        desk.pk,
        "Phường Phúc Xá",
        "A1-1",
    )
    assert body["gender"] == "male"
    assert body["dossier"] is None and body["dossier_code"] is None
    assert body["entered_by"] == alice.pk
    assert [(a["criterion_code"], a["value"], a["not_applicable"]) for a in body["answers"]] == [
        ("x1", 5, False),
        ("x2", None, True),
        ("y1", None, False),
    ]
    assert [(e["question_code"], e["option"]) for e in body["extra_answers"]] == [
        ("harassment", "none")
    ]


def test_newest_answers_come_first(responses, alice):
    assert listed(signed_in(alice)) == [responses["A1-1"], responses["A1-2"]]


def test_filter_by_unit_includes_descendants_and_hides_other_units(responses, bob, tree):
    client = signed_in(bob)
    assert listed(client, {"unit": tree["commune_a2"].pk}) == [responses["A2-phone"]]
    assert sorted(listed(client, {"unit": tree["district_a"].pk}), reverse=True) == ids(
        responses, "A1-1", "A1-2", "A2-phone"
    )
    # Another district's unit, or one that does not exist: an empty list either way.
    assert listed(client, {"unit": tree["commune_b1"].pk}) == []
    assert listed(client, {"unit": 999999}) == []


def test_filter_by_desk_channel_and_form(responses, bob, desk, desk_a2):
    client = signed_in(bob)
    assert listed(client, {"desk": desk_a2.pk}) == [responses["A2-phone"]]
    assert listed(client, {"channel": "phone"}) == [responses["A2-phone"]]
    assert len(listed(client, {"form": "small"})) == 3
    assert listed(client, {"form": "m-score"}) == []


def test_filter_by_period_uses_local_days(responses, alice):
    """23:30 on 19 March in Hà Nội is 16:30 UTC: it belongs to 19 March, not the 20th."""
    client = signed_in(alice)
    assert listed(client, {"submitted_from": "2026-03-19", "submitted_to": "2026-03-19"}) == [
        responses["A1-1"]
    ]
    assert listed(client, {"submitted_from": "2026-03-20"}) == []
    assert listed(client, {"submitted_to": "2026-03-01"}) == [responses["A1-2"]]


def test_filter_by_answer_to_a_criterion_r_ind_5(responses, bob):
    client = signed_in(bob)
    assert listed(client, {"criterion": "x1", "answer": "satisfied"}) == [responses["A1-1"]]
    assert listed(client, {"criterion": "x1", "answer": "2"}) == [responses["A1-2"]]
    assert listed(client, {"criterion": "x2", "answer": "na"}) == [responses["A1-1"]]
    assert listed(client, {"criterion": "x1", "answer": "blank"}) == [responses["A2-phone"]]
    assert len(listed(client, {"criterion": "x1", "answer": "valid"})) == 2
    assert listed(client, {"question": "harassment", "option": "none"}) == [responses["A1-1"]]


def test_invalid_filters_are_refused_by_parameter(responses, alice):
    client = signed_in(alice)
    for params, field in (
        ({"submitted_from": "20/03/2026"}, "submitted_from"),
        ({"submitted_from": "2026-03-20", "submitted_to": "2026-03-01"}, "submitted_to"),
        ({"unit": "1.5"}, "unit"),
        ({"channel": "fax"}, "channel"),
        ({"answer": "satisfied"}, "answer"),
        ({"criterion": "x1", "answer": "11"}, "answer"),
        ({"option": "none"}, "option"),
    ):
        response = client.get(RESPONSES_URL, params)
        assert response.status_code == 400, params
        assert set(response.json()) == {field}, params


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(RESPONSES_URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_responses(desk, bob, alice, small_form):
    """Answers and extra answers come by prefetch: 5 or 40 responses cost the same."""
    client = signed_in(bob)

    def enter(start, count):
        for n in range(start, start + count):
            services.response_enter_paper(
                desk=desk,
                serial=f"P-{n}",
                answers=by_id(small_form.c, {"x1": n % 5 + 1, "y1": "na"}),
                extras={small_form.q["harassment"].pk: "some"},
                actor=alice,
                at=NOW,
            )

    enter(0, 5)
    queries_small, count_small = _list_queries(client)
    enter(5, 35)
    queries_large, count_large = _list_queries(client)
    assert (count_small, count_large) == (5, 40)
    assert queries_small == queries_large
