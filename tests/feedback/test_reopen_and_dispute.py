"""The sender may dispute an answer within FEEDBACK_REOPEN_DAYS (a setting, 30 by default):
staff reopen it, or the sender does on the tracking page with code and PIN; the item gets a
new answer deadline and a further answer."""

import pytest

from feedback import services
from feedback.exceptions import ReopenNotAllowed
from feedback.models import Status
from feedback.tracking import TrackingNotFound
from tests.helpers import at


@pytest.fixture
def answered(submit, officer):
    item, pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Lần 1", at=at(2026, 3, 5, 9))
    return item, pin


def test_staff_reopen_within_the_window_with_a_new_deadline(answered, alice, officer):
    item, _pin = answered
    services.feedback_reopen(item=item, actor=alice, reason="Chưa thỏa đáng", at=at(2026, 3, 9, 9))
    item.refresh_from_db()
    assert (item.status, item.reopen_count, item.answered_on_time) == (
        Status.IN_PROGRESS,
        1,
        None,
    )
    assert item.reply_due_at == item.due_at == at(2026, 3, 23, 17)
    reply = services.feedback_reply(item=item, actor=officer, text="Lần 2", at=at(2026, 3, 20, 9))
    assert reply.number == 2


def test_reopening_after_the_window_is_refused(answered, alice, settings):
    item, _pin = answered
    settings.FEEDBACK_REOPEN_DAYS = 10
    with pytest.raises(ReopenNotAllowed):
        services.feedback_reopen(item=item, actor=alice, reason="Muộn", at=at(2026, 3, 15, 10))
    services.feedback_reopen(item=item, actor=alice, reason="Kịp", at=at(2026, 3, 15, 8))


def test_a_closed_item_can_be_reopened_within_the_window(answered, officer, alice):
    item, _pin = answered
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 6, 9))
    services.feedback_reopen(item=item, actor=alice, reason="Không đồng ý", at=at(2026, 3, 7, 9))
    item.refresh_from_db()
    assert (item.status, item.closed_at) == (Status.IN_PROGRESS, None)


def test_the_sender_disputes_with_code_and_pin(answered):
    item, pin = answered
    services.feedback_dispute(code=item.code.lower(), pin=pin, reason="Sai", at=at(2026, 3, 6, 9))
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    event = item.events.get(kind="reopened")
    assert (event.actor, event.data["by_sender"], event.note) == (None, True, "Sai")


def test_a_wrong_pin_and_an_unknown_code_get_the_same_refusal(answered):
    item, pin = answered
    wrong = "000000" if pin != "000000" else "111111"
    with pytest.raises(TrackingNotFound) as first:
        services.feedback_dispute(code=item.code, pin=wrong, reason="X")
    with pytest.raises(TrackingNotFound) as second:
        services.feedback_dispute(code="PA-99999-26-00001", pin=pin, reason="X")
    assert (first.value.code, str(first.value)) == (second.value.code, str(second.value))
    item.refresh_from_db()
    assert item.status == Status.ANSWERED
