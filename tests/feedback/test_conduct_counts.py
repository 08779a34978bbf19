"""R-FB-4: complaints about staff conduct link to the staff member and are counted per person
and month for the monthly evaluation; those found unfounded or rejected do not count."""

import datetime as dt

from feedback import selectors, services
from feedback.models import Finding
from tests.helpers import at


def test_conduct_complaints_are_counted_per_staff_member_and_month_r_fb_4(
    submit, alice, officer, leader
):
    first, _ = submit(kind="conduct", staff_member=alice, received_at=at(2026, 3, 2, 9))
    services.feedback_reply(
        item=first, actor=leader, text="Có cơ sở", finding=Finding.FOUNDED, at=at(2026, 3, 4, 9)
    )
    second, _ = submit(kind="conduct", staff_member=alice, received_at=at(2026, 3, 20, 9))
    services.feedback_reply(
        item=second, actor=leader, text="Không đúng", finding=Finding.UNFOUNDED, at=at(2026, 3, 23)
    )
    submit(kind="conduct", staff_member=alice, received_at=at(2026, 4, 1, 9))
    submit(kind="conduct", staff_member=officer, received_at=at(2026, 3, 31, 23, 30))
    submit(kind="feedback", received_at=at(2026, 3, 3, 9))  # not about a person
    rows = selectors.conduct_complaints_per_staff_month(
        date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 30)
    )
    assert rows == [
        {
            "staff_member_id": alice.pk,
            "month": dt.date(2026, 3, 1),
            "received": 2,
            "founded": 1,
            "unfounded": 1,
            "rejected": 0,
            "pending": 0,
            "counted": 1,
        },
        {
            "staff_member_id": alice.pk,
            "month": dt.date(2026, 4, 1),
            "received": 1,
            "founded": 0,
            "unfounded": 0,
            "rejected": 0,
            "pending": 1,
            "counted": 1,
        },
        {
            "staff_member_id": officer.pk,
            "month": dt.date(2026, 3, 1),  # 23:30 on 31 March in Hanoi is still March
            "received": 1,
            "founded": 0,
            "unfounded": 0,
            "rejected": 0,
            "pending": 1,
            "counted": 1,
        },
    ]


def test_the_count_follows_the_users_scope_r_unit_3(submit, alice, charlie):
    submit(kind="conduct", staff_member=alice)
    assert (
        selectors.conduct_complaints_per_staff_month(
            date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), user=charlie
        )
        == []
    )


def test_staff_link_a_conduct_complaint_to_the_person_when_classifying_r_fb_4(
    submit, alice, leader
):
    item, _ = submit(kind="conduct", staff_description="Chị ở quầy 1, sáng thứ Hai")
    services.feedback_classify(item=item, actor=leader, staff_member=alice, at=at(2026, 3, 3, 9))
    item.refresh_from_db()
    assert item.staff_member == alice
    assert item.events.get(kind="classified").data == {"staff_member": alice.pk}
