"""``GET /api/v1/dossiers/``: scoped by role (R-UNIT-3), filtered, paginated, with personal
data for staff of the unit (R-PRIV-1) and a query count that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers import services
from tests.dossiers.api_helpers import (
    APPLICANT,
    DOSSIERS_URL,
    at,
    desks_of_three_communes,
    listed_codes,
    receive_at,
    signed_in,
    with_token,
)
from tests.factories import UserFactory


@pytest.fixture
def three_communes(tree, desk, procedure, alice, charlie):
    """One dossier at each of Commune A1 (Alice), A2 (Ann) and B1 (Charlie)."""
    desks = desks_of_three_communes(tree, desk, procedure, charlie)
    desks["a1"] = (desk, alice)
    return {
        name: receive_at(d, procedure, actor, at(2026, 3, 2, 9))
        for name, (d, actor) in desks.items()
    }


def test_receptionist_sees_only_her_communes_dossiers_r_unit_3(three_communes, alice):
    assert listed_codes(signed_in(alice).get(DOSSIERS_URL)) == [three_communes["a1"].code]


def test_district_leader_sees_the_dossiers_of_his_districts_communes_r_unit_3(three_communes, bob):
    assert listed_codes(signed_in(bob).get(DOSSIERS_URL)) == sorted(
        [three_communes["a1"].code, three_communes["a2"].code]
    )


def test_outsider_sees_none_of_district_a_r_unit_3(three_communes, charlie):
    assert listed_codes(signed_in(charlie).get(DOSSIERS_URL)) == [three_communes["b1"].code]


def test_user_without_roles_sees_no_dossier(three_communes):
    response = signed_in(UserFactory(username="nobody")).get(DOSSIERS_URL)
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_anonymous_request_is_refused_with_401(three_communes):
    from rest_framework.test import APIClient

    response = APIClient().get(DOSSIERS_URL)
    assert response.status_code == 401
    assert "results" not in response.json()


def test_token_authentication_works(three_communes, alice):
    assert listed_codes(with_token(alice).get(DOSSIERS_URL)) == [three_communes["a1"].code]


def test_staff_of_the_unit_see_the_applicants_personal_data_r_priv_1(three_communes, bob):
    """R-PRIV-1: personal data is visible to staff of the unit (the list is scoped already)."""
    row = signed_in(bob).get(DOSSIERS_URL, {"unit": three_communes["a1"].unit_id}).json()
    assert row["results"][0]["applicant"] == {
        "kind": "person",
        "name": APPLICANT["name"],
        "id_number": APPLICANT["id_number"],
        "phone": "0912345678",
        "email": APPLICANT["email"],
        "address": APPLICANT["address"],
    }


def test_list_row_fields(three_communes, alice, desk, procedure):
    dossier = three_communes["a1"]
    row = signed_in(alice).get(DOSSIERS_URL).json()["results"][0]
    assert row["code"] == "000.01.01.H26-260302-0001"
    assert row["status"] == "received"
    assert row["unit"] == {"id": desk.unit_id, "code": "00001", "name": "Phường Phúc Xá"}
    assert row["desk"] == {"id": desk.pk, "name": desk.name}
    assert row["procedure"] == {"id": procedure.pk, "code": "1.001193", "name": "Đăng ký khai sinh"}
    assert row["received_at"] == "2026-03-02T09:00:00+07:00"
    assert row["due_at"] == row["original_due_at"] == "2026-03-09T17:00:00+07:00"
    assert (row["classification"], row["points"], row["current_department"]) == ("", None, None)
    assert (row["log_year"], row["log_number"]) == (2026, dossier.log_number)
    assert "pin" not in row and "pin_hash" not in row


def test_filter_by_unit_and_within(three_communes, bob, tree):
    client = signed_in(bob)
    assert listed_codes(client.get(DOSSIERS_URL, {"unit": tree["commune_a2"].pk})) == [
        three_communes["a2"].code
    ]
    assert client.get(DOSSIERS_URL, {"unit": tree["district_a"].pk}).json()["count"] == 0
    assert client.get(DOSSIERS_URL, {"within": tree["district_a"].pk}).json()["count"] == 2


def test_filters_never_reach_outside_the_callers_units_r_unit_3(three_communes, bob, tree):
    """R-UNIT-3: filters narrow Bob's dossiers; naming another district's unit, desk or code
    gives an empty list, and the city gives only what he may see."""
    client = signed_in(bob)
    outside = three_communes["b1"]
    for params in (
        {"unit": tree["commune_b1"].pk},
        {"within": tree["district_b"].pk},
        {"desk": outside.desk_id},
        {"q": outside.code},
    ):
        assert client.get(DOSSIERS_URL, params).json()["count"] == 0, params
    assert listed_codes(client.get(DOSSIERS_URL, {"within": tree["city"].pk})) == sorted(
        [three_communes["a1"].code, three_communes["a2"].code]
    )


def test_filter_by_desk_and_procedure(three_communes, bob, procedure):
    client = signed_in(bob)
    assert listed_codes(client.get(DOSSIERS_URL, {"desk": three_communes["a2"].desk_id})) == [
        three_communes["a2"].code
    ]
    assert client.get(DOSSIERS_URL, {"procedure": procedure.pk}).json()["count"] == 2
    assert client.get(DOSSIERS_URL, {"procedure": 999999}).json()["count"] == 0


def test_search_by_part_of_the_code(three_communes, bob):
    client = signed_in(bob)
    assert listed_codes(client.get(DOSSIERS_URL, {"q": "h26-260302"})) == sorted(
        [three_communes["a1"].code, three_communes["a2"].code]
    )
    assert listed_codes(client.get(DOSSIERS_URL, {"q": "01.04"})) == [three_communes["a2"].code]


def test_search_does_not_match_personal_data_r_priv_1(three_communes, bob):
    """R-PRIV-1: names and ID numbers are not searchable through a URL parameter."""
    client = signed_in(bob)
    assert client.get(DOSSIERS_URL, {"q": "Nguyễn"}).json()["count"] == 0
    assert client.get(DOSSIERS_URL, {"q": APPLICANT["id_number"]}).json()["count"] == 0


# --- status, dates, overdue: a hand-made dataset at Commune A1 -------------------------------
@pytest.fixture
def timeline(desk, procedure, alice, officer, departments, time_machine):
    """Five dossiers at Commune A1 (5 working days, March 2026 has no holiday), looked at on
    Tuesday 10 March 10:00:

    - early:    received Mon 2 Mar 09:00, due Mon 9 Mar 17:00, result ready Wed 4 Mar (early)
    - overdue:  received Mon 2 Mar 10:00, due Mon 9 Mar 17:00, with a department: overdue
    - waiting:  received Mon 2 Mar 11:00, due Mon 9 Mar 17:00, waiting for a supplement since
                Tue 3 Mar: the clock is stopped, so not overdue
    - soon:     received Wed 4 Mar 09:00, due Wed 11 Mar 17:00: due before the end of the
                next working day
    - later:    received online Thu 5 Mar 00:30 (still 4 Mar in UTC), due Thu 12 Mar 17:00
    """
    early = receive_at(desk, procedure, alice, at(2026, 3, 2, 9))
    services.dossier_complete(dossier=early, actor=officer, at=at(2026, 3, 4, 10))
    overdue = receive_at(desk, procedure, alice, at(2026, 3, 2, 10))
    services.dossier_route(
        dossier=overdue, actor=alice, to_department=departments["civil"], at=at(2026, 3, 2, 11)
    )
    waiting = receive_at(desk, procedure, alice, at(2026, 3, 2, 11))
    services.dossier_request_supplement(
        dossier=waiting, items=[{"name": "Bản sao CCCD"}], actor=officer, at=at(2026, 3, 3, 9)
    )
    soon = receive_at(desk, procedure, alice, at(2026, 3, 4, 9))
    later = receive_at(desk, procedure, alice, at(2026, 3, 5, 0, 30), channel="online")
    time_machine.move_to(at(2026, 3, 10, 10), tick=False)
    return {
        "early": early,
        "overdue": overdue,
        "waiting": waiting,
        "soon": soon,
        "later": later,
    }


def names(response, timeline):
    by_code = {d.code: name for name, d in timeline.items()}
    return sorted(by_code[c] for c in listed_codes(response))


def test_hand_made_dataset_has_the_expected_due_moments(timeline):
    assert {name: d.due_at for name, d in timeline.items()} == {
        "early": at(2026, 3, 9, 17),
        "overdue": at(2026, 3, 9, 17),
        "waiting": at(2026, 3, 9, 17),
        "soon": at(2026, 3, 11, 17),
        "later": at(2026, 3, 12, 17),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["early", "later", "overdue", "soon", "waiting"]),
        ({"status": "received"}, ["later", "soon"]),
        ({"status": ["received", "waiting_supplement"]}, ["later", "soon", "waiting"]),
        ({"status": "in_process"}, ["overdue"]),
        ({"status": "result_ready"}, ["early"]),
        ({"classification": "early"}, ["early"]),
        ({"classification": "late"}, []),
        ({"channel": "online"}, ["later"]),
    ],
)
def test_filter_by_status_classification_and_channel(timeline, alice, params, expected):
    assert names(signed_in(alice).get(DOSSIERS_URL, params), timeline) == expected


def test_overdue_means_still_in_process_past_the_due_moment_r_due_6(timeline, alice):
    """R-DUE-6: ``overdue`` follows ``selectors.overdue_in_process``: a dossier waiting for a
    supplement has its clock stopped, and a completed one is not in process."""
    client = signed_in(alice)
    assert names(client.get(DOSSIERS_URL, {"overdue": "true"}), timeline) == ["overdue"]
    assert names(client.get(DOSSIERS_URL, {"overdue": "false"}), timeline) == [
        "early",
        "later",
        "soon",
        "waiting",
    ]


def test_overdue_starts_after_the_due_moment_not_on_the_due_day(timeline, alice, time_machine):
    client = signed_in(alice)
    time_machine.move_to(at(2026, 3, 9, 16, 59), tick=False)
    assert names(client.get(DOSSIERS_URL, {"overdue": "true"}), timeline) == []
    time_machine.move_to(at(2026, 3, 9, 17, 1), tick=False)
    assert names(client.get(DOSSIERS_URL, {"overdue": "true"}), timeline) == ["overdue"]


def test_due_soon_is_due_before_the_end_of_the_next_working_day_r_res_1(timeline, alice):
    client = signed_in(alice)
    assert names(client.get(DOSSIERS_URL, {"due_soon": "true"}), timeline) == ["soon"]
    assert "soon" not in names(client.get(DOSSIERS_URL, {"due_soon": "false"}), timeline)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"due_from": "2026-03-11", "due_to": "2026-03-11"}, ["soon"]),
        ({"due_to": "2026-03-09"}, ["early", "overdue", "waiting"]),
        ({"due_from": "2026-03-10"}, ["later", "soon"]),
        ({"due_from": "2026-03-12"}, ["later"]),
        ({"due_from": "2026-03-13"}, []),
        ({"received_from": "2026-03-04"}, ["later", "soon"]),
        ({"received_to": "2026-03-03"}, ["early", "overdue", "waiting"]),
        (
            {"received_from": "2026-03-02", "received_to": "2026-03-02"},
            ["early", "overdue", "waiting"],
        ),
        ({"received_from": "2026-03-05"}, ["later"]),
        ({"received_to": "2026-03-04"}, ["early", "overdue", "soon", "waiting"]),
        ({"received_from": "2026-03-06"}, []),
        ({"received_from": "2026-03-04", "status": "received", "due_soon": "true"}, ["soon"]),
    ],
)
def test_date_ranges_are_local_days_both_included(timeline, alice, params, expected):
    """Days are Asia/Ho_Chi_Minh days: 00:30 on 5 March (17:30 on 4 March in UTC) is the 5th."""
    assert names(signed_in(alice).get(DOSSIERS_URL, params), timeline) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open"},
        {"classification": "fast"},
        {"due_from": "11/03/2026"},
        {"received_to": "2026-02-30"},
        {"unit": "1.5"},
        {"desk": "abc"},
        {"ordering": "applicant_name"},
    ],
)
def test_invalid_filter_values_are_rejected_by_name(timeline, alice, params):
    response = signed_in(alice).get(DOSSIERS_URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_default_order_is_newest_first_and_ordering_can_be_chosen(timeline, alice):
    client = signed_in(alice)

    def order(params=None):
        response = client.get(DOSSIERS_URL, params or {})
        by_code = {d.code: name for name, d in timeline.items()}
        return [by_code[d["code"]] for d in response.json()["results"]]

    assert order() == ["later", "soon", "waiting", "overdue", "early"]
    assert order({"ordering": "due_at"}) == ["early", "overdue", "waiting", "soon", "later"]
    assert order({"ordering": "-due_at"}) == ["later", "soon", "waiting", "overdue", "early"]


# --- pagination and query counts -----------------------------------------------------------
def _receive_many(desk, procedure, alice, count, start_day):
    for n in range(count):
        receive_at(desk, procedure, alice, at(2026, 3, start_day, 8 + n % 8, n // 8))


def _list_queries(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(DOSSIERS_URL, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_dossiers(
    desk, procedure, alice, django_assert_max_num_queries
):
    """5 or 40 dossiers cost the same number of queries: units, desks, procedures and
    departments come with the page."""
    client = with_token(alice)
    _receive_many(desk, procedure, alice, 5, 2)
    small = _list_queries(client)
    _receive_many(desk, procedure, alice, 35, 3)
    large = _list_queries(client)
    assert (small[1], large[1]) == (5, 40)
    assert small[0] == large[0]
    with django_assert_max_num_queries(4):  # token+user, memberships, count, page
        client.get(DOSSIERS_URL)
    # the overdue and due-soon filters reuse the scoped selectors: one more scoping read each
    filtered = _list_queries(
        client, {"overdue": "false", "due_soon": "false", "status": "received"}
    )
    assert filtered[0] <= small[0] + 2


def test_list_is_paginated_by_fifty(desk, procedure, alice):
    _receive_many(desk, procedure, alice, 53, 2)
    client = signed_in(alice)
    first = client.get(DOSSIERS_URL).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (53, 50, None)
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (3, None)
    assert len({d["id"] for d in first["results"] + second["results"]}) == 53
