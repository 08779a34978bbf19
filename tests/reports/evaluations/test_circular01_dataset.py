"""R-IND-6 on the hand-computed March 2026 (tests/reports/conftest.py), evaluated for the first
quarter of 2026 as of 1 April, the procedure offered partly online:

Commune A1 (own desk): completed d1 early, d2 on time, d3 d4 d5 late → index 1 = 3/5 = 0.6;
  never routed, so index 2 scores each dossier's own time: 0.6; index 7 = 0.6 (no complaint);
  index 5: its one procedure never left the desk (100 % ≥ 100 % for a commune) → 2; index 8: no
  feedback at all → 2; index 9: the procedure is online (100 %), 3 of 8 received online
  (37.5 %) but d4 online was late and d8 online is overdue → 0. Indices 3, 4, 6 not entered →
  missing. Total 5.8 of a reachable 12: weak.
Commune A2: e1 early, e2 on time online → 1.5, 1.5, 1.5; 5 → 2; 8 → 2; 9: 1 of 2 online (50 %),
  nothing late → 2. Total 10.5: fair.
Commune B1: f1 late → 0, 0, 0; 5 → 2; 8 → 2; 9: none online → 0. Total 4.0: weak.
District A has no desk of its own: every index missing, no grade.

Entries then put the totals exactly on the grade boundaries (15, 12, 9, 6) and the clerk's
official total on the staff bands (5.0, 3.5).
"""

from decimal import Decimal

import pytest

from reports.evaluations import circular01
from tests.reports.evaluations.helpers import NOW, Q1, enter

D = Decimal


def _values(ev):
    return {i.number: i.value for i in ev.indices}


def test_the_hand_computed_quarter_of_each_commune_r_ind_6(q1, tree):
    units = [tree["commune_a1"], tree["commune_a2"], tree["commune_b1"], tree["district_a"]]
    evs = circular01.evaluate_units(units, period=Q1, now=NOW)
    a1, a2, b1, district = (evs[u.pk] for u in units)

    assert _values(a1) == {
        1: D("0.6"), 2: D("0.6"), 3: None, 4: None, 5: D(2), 6: None, 7: D("0.6"), 8: D(2),
        9: D(0),
    }  # fmt: skip
    assert a1.index(1).points == 3 and a1.index(1).dossiers == 5
    assert a1.total == D("5.8")
    assert a1.missing == [3, 4, 6]
    assert not a1.complete
    assert (a1.maximum, a1.reachable) == (18, 12)
    assert a1.result_key == "weak"
    assert a1.index(9).detail["online_share"] == D("37.5")
    assert a1.index(9).detail["problems"] == 2

    assert _values(a2) == {
        1: D("1.5"), 2: D("1.5"), 3: None, 4: None, 5: D(2), 6: None, 7: D("1.5"), 8: D(2),
        9: D(2),
    }  # fmt: skip
    assert (a2.total, a2.result_key) == (D("10.5"), "fair")
    assert (b1.total, b1.result_key) == (D("4.0"), "weak")
    assert _values(b1)[9] == D(0)

    assert district.has_data is False
    assert district.result_key is None
    assert district.missing == [1, 2, 3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    ("unit_key", "contacts", "bodies", "published", "total", "grade"),
    [
        ("commune_a2", (1, 1, 0), (0, 1, 0), (True, True), "15.0", "excellent"),
        ("commune_a2", (2, 3, 0), (0, 1, 0), (True, True), "14.9", "good"),
        ("commune_a2", (0, 1, 1), (0, 0, 1), (True, False), "12.0", "good"),
        ("commune_a2", (0, 2, 3), (0, 0, 1), (True, False), "11.9", "fair"),
        ("commune_a1", (0, 3, 2), (0, 3, 2), (True, True), "9.0", "fair"),
        ("commune_a1", (0, 3, 2), (0, 1, 1), (True, True), "8.9", "average"),
        ("commune_a1", (0, 1, 9), (0, 1, 9), None, "6.0", "average"),
        ("commune_a1", (0, 1, 9), (0, 0, 1), None, "5.9", "weak"),
    ],
)
def test_entered_indices_bring_the_total_exactly_onto_each_grade_boundary_r_ind_6(
    q1, tree, clerk, unit_key, contacts, bodies, published, total, grade
):
    unit = tree[unit_key]
    enter(unit=unit, actor=clerk, contacts=contacts, bodies=bodies, published=published)
    ev = circular01.evaluate_unit(unit, period=Q1, now=NOW)
    assert ev.total == D(total)
    assert ev.result_key == grade
    assert ev.index(3).source == "entered"
    assert ev.complete is (published is not None)


@pytest.mark.parametrize(
    ("contacts", "bodies", "total", "band"),
    [
        ((3, 2, 0), (3, 2, 0), "5.0", "full"),  # 1.8 + 1.6 + 1.6
        ((3, 2, 0), (1, 1, 0), "4.9", "partial"),  # 1.8 + 1.6 + 1.5
        ((0, 1, 0), (1, 0, 2), "3.5", "partial"),  # 1.8 + 1.0 + 0.7 (2/3 rounded half up)
        ((0, 1, 0), (0, 3, 2), "3.4", "low"),  # 1.8 + 1.0 + 0.6
    ],
)
def test_an_official_s_total_on_the_staff_bands_r_ind_6(
    q1, tree, clerk, contacts, bodies, total, band
):
    """The clerk acted on every dossier of Commune A1: indices 1, 2 and 7 are 0.6 each; indices
    3 and 4 entered for the clerk complete the five an official is scored on (max 10)."""
    a1 = tree["commune_a1"]
    enter(unit=a1, actor=clerk, staff=clerk, contacts=contacts, bodies=bodies)
    ev = circular01.evaluate_staff(a1, [clerk], period=Q1, now=NOW)[clerk.pk]
    assert [i.number for i in ev.indices] == [1, 2, 3, 4, 7]
    assert ev.total == D(total)
    assert ev.result_key == band
    assert ev.complete and ev.maximum == 10


def test_an_official_without_entries_has_indices_3_and_4_missing_r_ind_6(q1, tree, clerk):
    ev = circular01.evaluate_staff(tree["commune_a1"], [clerk], period=Q1, now=NOW)[clerk.pk]
    assert ev.missing == [3, 4]
    assert ev.total == D("1.8")
    assert ev.reachable == 6


def test_a_year_sums_the_counts_entered_for_its_quarters_r_ind_6(q1, tree, clerk):
    from reports import periods

    a2 = tree["commune_a2"]
    enter(unit=a2, actor=clerk, contacts=(1, 0, 0), published=(True, False))
    ev = circular01.evaluate_unit(a2, period=periods.year(2026), now=NOW)
    assert ev.index(3).value == D("2.0")
    assert ev.index(6).value == D(1)
    assert ev.index(4).missing
