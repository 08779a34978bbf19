"""Departments behind a desk are added, renamed and closed by the administrators of the desk's
unit (R-UNIT-2, R-UNIT-3), through the services, with audit rows."""

import pytest

from portal import services
from portal.exceptions import PermissionDenied
from portal.models import AuditLog, Department
from tests.factories import DepartmentFactory, DeskFactory
from tests.helpers import SCOPE_CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "where", "allowed"), SCOPE_CASES)
def test_departments_are_managed_within_the_admins_scope_only_r_unit_3(
    request, tree, who, where, allowed
):
    actor = request.getfixturevalue(who)
    desk = DeskFactory(unit=tree[where])
    existing = DepartmentFactory(desk=desk, name="Địa chính")

    if allowed:
        services.department_create(desk=desk, code="tu-phap", name="Tư pháp", actor=actor)
        services.department_update(department=existing, name="Địa chính - Xây dựng", actor=actor)
        services.department_update(department=existing, is_active=False, actor=actor)
        assert set(desk.departments.values_list("name", "is_active")) == {
            ("Tư pháp", True),
            ("Địa chính - Xây dựng", False),
        }
        assert AuditLog.objects.filter(action="department.update").count() == 2
    else:
        with pytest.raises(PermissionDenied):
            services.department_create(desk=desk, code="tu-phap", name="Tư pháp", actor=actor)
        with pytest.raises(PermissionDenied):
            services.department_update(department=existing, is_active=False, actor=actor)
        assert list(Department.objects.filter(desk=desk).values_list("name", "is_active")) == [
            ("Địa chính", True)
        ]
