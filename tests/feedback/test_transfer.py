"""R-FB-2: an item for which another body is competent is transferred within 5 working days
of receipt; a later transfer is still made but flagged late. The competent unit of the portal
handles it from then on; a body outside the portal leaves only closing it here."""

import pytest

from feedback import selectors, services
from feedback.exceptions import InvalidFeedback, TransferNotAllowed, TransitionNotAllowed
from feedback.models import Status
from portal.models import Notification, Role
from tests.factories import DeskFactory, MembershipFactory, UserFactory
from tests.feedback.helpers import database_snapshot, item_state
from tests.helpers import at


@pytest.fixture
def commune_a2(tree):
    unit = tree["commune_a2"]
    DeskFactory(unit=unit)
    ann = UserFactory(username="ann")
    MembershipFactory(user=ann, unit=unit, role=Role.OFFICER)
    return unit, ann


def test_transfer_within_five_working_days_is_on_time_r_fb_2(submit, alice, commune_a2):
    unit, _ann = commune_a2
    item, _pin = submit(received_at=at(2026, 3, 2, 9))
    assert item.transfer_due_at == at(2026, 3, 9, 17)
    services.feedback_transfer(item=item, actor=alice, to_unit=unit, at=at(2026, 3, 9, 16))
    item.refresh_from_db()
    assert (item.status, item.transfer_late) == (Status.TRANSFERRED, False)
    event = item.events.get(kind="transferred")
    assert event.data["late"] is False and event.data["on_time"] is True


def test_transfer_after_five_working_days_is_flagged_late_r_fb_2(submit, alice, commune_a2):
    unit, _ann = commune_a2
    item, _pin = submit(received_at=at(2026, 3, 2, 9))
    services.feedback_transfer(item=item, actor=alice, to_unit=unit, at=at(2026, 3, 10, 9))
    item.refresh_from_db()
    assert item.transfer_late is True
    assert item.events.get(kind="transferred").data["late"] is True


def test_transfer_over_tet_counts_working_days_r_fb_2(submit, alice, commune_a2):
    """Received Friday 13 February 2026: the fifth working day is Friday 27 February."""
    unit, _ann = commune_a2
    item, _pin = submit(received_at=at(2026, 2, 13, 9))
    services.feedback_transfer(item=item, actor=alice, to_unit=unit, at=at(2026, 2, 27, 16))
    item.refresh_from_db()
    assert item.transfer_late is False


def test_the_competent_unit_handles_it_with_deadlines_from_the_transfer(
    submit, alice, officer, commune_a2
):
    unit, ann = commune_a2
    item, _pin = submit(received_at=at(2026, 3, 2, 9))
    services.feedback_assign(item=item, actor=alice, assignee=officer, at=at(2026, 3, 2, 10))
    services.feedback_transfer(item=item, actor=alice, to_unit=unit, at=at(2026, 3, 4, 9))
    item.refresh_from_db()
    assert (item.unit, item.intake_unit.code, item.assigned_to) == (unit, "00001", None)
    assert item.reply_due_at == at(2026, 3, 18, 17)  # 10 working days after 4 March
    assert item.due_at == item.reply_due_at
    services.feedback_assign(item=item, actor=ann, assignee=ann, at=at(2026, 3, 4, 10))
    services.feedback_reply(item=item, actor=ann, text="Đã xử lý.", at=at(2026, 3, 5, 9))
    item.refresh_from_db()
    assert item.status == Status.ANSWERED
    # the receiving unit still sees the item in its register, but can no longer act on it
    assert selectors.items_visible(user=alice).filter(pk=item.pk).exists()
    with pytest.raises(Exception) as refused:
        services.feedback_close(item=item, actor=officer, at=at(2026, 3, 6, 9))
    assert refused.value.code == "permission_denied"


def test_transfer_to_the_same_unit_is_refused_and_writes_nothing(submit, alice, desk):
    item, _pin = submit()
    before, state = database_snapshot(), item_state(item)
    with pytest.raises(TransferNotAllowed) as refused:
        services.feedback_transfer(item=item, actor=alice, to_unit=desk.unit, at=at(2026, 3, 3, 9))
    assert "to_unit" in refused.value.fields
    assert (database_snapshot(), item_state(item)) == (before, state)


def test_transfer_needs_exactly_one_destination(submit, alice, commune_a2):
    item, _pin = submit()
    with pytest.raises(InvalidFeedback):
        services.feedback_transfer(item=item, actor=alice, at=at(2026, 3, 3, 9))
    with pytest.raises(InvalidFeedback):
        services.feedback_transfer(
            item=item,
            actor=alice,
            to_unit=commune_a2[0],
            to_body="Sở Tư pháp",
            at=at(2026, 3, 3, 9),
        )


def test_transfer_outside_the_portal_leaves_only_closing(submit, alice, officer):
    item, _pin = submit(kind="denunciation")
    services.feedback_transfer(
        item=item, actor=alice, to_body="Thanh tra thành phố", at=at(2026, 3, 3, 9)
    )
    item.refresh_from_db()
    assert (item.status, item.due_at, item.transferred_to_body) == (
        Status.TRANSFERRED,
        None,
        "Thanh tra thành phố",
    )
    assert services.actions_allowed(item=item, user=officer) == ["closed"]
    with pytest.raises(TransitionNotAllowed):
        services.feedback_assign(item=item, actor=alice, assignee=officer, at=at(2026, 3, 3, 10))
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 4, 9))
    item.refresh_from_db()
    assert item.status == Status.CLOSED


def test_the_sender_is_told_of_the_transfer(submit, alice, commune_a2):
    item, _pin = submit()
    services.feedback_transfer(item=item, actor=alice, to_unit=commune_a2[0], at=at(2026, 3, 3, 9))
    notes = Notification.objects.filter(dedupe_key__startswith=f"feedback:{item.pk}:transferred")
    assert {n.channel for n in notes} == {"email", "sms"}
    assert all(commune_a2[0].name in n.body for n in notes)
