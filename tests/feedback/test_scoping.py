"""R-UNIT-3, R-PRIV-1: staff see and act on the items of their own units only; a district
leader covering his communes sees theirs; an outsider sees none and is refused before learning
anything about the item's state; nobody sees a complaint about themselves."""

import pytest

from feedback import selectors, services
from portal.exceptions import PermissionDenied
from tests.factories import DeskFactory
from tests.helpers import at


@pytest.fixture
def items(submit, tree, charlie):
    a1, _pin = submit()
    DeskFactory(unit=tree["commune_a2"])
    a2, _pin = submit(unit=tree["commune_a2"], channel="web", actor=None)
    DeskFactory(unit=tree["commune_b1"])
    b1, _pin = submit(unit=tree["commune_b1"], actor=charlie)
    return {"a1": a1, "a2": a2, "b1": b1}


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_receptionist_sees_only_her_communes_items_r_unit_3(items, alice):
    assert codes(selectors.items_visible(user=alice)) == [items["a1"].code]


def test_district_leader_covering_descendants_sees_his_communes_r_unit_3(items, bob):
    assert codes(selectors.items_visible(user=bob)) == sorted([items["a1"].code, items["a2"].code])


def test_outsider_sees_only_his_own_r_unit_3(items, charlie):
    assert codes(selectors.items_visible(user=charlie)) == [items["b1"].code]


def test_outsider_is_refused_before_the_state_is_revealed_r_unit_3(items, charlie, officer):
    item = items["a1"]
    services.feedback_reply(item=item, actor=officer, text="Xong", at=at(2026, 3, 3, 9))
    services.feedback_close(item=item, actor=officer, at=at(2026, 3, 4, 9))
    # replying to a closed item would be a 409 for staff; the outsider only hears 403
    with pytest.raises(PermissionDenied):
        services.feedback_reply(item=item, actor=charlie, text="X", at=at(2026, 3, 5, 9))


def test_district_leader_may_act_on_his_communes_items_r_unit_3(items, bob):
    services.feedback_reply(item=items["a2"], actor=bob, text="Trả lời", at=at(2026, 3, 3, 9))


def test_detail_outside_the_users_units_does_not_exist_r_priv_1(items, alice):
    from feedback.models import Item

    with pytest.raises(Item.DoesNotExist):
        selectors.item_detail(user=alice, pk=items["b1"].pk)


def test_the_accused_staff_member_does_not_see_the_complaint_r_fb_4(submit, officer, leader):
    item, _pin = submit(kind="conduct", staff_member=officer)
    assert not selectors.items_visible(user=officer).filter(pk=item.pk).exists()
    assert selectors.items_visible(user=leader).filter(pk=item.pk).exists()
    from feedback.exceptions import InvalidFeedback

    with pytest.raises(InvalidFeedback) as refused:
        services.feedback_assign(item=item, actor=leader, assignee=officer, at=at(2026, 3, 3, 9))
    assert list(refused.value.fields) == ["assignee"]


def test_an_assignee_needs_a_role_at_the_unit(submit, alice, charlie):
    from feedback.exceptions import InvalidFeedback

    item, _pin = submit()
    with pytest.raises(InvalidFeedback):
        services.feedback_assign(item=item, actor=alice, assignee=charlie, at=at(2026, 3, 3, 9))


def test_user_without_roles_sees_nothing(items):
    from tests.factories import UserFactory

    assert not selectors.items_visible(user=UserFactory(username="nobody")).exists()
