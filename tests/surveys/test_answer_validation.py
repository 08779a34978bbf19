"""Answers are checked against the form version being answered and its scale; a bad answer
refuses the whole response and leaves the database unchanged (R-SUR-1, R-SUR-2)."""

import pytest

from surveys import services
from surveys.exceptions import InvalidAnswers
from surveys.models import Response
from tests.factories import CriterionFactory, SurveyAreaFactory, SurveyFormFactory
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

INVITED_AT = at(2026, 3, 5, 11)


@pytest.fixture
def token(returned_dossier):
    return services.invitation_create(dossier=returned_dossier, at=INVITED_AT)


def refused(token, **kwargs):
    before = db_state()
    with pytest.raises(InvalidAnswers) as info:
        services.response_submit_by_token(token=token, at=INVITED_AT, **kwargs)
    assert db_state() == before
    assert not Response.objects.exists()
    return info.value


@pytest.mark.parametrize("value", [0, 6, -1, 10, "7", 4.5, True, "good"])
def test_answer_outside_the_five_level_scale_is_refused_r_sur_1(token, small_form, value):
    error = refused(token, answers=by_id(small_form.c, {"x1": 5, "x2": value}))
    assert error.code == "out_of_scale"
    assert f"criterion_{small_form.c['x2'].pk}" in error.fields


def test_criterion_of_another_form_version_is_refused_r_sur_1(token, small_form):
    """The criterion x1 of version 2 is not part of version 1, which the citizen answers."""
    version_2 = services.survey_form_new_version(form=small_form.form)
    x1_v2 = version_2.areas.get(code="X").criteria.get(code="x1")
    error = refused(token, answers={small_form.c["x1"].pk: 5, x1_v2.pk: 4})
    assert error.code == "foreign_criterion"


def test_criterion_of_another_form_is_refused_r_sur_1(token, small_form):
    other = CriterionFactory(area=SurveyAreaFactory(form=SurveyFormFactory(is_published=False)))
    error = refused(token, answers={other.pk: 4})
    assert error.code == "foreign_criterion"


def test_unknown_criterion_id_is_refused(token, small_form):
    error = refused(token, answers={"abc": 4, 999999: 4})
    assert error.code == "foreign_criterion"


def test_not_applicable_on_a_ten_point_form_is_refused_r_sur_1(token, small_form):
    small_form.form.is_published = False
    small_form.form.save()
    score = SurveyFormFactory(code="score", scale="score_10")
    s1 = CriterionFactory(area=SurveyAreaFactory(form=score), code="S1")
    error = refused(token, answers={s1.pk: "na"})
    assert error.code == "not_applicable_not_allowed"
    assert services.response_submit_by_token(token=token, answers={s1.pk: 0}, at=INVITED_AT)


def test_ten_point_form_accepts_0_to_10_and_refuses_11_r_sur_1(token, small_form):
    small_form.form.is_published = False
    small_form.form.save()
    score = SurveyFormFactory(code="score", scale="score_10")
    s1 = CriterionFactory(area=SurveyAreaFactory(form=score), code="S1")
    assert refused(token, answers={s1.pk: 11}).code == "out_of_scale"
    response = services.response_submit_by_token(token=token, answers={s1.pk: 10}, at=INVITED_AT)
    assert response.answers.get().value == 10


def test_unknown_option_of_an_extra_question_is_refused(token, small_form):
    error = refused(
        token,
        answers=by_id(small_form.c, {"x1": 5}),
        extras={small_form.q["harassment"].pk: "sometimes"},
    )
    assert error.code == "unknown_option"


def test_extra_question_of_another_form_is_refused(token, small_form):
    from tests.factories import ExtraQuestionFactory

    other = ExtraQuestionFactory(form=SurveyFormFactory(is_published=False))
    error = refused(token, answers=by_id(small_form.c, {"x1": 5}), extras={other.pk: "none"})
    assert error.code == "foreign_question"


def test_empty_form_is_refused(token, small_form):
    error = refused(token, answers=by_id(small_form.c, {"x1": None, "x2": ""}))
    assert error.code == "empty"


@pytest.mark.parametrize(
    "respondent",
    [{"gender": "robot"}, {"age_band": "12-17"}, {"shoe_size": "42"}, {"procedure": 987654}],
)
def test_invalid_respondent_fields_are_refused(token, small_form, respondent):
    refused(token, answers=by_id(small_form.c, {"x1": 5}), respondent=respondent)


def test_too_long_comment_is_refused(token, small_form):
    error = refused(token, answers=by_id(small_form.c, {"x1": 5}), comment="x" * 2001)
    assert error.code == "comment_too_long"


def test_database_refuses_a_value_outside_0_to_10_r_sur_1(token, small_form):
    """The service checks each form's scale; the database holds every answer to 0..10."""
    from django.db import IntegrityError, transaction

    response = services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 5}), at=INVITED_AT
    )
    answer = response.answers.get(criterion=small_form.c["x1"])
    answer.value = 11
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()
    answer.value = 3
    answer.not_applicable = True
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()
