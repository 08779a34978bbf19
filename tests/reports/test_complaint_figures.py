"""Complaint figures (R-IND-2) rolled up from feedback by its own counting rules, listed item by
item behind each figure (R-IND-5), kept fresh by feedback's signal, and ranked as "complaints
answered in time" (R-IND-3). The dataset is hand-computed in tests/reports/conftest.py."""

import pytest

from feedback import selectors as feedback_selectors
from feedback import services as feedback_services
from reports import drilldown, periods, selectors
from reports.models import ComplaintDayStat, DirtyBucket
from tests.feedback.helpers import BODY, SENDER
from tests.helpers import at
from tests.reports.helpers import D, rebuild

MARCH = periods.month(2026, 3)
NOW = at(2026, 4, 1)
FIGURES = {
    "complaints_received": "received",
    "complaints_answered": "answered",
    "complaints_answered_in_time": "answered_in_time",
    "complaints_overdue": "overdue",
}


def figures_of(user, unit, period=MARCH, now=NOW):
    return selectors.indicator_values(user=user, unit=unit, period=period, now=now).figures


def test_march_complaint_figures_match_the_hand_computed_ones_r_ind_2(complaints, tree, clerk):
    rebuild()
    expected = {
        "commune_a1": (2, 2, 1, 1),
        "commune_a2": (1, 1, 1, 1),
        "district_a": (3, 3, 2, 2),
        "district_b": (0, 0, 0, 0),
        "city": (3, 3, 2, 2),
    }
    for key, counts in expected.items():
        fig = figures_of(clerk, tree[key])
        assert tuple(getattr(fig, name) for name in FIGURES) == counts, key
    a1 = selectors.indicator_values(user=clerk, unit=tree["commune_a1"], period=MARCH, now=NOW)
    rate = a1.indicator("complaints_in_time")
    assert (rate.value, rate.sample) == (50.0, 2)
    assert rate.previous is None  # February: no answer given


def test_the_overdue_snapshot_follows_the_unit_in_charge_day_by_day(complaints, tree, clerk):
    rebuild(date_from=D(2026, 2, 1))
    a1, a2 = tree["commune_a1"].pk, tree["commune_a2"].pk
    at_a1 = dict(ComplaintDayStat.objects.filter(unit_id=a1).values_list("day", "overdue"))
    days = (D(2026, 2, 23), D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 31))
    # c2 (due 23/2 17:00) is overdue from the end of 23/2 until its answer on 3/3; c3 (due 2/3
    # 17:00) from the end of 2/3 on; both at A1
    assert at_a1.get(D(2026, 2, 22), 0) == 0
    assert {day: at_a1.get(day) for day in days} == {
        D(2026, 2, 23): 1,
        D(2026, 3, 1): 1,
        D(2026, 3, 2): 2,
        D(2026, 3, 3): 1,
        D(2026, 3, 31): 1,
    }
    at_a2 = dict(ComplaintDayStat.objects.filter(unit_id=a2).values_list("day", "overdue"))
    # c4 is A2's after the transfer (due 25/3 17:00): overdue from the end of 25/3
    assert at_a2.get(D(2026, 3, 24), 0) == 0
    assert at_a2[D(2026, 3, 25)] == 1
    assert at_a2[D(2026, 3, 31)] == 1
    mid = periods.custom(D(2026, 3, 1), D(2026, 3, 14))
    assert figures_of(clerk, tree["commune_a1"], mid).complaints_overdue == 1
    assert figures_of(clerk, tree["commune_a2"], mid).complaints_overdue == 0


def test_today_s_snapshot_is_feedback_s_own_overdue_count(complaints, tree, clerk):
    now = at(2026, 3, 26, 10)
    rebuild(now=now)
    expected = feedback_selectors.overdue_counts(now=now)
    for key in ("commune_a1", "commune_a2"):
        unit = tree[key]
        assert figures_of(clerk, unit, now=now).complaints_overdue == expected.get(unit.pk, 0)
    assert expected == {tree["commune_a1"].pk: 1, tree["commune_a2"].pk: 1}


@pytest.mark.parametrize("unit_key", ["commune_a1", "commune_a2", "district_a", "city"])
def test_each_complaint_figure_lists_as_many_feedback_rows_as_it_counts_r_ind_5(
    complaints, tree, clerk, unit_key
):
    rebuild()
    unit = tree[unit_key]
    fig = figures_of(clerk, unit)
    for figure in FIGURES:
        rows = drilldown.feedback_behind(
            user=clerk, unit=unit, period=MARCH, figure=figure, now=NOW
        )
        assert rows.count() == getattr(fig, figure), figure


