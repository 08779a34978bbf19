"""Unit scoping of staff (R-UNIT-3): a role covers its unit, and its descendants only when
granted so; nobody sees units outside their memberships.

Fixture tree (tests/conftest.py): City → District A → Communes A1, A2; City → District B →
Commune B1. Alice: receptionist at A1. Bob: leader of District A covering descendants.
Charlie: receptionist at B1 (the outsider).
"""

import datetime as dt

import pytest
from django.utils import timezone

from portal import selectors
from portal.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _names(user, **kwargs):
    return {u.name for u in selectors.visible_units(user=user, **kwargs)}


def test_receptionist_sees_only_own_commune_r_unit_3(tree, alice):
    assert _names(alice) == {"Phường Phúc Xá"}


def test_commune_receptionist_cannot_see_sibling_commune_r_unit_3(tree, alice):
    assert not selectors.user_can_see_unit(user=alice, unit=tree["commune_a2"])
    assert not selectors.user_can_see_unit(user=alice, unit=tree["district_a"])


def test_district_leader_covering_descendants_sees_district_and_its_communes_r_unit_3(tree, bob):
    assert _names(bob) == {"Quận Ba Đình", "Phường Phúc Xá", "Phường Trúc Bạch"}


def test_district_leader_cannot_see_other_district_or_the_city_r_unit_3(tree, bob):
    for key in ("district_b", "commune_b1", "city"):
        assert not selectors.user_can_see_unit(user=bob, unit=tree[key]), key


def test_outsider_cannot_see_other_district_r_unit_3(tree, alice, bob, charlie):
    assert _names(charlie) == {"Phường Phúc Tân"}
    for key in ("district_a", "commune_a1", "commune_a2"):
        assert not selectors.user_can_see_unit(user=charlie, unit=tree[key]), key


def test_role_without_covers_descendants_stays_at_its_unit_r_unit_3(tree):
    """A district role covers the district's communes only when granted so."""
    dora = UserFactory(username="dora")
    MembershipFactory(user=dora, unit=tree["district_a"], role=Role.OFFICER)

    assert _names(dora) == {"Quận Ba Đình"}


def test_expired_membership_is_not_counted_r_unit_3(tree, alice):
    today = timezone.localdate()
    MembershipFactory(
        user=alice,
        unit=tree["commune_a2"],
        role=Role.OFFICER,
        valid_from=today - dt.timedelta(days=30),
        valid_to=today - dt.timedelta(days=1),
    )
    MembershipFactory(
        user=alice,
        unit=tree["commune_b1"],
        role=Role.OFFICER,
        valid_from=today + dt.timedelta(days=1),
    )

    assert _names(alice) == {"Phường Phúc Xá"}
    # On a day when the A2 membership was in force, it counts.
    assert _names(alice, on=today - dt.timedelta(days=2)) == {"Phường Phúc Xá", "Phường Trúc Bạch"}


def test_roles_filter_limits_scope_to_those_roles_r_unit_3(tree, bob):
    assert _names(bob, roles=[Role.RECEPTIONIST]) == set()
    assert len(_names(bob, roles=[Role.LEADER])) == 3


def test_user_without_membership_sees_nothing(tree):
    assert _names(UserFactory(username="eve")) == set()


def test_superuser_sees_every_unit(tree):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert len(_names(root)) == 6


def test_visible_units_uses_constant_queries(tree, bob, django_assert_num_queries):
    """One query for the memberships, one for the units, whatever the number of units."""
    with django_assert_num_queries(2):
        list(selectors.visible_units(user=bob))


def test_covering_role_does_not_reach_into_the_other_tree_r_unit_1(db):
    """The legacy and 2025 trees share province codes; a leader covering 2025 Hà Nội sees its
    communes, not the legacy districts (paths start with the tree code)."""
    from portal.models import Role, UnitLevel
    from tests.factories import MembershipFactory, UnitFactory, UnitTreeFactory, UserFactory

    legacy = UnitFactory(level=UnitLevel.CITY, code="01")
    legacy_district = UnitFactory(
        tree=legacy.tree, parent=legacy, level=UnitLevel.DISTRICT, code="001"
    )
    new_tree = UnitTreeFactory(code="2025", levels=2, valid_to=None)
    current = UnitFactory(tree=new_tree, level=UnitLevel.CITY, code="01")
    ward = UnitFactory(tree=new_tree, parent=current, level=UnitLevel.COMMUNE, code="00004")
    user = UserFactory(username="hanoi-leader")
    MembershipFactory(user=user, unit=current, role=Role.LEADER, covers_descendants=True)
    visible = set(selectors.visible_units(user=user))
    assert visible == {current, ward}
    assert legacy_district not in visible
