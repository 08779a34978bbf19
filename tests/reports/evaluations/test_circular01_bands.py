"""R-IND-6: Circular 01/2018 Art. 15 — an index is points ÷ dossiers with one decimal (half
up), the total adds the indices present, officials are banded at 5 and 3.5, agencies graded at
15, 12, 9 and 6, each boundary belonging to the upper band; the 2/1/0 rules of the per-unit
indices (Art. 13) at their thresholds."""

from decimal import Decimal

import pytest

from reports.evaluations import rules
from reports.evaluations.models import Circular01RuleSet

D = Decimal
RULES = Circular01RuleSet()  # the model's defaults are the Circular's numbers


@pytest.mark.parametrize(
    ("points", "dossiers", "expected"),
    [(3, 5, "0.6"), (1, 3, "0.3"), (2, 3, "0.7"), (1, 4, "0.3"), (0, 7, "0.0"), (10, 5, "2.0")],
)
def test_an_index_is_points_over_dossiers_with_one_decimal_half_up_r_ind_6(
    points, dossiers, expected
):
    assert rules.index_value(points, dossiers) == D(expected)


def test_an_index_without_dossiers_is_missing_not_zero_r_ind_6():
    assert rules.index_value(0, 0) is None
    assert rules.total([D("1.5"), None, D("2.0")]) == D("3.5")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("10", "full"),
        ("5.0", "full"),
        ("4.9", "partial"),
        ("3.5", "partial"),
        ("3.4", "low"),
        ("0", "low"),
    ],
)
def test_officials_are_banded_at_exactly_5_and_3_5_r_ind_6(score, band):
    assert rules.staff_band(D(score), RULES) == band


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("18", "excellent"),
        ("15.0", "excellent"),
        ("14.9", "good"),
        ("12.0", "good"),
        ("11.9", "fair"),
        ("9.0", "fair"),
        ("8.9", "average"),
        ("6.0", "average"),
        ("5.9", "weak"),
        ("0", "weak"),
    ],
)
def test_agencies_are_graded_at_exactly_15_12_9_and_6_r_ind_6(score, grade):
    assert rules.agency_grade(D(score), RULES) == grade


@pytest.mark.parametrize(
    ("level", "at_desk", "procedures", "expected"),
    [
        ("commune", 10, 10, 2),
        ("commune", 9, 10, 1),
        ("district", 5, 10, 2),
        ("district", 4, 10, 1),
        ("city", 2, 10, 2),
        ("city", 1, 10, 1),
    ],
)
def test_index_5_needs_the_level_s_share_handled_at_the_desk_r_ind_6(
    level, at_desk, procedures, expected
):
    assert rules.index5_points(
        at_desk=at_desk, procedures=procedures, level=level, rules=RULES
    ) == D(expected)
    assert rules.index5_points(at_desk=0, procedures=0, level=level, rules=RULES) is None


def test_index_6_counts_the_desk_and_the_electronic_publication_r_ind_6():
    assert rules.index6_points(at_desk=True, online=True) == 2
    assert rules.index6_points(at_desk=True, online=False) == 1
    assert rules.index6_points(at_desk=False, online=False) == 0
    assert rules.index6_points(at_desk=True, online=None) is None


@pytest.mark.parametrize(
    ("answered", "in_time", "dragging", "expected"),
    [
        (0, 0, 0, 2),  # no feedback at all
        (10, 10, 0, 2),
        (10, 9, 0, 1),  # exactly 90 %
        (100, 89, 0, 0),
        (10, 10, 1, 0),  # one dragging on
    ],
)
def test_index_8_feedback_on_time_at_100_and_90_percent_r_ind_6(
    answered, in_time, dragging, expected
):
    assert rules.index8_points(
        answered=answered, in_time=in_time, dragging=dragging, rules=RULES
    ) == D(expected)


@pytest.mark.parametrize(
    ("online_procedures", "online", "problems", "expected"),
    [
        (2, 30, 0, 2),  # 20 % of procedures, exactly 30 % online
        (2, 29, 0, 1),
        (2, 15, 0, 1),  # exactly 15 %
        (2, 14, 0, 0),
        (2, 50, 1, 0),  # an online dossier late or overdue
        (0, 50, 0, 0),  # no procedure online
        (1, 50, 0, 1),  # 10 % of procedures online: not 2, and no 0-point condition holds
    ],
)
def test_index_9_online_services_at_its_thresholds_r_ind_6(
    online_procedures, online, problems, expected
):
    assert rules.index9_points(
        procedures=10,
        online_procedures=online_procedures,
        received=100,
        online=online,
        problems=problems,
        rules=RULES,
    ) == D(expected)
    assert (
        rules.index9_points(
            procedures=10, online_procedures=2, received=0, online=0, problems=0, rules=RULES
        )
        is None
    )
