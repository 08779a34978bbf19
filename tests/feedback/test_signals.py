"""Reports are never imported by feedback: a change announces, after commit, the units and the
local day it touched, so a rollup can mark its buckets dirty."""

import datetime as dt

import pytest

from feedback import services
from feedback.signals import feedback_changed
from tests.helpers import at


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, signal, **kwargs):
        calls.append(kwargs)

    feedback_changed.connect(receiver, dispatch_uid="test-heard")
    yield calls
    feedback_changed.disconnect(dispatch_uid="test-heard")


def test_changes_are_announced_after_commit_with_unit_and_day(
    submit, alice, tree, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item, _pin = submit(received_at=at(2026, 3, 2, 23, 30))
    assert heard == [
        {
            "unit_id": item.unit_id,
            "day": dt.date(2026, 3, 2),
            "action": "received",
            "item_id": item.pk,
        }
    ]
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_transfer(
            item=item, actor=alice, to_unit=tree["commune_a2"], at=at(2026, 3, 3, 9)
        )
    assert sorted(c["unit_id"] for c in heard) == sorted(
        [tree["commune_a1"].pk, tree["commune_a2"].pk]
    )


def test_a_failing_receiver_does_not_break_the_request(submit, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("reports down")

    feedback_changed.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            submit()
    finally:
        feedback_changed.disconnect(dispatch_uid="test-broken")


def test_nothing_is_announced_when_the_change_is_refused(
    submit, heard, django_capture_on_commit_callbacks
):
    from feedback.exceptions import InvalidText

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidText):
        submit(body="")
    assert heard == []
