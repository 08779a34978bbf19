"""Shared reads in ``portal.selectors``: rows in force on a day and desks a user may see
(R-UNIT-2, R-UNIT-3)."""

import datetime as dt

import pytest

from portal.models import AdministrativeUnit, Role
from portal.selectors import desks_visible, in_force_q
from tests.factories import DeskFactory, MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_in_force_includes_both_ends_and_open_bounds():
    ward = UnitFactory(valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 12, 31))
    old = UnitFactory(valid_from=None, valid_to=dt.date(2025, 6, 30))
    new = UnitFactory(valid_from=dt.date(2025, 7, 1), valid_to=None)
    ids = {ward.pk, old.pk, new.pk}

    def on(day):
        return set(
            AdministrativeUnit.objects.filter(in_force_q(day), pk__in=ids).values_list(
                "pk", flat=True
            )
        )

    assert on(dt.date(2025, 6, 30)) == {old.pk}
    assert on(dt.date(2025, 7, 1)) == {ward.pk, new.pk}
    assert on(dt.date(2025, 12, 31)) == {ward.pk, new.pk}
    assert on(dt.date(2026, 1, 1)) == {new.pk}


def test_in_force_without_an_end_field_only_checks_the_start():
    unit = UnitFactory(valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 7, 2))
    q = in_force_q(dt.date(2030, 1, 1), end=None)
    assert AdministrativeUnit.objects.filter(q, pk=unit.pk).exists()


def test_desks_visible_follow_roles_and_hide_closed_desks_unless_asked_r_unit_3():
    ward = UnitFactory()
    other = UnitFactory()
    open_desk = DeskFactory(unit=ward, name="A")
    closed = DeskFactory(unit=ward, name="B", is_active=False)
    DeskFactory(unit=other)
    user = UserFactory()
    MembershipFactory(user=user, unit=ward, role=Role.OFFICER)

    assert list(desks_visible(user=user)) == [open_desk]
    assert list(desks_visible(user=user, include_inactive=True)) == [open_desk, closed]
    assert list(desks_visible(user=user, roles=[Role.RECEPTIONIST])) == []
    assert list(desks_visible(user=UserFactory())) == []
