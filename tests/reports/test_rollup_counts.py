"""The rollups count what R-IND-1 lists, per unit, local day and channel, from the real
lifecycle's events (hand-computed dataset: tests/reports/conftest.py ``march``)."""

from django.db.models import Sum

from reports.models import DossierDayStat
from tests.reports.helpers import D, rebuild


def sums(unit, **filters):
    fields = DossierDayStat.COUNTS
    row = DossierDayStat.objects.filter(unit=unit, **filters).aggregate(
        **{f: Sum(f) for f in fields}
    )
    return {f: row[f] or 0 for f in fields}


def test_month_flows_of_a_commune_match_the_hand_count_r_ind_1(march, tree):
    rebuild()
    got = sums(tree["commune_a1"])
    got.pop("overdue")  # a snapshot per day: summing it over days means nothing
    assert got == {
        "received": 8,
        "completed": 5,
        "early": 1,
        "on_time": 1,
        "late": 3,
        "refused": 1,
        "supplement_requests": 1,
        "apologies": 1,
        "withdrawn": 1,
    }


def test_flows_are_counted_on_the_day_they_happened_r_ind_1(march, tree):
    rebuild()
    a1 = tree["commune_a1"]
    assert sums(a1, day=D(2026, 3, 2))["received"] == 4
    assert sums(a1, day=D(2026, 3, 3))["received"] == 3
    assert sums(a1, day=D(2026, 3, 4)) | {} == {
        **dict.fromkeys(DossierDayStat.COUNTS, 0),
        "received": 1,
        "completed": 1,
        "early": 1,
        "refused": 1,
        "supplement_requests": 1,
    }
    assert sums(a1, day=D(2026, 3, 5))["apologies"] == 1
    assert sums(a1, day=D(2026, 3, 5))["withdrawn"] == 1


def test_channels_are_kept_for_the_online_share(march, tree):
    rebuild()
    assert sums(tree["commune_a1"], channel="online")["received"] == 3
    assert sums(tree["commune_a1"], channel="desk")["received"] == 5
    assert sums(tree["commune_a2"], channel="online")["received"] == 1


def test_overdue_in_process_is_a_snapshot_at_the_end_of_each_day_r_ind_1(march, tree):
    """d3 was overdue at the end of 9/3 only; d8 from 11/3 on; d5 at the ends of 13–15/3
    (its due moment moved to 13/3 when the supplement came back); d4 never (rescheduled)."""
    rebuild()
    a1 = tree["commune_a1"]
    by_day = {day: sums(a1, day=day)["overdue"] for day in (D(2026, 3, d) for d in range(1, 32))}
    expected = dict.fromkeys(by_day, 0)
    expected[D(2026, 3, 9)] = 1
    for d in range(11, 32):
        expected[D(2026, 3, d)] = 1
    for d in (13, 14, 15):
        expected[D(2026, 3, d)] = 2
    assert by_day == expected


def test_today_s_snapshot_is_taken_now(march, tree):
    """On 11/3 at 16:00, d8 (due 11/3 17:00) is not overdue yet; at 18:00 it is."""
    from reports import services
    from tests.helpers import at

    a1 = tree["commune_a1"]
    services.stats_recompute_days(days=[D(2026, 3, 11)], now=at(2026, 3, 11, 16))
    assert sums(a1, day=D(2026, 3, 11))["overdue"] == 0
    services.stats_recompute_days(days=[D(2026, 3, 11)], now=at(2026, 3, 11, 18))
    assert sums(a1, day=D(2026, 3, 11))["overdue"] == 1


def test_a_unit_with_no_dossiers_has_no_rows_and_zero_figures(march, tree):
    rebuild()
    assert not DossierDayStat.objects.filter(unit=tree["district_b"]).exists()
    assert sums(tree["district_b"]) == dict.fromkeys(DossierDayStat.COUNTS, 0)
