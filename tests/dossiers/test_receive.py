"""Receiving a dossier at the desk (R-LIFE-2, R-DUE-3, R-DUE-4, R-LIFE-5)."""

import re

import pytest
from django.utils import translation

from dossiers import services
from dossiers.exceptions import InvalidApplicant, ProcedureNotOffered
from dossiers.models import Dossier, DossierEvent, DossierStatus, RuleSet, Step
from portal.exceptions import DomainError, PermissionDenied
from portal.models import Notification
from tests.factories import ProcedureFactory
from tests.helpers import at


def test_code_has_agency_date_and_sequence_r_life_2(receive):
    first, _pin = receive(received_at=at(2026, 2, 13, 10))
    second, _pin = receive(received_at=at(2026, 2, 13, 11))
    assert first.code == "000.01.01.H26-260213-0001"
    assert second.code == "000.01.01.H26-260213-0002"
    assert re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}", first.code)


def test_sequence_restarts_each_day_r_life_2(receive):
    receive(received_at=at(2026, 2, 13, 10))
    next_day, _pin = receive(received_at=at(2026, 2, 23, 8))
    assert next_day.code.endswith("-260223-0001")


def test_tet_example_due_date_through_the_service_r_due_3(receive):
    """Received Friday 2026-02-13, 5 working days across Tết → due Friday 2026-02-27, 17:00."""
    dossier, _pin = receive(received_at=at(2026, 2, 13, 10))
    assert dossier.due_at == at(2026, 2, 27, 17, 0)
    assert dossier.original_due_at == dossier.due_at


def test_receipt_after_closing_counts_from_next_working_day_r_due_3(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 6, 17, 15))  # Friday after 17:00
    assert dossier.due_at == at(2026, 3, 16, 17, 0)  # counted from Monday 9: Tue..Mon


def test_pin_is_random_and_stored_hashed_r_life_5(receive):
    dossier, pin = receive()
    assert re.fullmatch(r"\d{6}", pin)
    assert pin not in dossier.pin_hash
    assert services.pin_matches(dossier=dossier, pin=pin)
    assert not services.pin_matches(dossier=dossier, pin="000000" if pin != "000000" else "1")


def test_receipt_writes_event_step_documents_and_log_number_r_life_1(receive, alice):
    dossier, _pin = receive()
    event = dossier.events.get()
    assert (event.kind, event.actor, event.to_status) == ("received", alice, "received")
    assert dossier.documents.get().name == "Tờ khai"
    step = dossier.steps.get()
    assert step.department is None and step.number == 1
    assert dossier.log_number == 1 and dossier.log_year == 2026
    assert dossier.status == DossierStatus.RECEIVED


def test_applicant_is_notified_after_commit(receive):
    _dossier, _pin = receive()
    assert set(Notification.objects.values_list("channel", "recipient")) == {
        ("email", "an.nguyen@example.test"),
        ("sms", "0912345678"),
    }


def _count():
    return (Dossier.objects.count(), DossierEvent.objects.count(), Step.objects.count())


@pytest.mark.parametrize(
    ("field", "value"),
    [("id_number", "12345"), ("phone", "12345"), ("email", "not-an-email"), ("name", "  ")],
)
def test_invalid_applicant_is_refused_and_nothing_is_written(receive, field, value):
    before = _count()
    with pytest.raises(InvalidApplicant) as info:
        receive(applicant={"name": "Trần Thị Bình", field: value})
    assert field in info.value.fields
    assert _count() == before


def test_procedure_not_offered_at_the_desk_is_refused(receive):
    other = ProcedureFactory(name="Cấp giấy phép xây dựng")
    before = _count()
    with pytest.raises(ProcedureNotOffered):
        receive(procedure=other)
    assert _count() == before


def test_outsider_and_leader_cannot_receive_at_the_desk_r_unit_3(receive, charlie, bob):
    for user in (charlie, bob):  # another commune's receptionist; a leader is not at the desk
        with pytest.raises(PermissionDenied):
            receive(actor=user)
    assert Dossier.objects.count() == 0


def test_a_failed_receipt_gives_its_number_back_r_life_2(receive):
    """Counters move inside the receipt's transaction: a refused receipt leaves no gap."""
    with pytest.raises(InvalidApplicant):
        receive(applicant={"name": "X", "phone": "1"})
    dossier, _pin = receive()
    assert dossier.code.endswith("-0001")


def test_no_receipt_at_a_unit_that_has_ended_r_unit_1(receive, desk):
    import datetime as dt

    desk.unit.valid_to = dt.date(2025, 6, 30)
    desk.unit.save()
    before = _count()
    with translation.override("en"), pytest.raises(Exception, match="does not exist on that"):
        receive(received_at=at(2026, 3, 2, 9))
    assert _count() == before
    dossier, _pin = receive(received_at=at(2025, 6, 30, 9))
    assert dossier.rule_set.code == "nd61-2018"  # the rule set in force on the receipt date


def test_rule_set_follows_the_receipt_date(receive):
    """Decree 61/2018 until 30 June 2025, Decree 118/2025 from 1 July 2025."""
    old, _pin = receive(received_at=at(2025, 6, 30, 16))
    new, _pin = receive(received_at=at(2025, 7, 1, 8))
    assert (old.rule_set.code, new.rule_set.code) == ("nd61-2018", "nd118-2025")


def test_receipt_before_the_first_rule_set_is_refused(receive):
    """Decree 61/2018 is the first rule set: nothing is in force before 21 June 2018."""
    before = _count()
    with pytest.raises(DomainError) as info:
        receive(received_at=at(2018, 6, 20, 9))
    with translation.override("en"):
        assert info.value.message == "No rule set is in force on 2018-06-20."
    with translation.override("vi"):
        assert info.value.message == "Không có bộ quy định nào có hiệu lực vào ngày 2018-06-20."
    assert _count() == before


def test_missing_rule_sets_are_not_made_up_at_run_time(receive):
    """Rule sets are reference data (migration 0002, restored after migrate and flush by
    ``dossiers.reference_data``): a receipt reads them and never writes them."""
    RuleSet.objects.all().delete()
    with translation.override("en"), pytest.raises(DomainError, match="No rule set is in force"):
        receive(received_at=at(2026, 3, 2, 9))
    assert not RuleSet.objects.exists()
