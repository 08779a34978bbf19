"""Importing administrative units from ``vietnam-provinces`` (R-UNIT-1).

Expected counts are the official figures the package reproduces: Hà Nội had 30 districts and
526 communes in the legacy tree (after the merges of 1 January 2025) and has 126 communes in
the 2025 tree; Hồ Chí Minh City (79) has 168 communes in the 2025 tree; the whole country had
63 provinces, 696 districts and 10,051 communes, and has 34 provinces and 3,321 communes.
"""

import datetime as dt
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.exceptions import UnknownProvince, UnknownUnitTree
from portal.models import AdministrativeUnit, AuditLog, UnitLevel, UnitTree
from portal.unit_import import units_import

pytestmark = pytest.mark.django_db


def _units(tree_code, **filters):
    return AdministrativeUnit.objects.filter(tree__code=tree_code, **filters)


def _snapshot():
    return (
        UnitTree.objects.count(),
        list(AdministrativeUnit.objects.order_by("pk").values_list("pk", "name", "path")),
        AuditLog.objects.count(),
    )


def test_legacy_tree_has_districts_between_city_and_commune_r_unit_1():
    """R-UNIT-1: the legacy tree is city → district → commune, valid until 30/06/2025."""
    result = units_import(tree_code="legacy", province_codes=["01"])

    tree = UnitTree.objects.get(code="legacy")
    assert (tree.levels, tree.valid_from, tree.valid_to) == (3, None, dt.date(2025, 6, 30))
    assert result.created == 1 + 30 + 526
    assert _units("legacy", level=UnitLevel.CITY).count() == 1
    assert _units("legacy", level=UnitLevel.DISTRICT).count() == 30
    assert _units("legacy", level=UnitLevel.COMMUNE).count() == 526
    # Every commune hangs under a district, every district under the city.
    assert (
        not _units("legacy", level=UnitLevel.COMMUNE)
        .exclude(parent__level=UnitLevel.DISTRICT)
        .exists()
    )
    assert (
        not _units("legacy", level=UnitLevel.DISTRICT)
        .exclude(parent__level=UnitLevel.CITY)
        .exists()
    )

    phuc_xa = _units("legacy").get(level=UnitLevel.COMMUNE, code="00001")
    assert phuc_xa.name == "Phường Phúc Xá"
    assert phuc_xa.division_type == "phường"
    assert phuc_xa.parent.name == "Quận Ba Đình"
    assert phuc_xa.parent.code == "001"
    assert phuc_xa.parent.parent.name == "Thành phố Hà Nội"
    assert phuc_xa.path == "/legacy/01/001/00001/"
    assert (phuc_xa.valid_from, phuc_xa.valid_to) == (None, dt.date(2025, 6, 30))


def test_2025_tree_has_no_district_level_r_unit_1():
    """R-UNIT-1: since 1 July 2025 communes hang directly under the province."""
    result = units_import(tree_code="2025", province_codes=["01", "79"])

    tree = UnitTree.objects.get(code="2025")
    assert (tree.levels, tree.valid_from, tree.valid_to) == (2, dt.date(2025, 7, 1), None)
    assert result.created == 1 + 126 + 1 + 168
    assert not _units("2025", level=UnitLevel.DISTRICT).exists()
    assert _units("2025", level=UnitLevel.COMMUNE, parent__code="01").count() == 126
    assert _units("2025", level=UnitLevel.COMMUNE, parent__code="79").count() == 168

    ba_dinh = _units("2025").get(level=UnitLevel.COMMUNE, code="00004")
    assert ba_dinh.name == "Phường Ba Đình"
    assert ba_dinh.parent.name == "Thành phố Hà Nội"
    assert ba_dinh.path == "/2025/01/00004/"
    assert (ba_dinh.valid_from, ba_dinh.valid_to) == (dt.date(2025, 7, 1), None)


def test_units_of_both_trees_live_side_by_side():
    units_import(tree_code="legacy", province_codes=["01"])
    units_import(tree_code="2025", province_codes=["01"])

    assert AdministrativeUnit.objects.filter(level=UnitLevel.CITY, code="01").count() == 2
    assert UnitTree.objects.count() == 2


def test_second_import_creates_no_duplicates_and_reports_all_unchanged():
    units_import(tree_code="2025", province_codes=["01", "79"])
    count = AdministrativeUnit.objects.count()

    again = units_import(tree_code="2025", province_codes=["79", "1"])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 296)
    assert again.by_level["city"].unchanged == 2
    assert again.by_level["commune"].unchanged == 294
    assert AdministrativeUnit.objects.count() == count


