"""Deterministic demo data for the zero-setup run (``manage.py seed_demo``).

DEMO ONLY. Every demo account has the password ``DEMO_PASSWORD``; never run the seed on a
production database (the command refuses when ``PORTAL_ALLOW_DEMO_SEED`` is off, as it is in
``portal.settings.production``).

The seed is idempotent: each function looks up what an earlier run created (by natural keys:
unit codes, desk names, department codes, usernames, (user, unit, role)) and only adds what is
missing, so running it twice changes nothing. Later issues extend the demo by adding functions
here (procedures, dossiers, surveys…) that take the ``DemoData`` built so far, and calling them
from ``seed_all``.

What it builds (Hà Nội, province code 01, in both unit trees, R-UNIT-1):
- all of Hà Nội imported from ``vietnam-provinces``: the legacy tree (city → 30 districts →
  communes, until 30/06/2025) and the 2025 tree (city → communes, since 01/07/2025);
- a small demo set with agency identifiers and service desks: the city (both trees), the legacy
  districts Ba Đình and Hoàn Kiếm with their communes, and the 2025 communes formed from those
  communes (R-UNIT-2: every demo unit gets a desk with departments);
- staff of every role at city, district and commune level (R-UNIT-3), plus a superuser.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from portal import services, unit_import
from portal.audit import audit_log_write
from portal.models import AdministrativeUnit, Department, Membership, Role, ServiceDesk, UnitLevel

# DEMO ONLY: a shared, published password. Accounts seeded here must never reach production.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105

DEMO_PROVINCE = "01"  # Thành phố Hà Nội
DEMO_LEGACY_DISTRICTS = ["001", "002"]  # Quận Ba Đình, Quận Hoàn Kiếm
# The district level exists only in the legacy tree, which ended on 30/06/2025. District staff
# are granted from a date within its life and left open-ended, so the demo can still show that
# district's history today.
DEMO_LEGACY_ROLES_FROM = dt.date(2025, 1, 1)

DESK_HOURS_TEXT = "Thứ Hai đến Thứ Sáu: 7:30–11:30 và 13:30–17:00"

# Departments behind each desk, by kind of unit (codes are unique per desk).
DEPARTMENTS = {
    "city": [
        ("tu-phap", "Sở Tư pháp"),
        ("xay-dung", "Sở Xây dựng"),
        ("nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường"),
    ],
    "district": [
        ("tu-phap", "Phòng Tư pháp"),
        ("quan-ly-do-thi", "Phòng Quản lý đô thị"),
        ("tai-nguyen-moi-truong", "Phòng Tài nguyên và Môi trường"),
    ],
    "commune_legacy": [
        ("tu-phap-ho-tich", "Công chức Tư pháp - Hộ tịch"),
        ("dia-chinh-xay-dung", "Công chức Địa chính - Xây dựng"),
    ],
    "commune_2025": [
        ("van-phong", "Văn phòng HĐND và UBND"),
        ("kinh-te", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        ("van-hoa-xa-hoi", "Phòng Văn hoá - Xã hội"),
    ],
}


@dataclass
class DemoUnits:
    city_legacy: AdministrativeUnit
    city_2025: AdministrativeUnit
    districts: list[AdministrativeUnit]  # legacy tree
    communes_legacy: list[AdministrativeUnit]
    communes_2025: list[AdministrativeUnit]

    def all(self) -> list[AdministrativeUnit]:
        return [
            self.city_legacy,
            *self.districts,
            *self.communes_legacy,
            self.city_2025,
            *self.communes_2025,
        ]

    def district(self, code: str) -> AdministrativeUnit:
        return next(u for u in self.districts if u.code == code)

    def commune_2025(self, code: str) -> AdministrativeUnit:
        return next(u for u in self.communes_2025 if u.code == code)


@dataclass
class DemoAccount:
    username: str
    role: str
    unit: AdministrativeUnit
    covers_descendants: bool = False


@dataclass
class DemoData:
    admin: object
    import_results: list = field(default_factory=list)
    units: DemoUnits | None = None
    desks: dict[int, ServiceDesk] = field(default_factory=dict)  # by unit id
    accounts: list[DemoAccount] = field(default_factory=list)


# --- Steps ---


def seed_superuser() -> object:
    """The ``admin`` superuser (created once; an existing one is reused as it is)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username="admin").first()
    if user is None:
        user = user_model.objects.create_superuser(
            username="admin", email="admin@example.org", password=DEMO_PASSWORD
        )
        audit_log_write(actor=user, action="user.create", instance=user, data={"demo": True})
    return user


