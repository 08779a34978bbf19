"""The notification outbox: queued with the change, sent by a task, never twice (R-RES-3)."""

import pytest
from celery.exceptions import Retry
from django.core import mail

from portal import outbox, tasks
from portal.models import Notification
from portal.sms import LoggingSmsBackend


@pytest.fixture(autouse=True)
def _clear_sms():
    LoggingSmsBackend.sent.clear()


def _enqueue(**kw):
    args = {
        "channel": "email",
        "recipient": "an@example.test",
        "subject": "Hồ sơ",
        "body": "Nội dung",
        "dedupe_key": "dossier:1:rescheduled:email",
    }
    args.update(kw)
    return outbox.notification_enqueue(**args)


@pytest.mark.django_db
def test_the_same_message_is_queued_once():
    assert _enqueue() is not None
    assert _enqueue() is None
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_message_without_recipient_is_not_queued():
    assert _enqueue(recipient="") is None
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_sending_twice_sends_once():
    note = _enqueue()
    assert outbox.notification_send(notification_id=note.pk) is True
    assert outbox.notification_send(notification_id=note.pk) is False
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("sent", 1)
    assert note.sent_at is not None


@pytest.mark.django_db
def test_sms_goes_through_the_gateway_backend():
    note = _enqueue(channel="sms", recipient="0912345678", dedupe_key="k:sms")
    tasks.send_notification.apply(args=[note.pk])
    assert LoggingSmsBackend.sent == [("0912345678", "Nội dung")]


class FailingBackend:
    def send(self, *, phone, text):
        raise ConnectionError("gateway down")


@pytest.mark.django_db
def test_a_failed_send_stays_pending_then_fails_after_max_attempts(settings):
    settings.PORTAL_SMS_BACKEND = "tests.portal.test_outbox.FailingBackend"
    note = _enqueue(channel="sms", recipient="0912345678", dedupe_key="k:fail")
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with pytest.raises(ConnectionError):
            outbox.notification_send(notification_id=note.pk)
        note.refresh_from_db()
        assert note.attempts == attempt
        assert note.last_error == "gateway down"
    assert note.status == "failed"
    assert outbox.notification_send(notification_id=note.pk) is False


@pytest.mark.django_db
def test_the_send_task_retries_on_failure(settings):
    settings.PORTAL_SMS_BACKEND = "tests.portal.test_outbox.FailingBackend"
    note = _enqueue(channel="sms", recipient="0912345678", dedupe_key="k:retry")
    with pytest.raises(Retry):  # the task asks Celery to try again later, with back-off
        tasks.send_notification.apply(args=[note.pk])
    note.refresh_from_db()
    assert (note.attempts, note.status) == (1, "pending")


@pytest.mark.django_db
def test_flush_queues_every_pending_message():
    for n in range(3):
        _enqueue(dedupe_key=f"k:{n}")
    assert tasks.flush_outbox.apply().get() == 3
    assert Notification.objects.filter(status="sent").count() == 3
    assert tasks.flush_outbox.apply().get() == 0


def test_outbox_flush_is_scheduled_with_beat(settings):
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.flush_outbox" in entries
