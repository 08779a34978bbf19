"""Staff accounts are made, changed and switched off by the administrators of the units where
the person works (R-UNIT-3): an admin of one ward cannot lock out someone who also works
elsewhere, nor switch off the last administrator of a unit; passwords follow the site's rules
and never reach the audit log."""

import pytest
from django.contrib.auth import get_user_model

from portal import services
from portal.exceptions import DomainError, LastAdmin, PermissionDenied
from portal.models import AuditLog, Role
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import PASSWORD, SCOPE_CASES

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "mot-cua-phuc-xa-2026"


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_staff_accounts_are_managed_within_the_admins_scope_only_r_unit_3(
    request, tree, who, where, allowed
):
    actor = request.getfixturevalue(who)
    clerk = UserFactory(username="clerk")
    MembershipFactory(user=clerk, unit=tree[where], role=Role.RECEPTIONIST)

    if allowed:
        made = services.staff_account_create(
            actor=actor,
            username="lan.nguyen",
            password=NEW_PASSWORD,
            first_name="Thị Lan",
            last_name="Nguyễn",
            unit=tree[where],
            role=Role.RECEPTIONIST,
        )
        services.staff_account_update(actor=actor, user=clerk, is_active=False)
        assert made.memberships.get().unit == tree[where]
        assert not (made.is_staff or made.is_superuser)
        assert made.check_password(NEW_PASSWORD)
        clerk.refresh_from_db()
        assert clerk.is_active is False
        assert AuditLog.objects.filter(action="user.create", object_id=str(made.pk)).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.staff_account_create(
                actor=actor,
                username="lan.nguyen",
                password=NEW_PASSWORD,
                unit=tree[where],
                role=Role.RECEPTIONIST,
            )
        with pytest.raises(PermissionDenied):
            services.staff_account_update(actor=actor, user=clerk, is_active=False)
        assert not get_user_model().objects.filter(username="lan.nguyen").exists()
        clerk.refresh_from_db()
        assert clerk.is_active is True


def test_someone_who_also_works_elsewhere_is_out_of_a_ward_admins_reach(tree, ward_admin, alice):
    MembershipFactory(user=alice, unit=tree["commune_b1"], role=Role.OFFICER)

    with pytest.raises(PermissionDenied):
        services.staff_account_set_password(actor=ward_admin, user=alice, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        services.staff_account_update(actor=ward_admin, user=alice, is_active=False)


def test_the_password_follows_the_rules_and_is_never_logged(tree, ward_admin, alice):
    with pytest.raises(DomainError) as refused:
        services.staff_account_set_password(actor=ward_admin, user=alice, password="123")
    assert refused.value.fields["password"]

    services.staff_account_set_password(actor=ward_admin, user=alice, password=NEW_PASSWORD)

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD) and not alice.check_password(PASSWORD)
    entry = AuditLog.objects.get(action="user.set_password")
    assert NEW_PASSWORD not in str(entry.data)


def test_the_last_administrators_account_is_not_switched_off(tree, ward_admin):
    with pytest.raises(LastAdmin):
        services.staff_account_update(actor=ward_admin, user=ward_admin, is_active=False)
    # Once the district has an administrator covering the ward, it is not left without one.
    district_admin = UserFactory(username="ivan")
    MembershipFactory(
        user=district_admin, unit=tree["district_a"], role=Role.ADMIN, covers_descendants=True
    )
    services.staff_account_update(actor=district_admin, user=ward_admin, is_active=False)
    ward_admin.refresh_from_db()
    assert ward_admin.is_active is False


def test_a_taken_user_name_is_refused(tree, ward_admin, alice):
    from portal.exceptions import ConflictError

    with pytest.raises(ConflictError) as refused:
        services.staff_account_create(
            actor=ward_admin,
            username="ALICE",
            password=NEW_PASSWORD,
            unit=tree["commune_a1"],
            role=Role.OFFICER,
        )
    assert refused.value.code == "duplicate_username"
