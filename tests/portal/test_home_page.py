"""The home page shows the signed-in person's units and roles (R-UNIT-3) and what they may do."""

import datetime as dt

import pytest
from django.urls import reverse

from portal.models import Role, UnitLevel
from tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


def test_receptionist_sees_her_commune_and_role(client, alice):
    html = _home(client, alice).content.decode()

    assert "Phường Phúc Xá" in html
    assert "Cán bộ tiếp nhận" in html
    assert "Chỉ đơn vị này" in html
    assert "Tiếp nhận hồ sơ tại bộ phận một cửa" in html


def test_home_page_does_not_show_other_peoples_units(client, alice, charlie):
    html = _home(client, alice).content.decode()

    assert "Phường Phúc Tân" not in html  # Charlie's commune


def test_leader_sees_that_the_role_covers_the_units_below(client, bob):
    html = _home(client, bob).content.decode()

    assert "Quận Ba Đình" in html
    assert "Lãnh đạo" in html
    assert "Đơn vị này và các đơn vị trực thuộc" in html
    assert "Theo dõi bảng điều khiển" in html
    assert "Tiếp nhận hồ sơ tại bộ phận một cửa" not in html


def test_expired_membership_is_not_shown(client, tree):
    user = UserFactory(username="former")
    MembershipFactory(
        user=user, unit=tree["commune_a2"], role=Role.OFFICER, valid_to=dt.date(2020, 1, 1)
    )

    html = _home(client, user).content.decode()

    assert "Phường Trúc Bạch" not in html
    assert "Bạn chưa được phân vai trò tại đơn vị nào" in html


def test_home_page_in_english(client, alice):
    client.cookies["django_language"] = "en"

    html = _home(client, alice).content.decode()

    assert "Your units and roles" in html
    assert "Receptionist" in html
    assert "This unit only" in html


def test_home_page_queries_do_not_grow_with_memberships(
    client, alice, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    with CaptureQueriesContext(connection) as one_membership:
        client.get(reverse("home"))
    city = UnitFactory(level=UnitLevel.CITY, code="79", name="Thành phố Hồ Chí Minh")
    for i in range(8):
        unit = UnitFactory(parent=city, level=UnitLevel.DISTRICT, code=f"7{i:02d}")
        MembershipFactory(user=alice, unit=unit, role=Role.OFFICER)

    with django_assert_max_num_queries(len(one_membership)):
        response = client.get(reverse("home"))
    assert response.content.decode().count("Cán bộ xử lý") >= 8
