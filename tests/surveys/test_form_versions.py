"""An answered form version is never edited (R-SUR-1): its wording, scale and structure are
frozen; changes go into a copy, the next version."""

import pytest

from portal.models import AuditLog
from surveys import services
from surveys.models import Area, Criterion, ExtraQuestion, FormVersionFrozen, Response
from tests.factories import CriterionFactory, ExtraQuestionFactory, SurveyAreaFactory
from tests.helpers import at
from tests.surveys.helpers import by_id

NOW = at(2026, 3, 9, 10)


@pytest.fixture
def answered(small_form, desk, alice):
    services.response_enter_paper(
        desk=desk, serial="P-1", answers=by_id(small_form.c, {"x1": 4}), actor=alice, at=NOW
    )
    return small_form


def test_unanswered_form_can_be_edited(small_form):
    small_form.form.name_vi = "Phiếu nhỏ (sửa)"
    small_form.form.save()
    criterion = small_form.c["x1"]
    criterion.text_vi = "Tiêu chí mới"
    criterion.save()
    CriterionFactory(area=criterion.area, code="x3")
    assert Criterion.objects.filter(area__form=small_form.form).count() == 4


@pytest.mark.parametrize(
    "field, value",
    [
        ("name_vi", "Đổi tên"),
        ("scale", "score_10"),
        ("scale_labels", [{"value": 1, "label_vi": "Tệ"}]),
    ],
)
def test_answered_form_wording_and_scale_are_frozen_r_sur_1(answered, field, value):
    form = answered.form
    setattr(form, field, value)
    with pytest.raises(FormVersionFrozen):
        form.save()


def test_answered_form_can_still_be_unpublished_and_retired(answered):
    form = answered.form
    form.is_published = False
    form.valid_to = NOW.date()
    form.save()
    form.refresh_from_db()
    assert (form.is_published, form.valid_to) == (False, NOW.date())


def test_criteria_of_an_answered_form_cannot_change_r_sur_1(answered):
    criterion = answered.c["x1"]
    criterion.text_vi = "Câu chữ khác"
    with pytest.raises(FormVersionFrozen):
        criterion.save()
    with pytest.raises(FormVersionFrozen):
        CriterionFactory(area=criterion.area, code="x3")
    with pytest.raises(FormVersionFrozen):
        answered.c["y1"].delete()
    criterion.refresh_from_db()
    assert criterion.text_vi != "Câu chữ khác"


def test_areas_and_extra_questions_of_an_answered_form_cannot_change_r_sur_1(answered):
    area = Area.objects.get(form=answered.form, code="X")
    area.name_vi = "Khác"
    with pytest.raises(FormVersionFrozen):
        area.save()
    with pytest.raises(FormVersionFrozen):
        SurveyAreaFactory(form=answered.form, code="Z")
    question = answered.q["harassment"]
    question.options = [{"code": "yes", "label_vi": "Có"}]
    with pytest.raises(FormVersionFrozen):
        question.save()
    with pytest.raises(FormVersionFrozen):
        ExtraQuestionFactory(form=answered.form)


def test_new_version_copies_areas_criteria_questions_and_units(answered, tree, bob):
    answered.form.units.add(tree["district_a"])
    new = services.survey_form_new_version(form=answered.form, actor=bob)
    assert (new.code, new.version, new.is_published, new.derived_from) == (
        "small",
        2,
        False,
        answered.form,
    )
    assert list(new.areas.values_list("code", flat=True)) == ["X", "Y"]
    assert sorted(Criterion.objects.filter(area__form=new).values_list("code", flat=True)) == [
        "x1",
        "x2",
        "y1",
    ]
    assert list(new.extra_questions.values_list("code", "options")) == [
        ("harassment", answered.q["harassment"].options)
    ]
    assert list(new.units.all()) == [tree["district_a"]]
    assert AuditLog.objects.filter(action="survey_form.new_version", actor=bob).count() == 1


def test_new_version_is_editable_and_the_old_one_keeps_its_answers(answered):
    new = services.survey_form_new_version(form=answered.form)
    criterion = Criterion.objects.get(area__form=new, code="x1")
    criterion.text_vi = "Câu chữ mới"
    criterion.save()
    ExtraQuestion.objects.filter(form=new).get().delete()
    old = Criterion.objects.get(pk=answered.c["x1"].pk)
    assert old.text_vi != "Câu chữ mới"
    assert Response.objects.get().form == answered.form
    assert answered.form.extra_questions.count() == 1


def test_versions_are_numbered_after_the_highest(answered):
    second = services.survey_form_new_version(form=answered.form)
    third = services.survey_form_new_version(form=answered.form)
    assert (second.version, third.version) == (2, 3)
    assert third.derived_from == answered.form
