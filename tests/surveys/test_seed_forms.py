"""The default forms (R-SUR-1): the SIPAS public-service block and the M-Score example."""

from io import StringIO

import pytest
from django.core.management import call_command

from portal.models import UnitLevel
from surveys.models import Area, Criterion, ExtraQuestion, SurveyForm
from surveys.seeding import seed_survey_forms
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_sipas_form_has_five_areas_and_nineteen_criteria_4_4_5_3_3_r_sur_1():
    form = seed_survey_forms()["sipas"]
    areas = list(form.areas.order_by("order"))
    assert [a.code for a in areas] == ["access", "procedure", "staff", "result", "feedback"]
    assert [a.criteria.count() for a in areas] == [4, 4, 5, 3, 3]
    assert Criterion.objects.filter(area__form=form).count() == 19
    assert form.scale == "five_level" and form.is_published


def test_sipas_criteria_have_vietnamese_and_english_wording_r_sur_1():
    form = seed_survey_forms()["sipas"]
    c1 = Criterion.objects.get(area__form=form, code="C1")
    assert c1.text_vi == "Công chức có thái độ giao tiếp lịch sự, tôn trọng đối với người dân."
    assert c1.text_en == "The official is polite and respectful."
    assert Area.objects.get(form=form, code="feedback").name_vi == (
        "Tiếp nhận, xử lý phản ánh, kiến nghị"
    )
    assert not Criterion.objects.filter(area__form=form, text_en="").exists()


def test_sipas_scale_has_the_five_levels_and_not_applicable_r_sur_1():
    form = seed_survey_forms()["sipas"]
    assert [form.label_for(v) for v in (1, 2, 3, 4, 5)] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ]
    assert form.label_for("na") == "Không áp dụng"
    assert form.label_for(4, "en") == "Satisfied"
    assert (form.scale_min, form.scale_max, form.allows_not_applicable) == (1, 5, True)


def test_sipas_extra_questions_harassment_payments_expectations_r_sur_1():
    form = seed_survey_forms()["sipas"]
    questions = {q.code: q for q in form.extra_questions.all()}
    assert list(questions) == ["harassment", "extra-payment", "expectations"]
    assert questions["harassment"].option_codes == ["none", "some", "many"]
    assert questions["extra-payment"].option_codes == ["none", "some", "many"]
    assert {"simplify", "shorten-time", "staff-attitude", "online", "facilities"} <= set(
        questions["expectations"].option_codes
    )
    for q in questions.values():
        q.full_clean()


def test_m_score_form_is_a_ten_point_score_with_time_and_extra_payment_r_sur_1():
    form = seed_survey_forms()["m-score"]
    assert form.scale == "score_10"
    assert (form.scale_min, form.scale_max, form.allows_not_applicable) == (0, 10, False)
    assert Criterion.objects.filter(area__form=form).count() == 1
    assert list(form.extra_questions.values_list("code", flat=True)) == ["time-taken", "paid-extra"]
    assert not form.is_published  # no Quảng Trị unit in this tree: left for an administrator


def test_m_score_form_is_published_for_quang_tri_when_the_tree_has_it():
    quang_tri = UnitFactory(level=UnitLevel.CITY, code="45", name="Tỉnh Quảng Trị")
    form = seed_survey_forms()["m-score"]
    assert form.is_published
    assert list(form.units.all()) == [quang_tri]


def test_seeding_twice_changes_nothing():
    first = seed_survey_forms()
    counts = (
        SurveyForm.objects.count(),
        Area.objects.count(),
        Criterion.objects.count(),
        ExtraQuestion.objects.count(),
    )
    second = seed_survey_forms()
    assert {k: f.pk for k, f in first.items()} == {k: f.pk for k, f in second.items()}
    assert counts == (2, 6, 20, 5)
    assert counts == (
        SurveyForm.objects.count(),
        Area.objects.count(),
        Criterion.objects.count(),
        ExtraQuestion.objects.count(),
    )


def test_seeding_keeps_an_administrators_unpublishing():
    form = seed_survey_forms()["sipas"]
    form.is_published = False
    form.save()
    seed_survey_forms()
    form.refresh_from_db()
    assert form.is_published is False


def test_seed_surveys_command_reports_what_it_made():
    out = StringIO()
    call_command("seed_surveys", stdout=out)
    assert "sipas v1: 5 areas, 19 criteria, 3 extra questions, published" in out.getvalue()
    assert "m-score v1: 1 areas, 1 criteria, 2 extra questions, not published" in out.getvalue()