def seed_units(*, data: DemoData) -> DemoUnits:
    """Import Hà Nội in both trees and pick the demo set (R-UNIT-1)."""
    from vietnam_provinces import Ward

    for tree_code in ("legacy", "2025"):
        data.import_results.append(
            unit_import.units_import(
                tree_code=tree_code, province_codes=[DEMO_PROVINCE], actor=data.admin
            )
        )
    units = AdministrativeUnit.objects.select_related("tree")
    legacy = units.filter(tree__code="legacy")
    current = units.filter(tree__code="2025")
    city_legacy = legacy.get(level=UnitLevel.CITY, code=DEMO_PROVINCE)
    city_2025 = current.get(level=UnitLevel.CITY, code=DEMO_PROVINCE)
    districts = list(
        legacy.filter(level=UnitLevel.DISTRICT, code__in=DEMO_LEGACY_DISTRICTS).order_by("code")
    )
    communes_legacy = list(
        legacy.filter(level=UnitLevel.COMMUNE, parent__in=districts).order_by("path")
    )
    # The 2025 communes formed (wholly or partly) from the demo districts' communes.
    legacy_codes = {int(u.code) for u in communes_legacy}
    codes_2025 = sorted(
        f"{int(w.code):05d}"
        for w in Ward.iter_by_province(int(DEMO_PROVINCE))
        if any(int(src.code) in legacy_codes for src in w.get_legacy_sources())
    )
    communes_2025 = list(
        current.filter(level=UnitLevel.COMMUNE, code__in=codes_2025).order_by("code")
    )
    data.units = DemoUnits(city_legacy, city_2025, districts, communes_legacy, communes_2025)
    return data.units


def demo_agency_codes(units: DemoUnits) -> dict[int, str]:
    """Agency identifiers (V1V2V3.Z1Z2.Y1Y2.MX1X2, R-LIFE-2) for the demo units, by unit id.

    MADE UP for the demo, deterministic and well-shaped, not the official list: ``H26`` is
    Hà Nội; Y1Y2 numbers the district-level body, Z1Z2 the commune within it. Production loads
    the province's published identifiers instead.
    - 2025 city ``000.00.12.H26`` (the example in DOMAIN.md), legacy city ``000.00.10.H26``;
    - legacy districts ``000.00.21.H26``, ``000.00.22.H26`` (in code order);
    - legacy communes ``000.NN.21.H26`` (NN numbers the communes of the district in code order);
    - 2025 communes ``000.NN.30.H26`` (NN numbers them in code order; no district level).
    """
    codes = {units.city_2025.pk: "000.00.12.H26", units.city_legacy.pk: "000.00.10.H26"}
    for d_index, district in enumerate(units.districts, start=21):
        codes[district.pk] = f"000.00.{d_index:02d}.H26"
        communes = [u for u in units.communes_legacy if u.parent_id == district.pk]
        for c_index, commune in enumerate(communes, start=1):
            codes[commune.pk] = f"000.{c_index:02d}.{d_index:02d}.H26"
    for c_index, commune in enumerate(units.communes_2025, start=1):
        codes[commune.pk] = f"000.{c_index:02d}.30.H26"
    return codes


def seed_agency_codes(*, data: DemoData) -> None:
    codes = demo_agency_codes(data.units)
    for unit in data.units.all():
        services.unit_set_agency_code(unit=unit, agency_code=codes[unit.pk], actor=data.admin)


def _desk_name(unit: AdministrativeUnit) -> str:
    if unit.level == UnitLevel.CITY or unit.tree.code == "2025":
        return f"Trung tâm Phục vụ hành chính công {unit.name}"
    return f"Bộ phận một cửa {unit.name}"


def _department_kind(unit: AdministrativeUnit) -> str:
    if unit.level == UnitLevel.COMMUNE:
        return "commune_2025" if unit.tree.code == "2025" else "commune_legacy"
    return str(unit.level)


def seed_desks(*, data: DemoData) -> dict[int, ServiceDesk]:
    """One desk per demo unit (R-UNIT-2), with made-up contacts, and its departments."""
    units = data.units.all()
    existing = {(d.unit_id, d.name): d for d in ServiceDesk.objects.filter(unit__in=units)}
    for index, unit in enumerate(units, start=1):
        name = _desk_name(unit)
        desk = existing.get((unit.pk, name))
        if desk is None:
            desk = services.desk_create(
                unit=unit,
                name=name,
                address=f"Trụ sở UBND {unit.name}, Hà Nội (địa chỉ minh hoạ)",
                phone=f"024 3999 {index:04d}",  # demo numbers
                email=f"motcua-{unit.tree.code}-{unit.level}-{unit.code}@example.org",
                opening_hours=DESK_HOURS_TEXT,
                opens_at=dt.time(7, 30),
                lunch_starts_at=dt.time(11, 30),
                lunch_ends_at=dt.time(13, 30),
                closes_at=dt.time(17, 0),
                actor=data.admin,
            )
        data.desks[unit.pk] = desk
    have = set(
        Department.objects.filter(desk__in=data.desks.values()).values_list("desk_id", "code")
    )
    for unit in units:
        desk = data.desks[unit.pk]
        for code, name in DEPARTMENTS[_department_kind(unit)]:
            if (desk.pk, code) not in have:
                services.department_create(desk=desk, code=code, name=name, actor=data.admin)
    return data.desks


