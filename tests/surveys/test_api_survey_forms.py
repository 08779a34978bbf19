"""Staff read the published survey forms (R-SUR-1): ``/api/v1/survey-forms/``."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from surveys import services
from tests.factories import (
    CriterionFactory,
    ExtraQuestionFactory,
    SurveyAreaFactory,
    SurveyFormFactory,
)
from tests.surveys.api_helpers import FORMS_URL, signed_in


def test_published_forms_with_areas_criteria_scale_and_extra_questions_r_sur_1(small_form, alice):
    body = signed_in(alice).get(FORMS_URL).json()
    assert body["count"] == 1
    (form,) = body["results"]
    assert (form["id"], form["code"], form["version"], form["scale"]) == (
        small_form.form.pk,
        "small",
        1,
        "five_level",
    )
    assert (form["is_published"], form["units"], form["valid_from"]) == (True, [], None)
    assert [(a["code"], [c["code"] for c in a["criteria"]]) for a in form["areas"]] == [
        ("X", ["x1", "x2"]),
        ("Y", ["y1"]),
    ]
    x1 = small_form.c["x1"]
    assert form["areas"][0]["criteria"][0] == {
        "id": x1.pk,
        "code": "x1",
        "text_vi": x1.text_vi,
        "text_en": x1.text_en,
        "order": 1,
    }
    (question,) = form["extra_questions"]
    assert question["code"] == "harassment"
    assert question["options"][0] == {"code": "none", "label_vi": "Không có", "label_en": "None"}


def test_seeded_sipas_form_has_five_areas_and_nineteen_criteria_r_sur_1(tree, alice):
    from surveys.seeding import seed_survey_forms

    seed_survey_forms()
    body = signed_in(alice).get(FORMS_URL, {"code": "sipas"}).json()
    (form,) = body["results"]
    assert [len(a["criteria"]) for a in form["areas"]] == [4, 4, 5, 3, 3]
    assert [label["value"] for label in form["scale_labels"]] == [1, 2, 3, 4, 5, "na"]
    assert all(c["text_vi"] and c["text_en"] for a in form["areas"] for c in a["criteria"])


def test_unpublished_versions_are_not_listed(small_form, alice):
    draft = services.survey_form_new_version(form=small_form.form)
    client = signed_in(alice)
    assert [f["id"] for f in client.get(FORMS_URL).json()["results"]] == [small_form.form.pk]
    assert client.get(f"{FORMS_URL}{draft.pk}/").status_code == 404
    assert client.get(f"{FORMS_URL}{small_form.form.pk}/").status_code == 200


def test_filter_by_code(small_form, alice):
    SurveyFormFactory(code="other")
    client = signed_in(alice)
    assert [f["code"] for f in client.get(FORMS_URL, {"code": "other"}).json()["results"]] == [
        "other"
    ]


def test_anonymous_request_is_refused(small_form):
    assert APIClient().get(FORMS_URL).status_code == 401
    assert APIClient().get(f"{FORMS_URL}{small_form.form.pk}/").status_code == 401


def test_forms_are_read_only(small_form, bob):
    client = signed_in(bob)
    assert client.post(FORMS_URL, {"code": "x"}, format="json").status_code == 405
    assert client.delete(f"{FORMS_URL}{small_form.form.pk}/").status_code == 405


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(FORMS_URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_forms(small_form, alice, tree):
    client = signed_in(alice)

    def add_forms(count):
        for _ in range(count):
            form = SurveyFormFactory()
            form.units.add(tree["commune_a1"])
            for _area in range(2):
                CriterionFactory.create_batch(3, area=SurveyAreaFactory(form=form))
            ExtraQuestionFactory(form=form)

    queries_one, count_one = _list_queries(client)
    add_forms(4)
    queries_five, count_five = _list_queries(client)
    assert (count_one, count_five) == (1, 5)
    assert queries_one == queries_five
