"""Counting rules the reports will roll up (R-IND-2, Circular 01/2018 index 8): answered in
time or late, overdue, due within one working day, unassigned, transferred, and the per unit
and day figures from the events."""

import datetime as dt

import pytest

from feedback import selectors, services
from tests.helpers import at


@pytest.fixture
def dataset(submit, officer, alice, tree, time_machine):
    """At Commune A1, looked at on Friday 13 March 2026 10:00 (no holiday in March):

    - in_time:  received Mon 2 Mar, due Mon 16 Mar, answered Thu 5 Mar
    - late:     received Mon 2 Feb, due Mon 23 Feb (Tết skipped), answered Tue 3 Mar
    - overdue:  received Mon 9 Feb, due Mon 2 Mar, not answered, assigned to Dave
    - soon:     received Mon 2 Mar, due Mon 16 Mar 17:00: the next working day, unassigned
    - tomorrow: received Fri 27 Feb, due today (Fri 13 Mar 17:00), assigned to Dave
    - moved:    received Mon 2 Mar, transferred to Commune A2 on Wed 11 Mar (late)
    """
    in_time, _ = submit(received_at=at(2026, 3, 2, 9))
    services.feedback_reply(item=in_time, actor=officer, text="A", at=at(2026, 3, 5, 9))
    late, _ = submit(received_at=at(2026, 2, 2, 9))
    services.feedback_reply(item=late, actor=officer, text="B", at=at(2026, 3, 3, 9))
    overdue, _ = submit(received_at=at(2026, 2, 9, 9))
    services.feedback_assign(item=overdue, actor=alice, assignee=officer, at=at(2026, 2, 9, 10))
    soon, _ = submit(received_at=at(2026, 3, 2, 9))
    tomorrow, _ = submit(received_at=at(2026, 2, 27, 9))
    services.feedback_assign(item=tomorrow, actor=alice, assignee=officer, at=at(2026, 2, 27, 10))
    moved, _ = submit(received_at=at(2026, 3, 2, 9))
    services.feedback_transfer(
        item=moved, actor=alice, to_unit=tree["commune_a2"], at=at(2026, 3, 11, 9)
    )
    time_machine.move_to(at(2026, 3, 13, 10), tick=False)
    return {
        "in_time": in_time,
        "late": late,
        "overdue": overdue,
        "soon": soon,
        "tomorrow": tomorrow,
        "moved": moved,
    }


def names(qs, dataset):
    by_pk = {item.pk: name for name, item in dataset.items()}
    return sorted(by_pk[pk] for pk in qs.values_list("pk", flat=True))


def test_the_hand_made_due_moments(dataset):
    due = {name: item.reply_due_at for name, item in dataset.items()}
    assert due["late"] == at(2026, 2, 23, 17)  # 10 working days after 2 Feb skip Tết 16–20
    assert due["overdue"] == at(2026, 3, 2, 17)
    assert due["tomorrow"] == at(2026, 3, 13, 17)


def test_answered_in_time_and_late(dataset):
    from feedback.models import Item

    assert names(Item.objects.filter(selectors.answered_in_time_q()), dataset) == ["in_time"]
    assert names(Item.objects.filter(selectors.answered_late_q()), dataset) == ["late"]


def test_overdue_and_due_soon_queues(dataset, alice, officer):
    assert names(selectors.overdue(user=alice), dataset) == ["overdue"]
    # due before the end of the next working day (Monday 16 March)
    assert names(selectors.due_soon(user=alice), dataset) == ["soon", "tomorrow"]
    assert names(selectors.due_for_assignee(user=officer), dataset) == ["overdue", "tomorrow"]


def test_unassigned_and_transferred_queues(dataset, alice, bob):
    assert names(selectors.unassigned(user=alice), dataset) == ["soon"]
    # the work queues hold what the unit is in charge of; the transferred item is A2's now,
    # but stays in A1's register, so the "transferred" list shows it to both
    assert names(selectors.transferred(user=alice), dataset) == ["moved"]
    assert names(selectors.unassigned(user=bob), dataset) == ["moved", "soon"]
    assert names(selectors.items_visible(user=alice), dataset) == sorted(dataset)


def test_handling_counts_per_unit_and_day(dataset, tree):
    counts = selectors.handling_counts(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    a1 = tree["commune_a1"].pk
    assert counts[(a1, dt.date(2026, 3, 2))]["received"] == 3
    assert counts[(a1, dt.date(2026, 3, 3))] == {
        "received": 0,
        "answered": 1,
        "answered_in_time": 0,
        "transferred": 0,
        "transferred_late": 0,
        "rejected": 0,
    }
    assert counts[(a1, dt.date(2026, 3, 5))]["answered_in_time"] == 1
    # the transfer counts at the unit that made it
    assert counts[(a1, dt.date(2026, 3, 11))]["transferred_late"] == 1
    assert selectors.overdue_counts(unit_ids=[a1]) == {a1: 1}


def test_filters_take_one_value_or_several(dataset, alice):
    from feedback.models import Item

    qs = Item.objects.all()
    assert names(selectors.items_filtered(qs, status="answered"), dataset) == ["in_time", "late"]
    assert names(selectors.items_filtered(qs, status=["transferred"]), dataset) == ["moved"]
    assert names(selectors.items_filtered(qs, q="PA-00001-26-00003"), dataset) == ["overdue"]