def test_changed_name_is_updated_and_admin_edits_are_kept():
    units_import(tree_code="2025", province_codes=["01"])
    unit = _units("2025").get(level=UnitLevel.COMMUNE, code="00004")
    AdministrativeUnit.objects.filter(pk=unit.pk).update(
        name="Phường Ba Đình (cũ)", agency_code="000.01.30.H26", valid_to=dt.date(2030, 1, 1)
    )

    result = units_import(tree_code="2025", province_codes=["01"])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 126)
    unit.refresh_from_db()
    assert unit.name == "Phường Ba Đình"
    assert unit.agency_code == "000.01.30.H26"
    assert unit.valid_to == dt.date(2030, 1, 1)


def test_unit_under_a_wrong_parent_is_moved_with_its_path():
    units_import(tree_code="legacy", province_codes=["01"])
    phuc_xa = _units("legacy").get(level=UnitLevel.COMMUNE, code="00001")
    hoan_kiem = _units("legacy").get(level=UnitLevel.DISTRICT, code="002")
    AdministrativeUnit.objects.filter(pk=phuc_xa.pk).update(
        parent=hoan_kiem, path="/legacy/01/002/00001/"
    )

    result = units_import(tree_code="legacy", province_codes=["01"])

    assert result.updated == 1
    phuc_xa.refresh_from_db()
    assert phuc_xa.parent.code == "001"
    assert phuc_xa.path == "/legacy/01/001/00001/"


def test_import_writes_one_audit_row_with_the_counts():
    units_import(tree_code="2025", province_codes=["01"])

    entry = AuditLog.objects.get(action="units.import")
    assert entry.object_type == "portal.unittree"
    assert entry.object_id == str(UnitTree.objects.get(code="2025").pk)
    assert entry.data["provinces"] == ["01"]
    assert entry.data["created"] == 127
    assert entry.data["by_level"]["commune"]["created"] == 126


def test_import_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    """Bulk writes: the query count does not grow with the number of units (~850 here)."""
    with django_assert_max_num_queries(15):
        units_import(tree_code="legacy", province_codes=["01", "79"])
    assert AdministrativeUnit.objects.count() == 1 + 30 + 526 + 1 + 22 + 273


def test_unknown_province_is_refused_and_nothing_changes():
    units_import(tree_code="legacy", province_codes=["01"])
    before = _snapshot()

    with pytest.raises(UnknownProvince) as caught:
        units_import(tree_code="legacy", province_codes=["01", "99"])

    assert caught.value.code == "unknown_province"
    with translation.override("en"):
        assert str(caught.value) == "There is no province with code 99 in the unit tree “legacy”."
    assert _snapshot() == before


def test_province_of_the_other_tree_is_refused_on_an_empty_database():
    """Hà Giang (02) exists only in the legacy tree: no tree, unit or audit row is written."""
    with pytest.raises(UnknownProvince):
        units_import(tree_code="2025", province_codes=["02"])

    assert _snapshot() == (0, [], 0)


def test_malformed_province_code_is_refused():
    with pytest.raises(UnknownProvince) as caught, translation.override("en"):
        units_import(tree_code="2025", province_codes=["Hà Nội"])
    with translation.override("en"):
        assert "“Hà Nội” is not a province code" in str(caught.value)
    assert _snapshot() == (0, [], 0)


def test_unknown_tree_is_refused():
    with pytest.raises(UnknownUnitTree):
        units_import(tree_code="1990", province_codes=["01"])
    assert _snapshot() == (0, [], 0)


def test_command_prints_counts_per_level():
    out = StringIO()
    with translation.override("en"):
        call_command("import_units", "--tree", "2025", "--province", "01", stdout=out)

    text = out.getvalue()
    assert "City / province: 1 created, 0 updated, 0 unchanged" in text
    assert "Commune / ward: 126 created, 0 updated, 0 unchanged" in text


def test_command_with_both_trees_changes_nothing_when_one_tree_refuses():
    """02 exists in the legacy tree only: the legacy import is rolled back too."""
    with pytest.raises(CommandError, match="02"):
        call_command("import_units", "--tree", "all", "--province", "02", stdout=StringIO())

    assert _snapshot() == (0, [], 0)


@pytest.mark.slow
def test_whole_country_imports_both_trees_within_a_minute():
    """R-UNIT-1 at national scale: 63 + 696 + 10,051 legacy units and 34 + 3,321 current."""
    started = time.monotonic()
    legacy = units_import(tree_code="legacy")
    current = units_import(tree_code="2025")
    elapsed = time.monotonic() - started

    assert {k: c.created for k, c in legacy.by_level.items()} == {
        "city": 63,
        "district": 696,
        "commune": 10051,
    }
    assert {k: c.created for k, c in current.by_level.items()} == {"city": 34, "commune": 3321}
    assert elapsed < 60
    again = units_import(tree_code="legacy")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 63 + 696 + 10051)
