"""Staff of the desk's unit key in paper forms (R-SUR-2); a sheet is never entered twice."""

import pytest

from portal.exceptions import PermissionDenied
from portal.models import AuditLog
from surveys import services
from surveys.exceptions import DuplicatePaperSerial, InvalidAnswers
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

NOW = at(2026, 3, 9, 10)
SHEET_DATE = at(2026, 3, 6, 15)


def enter(desk, actor, small_form, serial="P-0001", **kwargs):
    return services.response_enter_paper(
        desk=desk,
        serial=serial,
        answers=by_id(small_form.c, {"x1": 4, "x2": 2}),
        actor=actor,
        at=NOW,
        **kwargs,
    )


def test_receptionist_enters_a_paper_form_with_an_audit_row_r_sur_2(desk, alice, small_form):
    response = enter(desk, alice, small_form, submitted_at=SHEET_DATE)
    assert (response.channel, response.paper_serial, response.entered_by) == (
        "paper",
        "P-0001",
        alice,
    )
    assert response.submitted_at == SHEET_DATE
    audit = AuditLog.objects.get(action="survey_response.entered")
    assert (audit.actor, audit.unit, audit.object_id) == (alice, desk.unit, str(response.pk))
    assert audit.data["channel"] == "paper" and audit.data["serial"] == "P-0001"


def test_district_leader_covering_the_commune_may_enter(desk, bob, small_form):
    assert enter(desk, bob, small_form).entered_by == bob


def test_outsider_cannot_enter_paper_forms_for_another_unit(desk, charlie, small_form):
    before = db_state()
    with pytest.raises(PermissionDenied):
        enter(desk, charlie, small_form)
    assert db_state() == before


def test_duplicate_serial_at_the_same_desk_is_refused_r_sur_2(desk, alice, small_form):
    enter(desk, alice, small_form, serial="P-0001")
    before = db_state()
    with pytest.raises(DuplicatePaperSerial) as info:
        enter(desk, alice, small_form, serial=" P-0001 ")
    assert "P-0001" in str(info.value.message)
    assert db_state() == before


def test_race_past_the_serial_check_ends_in_the_same_refusal_r_sur_2(
    desk, alice, small_form, monkeypatch
):
    """Two clerks keying in the same sheet at once: the unique constraint refuses the second
    insert and the service reports it as a duplicate sheet."""
    enter(desk, alice, small_form, serial="P-0001")
    monkeypatch.setattr(services, "paper_serial_used", lambda *, desk, serial: False)
    before = db_state()
    with pytest.raises(DuplicatePaperSerial):
        enter(desk, alice, small_form, serial="P-0001")
    assert db_state() == before


def test_same_serial_at_another_desk_is_accepted(desk, desk_b1, alice, charlie, small_form):
    enter(desk, alice, small_form, serial="P-0001")
    assert enter(desk_b1, charlie, small_form, serial="P-0001").desk == desk_b1


def test_database_refuses_a_duplicate_serial_at_a_desk(desk, alice, small_form):
    from django.db import IntegrityError, transaction

    from surveys.models import Response

    first = enter(desk, alice, small_form, serial="P-0001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            form=first.form,
            unit=desk.unit,
            desk=desk,
            channel="paper",
            paper_serial="P-0001",
            submitted_at=NOW,
        )


def test_serial_is_required(desk, alice, small_form):
    before = db_state()
    with pytest.raises(InvalidAnswers) as info:
        enter(desk, alice, small_form, serial="  ")
    assert info.value.code == "serial_required"
    assert db_state() == before


def test_sheet_dated_in_the_future_is_refused(desk, alice, small_form):
    before = db_state()
    with pytest.raises(InvalidAnswers) as info:
        enter(desk, alice, small_form, submitted_at=at(2026, 3, 10, 9))
    assert info.value.code == "future_date"
    assert db_state() == before


def test_dossier_of_another_unit_is_refused(desk_b1, charlie, small_form, returned_dossier):
    before = db_state()
    with pytest.raises(InvalidAnswers) as info:
        enter(desk_b1, charlie, small_form, dossier=returned_dossier)
    assert info.value.code == "dossier_elsewhere"
    assert db_state() == before


def test_bad_answer_on_a_paper_form_leaves_nothing_behind(desk, alice, small_form):
    before = db_state()
    with pytest.raises(InvalidAnswers):
        services.response_enter_paper(
            desk=desk,
            serial="P-0002",
            answers=by_id(small_form.c, {"x1": 4, "x2": 9}),
            actor=alice,
            at=NOW,
        )
    assert db_state() == before