# Demo staff: (username prefix, how to find the unit among the demo units).
STAFF_UNITS = [
    ("hanoi", lambda u: u.city_2025),
    ("quan-badinh", lambda u: u.district("001")),
    ("quan-hoankiem", lambda u: u.district("002")),
    ("phuong-badinh", lambda u: u.commune_2025("00004")),
    ("phuong-hoankiem", lambda u: u.commune_2025("00070")),
]
STAFF_ROLES = [Role.RECEPTIONIST, Role.OFFICER, Role.LEADER, Role.ADMIN]
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN_NAMES = ["Thị Lan", "Văn Minh", "Thu Hà", "Quốc Huy", "Ngọc Anh", "Đức Long", "Mai Hương"]


def seed_staff(*, data: DemoData) -> list[DemoAccount]:
    """Staff of every role at city, district and commune level (R-UNIT-3). Leaders at city and
    district level cover descendants; everyone else sees only their own unit. Officers work in
    the first department of their unit's desk."""
    user_model = get_user_model()
    index = 0
    password = None
    for prefix, pick in STAFF_UNITS:
        unit = pick(data.units)
        for role in STAFF_ROLES:
            username = f"{prefix}-{role}"
            covers = role == Role.LEADER and unit.level != UnitLevel.COMMUNE
            user = user_model.objects.filter(username=username).first()
            if user is None:
                if password is None:  # hashing is slow by design: once for all of them
                    password = make_password(DEMO_PASSWORD)
                user = user_model.objects.create_user(
                    username=username,
                    email=f"{username}@example.org",
                    first_name=GIVEN_NAMES[index % len(GIVEN_NAMES)],
                    last_name=FAMILY_NAMES[index % len(FAMILY_NAMES)],
                )
                user.password = password
                user.save(update_fields=["password"])
                audit_log_write(
                    actor=data.admin, action="user.create", instance=user, data={"demo": True}
                )
            index += 1
            if not Membership.objects.filter(user=user, unit=unit, role=role).exists():
                department = None
                if role == Role.OFFICER:
                    department = data.desks[unit.pk].departments.order_by("code").first()
                services.membership_grant(
                    user=user,
                    unit=unit,
                    role=role,
                    covers_descendants=covers,
                    department=department,
                    valid_from=DEMO_LEGACY_ROLES_FROM if unit.valid_to else None,
                    actor=data.admin,
                )
            data.accounts.append(DemoAccount(username, role, unit, covers))
    return data.accounts


def seed_desk_clerks(*, data: DemoData) -> int:
    """A receptionist and an officer at every other demo desk, so every commune has dossiers
    to rank. They share one password hash (hashing is the slow part of seeding)."""
    user_model = get_user_model()
    named = {account.unit.pk for account in data.accounts}
    password = make_password(DEMO_PASSWORD)
    made = 0
    for unit_id, desk in sorted(data.desks.items()):
        if unit_id in named:
            continue
        unit = desk.unit
        for role in (Role.RECEPTIONIST, Role.OFFICER):
            username = f"clerk-{unit.tree.code}-{unit.code}-{role}"
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "password": password,
                    "email": f"{username}@example.org",
                    "first_name": GIVEN_NAMES[made % len(GIVEN_NAMES)],
                    "last_name": FAMILY_NAMES[made % len(FAMILY_NAMES)],
                },
            )
            if created:
                made += 1
            if not Membership.objects.filter(user=user, unit=unit, role=role).exists():
                services.membership_grant(
                    user=user,
                    unit=unit,
                    role=role,
                    actor=data.admin,
                    department=desk.departments.order_by("code").first()
                    if role == Role.OFFICER
                    else None,
                    valid_from=DEMO_LEGACY_ROLES_FROM if unit.valid_to else None,
                )
    return made


@transaction.atomic
def seed_all() -> DemoData:
    """Run every demo step in order; a failure leaves the database as it was."""
    data = DemoData(admin=seed_superuser())
    seed_units(data=data)
    seed_agency_codes(data=data)
    seed_desks(data=data)
    seed_staff(data=data)
    seed_desk_clerks(data=data)
    return data
