"""The index arithmetic of R-SUR-3 on plain data (no database), with hand-computed results."""

import pytest

from surveys import indices
from surveys.indices import (
    AreaSpec,
    CriterionSpec,
    FormSpec,
    OptionSpec,
    QuestionSpec,
    compute_indices,
    tally_answers,
)
from tests.surveys.helpers import SMALL_DATASET

SMALL = FormSpec(
    code="small",
    scale="five_level",
    areas=(
        AreaSpec(code="X", criteria=(CriterionSpec("x1"), CriterionSpec("x2"))),
        AreaSpec(code="Y", criteria=(CriterionSpec("y1"),)),
    ),
    questions=(
        QuestionSpec(
            code="harassment",
            options=(OptionSpec("none"), OptionSpec("some"), OptionSpec("many")),
        ),
    ),
)


def small_result(**kwargs):
    tallies = tally_answers(
        (code, value) for answers, _extra in SMALL_DATASET for code, value in answers.items()
    )
    extras = {"harassment": {}}
    for _answers, option in SMALL_DATASET:
        if option:
            extras["harassment"][option] = extras["harassment"].get(option, 0) + 1
    kwargs.setdefault("aggregation", "mean_of_areas")
    kwargs.setdefault("small_sample_threshold", 30)
    return compute_indices(form=SMALL, responses=6, tallies=tallies, extras=extras, **kwargs)


def criteria_of(result):
    return {c.code: c for a in result.areas for c in a.criteria}


def test_criterion_index_excludes_not_applicable_and_blank_r_sur_3():
    """x1 = 5, 4, 3, 2, n/a, blank → valid 4, satisfied (4 or 5) 2 → 2/4 × 100 = 50.
    x2 = 5, 5, 5, n/a, n/a, blank → valid 3, satisfied 3 → 100.
    y1 = 1, 4, 2, blank ×3 → valid 3, satisfied 1 → 33.33…"""
    c = criteria_of(small_result())
    assert (c["x1"].valid, c["x1"].satisfied, c["x1"].index) == (4, 2, 50.0)
    assert (c["x2"].valid, c["x2"].satisfied, c["x2"].index) == (3, 3, 100.0)
    assert (c["y1"].valid, c["y1"].satisfied) == (3, 1)
    assert c["y1"].index == pytest.approx(100 / 3)


def test_distribution_counts_each_level_not_applicable_and_blank_r_sur_3():
    c = criteria_of(small_result())
    assert c["x1"].distribution == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    assert (c["x1"].not_applicable, c["x1"].blank) == (1, 1)
    assert c["x2"].distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 3}
    assert (c["x2"].not_applicable, c["x2"].blank) == (2, 1)
    assert (c["y1"].not_applicable, c["y1"].blank) == (0, 3)


def test_area_index_is_the_unweighted_mean_of_its_criteria_r_sur_3():
    """Area X = (50 + 100) / 2 = 75 (not the pooled 5/7 = 71.4); area Y = 33.33…"""
    result = small_result()
    x, y = result.areas
    assert x.index == 75.0
    assert x.valid == 7 and x.criteria_counted == 2
    assert y.index == pytest.approx(100 / 3)


def test_overall_index_is_the_mean_of_the_area_indices_r_sur_3():
    """(75 + 33.33…) / 2 = 54.1666…; valid answers 4 + 3 + 3 = 10."""
    result = small_result()
    assert result.aggregation == "mean_of_areas"
    assert result.overall == pytest.approx((75 + 100 / 3) / 2)
    assert result.overall == pytest.approx(54.1667, abs=1e-4)
    assert result.valid == 10


def test_mean_of_criteria_is_the_alternative_aggregation_r_sur_3():
    """(50 + 100 + 33.33…) / 3 = 61.11…"""
    result = small_result(aggregation="mean_of_criteria")
    assert result.overall == pytest.approx(61.1111, abs=1e-4)


def test_aggregation_comes_from_the_setting(settings):
    settings.SURVEY_INDEX_AGGREGATION = "mean_of_criteria"
    result = small_result(aggregation=None)
    assert result.aggregation == "mean_of_criteria"
    assert result.overall == pytest.approx(550 / 9)


