"""Staff key in phone interviews, e.g. a call centre calling back applicants (R-SUR-2)."""

import pytest

from portal.exceptions import PermissionDenied
from portal.models import AuditLog
from surveys import services
from surveys.exceptions import InvalidAnswers
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

NOW = at(2026, 3, 9, 10)


def test_phone_interview_about_a_dossier_is_stored_with_its_channel_r_sur_2(
    returned_dossier, bob, small_form, desk
):
    response = services.response_enter_phone(
        dossier=returned_dossier, answers=by_id(small_form.c, {"y1": 5}), actor=bob, at=NOW
    )
    assert (response.channel, response.dossier, response.desk) == ("phone", returned_dossier, desk)
    assert response.entered_by == bob
    audit = AuditLog.objects.get(action="survey_response.entered")
    assert audit.data == {"channel": "phone", "dossier": returned_dossier.code}


def test_phone_interview_about_a_desk_without_a_dossier(desk, alice, small_form):
    response = services.response_enter_phone(
        desk=desk, answers=by_id(small_form.c, {"y1": 2}), actor=alice, at=NOW
    )
    assert response.dossier is None and response.desk == desk


def test_outsider_cannot_enter_a_phone_interview(returned_dossier, charlie, small_form):
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.response_enter_phone(
            dossier=returned_dossier, answers=by_id(small_form.c, {"y1": 5}), actor=charlie, at=NOW
        )
    assert db_state() == before


def test_phone_entry_needs_a_dossier_or_a_desk(alice, small_form):
    with pytest.raises(InvalidAnswers) as info:
        services.response_enter_phone(answers=by_id(small_form.c, {"y1": 5}), actor=alice, at=NOW)
    assert info.value.code == "desk_required"


def test_dossier_and_desk_must_agree(returned_dossier, desk_b1, charlie, small_form):
    with pytest.raises(InvalidAnswers) as info:
        services.response_enter_phone(
            dossier=returned_dossier,
            desk=desk_b1,
            answers=by_id(small_form.c, {"y1": 5}),
            actor=charlie,
            at=NOW,
        )
    assert info.value.code == "dossier_elsewhere"
