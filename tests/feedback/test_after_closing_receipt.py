"""R-DUE-3: a receipt after the desk's closing hour, or on a day off (web), counts from the
next working day; the day of receipt itself is never counted."""

from tests.helpers import at


def test_receipt_before_closing_counts_from_that_day_r_due_3(submit):
    item, _pin = submit(received_at=at(2026, 3, 2, 16, 59))
    assert item.counted_from.isoformat() == "2026-03-02"
    assert item.reply_due_at == at(2026, 3, 16, 17)


def test_receipt_after_closing_counts_from_the_next_working_day_r_due_3(submit):
    item, _pin = submit(received_at=at(2026, 3, 2, 17, 30))
    assert item.counted_from.isoformat() == "2026-03-03"
    assert item.reply_due_at == at(2026, 3, 17, 17)
    assert item.transfer_due_at == at(2026, 3, 10, 17)


def test_web_receipt_on_a_saturday_counts_from_monday_r_due_3(submit):
    item, _pin = submit(channel="web", actor=None, received_at=at(2026, 3, 7, 10))
    assert item.counted_from.isoformat() == "2026-03-09"
    assert item.reply_due_at == at(2026, 3, 23, 17)


def test_the_desks_own_closing_hour_counts_r_due_3(submit, desk):
    import datetime as dt

    desk.closes_at = dt.time(16, 30)
    desk.save()
    item, _pin = submit(received_at=at(2026, 3, 2, 16, 45), desk=desk)
    assert item.counted_from.isoformat() == "2026-03-03"
    assert item.reply_due_at == at(2026, 3, 17, 16, 30)
