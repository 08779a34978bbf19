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
    pk = outbox.notification_enqueue(**args)
    return Notification.objects.get(pk=pk) if pk else None


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


@pytest.mark.django_db
def test_one_change_queues_its_messages_in_one_hand_off(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        ids = outbox.notify_contact(
            email="an@example.test",
            phone="0912345678",
            subject="S",
            body="B",
            dedupe_prefix="dossier:7:received",
            object_type="dossier",
            object_id=7,
        )
    assert len(ids) == 2 and len(callbacks) == 1
    assert (
        outbox.notify_contact(
            email="an@example.test",
            phone="",
            subject="S",
            body="B",
            dedupe_prefix="dossier:7:received",
            object_type="dossier",
            object_id=7,
        )
        == []
    )  # already queued: nothing new


@pytest.mark.django_db
def test_a_batch_sends_every_message_and_leaves_a_failing_one_pending(settings):
    ok = _enqueue(dedupe_key="k:ok")
    settings.PORTAL_SMS_BACKEND = "tests.portal.test_outbox.FailingBackend"
    bad = _enqueue(channel="sms", recipient="0912345678", dedupe_key="k:bad")
    assert tasks.send_notifications.apply(args=[[ok.pk, bad.pk]]).get() == 1
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert (ok.status, bad.status, bad.attempts) == ("sent", "pending", 1)
