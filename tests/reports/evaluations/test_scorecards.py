"""R-FB-4, R-IND-6: the monthly scorecard of an official. The clerk of the March 2026 dataset
received the eight dossiers of Commune A1 and closed the steps of seven of them (d1 early, d2 on
time, d3 d4 d5 late; d6's refusal and d7's withdrawal came after the same-day handover deadline
of the desk step: late): on-time rate 2 of 7. d4 was rescheduled on 5 March while in the desk
step the clerk later closed: one apology caused. A conduct complaint about the clerk counts;
the satisfaction of their applicants shows only from the minimum number of answers."""

from decimal import Decimal

import pytest

from reports import periods
from reports.evaluations import scorecards
from surveys import services as survey_services
from tests.helpers import at
from tests.reports.evaluations.helpers import NOW, conduct_complaint
from tests.surveys.helpers import by_id

MARCH = periods.month(2026, 3)


def test_the_clerk_s_march_scorecard_r_fb_4(q1, tree, clerk, clerk_on_staff):
    a1 = tree["commune_a1"]
    conduct_complaint(unit=a1, actor=clerk, dossier=q1["d1"], staff_member=clerk)
    (card,) = scorecards.scorecards(unit=a1, users=[clerk], period=MARCH, now=NOW)
    assert card.received == 8
    assert card.handled == 7
    assert (card.steps.early, card.steps.on_time, card.steps.late) == (1, 1, 5)
    assert card.steps.on_time_rate == pytest.approx(200 / 7)
    assert [p.place for p in card.steps_by_place] == ["Bộ phận một cửa"]
    assert card.apologies_caused == 1
    assert card.conduct["received"] == 1 and card.conduct_counted == 1
    assert card.responses == 0 and not card.satisfaction_shown
    # Circular 01 for the month: indices 1, 2 at 0.6; 7 at 0.2 (d1 complained about); 3, 4 missing
    assert card.evaluation.total == Decimal("1.4")
    assert card.evaluation.result_key == "low"


def test_the_unit_s_staff_are_its_members_and_whoever_acted_on_its_dossiers(
    q1, tree, clerk, alice, charlie
):
    staff = scorecards.staff_of_unit(unit=tree["commune_a1"], period=MARCH)
    assert {u.username for u in staff} == {"alice", "clerk"}


@pytest.mark.parametrize(("minimum", "shown"), [(2, True), (3, False)])
def test_satisfaction_at_their_desk_needs_enough_answers(
    q1, tree, clerk, desks, small_form, settings, minimum, shown
):
    settings.REPORTS_SCORECARD_MIN_RESPONSES = minimum
    for serial, dossier, answers in (
        ("S-1", q1["d1"], {"x1": 5, "x2": 4, "y1": 5}),
        ("S-2", q1["d2"], {"x1": 2, "x2": 5, "y1": 5}),
    ):
        survey_services.response_enter_paper(
            desk=desks["commune_a1"],
            serial=serial,
            answers=by_id(small_form.c, answers),
            actor=clerk,
            dossier=dossier,
            at=at(2026, 3, 20, 10),
        )
    (card,) = scorecards.scorecards(unit=tree["commune_a1"], users=[clerk], period=MARCH, now=NOW)
    assert card.responses == 2
    if shown:
        assert card.satisfaction == pytest.approx(87.5)  # X: (50 + 100) / 2, Y: 100
    else:
        assert card.satisfaction is None
