"""The demo seed (``manage.py seed_demo``): deterministic, idempotent, every role at every level.

Hand-computed expectations: Hà Nội is 1 + 30 + 526 legacy units and 1 + 126 current ones. The
demo set is both city units, the legacy districts Ba Đình (14 wards) and Hoàn Kiếm (17 wards
after the 2025 merge), and the 9 current wards formed from those wards: 2 + 2 + 31 + 9 = 44
units, each with a desk. Departments: 3 per city, 3 per district, 2 per legacy commune and
3 per current commune = 6 + 6 + 62 + 27 = 101. Staff: 4 roles at 5 units = 20 memberships,
plus a receptionist and an officer (clerk-*) at each of the other 39 desks, plus the
superuser. Demo dossiers are left out here (``--dossiers 0``); tests/dossiers cover them.
"""

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from portal import demo
from portal.models import (
    AdministrativeUnit,
    AuditLog,
    Department,
    Membership,
    Role,
    ServiceDesk,
    UnitLevel,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "units": AdministrativeUnit.objects.count(),
        "desks": ServiceDesk.objects.count(),
        "departments": Department.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
        "agency_codes": AdministrativeUnit.objects.exclude(agency_code="").count(),
    }


def _seed():
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", dossiers=0, stdout=out)
    return out.getvalue()


def test_seed_twice_gives_the_same_data():
    first_output = _seed()
    first = _counts()
    audit_after_first = AuditLog.objects.exclude(action="units.import").count()

    second_output = _seed()

    assert first == {
        "units": 557 + 127,
        "desks": 44,
        "departments": 101,
        "memberships": 20 + 39 * 2,
        "users": 21 + 39 * 2,
        "agency_codes": 44,
    }
    assert _counts() == first
    assert "Units of tree legacy: 557 created, 0 updated, 0 unchanged" in first_output
    assert "Units of tree legacy: 0 created, 0 updated, 557 unchanged" in second_output
    assert "Units of tree 2025: 0 created, 0 updated, 127 unchanged" in second_output
    # The second run wrote nothing but its two import audit rows.
    assert AuditLog.objects.exclude(action="units.import").count() == audit_after_first


def test_every_role_exists_at_commune_district_and_city_level_r_unit_3():
    _seed()

    for level in (UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.CITY):
        roles = set(Membership.objects.filter(unit__level=level).values_list("role", flat=True))
        assert roles == set(Role.values), level


def test_district_and_city_leaders_cover_descendants_and_nobody_else_r_unit_3():
    _seed()

    covering = set(
        Membership.objects.filter(covers_descendants=True).values_list("user__username", flat=True)
    )
    assert covering == {"hanoi-leader", "quan-badinh-leader", "quan-hoankiem-leader"}


def test_district_staff_sit_in_the_legacy_tree_and_city_and_commune_staff_in_2025():
    _seed()

    by_user = {
        m.user.username: (m.unit.tree.code, m.unit.level, m.unit.name, m.valid_from)
        for m in Membership.objects.select_related("user", "unit__tree")
    }
    assert by_user["hanoi-admin"] == ("2025", "city", "Thành phố Hà Nội", None)
    assert by_user["quan-badinh-officer"] == (
        "legacy",
        "district",
        "Quận Ba Đình",
        dt.date(2025, 1, 1),
    )
    assert by_user["phuong-hoankiem-receptionist"] == ("2025", "commune", "Phường Hoàn Kiếm", None)


def test_officers_work_in_a_department_of_their_own_unit():
    _seed()

    for membership in Membership.objects.filter(role=Role.OFFICER).select_related(
        "department__desk"
    ):
        assert membership.department.desk.unit_id == membership.unit_id


def test_every_demo_unit_has_a_desk_with_hours_and_departments_r_unit_2():
    _seed()

    desks = ServiceDesk.objects.select_related("unit").prefetch_related("departments")
    for desk in desks:
        assert (desk.opens_at, desk.lunch_starts_at, desk.lunch_ends_at, desk.closes_at) == (
            dt.time(7, 30),
            dt.time(11, 30),
            dt.time(13, 30),
            dt.time(17, 0),
        )
        assert desk.address
        assert desk.phone
        assert 2 <= len(desk.departments.all()) <= 3
        assert re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H26", desk.unit.agency_code)
    assert {d.unit.level for d in desks} == {"city", "district", "commune"}


def test_demo_agency_codes_are_unique_and_the_city_uses_the_documented_example():
    _seed()

    codes = list(AdministrativeUnit.objects.exclude(agency_code="").values_list("agency_code"))
    assert len(codes) == len(set(codes)) == 44
    city = AdministrativeUnit.objects.get(tree__code="2025", level=UnitLevel.CITY, code="01")
    assert city.agency_code == "000.00.12.H26"


def test_demo_accounts_use_the_demo_password_and_only_admin_is_superuser():
    output = _seed()

    users = get_user_model().objects.all()
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in users)
    assert [u.username for u in users if u.is_superuser] == ["admin"]
    assert "hanoi-leader" in output
    assert "demo-pass-2026" in output


def test_seed_is_refused_where_demo_data_is_disabled(settings):
    settings.PORTAL_ALLOW_DEMO_SEED = False

    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())

    assert _counts() == dict.fromkeys(
        ["units", "desks", "departments", "memberships", "users", "agency_codes"], 0
    )
