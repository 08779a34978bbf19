"""A citizen answers through the link or QR code of their dossier (R-SUR-2)."""

import pytest

from surveys import services
from surveys.exceptions import InvalidAnswers
from surveys.models import Answer, ExtraAnswer, Invitation
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

INVITED_AT = at(2026, 3, 5, 11)
ANSWERED_AT = at(2026, 3, 6, 20)


@pytest.fixture
def token(returned_dossier):
    return services.invitation_create(dossier=returned_dossier, at=INVITED_AT)


def test_response_stores_one_answer_per_criterion_with_blanks_and_not_applicable_r_sur_2(
    token, small_form, returned_dossier, desk
):
    response = services.response_submit_by_token(
        token=token,
        answers=by_id(small_form.c, {"x1": 5, "x2": "na"}),  # y1 left out: blank
        extras={small_form.q["harassment"].pk: "none"},
        comment="  Cán bộ nhiệt tình.  ",
        at=ANSWERED_AT,
    )
    rows = {
        a.criterion.code: (a.value, a.not_applicable)
        for a in Answer.objects.filter(response=response).select_related("criterion")
    }
    assert rows == {"x1": (5, False), "x2": (None, True), "y1": (None, False)}
    assert list(ExtraAnswer.objects.values_list("option", flat=True)) == ["none"]
    assert response.channel == "link"
    assert (response.dossier, response.desk, response.unit) == (
        returned_dossier,
        desk,
        desk.unit,
    )
    assert response.form == small_form.form
    assert response.comment == "Cán bộ nhiệt tình."
    assert response.submitted_at == ANSWERED_AT
    assert response.entered_by is None


def test_invitation_is_marked_used_r_sur_2(token, small_form):
    services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 3}), at=ANSWERED_AT
    )
    assert Invitation.objects.get().used_at == ANSWERED_AT


def test_qr_channel_is_stored_with_the_response_r_sur_2(token, small_form):
    response = services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 3}), channel="qr", at=ANSWERED_AT
    )
    assert response.channel == "qr"


def test_staff_channels_cannot_be_claimed_through_a_link(token, small_form):
    before = db_state()
    with pytest.raises(InvalidAnswers):
        services.response_submit_by_token(
            token=token, answers=by_id(small_form.c, {"x1": 3}), channel="paper", at=ANSWERED_AT
        )
    assert db_state() == before


def test_respondent_fields_are_optional_and_default_to_the_dossiers_procedure(
    token, small_form, procedure
):
    response = services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 3}), at=ANSWERED_AT
    )
    assert (response.gender, response.age_band, response.education, response.occupation) == (
        "",
        "",
        "",
        "",
    )
    assert response.procedure == procedure


def test_respondent_fields_are_stored_r_sur_1(token, small_form):
    response = services.response_submit_by_token(
        token=token,
        answers=by_id(small_form.c, {"x1": 3}),
        respondent={
            "gender": "female",
            "age_band": "35-49",
            "education": "university",
            "occupation": "employee",
        },
        at=ANSWERED_AT,
    )
    response.refresh_from_db()
    assert (response.gender, response.age_band, response.education, response.occupation) == (
        "female",
        "35-49",
        "university",
        "employee",
    )


def test_values_may_come_as_text_from_a_web_form(token, small_form):
    answers = {str(small_form.c["x1"].pk): "4", str(small_form.c["x2"].pk): "NA"}
    response = services.response_submit_by_token(token=token, answers=answers, at=ANSWERED_AT)
    rows = dict(response.answers.values_list("criterion__code", "value"))
    assert rows == {"x1": 4, "x2": None, "y1": None}
    assert response.answers.get(criterion__code="x2").not_applicable
