"""Plain helpers shared by the report tests (fixtures stay in conftest.py)."""

import datetime as dt

from reports import services
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
