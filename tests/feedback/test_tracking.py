"""R-FB-1, R-PRIV-1: the sender tracks an item with its code and PIN; the public view shows
the status, dates and answers, the name masked and nothing else personal; an unknown code and
a wrong PIN give the same answer."""

from feedback import services, tracking
from feedback.models import EventKind
from tests.feedback.helpers import SENDER
from tests.helpers import at


def test_code_and_pin_find_the_item_in_any_letter_case(submit):
    item, pin = submit()
    assert tracking.item_by_code_and_pin(code=f"  {item.code.lower()} ", pin=f" {pin} ") == item


def test_unknown_code_and_wrong_pin_both_give_nothing(submit):
    item, pin = submit()
    wrong = "000000" if pin != "000000" else "111111"
    assert tracking.item_by_code_and_pin(code=item.code, pin=wrong) is None
    assert tracking.item_by_code_and_pin(code="PA-00001-26-99999", pin=pin) is None


def test_the_public_view_shows_progress_and_answers_without_personal_data_r_priv_1(
    submit, officer, alice
):
    item, _pin = submit()
    services.feedback_assign(item=item, actor=alice, assignee=officer, at=at(2026, 3, 2, 10))
    services.feedback_reply(item=item, actor=officer, text="Đã xử lý.", at=at(2026, 3, 5, 9))
    view = tracking.public_view(item_id=item.pk, now=at(2026, 3, 6, 9))
    assert (view.code, view.status, view.sender) == (item.code, "answered", "N***** V** An")
    assert [r.text for r in view.replies] == ["Đã xử lý."]
    # the timeline shows kinds and times; the internal assignment is not among them
    assert [e.label for e in view.timeline] == [
        str(EventKind.RECEIVED.label),
        str(EventKind.REPLIED.label),
    ]
    assert view.can_dispute
    flat = repr(view)
    for key in ("phone", "email", "address", "id_number"):
        assert SENDER[key] not in flat
    assert "0912345678" not in flat


def test_the_view_says_where_a_transferred_item_went(submit, alice):
    item, _pin = submit()
    services.feedback_transfer(item=item, actor=alice, to_body="Sở Xây dựng", at=at(2026, 3, 3))
    view = tracking.public_view(item_id=item.pk)
    assert (view.status, view.transferred_to) == ("transferred", "Sở Xây dựng")


def test_the_sender_reads_the_reply_letter(submit, officer):
    from feedback.documents import reply_letter_pdf

    item, pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Đã xử lý.", at=at(2026, 3, 5, 9))
    found = tracking.item_by_code_and_pin(code=item.code, pin=pin)
    reply = tracking.reply_for_sender(item_id=found.pk, number=1)
    assert reply_letter_pdf(reply=reply).startswith(b"%PDF")
    assert tracking.reply_for_sender(item_id=found.pk, number=2) is None
