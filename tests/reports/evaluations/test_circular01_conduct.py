"""R-FB-4 and R-IND-6 index 7: a conduct complaint linked to a dossier makes that dossier score 0
on staff conduct, for the unit and for the official it names; a complaint found untrue
(unfounded) or rejected as out of scope does not count (Circular 01 Art. 13 index 7)."""

from decimal import Decimal

from reports.evaluations import circular01
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import at
from tests.reports.evaluations.helpers import NOW, Q1, conduct_complaint, reply

D = Decimal


def test_a_conduct_complaint_on_a_dossier_zeroes_its_index_7_r_fb_4(
    q1, tree, clerk, clerk_on_staff
):
    a1 = tree["commune_a1"]
    conduct_complaint(unit=a1, actor=clerk, dossier=q1["d1"], staff_member=clerk)
    unit = circular01.evaluate_unit(a1, period=Q1, now=NOW)
    # d1 was early (2): now 0 → (0 + 1 + 0 + 0 + 0) / 5
    assert unit.index(7).value == D("0.2")
    assert unit.index(1).value == D("0.6")  # total time is not affected
    official = circular01.evaluate_staff(a1, [clerk], period=Q1, now=NOW)[clerk.pk]
    assert official.index(7).value == D("0.2")


def test_a_complaint_about_someone_else_counts_for_the_unit_not_for_this_official_r_fb_4(
    q1, tree, clerk
):
    a1 = tree["commune_a1"]
    other = UserFactory(username="khanh")
    MembershipFactory(user=other, unit=a1, role="officer")
    conduct_complaint(unit=a1, actor=clerk, dossier=q1["d2"], staff_member=other)
    assert circular01.evaluate_unit(a1, period=Q1, now=NOW).index(7).value == D("0.4")
    evs = circular01.evaluate_staff(a1, [clerk, other], period=Q1, now=NOW)
    assert evs[clerk.pk].index(7).value == D("0.6")
    assert evs[other.pk].index(7).missing  # Khánh handled no dossier of the quarter


def test_an_unfounded_complaint_does_not_count_r_fb_4(q1, tree, clerk, clerk_on_staff):
    a1 = tree["commune_a1"]
    item = conduct_complaint(unit=a1, actor=clerk, dossier=q1["d1"], staff_member=clerk)
    reply(item, actor=clerk, when=at(2026, 3, 25, 10), finding="unfounded")
    assert circular01.evaluate_unit(a1, period=Q1, now=NOW).index(7).value == D("0.6")


def test_a_founded_complaint_counts_after_its_answer_r_fb_4(q1, tree, clerk, clerk_on_staff):
    a1 = tree["commune_a1"]
    item = conduct_complaint(unit=a1, actor=clerk, dossier=q1["d1"], staff_member=clerk)
    reply(item, actor=clerk, when=at(2026, 3, 25, 10), finding="founded")
    assert circular01.evaluate_unit(a1, period=Q1, now=NOW).index(7).value == D("0.2")
