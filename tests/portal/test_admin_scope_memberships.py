"""Roles are granted and ended by the administrators of the unit (R-UNIT-3): never beyond
their own scope (a role covering the units below needs an admin whose own role covers them),
and never so that a unit is left without an administrator."""

import datetime as dt

import pytest
from django.utils import timezone

from portal import selectors, services
from portal.exceptions import LastAdmin, PermissionDenied
from portal.models import AuditLog, Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import SCOPE_CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_roles_are_granted_and_ended_within_the_admins_scope_only_r_unit_3(
    request, tree, who, where, allowed
):
    actor = request.getfixturevalue(who)
    newcomer = UserFactory(username="newcomer")
    leaving = MembershipFactory(unit=tree[where], role=Role.OFFICER, valid_from=dt.date(2025, 1, 1))

    if allowed:
        granted = services.membership_grant(
            user=newcomer, unit=tree[where], role=Role.RECEPTIONIST, actor=actor
        )
        services.membership_end(membership=leaving, actor=actor)
        assert selectors.user_can_see_unit(user=newcomer, unit=tree[where])
        leaving.refresh_from_db()
        assert leaving.valid_to == timezone.localdate() - dt.timedelta(days=1)
        assert not selectors.user_can_see_unit(user=leaving.user, unit=tree[where])
        assert AuditLog.objects.filter(action="membership.grant", object_id=str(granted.pk))
        assert AuditLog.objects.filter(action="membership.end", object_id=str(leaving.pk))
    else:
        with pytest.raises(PermissionDenied):
            services.membership_grant(
                user=newcomer, unit=tree[where], role=Role.RECEPTIONIST, actor=actor
            )
        with pytest.raises(PermissionDenied):
            services.membership_end(membership=leaving, actor=actor)
        assert not newcomer.memberships.exists()
        leaving.refresh_from_db()
        assert leaving.valid_to is None


def test_a_role_covering_the_units_below_needs_an_admin_covering_them_r_unit_3(
    tree, district_admin, district_office_admin
):
    newcomer = UserFactory(username="newcomer")
    with pytest.raises(PermissionDenied):
        services.membership_grant(
            user=newcomer,
            unit=tree["district_a"],
            role=Role.LEADER,
            covers_descendants=True,
            actor=district_office_admin,
        )
    services.membership_grant(
        user=newcomer,
        unit=tree["district_a"],
        role=Role.LEADER,
        covers_descendants=True,
        actor=district_admin,
    )
    assert selectors.user_can_see_unit(user=newcomer, unit=tree["commune_a2"])


def test_the_last_administrator_of_a_unit_cannot_be_removed_r_unit_3(tree, ward_admin):
    own = ward_admin.memberships.get()

    with pytest.raises(LastAdmin):
        services.membership_end(membership=own, actor=ward_admin)

    deputy = UserFactory(username="deputy")
    services.membership_grant(
        user=deputy, unit=tree["commune_a1"], role=Role.ADMIN, actor=ward_admin
    )
    services.membership_end(membership=own, actor=ward_admin)  # now someone is left
    assert not selectors.administers(user=ward_admin, unit=tree["commune_a1"])
    assert selectors.administers(user=deputy, unit=tree["commune_a1"])


def test_an_admin_of_the_district_covering_it_counts_for_the_commune(
    tree, ward_admin, district_admin
):
    services.membership_end(membership=ward_admin.memberships.get(), actor=district_admin)

    assert selectors.administers(user=district_admin, unit=tree["commune_a1"])


def test_a_role_granted_today_and_ended_today_leaves_no_row(tree, ward_admin):
    newcomer = UserFactory(username="newcomer")
    membership = services.membership_grant(
        user=newcomer, unit=tree["commune_a1"], role=Role.OFFICER, actor=ward_admin
    )
    membership.valid_from = timezone.localdate()
    membership.save()

    assert services.membership_end(membership=membership, actor=ward_admin) is None
    assert not Membership.objects.filter(pk=membership.pk).exists()
