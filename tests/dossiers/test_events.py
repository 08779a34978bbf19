"""Every change is an event, and events are never edited or deleted (R-LIFE-1)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from dossiers import services
from dossiers.models import DossierEvent
from tests.helpers import at

ITEMS = [{"name": "Tờ khai bổ sung", "guidance": ""}]


def test_full_journey_writes_one_event_per_change_r_life_1(receive, alice, officer, departments):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier, actor=alice, to_department=departments["civil"], at=at(2026, 3, 2, 10)
    )
    services.dossier_request_supplement(
        dossier=dossier, items=ITEMS, actor=officer, at=at(2026, 3, 3, 9)
    )
    services.dossier_resubmit(dossier=dossier, actor=alice, at=at(2026, 3, 4, 9))
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 6, 9))
    services.dossier_return(dossier=dossier, actor=alice, at=at(2026, 3, 6, 14))
    rows = list(dossier.events.values_list("kind", "from_status", "to_status", "actor__username"))
    assert rows == [
        ("received", "", "received", "alice"),
        ("routed", "received", "in_process", "alice"),
        ("supplement_requested", "in_process", "waiting_supplement", "dave"),
        ("resubmitted", "waiting_supplement", "in_process", "alice"),
        ("completed", "in_process", "result_ready", "dave"),
        ("returned", "result_ready", "returned", "alice"),
    ]
    assert all(e.unit_id == dossier.unit_id for e in dossier.events.all())
    dossier.refresh_from_db()
    assert dossier.returned_at == at(2026, 3, 6, 14)


def test_refusal_and_withdrawal_end_the_dossier_r_life_1(receive, officer, alice):
    refused, _pin = receive()
    services.dossier_refuse(
        dossier=refused,
        reason="Không thuộc thẩm quyền",
        legal_basis="Điều 19 Nghị định 61/2018/NĐ-CP",
        actor=officer,
        at=at(2026, 3, 3, 9),
    )
    stopped, _pin = receive()
    services.dossier_withdraw(
        dossier=stopped, request_text="Xin rút hồ sơ", actor=alice, at=at(2026, 3, 3, 9)
    )
    refused.refresh_from_db()
    stopped.refresh_from_db()
    assert (refused.status, stopped.status) == ("refused", "withdrawn")
    assert refused.refusal.legal_basis.startswith("Điều 19")


def test_refusal_after_the_processing_time_is_refused_r_life_4(receive, officer):
    from dossiers.exceptions import RefusalTooLate

    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(RefusalTooLate):
        services.dossier_refuse(
            dossier=dossier, reason="x", legal_basis="y", actor=officer, at=at(2026, 3, 10, 9)
        )


def test_events_cannot_be_edited_or_deleted_through_the_model_r_life_1(receive):
    dossier, _pin = receive()
    event = dossier.events.get()
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_database_refuses_update_and_delete_of_events_r_life_1(receive):
    dossier, _pin = receive()
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(dossier=dossier).update(note="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(dossier=dossier).delete()
    assert dossier.events.get().note == ""


def test_an_action_dated_before_the_last_event_is_refused(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    # The messages are in Vietnamese by default; these checks read the English source.
    with translation.override("en"), pytest.raises(Exception, match="before the dossier's last"):
        services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 1, 9))
