"""The sender is told on receipt, transfer, extension, rejection and answer, through the
outbox, once per event (deduplicated), never with the PIN; an anonymous sender gets
nothing."""

from feedback import notifications, services
from portal.models import Notification
from tests.helpers import at


def test_receipt_is_confirmed_by_email_and_sms_without_the_pin(submit):
    item, pin = submit()
    notes = Notification.objects.filter(dedupe_key__startswith=f"feedback:{item.pk}:received")
    assert {n.channel for n in notes} == {"email", "sms"}
    assert all(item.code in n.body and pin not in n.body for n in notes)


def test_messages_are_not_queued_twice(submit):
    item, _pin = submit()
    count = Notification.objects.count()
    notifications.item_received(item)
    assert Notification.objects.count() == count


def test_an_anonymous_sender_gets_no_message(submit):
    submit(sender={}, kind="suggestion")
    assert not Notification.objects.exists()


def test_rejection_and_extension_are_told_with_their_reason(submit, officer):
    item, _pin = submit()
    services.feedback_extend(item=item, actor=officer, reason="Cần xác minh", at=at(2026, 3, 3, 9))
    services.feedback_reject(item=item, actor=officer, reason="Ngoài thẩm quyền", at=at(2026, 3, 4))
    bodies = list(
        Notification.objects.filter(channel="sms", object_id=str(item.pk)).values_list(
            "body", flat=True
        )
    )
    assert any("Cần xác minh" in b for b in bodies)
    assert any("Ngoài thẩm quyền" in b for b in bodies)
