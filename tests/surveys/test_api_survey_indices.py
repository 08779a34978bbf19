"""Satisfaction indices per unit and period through the API (R-SUR-3, R-IND-2), each figure
linked to the responses behind it (R-IND-5): ``/api/v1/survey-indices/``."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import services
from tests.factories import CriterionFactory, SurveyAreaFactory, SurveyFormFactory
from tests.helpers import at
from tests.surveys.api_helpers import INDICES_URL, RESPONSES_URL, signed_in
from tests.surveys.helpers import by_id, enter_dataset

NOW = at(2026, 3, 20, 10)
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def dataset(desk, desk_b1, alice, charlie, small_form):
    """A1 in March: the six sheets of SMALL_DATASET. Noise that must not move A1's March
    figures: the same six sheets at A1 in February, and three all-5 sheets at B1 in March."""
    enter_dataset(desk=desk, actor=alice, small_form=small_form)
    enter_dataset(
        desk=desk, actor=alice, small_form=small_form, prefix="F", submitted_at=at(2026, 2, 27)
    )
    for n in range(3):
        services.response_enter_paper(
            desk=desk_b1,
            serial=f"B-{n}",
            answers=by_id(small_form.c, {"x1": 5, "x2": 5, "y1": 5}),
            actor=charlie,
            at=NOW,
        )


def indices(client, **params):
    response = client.get(INDICES_URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def follow(client, url):
    """Count of the staff responses list behind a figure's link (same host, same client)."""
    parts = urlsplit(url)
    assert parts.path == RESPONSES_URL
    response = client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_indices_match_the_hand_computed_example_r_sur_3_r_ind_2(dataset, bob, tree):
    """A1's six March sheets (tests/surveys/conftest.py SMALL_DATASET; "–" blank):

        sheet  x1   x2   y1   harassment
        1      5    5    1    none
        2      4    5    4    none
        3      3    5    2    some
        4      2    n/a  –    none
        5      n/a  n/a  –    –
        6      –    –    –    many

    x1: valid 5, 4, 3, 2 → 4; satisfied (4 or 5) → 2; index 2 ÷ 4 × 100 = 50
    x2: valid 5, 5, 5 → 3; satisfied 3; index 100
    y1: valid 1, 4, 2 → 3; satisfied 1; index 33.33…
    area X = (50 + 100) ÷ 2 = 75; area Y = 33.33…
    overall = (75 + 33.33…) ÷ 2 = 54.1666…
    valid answers: 4 + 3 + 3 = 10; 6 responses < 30 → small sample
    harassment: 5 answered → none 3 ÷ 5 = 60 %, some 20 %, many 20 %; 1 unanswered.
    February's sheets and B1's all-5 sheets are outside the unit or the period."""
    body = indices(signed_in(bob), unit=tree["commune_a1"].pk, **MARCH)
    assert (body["unit"], body["from"], body["to"], body["desk"]) == (
        tree["commune_a1"].pk,
        "2026-03-01",
        "2026-03-31",
        None,
    )
    (result,) = body["results"]
    assert (result["form_code"], result["scale"], result["aggregation"]) == (
        "small",
        "five_level",
        "mean_of_areas",
    )
    assert (result["responses"], result["valid"]) == (6, 10)
    assert (result["small_sample"], result["small_sample_threshold"]) == (True, 30)
    assert result["overall"] == pytest.approx(54.1667, abs=1e-4)
    assert result["mean_score"] is None
    x, y = result["areas"]
    assert (x["code"], x["index"], x["criteria_counted"], x["valid"]) == ("X", 75.0, 2, 7)
    assert (y["code"], y["index"], y["valid"]) == ("Y", pytest.approx(100 / 3), 3)
    x1, x2 = x["criteria"]
    assert (x1["index"], x1["valid"], x1["satisfied"]) == (50.0, 4, 2)
    assert (x1["not_applicable"], x1["blank"]) == (1, 1)
    assert [(d["value"], d["count"]) for d in x1["distribution"]] == [
        (1, 0),
        (2, 1),
        (3, 1),
        (4, 1),
        (5, 1),
    ]
    assert (x2["index"], x2["valid"], x2["not_applicable"]) == (100.0, 3, 2)
    (question,) = result["questions"]
    assert {o["code"]: (o["count"], o["share"]) for o in question["options"]} == {
        "none": (3, 60.0),
        "some": (1, 20.0),
        "many": (1, 20.0),
    }
    assert (question["answered"], question["unanswered"]) == (5, 1)


def test_every_figure_links_to_the_responses_behind_it_r_ind_5(dataset, bob, tree):
    """Following each link gives as many responses as the figure counts."""
    client = signed_in(bob)
    (result,) = indices(client, unit=tree["commune_a1"].pk, **MARCH)["results"]
    assert follow(client, result["links"]["responses"]) == result["responses"] == 6
    for area in result["areas"]:
        assert follow(client, area["links"]["responses"]) == 6
        for c in area["criteria"]:
            links = c["links"]
            assert follow(client, links["valid"]) == c["valid"]
            assert follow(client, links["satisfied"]) == c["satisfied"]
            assert follow(client, links["not_applicable"]) == c["not_applicable"]
            assert follow(client, links["blank"]) == c["blank"]
            assert follow(client, links["responses"]) == 6
            for d in c["distribution"]:
                assert follow(client, d["url"]) == d["count"]
    (question,) = result["questions"]
    assert follow(client, question["links"]["responses"]) == question["answered"] == 5
    for option in question["options"]:
        assert follow(client, option["url"]) == option["count"]


