"""Plain helpers shared by the report tests (fixtures stay in conftest.py)."""

import datetime as dt

from portal.models import UnitLevel, UnitTree
from reports import services
from tests.factories import UnitFactory, UnitTreeFactory
from tests.helpers import at

D = dt.date

MARCH_FIRST, MARCH_LAST = D(2026, 3, 1), D(2026, 3, 31)


def rebuild(date_from=MARCH_FIRST, date_to=MARCH_LAST, unit=None, now=None):
    """Rebuild the rollups of March 2026 as seen on 1 April 2026."""
    return services.stats_recompute_range(
        date_from=date_from, date_to=date_to, unit=unit, now=now or at(2026, 4, 1, 8)
    )


def stat_rows(model):
    """Every row of a rollup table as a comparable tuple (ids left out)."""
    fields = [f.attname for f in model._meta.fields if f.name != "id"]
    return sorted(model.objects.values_list(*fields))


def two_trees():
    """Province 01 in both trees: legacy (city → district 001 → communes 00001, 00004, until
    30/06/2025) and 2025 (city → communes 00001 and 00004 directly, from 01/07/2025)."""
    legacy = UnitTreeFactory(code="legacy", levels=3, valid_to=dt.date(2025, 6, 30))
    new = UnitTree.objects.create(
        code="2025", name="Hai cấp", levels=2, valid_from=dt.date(2025, 7, 1)
    )
    end, start = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    old_city = UnitFactory(tree=legacy, level=UnitLevel.CITY, code="01", valid_to=end)
    district = UnitFactory(
        tree=legacy, parent=old_city, level=UnitLevel.DISTRICT, code="001", valid_to=end
    )
    old = [
        UnitFactory(tree=legacy, parent=district, level=UnitLevel.COMMUNE, code=c, valid_to=end)
        for c in ("00001", "00004")
    ]
    new_city = UnitFactory(tree=new, level=UnitLevel.CITY, code="01", valid_from=start)
    fresh = [
        UnitFactory(tree=new, parent=new_city, level=UnitLevel.COMMUNE, code=c, valid_from=start)
        for c in ("00001", "00004", "00007")
    ]
    return old_city, district, old, new_city, fresh
