"""The reports API (read-only): indicators, rankings and targets of a unit and period, scoped to
the caller's units, with clear errors and a query count that does not grow with the units."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.models import UnitLevel
from tests.factories import UnitFactory
from tests.helpers import at
from tests.reports.helpers import rebuild

INDICATORS = "/api/v1/reports/indicators/"
RANKINGS = "/api/v1/reports/rankings/"
TARGETS = "/api/v1/reports/targets/"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _april(cleared_cache):
    with time_machine.travel(at(2026, 4, 1, 8), tick=False):
        yield


def test_indicators_of_a_district_for_a_month_r_ind_1(march, tree, bob, default_targets):
    rebuild()
    response = signed_in(bob).get(INDICATORS, {"unit": tree["district_a"].pk, "period": "2026-03"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period"], body["previous_period"]) == ("2026-03", "2026-02")
    assert body["counts"]["received"] == 10
    assert body["counts"]["late"] == 3
    assert body["counts"]["complaints_received"] == 0  # no feedback in this dataset
    late = next(i for i in body["indicators"] if i["key"] == "late_share")
    assert late["value"] == pytest.approx(300 / 7)
    assert late["target"]["value"] == 2.0 and late["meets_target"] is False
    assert body["parts"] == []  # the fixtures' tree is the legacy one, ended in 2025


def test_ranking_of_a_district_s_communes_r_ind_3(march, tree, bob, settings):
    settings.REPORTS_RANKING_MIN_SAMPLE = 1
    rebuild()
    body = signed_in(bob).get(RANKINGS, {"unit": tree["district_a"].pk, "period": "2026-03"}).json()
    ranks = {row["unit"]["code"]: row["ranks"]["on_time_rate"] for row in body["rows"]}
    assert ranks == {"00004": 1, "00001": 2}  # A2 100 %, A1 40 %
    assert body["ranked"]["on_time_rate"] == 2 and body["units"] == 2


def test_a_commune_user_gets_their_commune_among_its_siblings(march, tree, alice):
    rebuild()
    body = signed_in(alice).get(RANKINGS, {"unit": tree["commune_a1"].pk, "period": "2026-03"})
    body = body.json()
    assert body["parent"]["id"] == tree["district_a"].pk
    assert body["focus"]["id"] == tree["commune_a1"].pk


def test_targets_list_units_missing_one_first_r_ind_8(march, tree, bob, default_targets):
    rebuild()
    rows = signed_in(bob).get(TARGETS, {"unit": tree["district_a"].pk, "period": "2026-03"})
    assert rows.status_code == 200
    assert {r["unit"]["code"] for r in rows.json()} == {"00001", "00004"}
    assert all(r["missing"] == [] for r in rows.json())


def test_another_unit_is_not_found_and_bad_periods_are_explained(tree, alice, charlie):
    client = signed_in(charlie)
    response = client.get(INDICATORS, {"unit": tree["commune_a1"].pk, "period": "2026-03"})
    assert response.status_code == 404
    mine = {"unit": tree["commune_b1"].pk}
    too_long = client.get(
        INDICATORS, {**mine, "period": "2010-01-01..2026-03-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert too_long.status_code == 400
    assert too_long.json()["code"] == "invalid_period"
    assert "at most 10 years" in too_long.json()["detail"]
    nonsense = client.get(RANKINGS, {**mine, "period": "soon"})
    assert nonsense.status_code == 400 and nonsense.json()["code"] == "invalid_period"
    assert APIClient().get(INDICATORS, {**mine, "period": "2026-03"}).status_code in (401, 403)


def test_an_empty_period_gives_zeros_not_an_error(tree, charlie):
    body = signed_in(charlie).get(INDICATORS, {"unit": tree["commune_b1"].pk, "period": "2030"})
    assert body.status_code == 200
    assert set(body.json()["counts"].values()) == {0}
    assert {i["value"] for i in body.json()["indicators"]} == {None}


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [INDICATORS, RANKINGS, TARGETS])
def test_queries_do_not_grow_with_the_number_of_units(march, tree, bob, url):
    rebuild()
    client = signed_in(bob)
    params = {"unit": tree["district_a"].pk, "period": "2026-03"}
    before = count_queries(client, url, params)
    for n in range(15):
        UnitFactory(parent=tree["district_a"], level=UnitLevel.COMMUNE, code=f"{300 + n:05d}")
    assert count_queries(client, url, params) == before
