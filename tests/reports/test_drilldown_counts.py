"""R-IND-5: every figure lists the rows behind it, and their count equals the figure; the lists
are scoped by the user's units (a commune leader sees siblings' ranks, not their dossiers)."""

import pytest

from portal.exceptions import PermissionDenied
from reports import drilldown, periods, selectors
from reports.drilldown import DOSSIER_FIGURES
from tests.helpers import at
from tests.reports.helpers import D, rebuild
from tests.surveys.helpers import enter_dataset

MARCH = periods.month(2026, 3)
NOW = at(2026, 4, 1)


@pytest.mark.parametrize("unit_key", ["commune_a1", "commune_a2", "district_a", "city"])
def test_each_dossier_figure_lists_as_many_dossiers_as_it_counts_r_ind_5(
    march, tree, clerk, unit_key
):
    rebuild()
    unit = tree[unit_key]
    fig = selectors.indicator_values(user=clerk, unit=unit, period=MARCH, now=NOW).figures
    for figure in (*DOSSIER_FIGURES, "overdue"):
        rows = drilldown.dossiers_behind(
            user=clerk, unit=unit, period=MARCH, figure=figure, now=NOW
        )
        assert rows.count() == getattr(fig, figure), figure
    requests = drilldown.supplement_requests_behind(user=clerk, unit=unit, period=MARCH)
    assert requests.count() == fig.supplement_requests


def test_the_lists_name_the_hand_computed_dossiers_r_ind_5(march, tree, clerk):
    rebuild()
    a1 = tree["commune_a1"]
    codes = lambda figure, period=MARCH: {  # noqa: E731
        d.code
        for d in drilldown.dossiers_behind(
            user=clerk, unit=a1, period=period, figure=figure, now=NOW
        )
    }
    m = march
    assert codes("late") == {m["d3"].code, m["d4"].code, m["d5"].code}
    assert codes("apologies") == {m["d4"].code}
    assert codes("overdue") == {m["d8"].code}
    mid = periods.custom(D(2026, 3, 1), D(2026, 3, 14))
    assert codes("overdue", mid) == {m["d5"].code, m["d8"].code}  # the snapshot of 14/3


def test_a_day_s_figures_of_the_trend_match_their_lists_r_ind_5(march, tree, clerk):
    rebuild()
    unit = tree["district_a"]
    for point in selectors.trend(user=clerk, unit=unit, period=MARCH, now=NOW):
        month = periods.month(point.month.year, point.month.month)
        assert drilldown.dossiers_behind(
            user=clerk, unit=unit, period=month, figure="received", now=NOW
        ).count() == point.value("received")


def test_survey_figures_list_their_responses_r_ind_5(desks, clerk, tree, small_form):
    enter_dataset(desk=desks["commune_a1"], actor=clerk, small_form=small_form)
    rebuild()
    unit = tree["district_a"]
    result = selectors.satisfaction_by_area(user=clerk, unit=unit, period=MARCH, now=NOW)["small"]
    assert (
        drilldown.responses_behind(user=clerk, unit=unit, period=MARCH).count() == result.responses
    )
    for area in result.areas:
        for criterion in area.criteria:
            for answer, expected in (
                ("valid", criterion.valid),
                ("satisfied", criterion.satisfied),
            ):
                rows = drilldown.responses_behind(
                    user=clerk, unit=unit, period=MARCH, criterion_code=criterion.code,
                    answer=answer,
                )  # fmt: skip
                assert rows.count() == expected, (criterion.code, answer)


def test_a_commune_user_sees_sibling_ranks_but_not_their_dossiers(march, tree, alice, charlie):
    rebuild()
    table = selectors.ranking_table(user=alice, unit=tree["commune_a1"], period=MARCH, now=NOW)
    assert {r.unit for r in table.rows} == {tree["commune_a1"], tree["commune_a2"]}
    with pytest.raises(PermissionDenied):
        drilldown.dossiers_behind(
            user=alice, unit=tree["commune_a2"], period=MARCH, figure="received"
        )
    with pytest.raises(PermissionDenied):
        selectors.indicator_values(user=charlie, unit=tree["commune_a1"], period=MARCH)
    mine = drilldown.dossiers_behind(
        user=alice, unit=tree["commune_a1"], period=MARCH, figure="received"
    )
    assert mine.count() == 8


def test_a_district_leader_opens_any_commune_below_but_not_another_district(march, tree, bob):
    rebuild()
    for key in ("district_a", "commune_a1", "commune_a2"):
        selectors.indicator_values(user=bob, unit=tree[key], period=MARCH, now=NOW)
    with pytest.raises(PermissionDenied):
        selectors.ranking_table(user=bob, unit=tree["district_b"], period=MARCH, now=NOW)
    rows = drilldown.dossiers_behind(user=bob, unit=tree["district_a"], period=MARCH, figure="late")
    assert rows.count() == 3
