"""Desks (address, phone, hours, closing hour) are configured by the administrators of their
unit (R-UNIT-2, R-UNIT-3), through the service, with an audit row."""

import datetime as dt

import pytest

from portal import services
from portal.exceptions import PermissionDenied
from portal.models import AuditLog, ServiceDesk
from tests.factories import DeskFactory
from tests.helpers import SCOPE_CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_a_desk_is_changed_within_the_admins_scope_only_r_unit_3(
    request, tree, who, where, allowed
):
    actor = request.getfixturevalue(who)
    desk = DeskFactory(unit=tree[where])
    change = {"closes_at": dt.time(16, 30), "phone": "024 3999 0001", "address": "2 Lê Lợi"}

    if allowed:
        assert services.desk_update(desk=desk, actor=actor, **change) == list(change)
        desk.refresh_from_db()
        assert (desk.closes_at, desk.phone) == (dt.time(16, 30), "024 3999 0001")
        entry = AuditLog.objects.get(action="desk.update")
        assert (entry.actor, entry.unit) == (actor, tree[where])
        assert entry.data["closes_at"] == ["17:00:00", "16:30:00"]
    else:
        with pytest.raises(PermissionDenied):
            services.desk_update(desk=desk, actor=actor, **change)
        desk.refresh_from_db()
        assert desk.closes_at == dt.time(17, 0)
        assert not AuditLog.objects.filter(action="desk.update").exists()


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_a_desk_is_opened_within_the_admins_scope_only_r_unit_3(request, tree, who, where, allowed):
    actor = request.getfixturevalue(who)

    if allowed:
        desk = services.desk_create(unit=tree[where], name="Điểm tiếp nhận số 2", actor=actor)
        assert desk.unit == tree[where]
    else:
        with pytest.raises(PermissionDenied):
            services.desk_create(unit=tree[where], name="Điểm tiếp nhận số 2", actor=actor)
        assert not ServiceDesk.objects.filter(unit=tree[where]).exists()


def test_desk_hours_are_checked_on_a_change_too(desk_a1, ward_admin):
    from portal.exceptions import DomainError

    with pytest.raises(DomainError) as refused:
        services.desk_update(desk=desk_a1, actor=ward_admin, closes_at=dt.time(11, 0))
    assert refused.value.code == "desk_lunch_outside_hours"
    desk_a1.refresh_from_db()
    assert desk_a1.closes_at == dt.time(17, 0)


def test_a_receptionist_cannot_change_the_desk(desk_a1, alice):
    with pytest.raises(PermissionDenied):
        services.desk_update(desk=desk_a1, actor=alice, phone="1")
