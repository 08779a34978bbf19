"""R-IND-6 index 8: feedback a unit is in charge of, handled on time: no feedback or all
answered in time, and none dragging on → 2; at least 90 % in time → 1; otherwise, or anything
overdue at the period's end → 0."""

from decimal import Decimal

from reports.evaluations import circular01
from tests.helpers import at
from tests.reports.evaluations.helpers import NOW, Q1, feedback_item, reply

D = Decimal


def test_feedback_answered_in_time_keeps_2_points_r_ind_6(q1, tree, clerk):
    a1 = tree["commune_a1"]
    item = feedback_item(unit=a1, actor=clerk, received_at=at(2026, 3, 2, 9))
    reply(item, actor=clerk, when=at(2026, 3, 5, 9))
    ev = circular01.evaluate_unit(a1, period=Q1, now=NOW)
    assert ev.index(8).value == D(2)
    assert ev.index(8).detail["answered"] == 1 and ev.index(8).detail["in_time"] == 1


def test_feedback_answered_late_scores_0_r_ind_6(q1, tree, clerk):
    a1 = tree["commune_a1"]
    item = feedback_item(unit=a1, actor=clerk, received_at=at(2026, 2, 2, 9))
    reply(item, actor=clerk, when=at(2026, 3, 30, 9))  # ten working days passed long ago
    assert circular01.evaluate_unit(a1, period=Q1, now=NOW).index(8).value == D(0)


def test_feedback_overdue_at_the_end_of_the_quarter_drags_on_r_ind_6(q1, tree, clerk):
    a1 = tree["commune_a1"]
    feedback_item(unit=a1, actor=clerk, received_at=at(2026, 3, 2, 9))  # due mid-March, open
    ev = circular01.evaluate_unit(a1, period=Q1, now=NOW)
    assert ev.index(8).value == D(0)
    assert ev.index(8).detail["dragging"] == 1


def test_feedback_answered_after_the_quarter_still_dragged_on_at_its_end_r_ind_6(q1, tree, clerk):
    a1 = tree["commune_a1"]
    item = feedback_item(unit=a1, actor=clerk, received_at=at(2026, 3, 2, 9))
    reply(item, actor=clerk, when=at(2026, 4, 20, 9))
    later = at(2026, 5, 1, 8)
    assert circular01.evaluate_unit(a1, period=Q1, now=later).index(8).value == D(0)
