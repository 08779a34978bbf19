"""Every survey figure can be traced to the answers behind it (R-IND-5, R-IND-2)."""

from surveys import services
from surveys.indices import indices_for
from surveys.selectors import answers_behind, responses_visible
from tests.helpers import at
from tests.surveys.helpers import SMALL_DATASET, by_id

NOW = at(2026, 3, 20, 10)


def test_answers_behind_a_criterion_match_its_counts_r_ind_5(desk, alice, small_form):
    for n, (answers, option) in enumerate(SMALL_DATASET):
        services.response_enter_paper(
            desk=desk,
            serial=f"P-{n}",
            answers=by_id(small_form.c, answers),
            extras={small_form.q["harassment"].pk: option},
            actor=alice,
            at=NOW,
        )
    responses = responses_visible(user=alice)
    x1 = indices_for(responses_queryset=responses).areas[0].criteria[0]
    assert answers_behind(responses_queryset=responses, criterion_code="x1").count() == 6
    assert (
        answers_behind(responses_queryset=responses, criterion_code="x1", value=5).count()
        == (x1.distribution[5])
    )
    na = answers_behind(responses_queryset=responses, criterion_code="x1", value="na")
    blank = answers_behind(responses_queryset=responses, criterion_code="x1", value=None)
    assert (na.count(), blank.count()) == (x1.not_applicable, x1.blank) == (1, 1)
    assert [a.response.paper_serial for a in na] == ["P-4"]


def test_outsider_traces_nothing_of_another_unit(desk, alice, charlie, small_form):
    services.response_enter_paper(
        desk=desk, serial="P-1", answers=by_id(small_form.c, {"x1": 5}), actor=alice, at=NOW
    )
    theirs = responses_visible(user=charlie)
    assert not answers_behind(responses_queryset=theirs, criterion_code="x1").exists()
