"""R-RES-4: a rescheduled dossier counts as late in on-time statistics, and its apology counts
in the unit's statistics."""

from reports import periods, selectors
from tests.helpers import at
from tests.reports.helpers import D, rebuild


def test_rescheduled_dossier_done_by_its_new_date_counts_late_and_its_apology_counts_r_res_4(
    lifecycle, tree, clerk
):
    dossier = lifecycle.receive()  # due Mon 9/3
    lifecycle.reschedule(dossier, at(2026, 3, 5, 10), D(2026, 3, 12))
    lifecycle.complete(dossier, at(2026, 3, 11, 10))  # before the new date
    rebuild()
    result = selectors.indicator_values(
        user=clerk, unit=tree["commune_a1"], period=periods.month(2026, 3), now=at(2026, 4, 1)
    )
    fig = result.figures
    assert (fig.completed, fig.early, fig.on_time, fig.late) == (1, 0, 0, 1)
    assert fig.apologies == 1
    assert result.indicator("on_time_rate").value == 0.0
    assert result.indicator("late_share").value == 100.0


def test_apologies_roll_up_to_the_district_and_the_city_r_res_4(lifecycle, tree, clerk):
    for unit_key in ("commune_a1", "commune_a2", "commune_b1"):
        dossier = lifecycle.receive(unit_key)
        lifecycle.reschedule(dossier, at(2026, 3, 5, 10), D(2026, 3, 12))
    rebuild()
    month = periods.month(2026, 3)
    apologies = {
        key: selectors.indicator_values(
            user=clerk, unit=tree[key], period=month, now=at(2026, 4, 1)
        ).figures.apologies
        for key in ("district_a", "district_b", "city")
    }
    assert apologies == {"district_a": 2, "district_b": 1, "city": 3}


def test_rescheduled_open_dossier_is_not_overdue_before_its_new_date(lifecycle, tree, clerk):
    dossier = lifecycle.receive()
    lifecycle.reschedule(dossier, at(2026, 3, 5, 10), D(2026, 3, 12))
    rebuild()
    result = selectors.indicator_values(
        user=clerk, unit=tree["commune_a1"], period=periods.custom(D(2026, 3, 1), D(2026, 3, 11)),
        now=at(2026, 4, 1),
    )  # fmt: skip
    assert result.figures.overdue == 0
    later = selectors.indicator_values(
        user=clerk, unit=tree["commune_a1"], period=periods.month(2026, 3), now=at(2026, 4, 1)
    )
    assert later.figures.overdue == 1  # past 12/3 17:00 and still open on 31/3
