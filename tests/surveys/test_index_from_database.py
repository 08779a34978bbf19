"""Indices computed from stored responses (R-SUR-3) per unit and period (R-IND-2)."""

import datetime as dt

import pytest

from surveys import services
from surveys.indices import indices_by_form, indices_for
from surveys.models import Response
from surveys.selectors import responses_filtered
from tests.factories import (
    CriterionFactory,
    ExtraQuestionFactory,
    SurveyAreaFactory,
    SurveyFormFactory,
)
from tests.helpers import at
from tests.surveys.helpers import by_id, enter_dataset

NOW = at(2026, 3, 20, 10)


def test_indices_of_stored_answers_match_the_hand_computation_r_sur_3(desk, alice, small_form):
    """The six sheets of SMALL_DATASET:
    x1 = 5, 4, 3, 2, n/a, blank → 2 satisfied / 4 valid = 50
    x2 = 5, 5, 5, n/a, n/a, blank → 3 / 3 = 100
    y1 = 1, 4, 2, blank ×3 → 1 / 3 = 33.33…
    area X = (50 + 100) / 2 = 75; area Y = 33.33…; overall = (75 + 33.33…) / 2 = 54.166…
    6 responses < 30 → small sample."""
    enter_dataset(desk=desk, actor=alice, small_form=small_form)
    result = indices_for(responses_queryset=Response.objects.all())
    x, y = result.areas
    assert [c.index for c in x.criteria] == [50.0, 100.0]
    assert y.criteria[0].index == pytest.approx(100 / 3)
    assert x.index == 75.0
    assert result.overall == pytest.approx(54.1667, abs=1e-4)
    assert (result.responses, result.valid, result.small_sample) == (6, 10, True)
    x1 = x.criteria[0]
    assert x1.distribution == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert (x1.not_applicable, x1.blank) == (1, 1)
    (question,) = result.questions
    assert {o.code: o.share for o in question.options} == {"none": 60.0, "some": 20.0, "many": 20.0}
    assert question.unanswered == 1


def test_indices_per_unit_and_period_use_only_that_units_answers_r_ind_2(
    desk, desk_b1, alice, charlie, bob, small_form, tree
):
    """A1's six sheets in March give 54.17; B1's all-5 sheets and A1's February sheets must not
    move it."""
    enter_dataset(desk=desk, actor=alice, small_form=small_form)
    enter_dataset(
        desk=desk, actor=alice, small_form=small_form, prefix="F", submitted_at=at(2026, 2, 27, 9)
    )
    for n in range(3):
        services.response_enter_paper(
            desk=desk_b1,
            serial=f"B-{n}",
            answers=by_id(small_form.c, {"x1": 5, "x2": 5, "y1": 5}),
            actor=charlie,
            at=NOW,
        )
    march = responses_filtered(
        user=bob,
        unit=tree["commune_a1"],
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 3, 31),
    )
    result = indices_for(responses_queryset=march)
    assert result.responses == 6
    assert result.overall == pytest.approx(54.1667, abs=1e-4)
    b1 = indices_for(responses_queryset=responses_filtered(user=charlie))
    assert (b1.responses, b1.overall) == (3, 100.0)


def test_no_responses_give_no_indices(small_form):
    assert indices_for(responses_queryset=Response.objects.all()) is None


def test_versions_of_a_form_are_pooled_by_criterion_code_r_sur_3(desk, alice, small_form):
    """v1: x1 = 5 and 1; v2: x1 = 4 → 2 satisfied of 3 = 66.67 (the new version's wording)."""
    for n, value in enumerate((5, 1)):
        services.response_enter_paper(
            desk=desk,
            serial=f"v1-{n}",
            answers=by_id(small_form.c, {"x1": value}),
            actor=alice,
            at=NOW,
        )
    v2 = services.survey_form_new_version(form=small_form.form)
    x1_v2 = v2.areas.get(code="X").criteria.get(code="x1")
    x1_v2.text_vi = "Câu chữ phiên bản 2"
    x1_v2.save()
    services.response_enter_paper(
        desk=desk, serial="v2-1", form=_published(v2), answers={x1_v2.pk: 4}, actor=alice, at=NOW
    )
    result = indices_for(responses_queryset=Response.objects.all())
    x1 = result.areas[0].criteria[0]
    assert (x1.code, x1.valid, x1.satisfied) == ("x1", 3, 2)
    assert x1.index == pytest.approx(200 / 3)
    assert x1.text_vi == "Câu chữ phiên bản 2"
    assert result.responses == 3


def _published(form):
    form.is_published = True
    form.save()
    return form


def test_several_forms_are_reported_separately(desk, alice, small_form):
    score = SurveyFormFactory(code="score", scale="score_10", is_published=False)
    s1 = CriterionFactory(area=SurveyAreaFactory(form=score, code="overall"), code="S1")
    ExtraQuestionFactory(form=score, code="paid-extra")
    services.response_enter_paper(
        desk=desk, serial="A", answers=by_id(small_form.c, {"x1": 4}), actor=alice, at=NOW
    )
    _published(score)
    paid_extra = score.extra_questions.get()
    for value in (10, 8, 7):
        services.response_enter_phone(
            desk=desk, form=score, answers={s1.pk: value}, actor=alice, at=NOW
        )
    services.response_enter_phone(
        desk=desk,
        form=score,
        answers={s1.pk: None},
        extras={paid_extra.pk: "none"},
        actor=alice,
        at=NOW,
    )
    results = indices_by_form(responses_queryset=Response.objects.all())
    assert set(results) == {"small", "score"}
    assert results["small"].overall == 100.0
    assert results["score"].mean_score == pytest.approx(25 / 3)  # (10 + 8 + 7) / 3
    assert results["score"].overall is None
    assert results["score"].responses == 4
    with pytest.raises(ValueError, match="several forms"):
        indices_for(responses_queryset=Response.objects.all())
    only = indices_for(responses_queryset=Response.objects.all(), form_code="score")
    assert only.responses == 4
