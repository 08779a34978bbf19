"""R-FB-2: a written answer is recorded (append-only), sent to the sender through the outbox
and counted on time or late; a closed item, a complaint not yet accepted and a denunciation
cannot be answered."""

import pytest

from feedback import services
from feedback.exceptions import InvalidText, TransitionNotAllowed
from feedback.models import Reply, Status
from portal.models import Notification
from tests.feedback.helpers import database_snapshot, item_state
from tests.helpers import at


def test_answer_is_recorded_and_sent_r_fb_2(submit, officer):
    item, _pin = submit()
    reply = services.feedback_reply(
        item=item, actor=officer, text="Đơn vị đã kiểm tra và trả lời.", at=at(2026, 3, 10, 9)
    )
    item.refresh_from_db()
    assert (item.status, item.replied_at, item.answered_on_time, item.due_at) == (
        Status.ANSWERED,
        at(2026, 3, 10, 9),
        True,
        None,
    )
    assert (reply.number, reply.on_time, reply.unit_id) == (1, True, item.unit_id)
    email = Notification.objects.get(dedupe_key=f"feedback:{item.pk}:reply:1:email")
    sms = Notification.objects.get(dedupe_key=f"feedback:{item.pk}:reply:1:sms")
    assert "Đơn vị đã kiểm tra và trả lời." in email.body
    assert email.recipient == "an.nguyen@example.test" and sms.recipient == "0912345678"
    assert len(sms.body) < 300  # the letter itself is read on the tracking page


def test_answer_after_the_deadline_is_late_r_fb_2(submit, officer):
    item, _pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Trả lời", at=at(2026, 3, 16, 17, 1))
    item.refresh_from_db()
    assert item.answered_on_time is False
    assert item.events.get(kind="replied").data["on_time"] is False


def test_answer_to_a_closed_item_is_refused(submit, officer):
    item, _pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Trả lời", at=at(2026, 3, 10, 9))
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 11, 9))
    before, state = database_snapshot(), item_state(item)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.feedback_reply(item=item, actor=officer, text="Lần nữa", at=at(2026, 3, 12, 9))
    assert refused.value.status_code == 409
    assert (database_snapshot(), item_state(item)) == (before, state)


def test_a_complaint_is_answered_only_after_acceptance(submit, officer):
    item, _pin = submit(kind="complaint")
    with pytest.raises(TransitionNotAllowed):
        services.feedback_reply(item=item, actor=officer, text="Trả lời", at=at(2026, 3, 3, 9))
    services.feedback_start(item=item, actor=officer, at=at(2026, 3, 3, 9))
    services.feedback_reply(item=item, actor=officer, text="Quyết định", at=at(2026, 3, 20, 9))


def test_a_denunciation_is_never_answered_here(submit, officer):
    item, _pin = submit(kind="denunciation")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.feedback_reply(item=item, actor=officer, text="Trả lời", at=at(2026, 3, 3, 9))
    assert "denunciation" in str(refused.value).lower() or "tố cáo" in str(refused.value).lower()


def test_an_empty_answer_is_refused_by_field(submit, officer):
    item, _pin = submit()
    with pytest.raises(InvalidText) as refused:
        services.feedback_reply(item=item, actor=officer, text=" \n ", at=at(2026, 3, 3, 9))
    assert list(refused.value.fields) == ["text"]


def test_replies_are_never_edited_or_deleted(submit, officer):
    from django.core.exceptions import ValidationError

    item, _pin = submit()
    reply = services.feedback_reply(item=item, actor=officer, text="A", at=at(2026, 3, 3, 9))
    reply.text = "B"
    with pytest.raises(ValidationError):
        reply.save()
    with pytest.raises(ValidationError):
        reply.delete()
    assert Reply.objects.get(pk=reply.pk).text == "A"
