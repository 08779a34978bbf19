"""Import of administrative units (R-UNIT-1) from the ``vietnam-provinces`` package: both trees
of the country side by side, the legacy three-level one (``legacy``, until 30 June 2025) and the
two-level one (``2025``, since 1 July 2025). ``units_import`` is a service like those of
``portal.services`` (keyword-only, one transaction, an ``AuditLog`` row); it lives here with its
source reading and its result types because only ``manage.py import_units``, the demo seed and
their tests use it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_log_write
from portal.exceptions import UnknownProvince, UnknownUnitTree
from portal.models import AdministrativeUnit, UnitLevel, UnitTree


@dataclass(frozen=True)
class TreeSpec:
    """How a unit tree is created the first time it is imported."""

    code: str
    name: str
    levels: int
    valid_from: dt.date | None
    valid_to: dt.date | None


# Tree names are data (like unit names), kept in Vietnamese as in official documents.
UNIT_TREES = {
    "legacy": TreeSpec(
        code="legacy",
        name="Ba cấp (trước 01/07/2025)",
        levels=3,
        valid_from=None,
        valid_to=dt.date(2025, 6, 30),
    ),
    "2025": TreeSpec(
        code="2025",
        name="Hai cấp (từ 01/07/2025)",
        levels=2,
        valid_from=dt.date(2025, 7, 1),
        valid_to=None,
    ),
}

# Official codes are zero-padded as the General Statistics Office (NSO) writes them.
CODE_WIDTH = {UnitLevel.CITY: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}
LEVEL_ORDER = [UnitLevel.CITY, UnitLevel.DISTRICT, UnitLevel.COMMUNE]


@dataclass(frozen=True)
class SourceUnit:
    level: str
    code: str
    name: str
    division_type: str
    parent_key: tuple[str, str] | None  # (level, code) of the parent


def _code(level: str, number: int) -> str:
    return f"{int(number):0{CODE_WIDTH[level]}d}"


def _source_provinces(tree_code: str) -> dict[str, object]:
    """Provinces of a tree in the ``vietnam-provinces`` package, by two-digit code."""
    if tree_code == "legacy":
        from vietnam_provinces.legacy import Province
    else:
        from vietnam_provinces import Province
    return {_code(UnitLevel.CITY, p.code): p for p in Province.iter_all()}


def _source_units(tree_code: str, province_codes: list[str]) -> dict[str, list[SourceUnit]]:
    """Units of the chosen provinces, per level, parents before children."""
    wanted = set(province_codes)
    provinces = _source_provinces(tree_code)
    units: dict[str, list[SourceUnit]] = {level: [] for level in LEVEL_ORDER}

    def add(level, source, parent_key=None):
        units[level].append(
            SourceUnit(
                level,
                _code(level, source.code),
                source.name,
                str(source.division_type),
                parent_key,
            )
        )

    for code in province_codes:
        add(UnitLevel.CITY, provinces[code])  # its code is ``code``: the key of ``provinces``
    if tree_code == "legacy":
        from vietnam_provinces.legacy import District, Ward

        district_province = {}
        for d in District.iter_all():
            province = _code(UnitLevel.CITY, d.province_code)
            district_province[int(d.code)] = province
            if province in wanted:
                add(UnitLevel.DISTRICT, d, (UnitLevel.CITY, province))
        for w in Ward.iter_all():
            if district_province[int(w.district_code)] in wanted:
                district = _code(UnitLevel.DISTRICT, w.district_code)
                add(UnitLevel.COMMUNE, w, (UnitLevel.DISTRICT, district))
    else:
        from vietnam_provinces import Ward

        for w in Ward.iter_all():
            province = _code(UnitLevel.CITY, w.province_code)
            if province in wanted:
                add(UnitLevel.COMMUNE, w, (UnitLevel.CITY, province))
    for level_units in units.values():
        level_units.sort(key=lambda u: u.code)
    return units


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class UnitImportResult:
    tree: UnitTree
    tree_created: bool
    province_codes: list[str]
    by_level: dict[str, ImportCounts] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(c.created for c in self.by_level.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.by_level.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.by_level.values())

    def as_dict(self) -> dict:
        return {
            "tree": self.tree.code,
            "provinces": self.province_codes,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "by_level": {
                str(level): {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for level, c in self.by_level.items()
            },
        }


def _clean_province_codes(
    *, tree_code: str, province_codes: Iterable | None, available: dict
) -> list[str]:
    if province_codes is None:
        return sorted(available)
    cleaned = []
    for raw in province_codes:
        text = str(raw).strip()
        if not (text.isdigit() and 1 <= len(text) <= 2):
            raise UnknownProvince(
                _("“%(code)s” is not a province code; use the official code, e.g. 01."),
                params={"code": text},
            )
        code = _code(UnitLevel.CITY, int(text))
        if code not in available:
            raise UnknownProvince(
                _("There is no province with code %(code)s in the unit tree “%(tree)s”."),
                params={"code": code, "tree": tree_code},
            )
        if code not in cleaned:
            cleaned.append(code)
    if not cleaned:
        raise UnknownProvince(_("Name at least one province code."), code="no_province")
    return sorted(cleaned)


UNIT_IMPORT_FIELDS = ["name", "division_type", "parent", "path"]


def units_import(
    *, tree_code: str, province_codes: Iterable | None = None, actor=None
) -> UnitImportResult:
    """Import the units of one tree (``legacy`` or ``2025``) from the ``vietnam-provinces``
    package, for the given provinces or the whole country (R-UNIT-1).

    Idempotent: units are matched on (tree, level, official code); a unit whose name, division
    type or parent changed in the source is updated, others are counted unchanged. Validity
    dates and agency identifiers are set from the tree when a unit is created and are left
    alone afterwards (admins may correct them). Units missing from the source are not removed.
    Bulk queries only: a few per level, whatever the number of units.
    """
    spec = UNIT_TREES.get(tree_code)
    if spec is None:
        raise UnknownUnitTree(
            _("Unknown unit tree “%(tree)s”; choose one of: %(choices)s."),
            params={"tree": tree_code, "choices": ", ".join(UNIT_TREES)},
        )
    available = _source_provinces(tree_code)
    codes = _clean_province_codes(
        tree_code=tree_code, province_codes=province_codes, available=available
    )
    source = _source_units(tree_code, codes)

    with transaction.atomic():
        tree, tree_created = UnitTree.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "levels": spec.levels,
                "valid_from": spec.valid_from,
                "valid_to": spec.valid_to,
            },
        )
        existing = {
            (u.level, u.code): u
            for u in AdministrativeUnit.objects.filter(tree=tree).only(
                "id", "level", "code", "name", "division_type", "parent_id", "path"
            )
        }
        result = UnitImportResult(tree=tree, tree_created=tree_created, province_codes=codes)
        resolved: dict[tuple[str, str], AdministrativeUnit] = {}
        for level in LEVEL_ORDER:
            if not source[level]:
                continue
            counts = result.by_level.setdefault(level, ImportCounts())
            to_create, to_update = [], []
            for src in source[level]:
                parent = resolved[src.parent_key] if src.parent_key else None
                # Same as AdministrativeUnit.build_path(), which bulk writes do not call.
                path = f"{parent.path if parent else f'/{tree.code}/'}{src.code}/"
                unit = existing.get((level, src.code))
                if unit is None:
                    unit = AdministrativeUnit(
                        tree=tree,
                        parent=parent,
                        level=level,
                        code=src.code,
                        name=src.name,
                        division_type=src.division_type,
                        path=path,
                        valid_from=tree.valid_from,
                        valid_to=tree.valid_to,
                    )
                    to_create.append(unit)
                elif (unit.name, unit.division_type, unit.parent_id, unit.path) != (
                    src.name,
                    src.division_type,
                    parent.pk if parent else None,
                    path,
                ):
                    unit.name = src.name
                    unit.division_type = src.division_type
                    unit.parent = parent
                    unit.path = path
                    to_update.append(unit)
                else:
                    counts.unchanged += 1
                resolved[(level, src.code)] = unit
            # Children need their parents' primary keys: PostgreSQL and SQLite ≥ 3.35 return
            # them from the bulk insert.
            AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
            AdministrativeUnit.objects.bulk_update(to_update, UNIT_IMPORT_FIELDS, batch_size=500)
            counts.created += len(to_create)
            counts.updated += len(to_update)
        audit_log_write(
            actor=actor,
            action="units.import",
            instance=tree,
            data=result.as_dict(),
        )
    return result
