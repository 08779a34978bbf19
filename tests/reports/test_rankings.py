"""R-IND-3: units ranked among their siblings per indicator and by a composite score with
admin-set weights; ties share a rank; a unit under the minimum sample is listed, not ranked;
movement against the previous period. Rankings read the rollups only, so these tests write
rollup rows by hand (the rollups themselves are tested in test_rollup_counts.py).

District A's communes in March 2026 (min sample 2):
    A1: 4 completed (2 early, 1 on time, 1 late) → on-time 75 %, late 25 %
    A2: 8 completed (3, 3, 2) ..................... 75 %, 25 %   (tied with A1)
    A3: 5 completed (5 early) ..................... 100 %, 0 %
    A4: 1 completed (1 early) ..................... 100 % but under the minimum sample
    A5: 10 completed (5 on time, 5 late) .......... 50 %, 50 %
On time: A3 1st; A1 and A2 2nd (shared); A5 4th; A4 not ranked → "2 of 4".
February: A1 2/2 (100 %), A5 3/4 (75 %), A3 1/2 (50 %) → ranks 1, 2, 3.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from portal.models import UnitLevel
from reports import periods, rankings, selectors
from reports.models import DossierDayStat, RankingWeights
from tests.factories import UnitFactory
from tests.helpers import at
from tests.reports.helpers import D

MARCH = periods.month(2026, 3)
NOW = at(2026, 4, 1)


@pytest.fixture
def communes(tree, settings):
    settings.REPORTS_RANKING_MIN_SAMPLE = 2
    district = tree["district_a"]
    a3, a4, a5 = (
        UnitFactory(parent=district, level=UnitLevel.COMMUNE, code=code, name=name)
        for code, name in (("00010", "Phường A3"), ("00013", "Phường A4"), ("00016", "Phường A5"))
    )
    return {"A1": tree["commune_a1"], "A2": tree["commune_a2"], "A3": a3, "A4": a4, "A5": a5}


def stat(unit, day, channel="desk", **counts):
    DossierDayStat.objects.create(unit=unit, day=day, channel=channel, **counts)


@pytest.fixture
def month_data(communes):
    c = communes
    stat(c["A1"], D(2026, 3, 5), completed=4, early=2, on_time=1, late=1, received=4)
    stat(c["A2"], D(2026, 3, 5), completed=5, early=2, on_time=2, late=1, received=4)
    stat(c["A2"], D(2026, 3, 20), completed=3, early=1, on_time=1, late=1, received=4)
    stat(c["A3"], D(2026, 3, 9), completed=5, early=5, received=2)
    stat(c["A3"], D(2026, 3, 9), channel="online", received=2)
    stat(c["A4"], D(2026, 3, 9), completed=1, early=1, received=1)
    stat(c["A5"], D(2026, 3, 9), completed=10, on_time=5, late=5, received=5)
    stat(c["A5"], D(2026, 3, 9), channel="online", received=5)
    # February
    stat(c["A1"], D(2026, 2, 5), completed=2, early=2)
    stat(c["A5"], D(2026, 2, 5), completed=4, on_time=3, late=1)
    stat(c["A3"], D(2026, 2, 5), completed=2, early=1, late=1)
    return c


def ranks_of(table, indicator):
    return {row.unit.name: row.ranks[indicator] for row in table.rows}


def test_ties_share_a_rank_and_the_next_rank_is_skipped_r_ind_3(month_data, clerk, tree):
    table = selectors.ranking_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    names = {k: u.name for k, u in month_data.items()}
    assert ranks_of(table, "on_time_rate") == {
        names["A3"]: 1,
        names["A1"]: 2,
        names["A2"]: 2,
        names["A5"]: 4,
        names["A4"]: None,
    }
    assert ranks_of(table, "late_share") == ranks_of(table, "on_time_rate")
    assert table.ranked_counts["on_time_rate"] == 4
    assert len(table.rows) == 5


def test_a_unit_under_the_minimum_sample_is_listed_but_not_ranked_r_ind_3(month_data, clerk, tree):
    table = selectors.ranking_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    a4 = table.row_for(month_data["A4"])
    assert a4.values["on_time_rate"] == 100.0
    assert a4.samples["on_time_rate"] == 1
    assert a4.ranks["on_time_rate"] is None
    assert table.ordered("on_time_rate")[-1].unit == month_data["A4"]


def test_movement_compares_with_the_previous_period_r_ind_3(month_data, clerk, tree):
    table = selectors.ranking_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    moved = {row.unit.name: row.movement("on_time_rate") for row in table.rows}
    c = month_data
    assert moved[c["A3"].name] == 2  # 3rd → 1st
    assert moved[c["A1"].name] == -1  # 1st → 2nd
    assert moved[c["A5"].name] == -2  # 2nd → 4th
    assert moved[c["A2"].name] is None  # not ranked in February


def test_a_commune_is_ranked_among_its_siblings_r_ind_3(month_data, alice, tree):
    """Alice, at Commune A1 only, sees A1's place among District A's communes."""
    table = selectors.ranking_table(user=alice, unit=tree["commune_a1"], period=MARCH, now=NOW)
    assert table.parent == tree["district_a"]
    assert table.focus == tree["commune_a1"]
    mine = table.row_for(tree["commune_a1"])
    assert (mine.ranks["on_time_rate"], table.ranked_counts["on_time_rate"]) == (2, 4)


def test_sql_rank_equals_the_python_competition_rank_r_ind_3(month_data, tree):
    district = tree["district_a"]
    children = list(district.children.all())
    sql = rankings.sql_ranks(
        parent=district, child_paths=[c.path for c in children], period=MARCH, minimum=2
    )
    table = rankings.ranking(parent=district, period=MARCH, now=NOW)
    for indicator in rankings.SQL_RANKED:
        eligible = {
            r.unit.path: r.values[indicator] for r in table.rows if r.samples[indicator] >= 2
        }
        python = rankings.competition_rank(eligible, lower_is_better=indicator in {"late_share"})
        assert {p: sql.get(p, {}).get(indicator) for p in python} == python


def test_composite_score_uses_the_weights_in_force_r_ind_3(month_data, clerk, tree):
    """From 1/3/2026 on-time counts 3 and online share 1:
    A3 (100 %, 50 % online) = (3×100 + 50) / 4 = 87.5; A5 (50 %, 50 %) = 50;
    A1 and A2 (75 %, 0 % online) = 56.25 each (tied); A4 not ranked (sample)."""
    RankingWeights.objects.create(
        version=2,
        effective_from=D(2026, 3, 1),
        on_time_rate=Decimal(3),
        online_share=Decimal(1),
    )
    table = selectors.ranking_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    c = month_data
    scores = {row.unit.name: row.values["composite"] for row in table.rows}
    assert scores[c["A3"].name] == 87.5
    assert scores[c["A1"].name] == scores[c["A2"].name] == 56.25
    assert scores[c["A5"].name] == 50.0
    assert scores[c["A4"].name] is None
    assert ranks_of(table, "composite") == {
        c["A3"].name: 1,
        c["A1"].name: 2,
        c["A2"].name: 2,
        c["A5"].name: 4,
        c["A4"].name: None,
    }
    assert table.weights.version == 2


def test_weights_summing_to_zero_are_refused_clearly_r_ind_3(db):
    weights = RankingWeights(version=9, effective_from=D(2030, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError, match="add up to zero"):
        weights.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        weights.save()


def test_ranking_queries_do_not_grow_with_the_number_of_units(
    month_data, clerk, tree, django_assert_max_num_queries
):
    for n in range(20):
        UnitFactory(parent=tree["district_a"], level=UnitLevel.COMMUNE, code=f"{200 + n:05d}")
    with django_assert_max_num_queries(25):
        table = selectors.ranking_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    assert len(table.rows) == 25