def test_unknown_aggregation_setting_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SURVEY_INDEX_AGGREGATION = "weighted"
    with pytest.raises(ImproperlyConfigured):
        small_result(aggregation=None)


def test_criteria_without_valid_answers_are_left_out_of_the_area_mean_r_sur_3():
    """x1: 4, 2 → 50; x2 only n/a and blank → no index, not counted as 0; area X = 50.
    y1 only blank → area Y has no index; overall = mean of the areas that have one = 50."""
    tallies = tally_answers(
        [("x1", 4), ("x1", 2), ("x2", "na"), ("x2", None), ("y1", None), ("y1", None)]
    )
    result = compute_indices(form=SMALL, responses=2, tallies=tallies, aggregation="mean_of_areas")
    x, y = result.areas
    assert x.criteria[1].index is None
    assert x.index == 50.0 and x.criteria_counted == 1
    assert y.index is None and y.criteria_counted == 0
    assert result.overall == 50.0


def test_no_valid_answers_at_all_gives_no_index_r_sur_3():
    result = compute_indices(form=SMALL, responses=0, tallies={}, aggregation="mean_of_areas")
    assert result.overall is None
    assert result.valid == 0
    assert all(a.index is None for a in result.areas)


def test_small_sample_is_flagged_not_hidden_r_sur_3():
    """29 responses < 30 → flagged, and the index is still there; 30 → not flagged."""
    tallies = tally_answers([("x1", 5)] * 29)
    small = compute_indices(form=SMALL, responses=29, tallies=tallies, small_sample_threshold=30)
    assert small.small_sample is True
    assert small.overall == 100.0
    tallies = tally_answers([("x1", 5)] * 30)
    enough = compute_indices(form=SMALL, responses=30, tallies=tallies, small_sample_threshold=30)
    assert enough.small_sample is False


def test_small_sample_threshold_comes_from_the_setting(settings):
    settings.SURVEY_SMALL_SAMPLE = 5
    assert small_result(small_sample_threshold=None).small_sample is False  # 6 ≥ 5
    settings.SURVEY_SMALL_SAMPLE = 7
    assert small_result(small_sample_threshold=None).small_sample is True  # 6 < 7


def test_extra_questions_are_shares_of_those_who_answered_and_not_in_the_index_r_sur_1():
    """harassment: none 3, some 1, many 1, skipped 1 → answered 5: 60 %, 20 %, 20 %."""
    result = small_result()
    (question,) = result.questions
    shares = {o.code: (o.count, o.share) for o in question.options}
    assert shares == {"none": (3, 60.0), "some": (1, 20.0), "many": (1, 20.0)}
    assert (question.answered, question.unanswered) == (5, 1)
    tallies = tally_answers(
        (code, value) for answers, _e in SMALL_DATASET for code, value in answers.items()
    )
    without_extras = compute_indices(
        form=SMALL, responses=6, tallies=tallies, extras={}, aggregation="mean_of_areas"
    )
    assert without_extras.overall == result.overall


def test_ten_point_form_reports_the_mean_score_and_no_index_r_sur_1():
    """Scores 10, 8, 7 and one blank → mean (10 + 8 + 7) / 3 = 8.33…"""
    form = FormSpec(
        code="m-score",
        scale="score_10",
        areas=(AreaSpec(code="overall", criteria=(CriterionSpec("S1"),)),),
    )
    tallies = tally_answers([("S1", 10), ("S1", 8), ("S1", 7), ("S1", None)])
    result = compute_indices(form=form, responses=4, tallies=tallies, aggregation="mean_of_areas")
    (criterion,) = result.areas[0].criteria
    assert criterion.mean_score == pytest.approx(25 / 3)
    assert result.mean_score == pytest.approx(25 / 3)
    assert criterion.distribution[0] == 0 and criterion.distribution[10] == 1
    assert len(criterion.distribution) == 11
    assert criterion.blank == 1 and criterion.valid == 3
    assert result.overall is None


def test_mean_helper_ignores_missing_values():
    assert indices.mean([None, 40.0, None, 60.0]) == 50.0
    assert indices.mean([None]) is None
