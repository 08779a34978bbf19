"""Bad input gives correct zeros or a clear, translated error, never a crash: an empty period, a
unit with no dossiers, a period spanning the 2025 reorganisation, ten years, a recompute started
twice, weights summing to zero, a target outside 0–100 %."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reports import locks, periods, selectors, services
from reports.exceptions import InvalidPeriod, RecomputeAlreadyRunning
from reports.models import RankingWeights, RecomputeRun, Target
from tests.helpers import at
from tests.reports.helpers import D, rebuild

NOW = at(2026, 4, 1)


def test_an_empty_period_and_a_unit_without_dossiers_give_zeros(march, tree, clerk):
    rebuild()
    for unit, period in (
        (tree["commune_a1"], periods.month(2027, 1)),  # nothing happened yet
        (tree["district_b"], periods.month(2026, 3)),  # only its commune has dossiers
        (tree["commune_b1"], periods.month(2025, 3)),
    ):
        result = selectors.indicator_values(user=clerk, unit=unit, period=period, now=NOW)
        counts = result.figures.counts()
        if unit == tree["district_b"]:
            assert counts["received"] == 1
            continue
        assert set(counts.values()) == {0}
        # four rates and the complaints answered in time (issue 10, second half)
        assert [i.value for i in result.indicators] == [None] * 5
    empty = selectors.ranking_table(
        user=clerk, unit=tree["district_a"], period=periods.month(2027, 1), now=NOW
    )
    assert all(v is None for row in empty.rows for v in row.ranks.values())
    assert selectors.trend(user=clerk, unit=tree["city"], period=periods.year(2024), now=NOW)


def test_a_period_spanning_the_reorganisation_is_split_by_tree(db, tree, clerk):
    from portal.models import UnitTree

    UnitTree.objects.create(code="2025", name="Hai cấp", levels=2, valid_from=dt.date(2025, 7, 1))
    parts = periods.period_parts(periods.custom(D(2025, 6, 1), D(2025, 7, 31)))
    assert [(p.tree.code, p.period.start, p.period.end) for p in parts] == [
        ("legacy", D(2025, 6, 1), D(2025, 6, 30)),
        ("2025", D(2025, 7, 1), D(2025, 7, 31)),
    ]
    result = selectors.indicator_values(
        user=clerk, unit=tree["city"], period=periods.year(2025), now=NOW
    )
    assert len(result.parts) == 2


def test_ten_years_is_the_longest_custom_range():
    assert periods.custom(D(2016, 1, 1), D(2025, 12, 31)).days == 3653
    with translation.override("vi"), pytest.raises(InvalidPeriod) as info:
        periods.custom(D(2010, 1, 1), D(2026, 1, 1))
    assert "10" in info.value.message


@pytest.mark.django_db(transaction=True)
def test_a_recompute_started_while_the_same_one_runs_is_refused(tree):
    """The first run's connection holds the range's lock (here: taken by hand on another
    connection); the second start is refused and creates no run."""
    import threading

    key = services._range_key(D(2026, 3, 1), D(2026, 3, 31), None)
    holding, done = threading.Event(), threading.Event()

    def hold():
        from django.db import connection

        with locks.range_lock(key) as acquired:
            assert acquired
            holding.set()
            done.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:
        with translation.override("en"), pytest.raises(RecomputeAlreadyRunning, match="already"):
            services.stats_recompute_range(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))
    finally:
        done.set()
        holder.join(10)
    assert RecomputeRun.objects.count() == 0
    run = services.stats_recompute_range(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), now=NOW)
    assert run.status == "done"


def test_weights_summing_to_zero_are_refused_with_a_translated_message(db):
    weights = RankingWeights(version=5, effective_from=D(2031, 1, 1), satisfaction=Decimal(0))
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        weights.full_clean()
    assert "0" in str(info.value) or info.value.messages


def test_a_target_outside_0_to_100_is_refused_with_a_translated_message(db):
    target = Target(
        indicator="online_share", level="city", value=Decimal(120), effective_from=D(2030, 1, 1)
    )
    with translation.override("en"), pytest.raises(ValidationError) as info:
        target.full_clean()
    messages = " ".join(info.value.message_dict["value"])
    assert "between 0 and 100" in messages or "từ 0 đến 100" in messages


def test_a_period_outside_the_portal_dates_is_refused_not_an_overflow():
    """Issue 13, part 5: "9999-12-30..9999-12-31" passed the ten-year check and then overflowed
    the day after; non-ASCII digits are not a year."""
    with translation.override("en"):
        for text in ("9999-12-30..9999-12-31", "9999", "9999-Q4", "0001-01", "1900"):
            with pytest.raises(InvalidPeriod) as info:
                periods.parse_period(text)
            assert "01/01/1990" in str(info.value) or "Unknown period" in str(info.value), text
        with pytest.raises(InvalidPeriod) as info:
            periods.parse_period("٢٠٢٦")
        assert "Unknown period" in str(info.value)
    assert periods.parse_period("2100-12") == periods.month(2100, 12)
