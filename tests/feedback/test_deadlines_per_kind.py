"""R-FB-2: each kind's deadlines come from the rule of its kind in force on the receipt date,
counted from the day after receipt (R-DUE-3) in working days over the holidays (R-DUE-1,
R-DUE-2) or in calendar days with a last day off moved to the next working day (Civil Code
Art. 148.5). Dates computed by hand; Tết 2026 is Monday 16 to Friday 20 February."""

import pytest

from feedback import services
from feedback.models import DayCounting, DeadlineRule, UnitSettings
from tests.helpers import at


def test_feedback_is_answered_within_ten_working_days_over_tet_r_fb_2(submit):
    """Received Friday 13 Feb 2026: 16–20 Feb are Tết, so the 10 working days are 23 Feb to
    6 Mar; the transfer deadline (5 working days) is Friday 27 Feb."""
    item, _pin = submit(received_at=at(2026, 2, 13, 9))
    assert item.rule.code == "feedback-2014"
    assert item.counted_from.isoformat() == "2026-02-13"
    assert item.reply_due_at == at(2026, 3, 6, 17)
    assert item.transfer_due_at == at(2026, 2, 27, 17)
    assert item.due_at == item.reply_due_at


def test_conduct_complaint_has_the_feedback_deadline_r_fb_2(submit):
    item, _pin = submit(kind="conduct", received_at=at(2026, 3, 2, 9))
    assert item.reply_due_at == at(2026, 3, 16, 17)


def test_suggestion_has_no_answer_deadline_r_fb_2(submit):
    item, _pin = submit(kind="suggestion", sender={})
    assert (item.reply_due_at, item.due_at) == (None, None)
    assert item.transfer_due_at == at(2026, 3, 9, 17)


def test_denunciation_is_only_routed_within_five_working_days_r_fb_2(submit):
    item, _pin = submit(kind="denunciation", received_at=at(2026, 2, 13, 9))
    assert item.reply_due_at is None
    assert item.due_at == item.transfer_due_at == at(2026, 2, 27, 17)


def test_complaint_is_accepted_within_ten_working_days_then_settled_in_thirty_days_r_fb_2(
    submit, officer
):
    """Accepted Monday 2 March: 30 calendar days not counting that day end on Wednesday
    1 April. Before acceptance the running deadline is the acceptance one."""
    item, _pin = submit(kind="complaint", received_at=at(2026, 2, 13, 9))
    assert item.rule.code == "complaint-2012"
    assert item.accept_due_at == at(2026, 3, 6, 17)
    assert (item.reply_due_at, item.due_at) == (None, item.accept_due_at)
    services.feedback_start(item=item, actor=officer, at=at(2026, 3, 2, 10))
    item.refresh_from_db()
    assert item.accepted_at == at(2026, 3, 2, 10)
    assert item.reply_due_at == item.due_at == at(2026, 4, 1, 17)


def test_complex_complaint_is_settled_in_forty_five_days_r_fb_2(submit, officer):
    item, _pin = submit(kind="complaint", received_at=at(2026, 2, 13, 9))
    services.feedback_start(item=item, actor=officer, at=at(2026, 3, 2, 10))
    extension = services.feedback_extend(
        item=item, actor=officer, reason="Xác minh tại hai địa điểm", at=at(2026, 3, 3, 9)
    )
    assert extension.new_due_at == at(2026, 4, 16, 17)


def test_remote_area_complaint_takes_forty_five_then_sixty_days_r_fb_2(submit, officer, desk):
    """Remote: 45 days from 2 March is 16 April; complex, 60 days is Friday 1 May, Labour Day,
    so the period ends on Monday 4 May (Civil Code Art. 148.5)."""
    UnitSettings.objects.create(unit=desk.unit, is_remote_area=True)
    item, _pin = submit(kind="complaint", received_at=at(2026, 2, 13, 9))
    assert item.is_remote_area
    services.feedback_start(item=item, actor=officer, at=at(2026, 3, 2, 10))
    item.refresh_from_db()
    assert item.reply_due_at == at(2026, 4, 16, 17)
    extension = services.feedback_extend(
        item=item, actor=officer, reason="Nhiều người khiếu nại", at=at(2026, 3, 3, 9)
    )
    assert extension.new_due_at == at(2026, 5, 4, 17)


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        (at(2026, 3, 6, 10), at(2026, 4, 6, 17)),  # 5 April is a Sunday
        (at(2026, 1, 20, 10), at(2026, 2, 23, 17)),  # 19 February is Tết
    ],
)
def test_calendar_days_ending_on_a_day_off_end_on_the_next_working_day_r_due_2(
    submit, officer, accepted, due
):
    item, _pin = submit(kind="complaint", received_at=accepted.replace(hour=8))
    services.feedback_start(item=item, actor=officer, at=accepted)
    item.refresh_from_db()
    assert item.reply_due_at == due


def test_counting_is_a_setting_of_each_rule_r_fb_2(submit, officer):
    """Switching the complaint rule to working days: 30 working days after Monday 2 March are
    21 in March (3 March to 31 March) and 9 in April (1 to 13 April)."""
    DeadlineRule.objects.filter(code="complaint-2012").update(reply_counting=DayCounting.WORKING)
    item, _pin = submit(kind="complaint", received_at=at(2026, 2, 13, 9))
    services.feedback_start(item=item, actor=officer, at=at(2026, 3, 2, 10))
    item.refresh_from_db()
    assert item.reply_due_at == at(2026, 4, 13, 17)


def test_the_rule_in_force_on_the_receipt_date_applies_r_fb_2(submit):
    """From 1 July 2026 complaints are accepted within 7 working days (Decree 155/2026,
    unverified); one received the day before keeps the 10 days."""
    before, _pin = submit(kind="complaint", received_at=at(2026, 6, 30, 9))
    after, _pin = submit(kind="complaint", received_at=at(2026, 7, 1, 9))
    assert (before.rule.code, after.rule.code) == ("complaint-2012", "complaint-2026-07")
    assert not after.rule.verified
    assert before.accept_due_at == at(2026, 7, 14, 17)
    assert after.accept_due_at == at(2026, 7, 10, 17)


def test_a_changed_rule_does_not_change_items_already_received_r_fb_2(submit):
    item, _pin = submit(received_at=at(2026, 3, 2, 9))
    DeadlineRule.objects.filter(code="feedback-2014").update(reply_days=5)
    item.refresh_from_db()
    assert item.reply_due_at == at(2026, 3, 16, 17)
    newer, _pin = submit(received_at=at(2026, 3, 2, 9))
    assert newer.reply_due_at == at(2026, 3, 9, 17)


def test_default_rules_come_back_after_a_flush(submit):
    DeadlineRule.objects.all().delete()
    item, _pin = submit()
    assert item.rule.code == "feedback-2014"
