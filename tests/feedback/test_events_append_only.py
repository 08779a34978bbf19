"""Every change writes an event (and an audit row); events are never edited or deleted, by
the model and, on PostgreSQL, by a trigger."""

import pytest
from django.core.exceptions import ValidationError
from django.db import InternalError, ProgrammingError, transaction

from feedback import services
from feedback.models import Event
from portal.models import AuditLog
from tests.helpers import at


def test_every_change_writes_an_event_and_an_audit_row(submit, alice, officer):
    item, _pin = submit()
    services.feedback_assign(item=item, actor=alice, assignee=officer, at=at(2026, 3, 2, 10))
    services.feedback_start(item=item, actor=officer, at=at(2026, 3, 2, 11))
    services.feedback_reply(item=item, actor=officer, text="Trả lời", at=at(2026, 3, 3, 9))
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 4, 9))
    events = list(item.events.order_by("at").values_list("kind", "from_status", "to_status"))
    assert events == [
        ("received", "", "received"),
        ("assigned", "received", "assigned"),
        ("started", "assigned", "in_progress"),
        ("replied", "in_progress", "answered"),
        ("closed", "answered", "closed"),
    ]
    actions = AuditLog.objects.filter(object_type="feedback.item", object_id=str(item.pk))
    assert sorted(actions.values_list("action", flat=True)) == sorted(
        f"feedback.{kind}" for kind, _f, _t in events
    )


def test_the_model_refuses_to_edit_or_delete_an_event(submit):
    item, _pin = submit()
    event = item.events.get()
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_database_refuses_to_edit_or_delete_an_event(submit):
    item, _pin = submit()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        Event.objects.filter(item=item).update(note="changed")
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        Event.objects.filter(item=item)._raw_delete(Event.objects.db)
    assert item.events.get().note == ""
