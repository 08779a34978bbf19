"""The administration pages of a unit administrator (/quan-tri/, R-UNIT-3): the ward's admin
changes the desk's hours, adds a department and a receptionist (who can then receive
dossiers), ends a role, and cannot reach another ward; the calendar is the city's."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from portal.models import AuditLog, CalendarOverride, Department, Membership, Role
from tests.factories import DeskFactory
from tests.helpers import PASSWORD
from tests.portal.test_layout import _parse

pytestmark = pytest.mark.django_db


def _desk_post(desk, **changes):
    data = {
        "name": desk.name,
        "address": desk.address,
        "phone": desk.phone,
        "email": desk.email,
        "opening_hours": desk.opening_hours,
        "opens_at": "07:30",
        "lunch_starts_at": "11:30",
        "lunch_ends_at": "13:30",
        "closes_at": "17:00",
        "paper_handover_cutoff": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_the_ward_admin_changes_the_desk_hours_r_unit_3(client, ward_admin, desk_a1):
    client.force_login(ward_admin)

    index = client.get(reverse("administration:index"))
    unit = client.get(reverse("administration:unit", args=[desk_a1.unit_id]))
    saved = client.post(
        reverse("administration:desk", args=[desk_a1.pk]),
        _desk_post(desk_a1, closes_at="16:30", phone="024 3999 0002"),
    )

    assert reverse("administration:unit", args=[desk_a1.unit_id]) in index.content.decode()
    assert reverse("administration:desk", args=[desk_a1.pk]) in unit.content.decode()
    assert saved.status_code == 302
    desk_a1.refresh_from_db()
    assert (desk_a1.closes_at, desk_a1.phone) == (dt.time(16, 30), "024 3999 0002")
    assert AuditLog.objects.filter(action="desk.update", actor=ward_admin).exists()


def test_wrong_hours_are_shown_on_the_form_and_nothing_changes(client, ward_admin, desk_a1):
    client.force_login(ward_admin)

    response = client.post(
        reverse("administration:desk", args=[desk_a1.pk]), _desk_post(desk_a1, closes_at="07:00")
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    desk_a1.refresh_from_db()
    assert desk_a1.closes_at == dt.time(17, 0)


def test_the_ward_admin_adds_a_department_and_a_receptionist_who_can_receive(
    client, ward_admin, desk_a1, tree
):
    client.force_login(ward_admin)

    added = client.post(
        reverse("administration:department_add", args=[desk_a1.pk]),
        {"new-code": "van-hoa", "new-name": "Văn hoá - Xã hội"},
    )
    made = client.post(
        reverse("administration:staff_new", args=[tree["commune_a1"].pk]),
        {
            "username": "lan.tran",
            "last_name": "Trần",
            "first_name": "Thị Lan",
            "email": "",
            "password": "mot-cua-phuc-xa-2026",
            "role": Role.RECEPTIONIST,
            "department": "",
        },
    )

    assert added.status_code == made.status_code == 302
    assert Department.objects.filter(desk=desk_a1, code="van-hoa").exists()
    membership = Membership.objects.get(user__username="lan.tran")
    assert (membership.unit, membership.role) == (tree["commune_a1"], Role.RECEPTIONIST)
    client.post(reverse("logout"))
    signed_in = client.post(
        reverse("login"), {"username": "lan.tran", "password": "mot-cua-phuc-xa-2026"}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("dossiers:intake")).status_code == 200


def test_another_ward_is_out_of_reach(client, ward_admin, tree):
    other = DeskFactory(unit=tree["commune_a2"])
    client.force_login(ward_admin)

    pages = [
        client.get(reverse("administration:unit", args=[tree["commune_a2"].pk])),
        client.get(reverse("administration:desk", args=[other.pk])),
        client.post(reverse("administration:desk", args=[other.pk]), _desk_post(other, phone="1")),
        client.post(
            reverse("administration:department_add", args=[other.pk]),
            {"new-code": "x", "new-name": "X"},
        ),
        client.get(reverse("administration:staff_new", args=[tree["commune_a2"].pk])),
    ]

    assert [p.status_code for p in pages] == [404] * 5
    other.refresh_from_db()
    assert other.phone != "1" and not other.departments.exists()


def test_ending_a_role_and_the_last_administrator(client, ward_admin, alice, tree):
    client.force_login(ward_admin)
    receptionist = alice.memberships.get()
    own = ward_admin.memberships.get()

    ended = client.post(reverse("administration:role_end", args=[receptionist.pk]), follow=True)
    kept = client.post(reverse("administration:role_end", args=[own.pk]), follow=True)

    receptionist.refresh_from_db()
    assert receptionist.valid_to is not None
    own.refresh_from_db()
    assert own.valid_to is None
    assert 'class="message message--error"' in kept.content.decode()
    assert ended.status_code == kept.status_code == 200


def test_only_administrators_get_the_pages_and_the_menu_link(client, alice, ward_admin):
    client.force_login(alice)
    assert client.get(reverse("administration:index")).status_code == 403
    assert reverse("administration:index") not in client.get("/").content.decode()

    client.force_login(ward_admin)
    home = client.get("/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', home, re.S).group(0)
    assert reverse("administration:index") in nav


def test_the_calendar_page_is_the_citys(client, city_admin, ward_admin):
    client.force_login(ward_admin)
    assert client.get(reverse("administration:calendar")).status_code == 403

    client.force_login(city_admin)
    added = client.post(
        reverse("administration:calendar"),
        {"date": "2026-01-10", "kind": "working_day", "name": "Làm bù cho ngày 2/1"},
    )
    assert added.status_code == 302
    assert CalendarOverride.objects.get().created_by == city_admin


@pytest.mark.parametrize(
    "page", ["index", "unit", "desk", "staff_new", "role_grant", "account", "calendar"]
)
def test_the_pages_keep_to_the_csp(client, superuser, desk_a1, alice, page):
    client.force_login(superuser)
    args = {
        "unit": [desk_a1.unit_id],
        "desk": [desk_a1.pk],
        "staff_new": [desk_a1.unit_id],
        "role_grant": [desk_a1.unit_id],
        "account": [alice.pk],
    }.get(page, [])

    response = client.get(reverse(f"administration:{page}", args=args))

    parsed = _parse(response)
    assert response.status_code == 200
    assert (parsed.inline_scripts, parsed.style_tags, parsed.style_attributes) == (0, 0, [])
    assert PASSWORD not in response.content.decode()