def test_the_lists_name_the_hand_computed_items(complaints, tree, clerk):
    rebuild()
    codes = lambda unit_key, figure: sorted(  # noqa: E731
        drilldown.feedback_item(row).code
        for row in drilldown.feedback_behind(
            user=clerk, unit=tree[unit_key], period=MARCH, figure=figure, now=NOW
        )
    )
    c = complaints
    assert codes("commune_a1", "complaints_received") == sorted([c["c1"].code, c["c4"].code])
    assert codes("commune_a1", "complaints_answered") == sorted([c["c1"].code, c["c2"].code])
    assert codes("commune_a1", "complaints_answered_in_time") == [c["c1"].code]
    assert codes("commune_a1", "complaints_overdue") == [c["c3"].code]
    assert codes("commune_a2", "complaints_overdue") == [c["c4"].code]


def test_a_feedback_change_marks_its_bucket_and_today(
    tree, desks, clerk, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(2026, 3, 20, 10), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_submit(
            unit=tree["commune_a1"],
            kind="feedback",
            channel="hotline",
            body=BODY,
            sender=dict(SENDER),
            actor=clerk,
            received_at=at(2026, 3, 18, 9),
        )
    marked = set(DirtyBucket.objects.values_list("unit_id", "day"))
    a1 = tree["commune_a1"].pk
    assert marked == {(a1, D(2026, 3, 18)), (a1, D(2026, 3, 20))}


def test_the_transfer_marks_both_units(complaints, tree, clerk, django_capture_on_commit_callbacks):
    item, _pin = feedback_services.feedback_submit(
        unit=tree["commune_a1"], kind="feedback", channel="hotline", body=BODY,
        sender=dict(SENDER), actor=clerk, received_at=at(2026, 3, 20, 9),
    )  # fmt: skip
    DirtyBucket.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_transfer(
            item=item, actor=clerk, to_unit=tree["commune_a2"], at=at(2026, 3, 23, 9)
        )
    days = {d for _u, d in DirtyBucket.objects.values_list("unit_id", "day")}
    units = {u for u, _d in DirtyBucket.objects.values_list("unit_id", "day")}
    assert D(2026, 3, 23) in days
    assert units == {tree["commune_a1"].pk, tree["commune_a2"].pk}


def test_siblings_are_ranked_on_complaints_answered_in_time_r_ind_3(
    complaints, tree, clerk, settings
):
    settings.REPORTS_RANKING_MIN_SAMPLE = 1
    rebuild()
    table = selectors.ranking_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    by_unit = {row.unit.pk: row for row in table.rows}
    a1, a2 = by_unit[tree["commune_a1"].pk], by_unit[tree["commune_a2"].pk]
    assert (a1.values["complaints_in_time"], a2.values["complaints_in_time"]) == (50.0, 100.0)
    assert (a1.ranks["complaints_in_time"], a2.ranks["complaints_in_time"]) == (2, 1)
    # not weighted by default: the composite score is unchanged by complaints
    assert table.weight_values["complaints_in_time"] == 0.0


def test_a_commune_user_does_not_see_a_sibling_s_feedback(complaints, tree, alice):
    from portal.exceptions import PermissionDenied

    rebuild()
    with pytest.raises(PermissionDenied):
        drilldown.feedback_behind(
            user=alice, unit=tree["commune_a2"], period=MARCH, figure="complaints_received"
        )


def test_an_item_passing_its_deadline_marks_today_s_bucket(tree, desks, clerk):
    from reports import services
    from reports.models import StateMark

    feedback_services.feedback_submit(
        unit=tree["commune_a2"],
        kind="feedback",
        channel="hotline",
        body=BODY,
        sender=dict(SENDER),
        actor=clerk,
        received_at=at(2026, 3, 2, 9),
    )  # fmt: skip  (due 16/3 17:00)
    DirtyBucket.objects.all().delete()
    StateMark.objects.create(key=services.OVERDUE_MARK, at=at(2026, 3, 16, 16))
    assert services.stats_mark_overdue_crossings(now=at(2026, 3, 16, 16, 30)) == 0
    assert services.stats_mark_overdue_crossings(now=at(2026, 3, 16, 17, 30)) == 1
    assert set(DirtyBucket.objects.values_list("unit_id", "day")) == {
        (tree["commune_a2"].pk, D(2026, 3, 16))
    }
    services.stats_recompute_dirty(now=at(2026, 3, 16, 17, 31))
    assert ComplaintDayStat.objects.get(unit=tree["commune_a2"], day=D(2026, 3, 16)).overdue == 1
