"""Granting and revoking staff roles (R-UNIT-3) through ``membership_grant``/``_revoke``."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from portal import selectors
from portal.exceptions import DomainError, DuplicateMembership, InvalidPeriod, UnitEnded
from portal.models import AuditLog, Membership, Role
from portal.services import membership_grant, membership_revoke
from tests.factories import DepartmentFactory, DeskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _state():
    return (
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "unit_id", "role")),
        AuditLog.objects.count(),
    )


def test_grant_creates_membership_and_audit_row_r_unit_3(tree, admin):
    dora = UserFactory(username="dora")

    membership = membership_grant(
        user=dora, unit=tree["district_b"], role=Role.LEADER, covers_descendants=True, actor=admin
    )

    assert membership.covers_descendants
    entry = AuditLog.objects.get(action="membership.grant")
    assert (entry.actor, entry.unit, entry.object_id) == (
        admin,
        tree["district_b"],
        str(membership.pk),
    )
    assert entry.data["username"] == "dora"
    assert entry.data["role"] == "leader"
    # The grant takes effect in scoping at once.
    assert selectors.user_can_see_unit(user=dora, unit=tree["commune_b1"])
    assert not selectors.user_can_see_unit(user=dora, unit=tree["commune_a1"])


def test_grant_at_an_ended_unit_is_refused_and_nothing_changes(tree, admin):
    unit = tree["commune_a2"]
    unit.valid_to = timezone.localdate() - dt.timedelta(days=1)
    unit.save()
    dora = UserFactory(username="dora")
    before = _state()

    with pytest.raises(UnitEnded) as caught:
        membership_grant(user=dora, unit=unit, role=Role.RECEPTIONIST, actor=admin)

    assert _state() == before
    with translation.override("en"):
        message = str(caught.value)
    assert "Phường Trúc Bạch (00004) ceased to exist on" in message


def test_grant_starting_after_the_unit_ended_is_refused(tree, admin):
    unit = tree["commune_a2"]
    unit.valid_to = dt.date(2025, 6, 30)
    unit.save()
    before = _state()

    with pytest.raises(UnitEnded):
        membership_grant(
            user=UserFactory(username="dora"),
            unit=unit,
            role=Role.OFFICER,
            valid_from=dt.date(2025, 7, 1),
            actor=admin,
        )
    assert _state() == before


def test_role_can_be_recorded_for_the_past_life_of_an_ended_unit(tree, admin):
    """History: a role starting while the unit still existed is accepted (R-UNIT-1)."""
    unit = tree["commune_a2"]
    unit.valid_to = dt.date(2025, 6, 30)
    unit.save()

    membership = membership_grant(
        user=UserFactory(username="dora"),
        unit=unit,
        role=Role.OFFICER,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 6, 30),
        actor=admin,
    )
    assert membership.pk


def test_duplicate_role_at_the_same_unit_is_refused(tree, alice, admin):
    before = _state()

    with pytest.raises(DuplicateMembership) as caught:
        membership_grant(user=alice, unit=tree["commune_a1"], role=Role.RECEPTIONIST, actor=admin)

    assert _state() == before
    assert caught.value.status_code == 409
    with translation.override("en"):
        assert str(caught.value) == (
            "alice already has the role Receptionist at Phường Phúc Xá (00001); "
            "edit that membership instead."
        )


def test_another_role_at_the_same_unit_is_accepted(tree, alice, admin):
    membership_grant(user=alice, unit=tree["commune_a1"], role=Role.OFFICER, actor=admin)

    assert set(alice.memberships.values_list("role", flat=True)) == {"receptionist", "officer"}


def test_period_ending_before_it_starts_is_refused(tree, admin):
    before = _state()
    with pytest.raises(InvalidPeriod):
        membership_grant(
            user=UserFactory(username="dora"),
            unit=tree["commune_a1"],
            role=Role.OFFICER,
            valid_from=dt.date(2026, 3, 1),
            valid_to=dt.date(2026, 2, 1),
            actor=admin,
        )
    assert _state() == before


def test_department_of_another_unit_is_refused(tree, admin):
    department = DepartmentFactory(desk=DeskFactory(unit=tree["commune_b1"]))
    before = _state()

    with pytest.raises(DomainError) as caught:
        membership_grant(
            user=UserFactory(username="dora"),
            unit=tree["commune_a1"],
            role=Role.OFFICER,
            department=department,
            actor=admin,
        )
    assert caught.value.code == "department_outside_unit"
    assert _state() == before


def test_unknown_role_is_refused(tree, admin):
    with pytest.raises(DomainError) as caught:
        membership_grant(
            user=UserFactory(username="dora"), unit=tree["city"], role="mayor", actor=admin
        )
    assert caught.value.code == "unknown_role"
    assert not Membership.objects.exists()


def test_revoke_removes_the_role_and_writes_audit_row_r_unit_3(tree, bob, admin):
    membership = bob.memberships.get()

    membership_revoke(membership=membership, actor=admin)

    assert not bob.memberships.exists()
    assert not selectors.user_can_see_unit(user=bob, unit=tree["commune_a1"])
    entry = AuditLog.objects.get(action="membership.revoke")
    assert entry.data["username"] == "bob"
    assert entry.data["covers_descendants"] is True
    assert entry.unit == tree["district_a"]
