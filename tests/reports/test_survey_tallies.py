"""R-SUR-3 from the rollups: tallies are summed per criterion over days and units and handed to
``surveys.indices``, so the indices equal the ones computed from the raw answers (percentages
are never averaged)."""

import pytest

from reports import periods, selectors
from reports.models import SurveyDayStat, SurveyResponseDayStat
from surveys import services
from surveys.indices import indices_for
from surveys.models import Response
from tests.helpers import at
from tests.reports.helpers import D, rebuild
from tests.surveys.helpers import SMALL_DATASET, by_id, enter_dataset

MARCH = periods.month(2026, 3)


def test_tallies_are_stored_per_unit_day_and_criterion_r_sur_3(desks, clerk, small_form, tree):
    enter_dataset(desk=desks["commune_a1"], actor=clerk, small_form=small_form)
    rebuild()
    rows = {
        row.criterion.code: (row.valid, row.satisfied, row.not_applicable, row.blank)
        for row in SurveyDayStat.objects.select_related("criterion")
    }
    assert rows == {"x1": (4, 2, 1, 1), "x2": (3, 3, 2, 1), "y1": (3, 1, 0, 3)}
    assert list(SurveyResponseDayStat.objects.values_list("day", "responses")) == [
        (D(2026, 3, 20), 6)
    ]


def test_indices_from_rollups_equal_the_hand_computation_r_sur_3(desks, clerk, small_form, tree):
    """x1 50, x2 100, y1 33.33 → area X 75, area Y 33.33 → overall 54.17 (6 responses)."""
    enter_dataset(desk=desks["commune_a1"], actor=clerk, small_form=small_form)
    rebuild()
    result = selectors.satisfaction_by_area(
        user=clerk, unit=tree["commune_a1"], period=MARCH, now=at(2026, 4, 1)
    )["small"]
    x, y = result.areas
    assert [c.index for c in x.criteria] == [50.0, 100.0]
    assert [c.valid for c in x.criteria] == [4, 3]
    assert y.criteria[0].index == pytest.approx(100 / 3)
    assert result.overall == pytest.approx(54.1667, abs=1e-4)
    assert (result.responses, result.small_sample) == (6, True)


def test_days_and_units_re_aggregate_tallies_not_percentages_r_sur_3(
    desks, clerk, small_form, tree
):
    """Sheets 1–3 at A1 on 19/3 and 4–6 at A2 on 20/3: the district's index over both equals the
    index of all six sheets (54.17), not the mean of the two units' overall indices."""
    for n, (answers, option) in enumerate(SMALL_DATASET, 1):
        desk = desks["commune_a1"] if n <= 3 else desks["commune_a2"]

        services.response_enter_paper(
            desk=desk,
            serial=f"S-{n}",
            answers=by_id(small_form.c, answers),
            extras={small_form.q["harassment"].pk: option},
            actor=clerk,
            submitted_at=at(2026, 3, 19 if n <= 3 else 20, 9),
            at=at(2026, 3, 20, 10),
        )
    rebuild()
    get = lambda key: selectors.satisfaction_by_area(  # noqa: E731
        user=clerk, unit=tree[key], period=MARCH, now=at(2026, 4, 1)
    )["small"]
    district = get("district_a")
    direct = indices_for(responses_queryset=Response.objects.all())
    assert district.overall == pytest.approx(direct.overall)
    assert district.overall == pytest.approx(54.1667, abs=1e-4)
    mean_of_units = (get("commune_a1").overall + get("commune_a2").overall) / 2
    assert mean_of_units != pytest.approx(district.overall)


def test_a_unit_without_answers_has_no_index(desks, clerk, tree, small_form):
    enter_dataset(desk=desks["commune_a1"], actor=clerk, small_form=small_form)
    rebuild()
    result = selectors.indicator_values(
        user=clerk, unit=tree["commune_b1"], period=MARCH, now=at(2026, 4, 1)
    )
    assert result.indicator("satisfaction").value is None
    assert result.figures.responses == 0