def test_links_carry_the_filters_of_the_figure(dataset, bob, tree, desk):
    client = signed_in(bob)
    (result,) = indices(client, unit=tree["commune_a1"].pk, desk=desk.pk, **MARCH)["results"]
    url = result["areas"][0]["criteria"][0]["links"]["satisfied"]
    assert url.startswith("http://testserver/api/v1/survey-responses/?")
    assert parse_qs(urlsplit(url).query) == {
        "unit": [str(tree["commune_a1"].pk)],
        "desk": [str(desk.pk)],
        "submitted_from": ["2026-03-01"],
        "submitted_to": ["2026-03-31"],
        "form": ["small"],
        "criterion": ["x1"],
        "answer": ["satisfied"],
    }


def test_small_sample_flag_follows_the_threshold_r_sur_3(dataset, bob, tree, settings):
    """Six responses: flagged below a threshold of 7, not at 6. Never hidden."""
    client = signed_in(bob)
    settings.SURVEY_SMALL_SAMPLE = 7
    (flagged,) = indices(client, unit=tree["commune_a1"].pk, **MARCH)["results"]
    settings.SURVEY_SMALL_SAMPLE = 6
    (enough,) = indices(client, unit=tree["commune_a1"].pk, **MARCH)["results"]
    assert (flagged["small_sample"], flagged["small_sample_threshold"]) == (True, 7)
    assert (enough["small_sample"], enough["small_sample_threshold"]) == (False, 6)
    assert flagged["overall"] == enough["overall"]


def test_without_a_unit_the_callers_whole_scope_is_counted_r_unit_3(dataset, alice, charlie):
    """Alice sees A1's 12 sheets (March and February); Charlie B1's three all-5 sheets."""
    (mine,) = indices(signed_in(alice))["results"]
    (theirs,) = indices(signed_in(charlie), **MARCH)["results"]
    assert mine["responses"] == 12
    assert (theirs["responses"], theirs["overall"]) == (3, 100.0)


def test_unit_or_desk_outside_scope_is_404_like_a_missing_one_r_unit_3(
    dataset, alice, charlie, tree, desk_b1
):
    client = signed_in(alice)
    bodies = set()
    for params in (
        {"unit": tree["district_a"].pk},
        {"unit": tree["commune_b1"].pk},
        {"unit": 999999},
        {"desk": desk_b1.pk},
        {"desk": 999999},
    ):
        response = client.get(INDICES_URL, params)
        assert response.status_code == 404, params
        bodies.add(response.content)
    assert len(bodies) == 1
    assert signed_in(charlie).get(INDICES_URL, {"unit": tree["commune_a1"].pk}).status_code == 404


def test_no_responses_give_no_results(dataset, bob, tree):
    body = indices(signed_in(bob), unit=tree["commune_a2"].pk, **MARCH)
    assert body["results"] == []


def test_invalid_parameters_are_refused_by_name(dataset, bob):
    client = signed_in(bob)
    for params, field in (
        ({"from": "01/03/2026"}, "from"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"unit": "abc"}, "unit"),
        ({"channel": "fax"}, "channel"),
    ):
        response = client.get(INDICES_URL, params)
        assert response.status_code == 400, params
        assert set(response.json()) == {field}, params


def test_anonymous_request_is_refused(dataset, client):
    assert client.get(INDICES_URL).status_code == 401


def test_ten_point_form_reports_the_mean_score(desk, alice, small_form):
    """Scores 10, 8 and 7 and one blank → mean (10 + 8 + 7) ÷ 3 = 8.33…; no satisfaction
    index on a 0–10 form, so no "satisfied" link."""
    score = SurveyFormFactory(code="score", scale="score_10")
    s1 = CriterionFactory(area=SurveyAreaFactory(form=score, code="overall"), code="S1")
    for value in (10, 8, 7):
        services.response_enter_phone(
            desk=desk, form=score, answers={s1.pk: value}, actor=alice, at=NOW
        )
    services.response_enter_paper(
        desk=desk,
        serial="S",
        form=small_form.form,
        answers=by_id(small_form.c, {"x1": 4}),
        actor=alice,
        at=NOW,
    )
    body = indices(signed_in(alice), form="score")
    (result,) = body["results"]
    assert result["mean_score"] == pytest.approx(25 / 3)
    assert result["overall"] is None
    criterion = result["areas"][0]["criteria"][0]
    assert (criterion["index"], criterion["valid"], criterion["links"]["satisfied"]) == (
        None,
        3,
        None,
    )
    assert criterion["mean_score"] == pytest.approx(25 / 3)
    assert [d["value"] for d in criterion["distribution"]] == list(range(0, 11))
    # Without "form", each form answered gets its own result.
    both = indices(signed_in(alice))["results"]
    assert [(r["form_code"], r["responses"]) for r in both] == [("score", 3), ("small", 1)]


def test_query_count_does_not_grow_with_responses(desk, alice, small_form):
    client = signed_in(alice)

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            indices(client)
        return len(ctx.captured_queries)

    enter_dataset(desk=desk, actor=alice, small_form=small_form, prefix="a")
    small = count_queries()
    for n in range(4):
        enter_dataset(desk=desk, actor=alice, small_form=small_form, prefix=f"b{n}")
    assert count_queries() == small
