"""Units have service desks, desks have departments that process dossiers (R-UNIT-2); an
administrator of the unit sets them up (R-UNIT-3)."""

import datetime as dt

import pytest

from portal import services
from portal.exceptions import ConflictError, DomainError
from portal.models import AuditLog, Department, ServiceDesk


def test_a_unit_can_have_several_desks_each_with_departments_r_unit_2(tree, district_admin):
    unit = tree["district_a"]
    main = services.desk_create(unit=unit, name="Bộ phận một cửa quận", actor=district_admin)
    annex = services.desk_create(unit=unit, name="Điểm tiếp nhận số 2", actor=district_admin)
    services.department_create(
        desk=main, code="tu-phap", name="Phòng Tư pháp", actor=district_admin
    )
    services.department_create(
        desk=annex, code="tu-phap", name="Phòng Tư pháp", actor=district_admin
    )
    assert set(unit.desks.values_list("name", flat=True)) == {main.name, annex.name}
    assert Department.objects.filter(desk__unit=unit).count() == 2
    assert AuditLog.objects.filter(action__in=["desk.create", "department.create"]).count() == 4


def test_department_codes_are_unique_per_desk_r_unit_2(desk_a1, district_admin):
    services.department_create(
        desk=desk_a1, code="dia-chinh", name="Địa chính", actor=district_admin
    )
    with pytest.raises(ConflictError):
        services.department_create(
            desk=desk_a1, code="dia-chinh", name="Khác", actor=district_admin
        )
    assert desk_a1.departments.count() == 1


@pytest.mark.parametrize(
    ("hours", "code"),
    [
        ({"opens_at": dt.time(17), "closes_at": dt.time(8)}, "desk_hours_out_of_order"),
        ({"lunch_starts_at": dt.time(12), "lunch_ends_at": None}, "desk_lunch_incomplete"),
        ({"lunch_starts_at": dt.time(6), "lunch_ends_at": dt.time(7)}, "desk_lunch_outside_hours"),
    ],
)
def test_desk_hours_must_make_sense_and_nothing_is_written_r_unit_2(
    tree, district_admin, hours, code
):
    with pytest.raises(DomainError) as info:
        services.desk_create(unit=tree["commune_a2"], name="Một cửa", actor=district_admin, **hours)
    assert info.value.code == code
    assert not ServiceDesk.objects.filter(unit=tree["commune_a2"]).exists()
