"""R-IND-4: districts and the city are the sums of the units below them that are valid in the
period, on the legacy three-level tree and the 2025 two-level one; periods, their previous
period, and how a period meets the trees (R-UNIT-1)."""

import pytest
from django.utils import translation

from reports import periods, selectors
from reports.exceptions import InvalidPeriod
from reports.figures import figures
from reports.models import DossierDayStat
from tests.helpers import at
from tests.reports.helpers import D, rebuild, two_trees

MARCH = periods.month(2026, 3)
NOW = at(2026, 4, 1)


def received(user, unit, period=MARCH):
    return selectors.indicator_values(user=user, unit=unit, period=period, now=NOW).figures


def test_district_and_city_sum_their_communes_r_ind_4(march, tree, clerk):
    rebuild()
    a1, a2, b1 = (received(clerk, tree[k]) for k in ("commune_a1", "commune_a2", "commune_b1"))
    district_a = received(clerk, tree["district_a"])
    city = received(clerk, tree["city"])
    for name in ("received", "completed", "early", "on_time", "late", "overdue", "apologies"):
        assert getattr(district_a, name) == getattr(a1, name) + getattr(a2, name), name
        assert getattr(city, name) == getattr(district_a, name) + getattr(b1, name), name
    assert (district_a.received, district_a.completed) == (10, 7)
    assert district_a.on_time_rate == pytest.approx(4 / 7 * 100)
    assert district_a.online_share == 40.0
    assert (city.received, city.completed, city.late) == (11, 8, 4)


def test_children_of_a_unit_come_from_one_grouped_query_per_table_r_ind_4(
    march, tree, django_assert_max_num_queries
):
    rebuild()
    with django_assert_max_num_queries(6):
        by_path = figures(root=tree["city"], period=MARCH, by="child", now=NOW)
    assert by_path[tree["district_a"].path].received == 10
    assert by_path[tree["district_b"].path].received == 1


def _stat(unit, day, received):
    DossierDayStat.objects.create(unit=unit, day=day, channel="desk", received=received)


def test_both_trees_roll_up_and_a_spanning_period_shows_each_part_r_ind_4(db, clerk):
    old_city, district, old, new_city, fresh = two_trees()
    _stat(old[0], D(2025, 6, 10), 3)
    _stat(old[1], D(2025, 6, 11), 4)
    _stat(fresh[0], D(2025, 7, 10), 5)
    _stat(fresh[2], D(2025, 8, 1), 6)
    year = periods.year(2025)
    parts = periods.period_parts(year)
    assert [(p.tree.code, p.period.start, p.period.end) for p in parts] == [
        ("legacy", D(2025, 1, 1), D(2025, 6, 30)),
        ("2025", D(2025, 7, 1), D(2025, 12, 31)),
    ]
    now = at(2026, 1, 5)

    def get(unit):
        return selectors.indicator_values(
            user=clerk, unit=unit, period=year, now=now
        ).figures.received

    assert (get(district), get(old_city), get(new_city)) == (7, 7, 11)
    # the legacy city ranks its districts, the 2025 city its communes directly
    legacy_rank = selectors.ranking_table(user=clerk, unit=old_city, period=year, now=now)
    assert [r.unit for r in legacy_rank.rows] == [district]
    current_rank = selectors.ranking_table(user=clerk, unit=new_city, period=year, now=now)
    assert {r.unit for r in current_rank.rows} == set(fresh)


def test_units_not_valid_in_the_period_are_not_listed_r_ind_4(db, clerk):
    old_city, district, old, _new_city, _fresh = two_trees()
    later = periods.month(2026, 3)
    assert selectors.ranking_table(user=clerk, unit=old_city, period=later, now=NOW).rows == []
    march_2025 = periods.month(2025, 3)
    ranking = selectors.ranking_table(user=clerk, unit=district, period=march_2025, now=NOW)
    assert {r.unit for r in ranking.rows} == set(old)


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026-03", D(2026, 3, 1), D(2026, 3, 31), "2026-02"),
        ("2026-01", D(2026, 1, 1), D(2026, 1, 31), "2025-12"),
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), "2025-Q4"),
        ("2025", D(2025, 1, 1), D(2025, 12, 31), "2024"),
        ("2026-01-05..2026-01-14", D(2026, 1, 5), D(2026, 1, 14), "2025-12-26..2026-01-04"),
    ],
)
def test_periods_parse_and_know_the_previous_one(text, start, end, previous):
    period = periods.parse_period(text)
    assert (period.start, period.end, str(period.previous())) == (start, end, previous)


def test_a_custom_range_of_ten_years_is_accepted_and_longer_is_refused_clearly():
    ten = periods.parse_period("2016-01-01..2025-12-31")
    assert ten.days == 3653
    with translation.override("en"), pytest.raises(InvalidPeriod, match="at most 10 years"):
        periods.parse_period("2016-01-01..2026-01-01")


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "March", "2026-03-10..2026-03-01"])
def test_unknown_periods_are_refused_with_a_translated_message(text):
    with translation.override("vi"), pytest.raises(InvalidPeriod) as info:
        periods.parse_period(text)
    assert info.value.message
