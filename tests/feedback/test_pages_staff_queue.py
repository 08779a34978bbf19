"""The staff queue of feedback (R-FB-2, R-UNIT-3): tabs due soon, overdue, unassigned,
transferred, mine and all over the unit-scoped selectors; a search by code or register number
(personal data is not searchable, so it never goes into a URL); 25 rows a page; the menu entry
for the roles that have it."""

import re

import pytest

from feedback import services
from tests.factories import DeskFactory, UserFactory
from tests.feedback.pages import QUEUE_URL, html
from tests.helpers import at

pytestmark = pytest.mark.django_db


def _codes(response):
    assert response.status_code == 200
    return sorted(
        set(re.findall(r'class="code" href="/phan-anh/quan-ly/\d+/">([^<]+)<', html(response)))
    )


def _count(response, tab):
    return int(
        re.search(rf'href="\?tab={tab}".*?data-count="(\d+)"', html(response), re.S).group(1)
    )


@pytest.fixture
def items(submit, tree, charlie, officer):
    a1, _pin = submit()
    mine, _pin = submit(received_at=at(2026, 3, 2, 10))
    services.feedback_assign(item=mine, actor=officer, assignee=officer, at=at(2026, 3, 2, 11))
    DeskFactory(unit=tree["commune_a2"])
    a2, _pin = submit(unit=tree["commune_a2"], channel="web", actor=None)
    DeskFactory(unit=tree["commune_b1"])
    b1, _pin = submit(unit=tree["commune_b1"], actor=charlie)
    return {"a1": a1, "mine": mine, "a2": a2, "b1": b1}


def test_sign_in_is_required(client):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_each_user_sees_the_items_of_their_units_r_unit_3(client, items, alice, bob, charlie):
    seen = {}
    for user in (alice, bob, charlie):
        client.force_login(user)
        seen[user.username] = _codes(client.get(QUEUE_URL, {"tab": "all"}))

    assert seen["alice"] == sorted([items["a1"].code, items["mine"].code])
    assert seen["bob"] == sorted([items["a1"].code, items["mine"].code, items["a2"].code])
    assert seen["charlie"] == [items["b1"].code]


def test_the_tabs_hold_their_queues_r_fb_2(client, items, officer, time_machine):
    client.force_login(officer)
    time_machine.move_to(at(2026, 3, 4, 10), tick=False)

    unassigned = client.get(QUEUE_URL, {"tab": "unassigned"})
    mine = client.get(QUEUE_URL, {"tab": "mine"})

    assert _codes(unassigned) == [items["a1"].code]
    assert _codes(mine) == [items["mine"].code]
    assert (_count(unassigned, "unassigned"), _count(unassigned, "mine")) == (1, 1)
    assert _codes(client.get(QUEUE_URL, {"tab": "overdue"})) == []


def test_overdue_and_due_soon_follow_the_deadline_r_fb_2(client, items, officer, time_machine):
    client.force_login(officer)
    due = items["a1"].due_at  # 10 working days after Monday 2 March 2026

    time_machine.move_to(due.replace(hour=9), tick=False)
    soon = _codes(client.get(QUEUE_URL, {"tab": "due_soon"}))
    time_machine.move_to(due.replace(hour=23), tick=False)
    late = client.get(QUEUE_URL, {"tab": "overdue"})

    assert soon == sorted([items["a1"].code, items["mine"].code])
    assert _codes(late) == sorted([items["a1"].code, items["mine"].code])
    assert html(late).count('class="is-overdue"') == 2


def test_transferred_items_are_listed_at_both_units(client, items, officer, bob, tree):
    services.feedback_transfer(
        item=items["a1"], actor=officer, to_unit=tree["commune_a2"], at=at(2026, 3, 3, 9)
    )
    client.force_login(officer)

    assert _codes(client.get(QUEUE_URL, {"tab": "transferred"})) == [items["a1"].code]


def test_search_by_code_or_register_number_but_not_by_name(client, items, alice):
    client.force_login(alice)

    by_code = _codes(client.get(QUEUE_URL, {"tab": "all", "q": items["a1"].code.lower()}))
    by_number = _codes(
        client.get(QUEUE_URL, {"tab": "all", "q": str(items["mine"].register_number)})
    )
    by_name = _codes(client.get(QUEUE_URL, {"tab": "all", "q": "Nguyễn Văn An"}))
    by_kind = _codes(client.get(QUEUE_URL, {"tab": "all", "kind": "complaint"}))

    assert by_code == [items["a1"].code]
    assert items["mine"].code in by_number  # "2" is also in every code of 2026
    assert by_name == [] and by_kind == []


def test_the_list_is_paged_by_twenty_five(client, submit, alice):
    for n in range(27):
        submit(received_at=at(2026, 3, 2, 9, n))
    client.force_login(alice)

    first = client.get(QUEUE_URL, {"tab": "all"})
    second = client.get(QUEUE_URL, {"tab": "all", "page": 2})

    assert len(_codes(first)) == 25 and len(_codes(second)) == 2
    assert 'rel="next"' in html(first)


def test_staff_with_a_role_get_the_menu_entry(client, alice, officer, bob):
    for user in (alice, officer, bob):
        client.force_login(user)
        nav = re.search(r'<nav class="site-nav".*?</nav>', html(client.get("/")), re.S).group(0)
        assert f'href="{QUEUE_URL}"' in nav, user.username


def test_a_user_without_a_role_gets_no_menu_entry_and_an_empty_queue(client, items, tree):
    client.force_login(UserFactory(username="nobody"))

    assert f'href="{QUEUE_URL}"' not in html(client.get("/"))
    assert _codes(client.get(QUEUE_URL, {"tab": "all"})) == []
