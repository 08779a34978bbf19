"""The staff member a complaint is about, and the assignee, are people of the item's unit
(R-UNIT-3, R-FB-4), in the API as on the pages: found by the permissions matrix (issue 13).

Before, the API's ``staff_member`` and ``assignee`` fields took any active account: an id of
someone outside the caller's units answered "not a staff member of the unit" while an unknown
id answered "does not exist" (which accounts exist, across the country), and a superuser
without any role passed the unit check, so a conduct complaint could be pinned on them."""

import pytest

from feedback import services
from feedback.models import Item
from portal.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.feedback.api_helpers import FEEDBACK_URL, detail_url, signed_in
from tests.feedback.helpers import database_snapshot
from tests.helpers import at

pytestmark = pytest.mark.django_db


def _entry(unit, staff_member_id):
    return {
        "unit": unit.pk,
        "kind": "conduct",
        "channel": "hotline",
        "body": "Cán bộ tiếp nhận thiếu lịch sự.",
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912345678",
        "staff_member": staff_member_id,
    }


@pytest.fixture
def outsider_staff(tree):
    """Olga, an officer of Commune B1 (another district)."""
    user = UserFactory(username="olga")
    MembershipFactory(user=user, unit=tree["commune_b1"], role=Role.OFFICER)
    return user


def _unknown_id():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.order_by("-pk").values_list("pk", flat=True).first() + 1000


def test_an_outsider_as_staff_member_answers_like_an_unknown_id_r_unit_3(
    alice, desk, outsider_staff
):
    before = database_snapshot()
    outsider = signed_in(alice).post(
        FEEDBACK_URL, _entry(desk.unit, outsider_staff.pk), format="json"
    )
    unknown = signed_in(alice).post(FEEDBACK_URL, _entry(desk.unit, _unknown_id()), format="json")

    assert outsider.status_code == unknown.status_code == 400
    assert outsider.json() == unknown.json()
    assert "staff_member" in outsider.json()
    assert database_snapshot() == before


def test_a_superuser_without_a_role_is_not_a_staff_member_of_the_unit_r_fb_4(alice, desk):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    before = database_snapshot()

    response = signed_in(alice).post(FEEDBACK_URL, _entry(desk.unit, root.pk), format="json")

    assert response.status_code == 400
    assert "staff_member" in response.json()
    assert database_snapshot() == before


def test_a_staff_member_of_the_unit_is_taken(alice, officer, desk):
    response = signed_in(alice).post(FEEDBACK_URL, _entry(desk.unit, officer.pk), format="json")

    assert response.status_code == 201, response.content
    assert Item.objects.get().staff_member == officer


def test_the_district_leader_covering_the_commune_is_taken(alice, bob, desk):
    response = signed_in(alice).post(FEEDBACK_URL, _entry(desk.unit, bob.pk), format="json")

    assert response.status_code == 201, response.content


def test_classify_and_assign_refuse_an_outsider_like_an_unknown_id(submit, leader, outsider_staff):
    item, _pin = submit(received_at=at(2026, 3, 2, 9))
    for action, field in (("classify", "staff_member"), ("assign", "assignee")):
        outsider = signed_in(leader).post(
            detail_url(item, f"{action}/"), {field: outsider_staff.pk}, format="json"
        )
        unknown = signed_in(leader).post(
            detail_url(item, f"{action}/"), {field: _unknown_id()}, format="json"
        )
        assert outsider.status_code == unknown.status_code == 400, action
        assert outsider.json() == unknown.json(), action
        assert field in outsider.json(), action
    item.refresh_from_db()
    assert item.staff_member is None and item.assigned_to is None


def test_the_service_refuses_a_superuser_as_staff_member_r_fb_4(submit, leader):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    item, _pin = submit(received_at=at(2026, 3, 2, 9))

    with pytest.raises(services.InvalidFeedback):
        services.feedback_classify(item=item, actor=leader, staff_member=root)
    with pytest.raises(services.InvalidFeedback):
        services.feedback_assign(item=item, actor=leader, assignee=root)
