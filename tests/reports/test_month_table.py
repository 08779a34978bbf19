"""The month-by-unit heat table (R-IND-4): each cell is the figure of that child over that month
(clipped to the period), read with one grouped query per rollup table for all children and
months, the overdue snapshots taken on each month's last day within the period."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import periods, selectors
from tests.helpers import at
from tests.reports.helpers import D, rebuild

NOW = at(2026, 4, 1)
SPAN = periods.custom(D(2026, 2, 10), D(2026, 3, 20))


@pytest.mark.parametrize(
    "indicator",
    ["received", "late", "overdue", "on_time_rate", "complaints_received", "complaints_overdue"],
)
def test_each_cell_is_the_child_s_figure_for_that_month(march, complaints, tree, clerk, indicator):
    rebuild(date_from=D(2026, 2, 1))
    table = selectors.month_by_unit(
        user=clerk, unit=tree["district_a"], period=SPAN, indicator=indicator, now=NOW
    )
    assert table.months == [D(2026, 2, 1), D(2026, 3, 1)]
    assert [unit for unit, _cells in table.rows] == [tree["commune_a1"], tree["commune_a2"]]
    for unit, cells in table.rows:
        for month, cell in zip(table.months, cells, strict=True):
            part = SPAN.clip(month, D(2026, 3, 31) if month.month == 3 else D(2026, 2, 28))
            fig = selectors.indicator_values(user=clerk, unit=unit, period=part, now=NOW).figures
            expected = (
                fig.value(indicator) if indicator.endswith("rate") else getattr(fig, indicator)
            )
            assert cell == expected, (unit.name, month, indicator)


def test_the_table_reads_a_fixed_number_of_queries_whatever_the_months(march, tree, clerk):
    rebuild()
    counts = []
    for period in (periods.month(2026, 3), periods.year(2026)):
        with CaptureQueriesContext(connection) as queries:
            selectors.month_by_unit(
                user=clerk, unit=tree["city"], period=period, indicator="received", now=NOW
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]
