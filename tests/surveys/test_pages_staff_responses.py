"""The staff's list of responses: per desk, period, channel and form, with comments, paginated,
scoped to the user's units (R-UNIT-3, R-SUR-2), and the menu entry that leads there."""

import pytest
from django.urls import reverse

from surveys import services
from tests.factories import UserFactory
from tests.helpers import at
from tests.surveys.helpers import by_id

MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def sheets(desk, desk_b1, alice, charlie, small_form, make_dossier, officer):
    a1 = services.response_enter_paper(
        desk=desk,
        serial="11",
        answers=by_id(small_form.c, {"x1": 5}),
        comment="Cán bộ nhiệt tình, hướng dẫn rõ ràng.",
        actor=alice,
        submitted_at=at(2026, 3, 3),
    )
    phone = services.response_enter_phone(
        dossier=make_dossier(),
        answers=by_id(small_form.c, {"x1": 2}),
        actor=officer,
        submitted_at=at(2026, 3, 20),
    )
    april = services.response_enter_paper(
        desk=desk,
        serial="12",
        answers=by_id(small_form.c, {"x1": 4}),
        actor=alice,
        submitted_at=at(2026, 4, 2),
    )
    b1 = services.response_enter_paper(
        desk=desk_b1,
        serial="1",
        answers=by_id(small_form.c, {"x1": 1}),
        comment="Phải chờ quá lâu.",
        actor=charlie,
        submitted_at=at(2026, 3, 5),
    )
    return {"a1": a1, "phone": phone, "april": april, "b1": b1}


def listed(client, **params):
    response = client.get(reverse("surveys:responses"), {**MARCH, **params})
    assert response.status_code == 200
    return [r.pk for r in response.context["page"].object_list], response.content.decode()


def test_alice_sees_her_desks_responses_of_the_period_with_comments(client, alice, sheets):
    client.force_login(alice)

    pks, html = listed(client)

    assert pks == [sheets["phone"].pk, sheets["a1"].pk]  # newest first, April left out
    assert "Cán bộ nhiệt tình, hướng dẫn rõ ràng." in html
    assert "Phải chờ quá lâu." not in html


def test_the_district_leader_sees_his_communes_and_the_outsider_only_his_own(
    client, bob, charlie, sheets
):
    client.force_login(bob)
    assert set(listed(client)[0]) == {sheets["a1"].pk, sheets["phone"].pk}

    client.force_login(charlie)
    assert listed(client)[0] == [sheets["b1"].pk]


def test_the_filters_narrow_by_channel_desk_and_form(client, bob, sheets, desk, desk_b1):
    client.force_login(bob)

    assert listed(client, channel="phone")[0] == [sheets["phone"].pk]
    assert set(listed(client, desk=desk.pk)[0]) == {sheets["a1"].pk, sheets["phone"].pk}
    assert listed(client, form="small", channel="paper")[0] == [sheets["a1"].pk]
    refused = client.get(reverse("surveys:responses"), {**MARCH, "desk": desk_b1.pk})
    assert refused.status_code == 400 and refused.context["page"] is None


def test_an_outsider_cannot_open_a_response_of_another_unit(client, alice, charlie, sheets):
    client.force_login(alice)
    own = client.get(reverse("surveys:response_detail", args=[sheets["a1"].pk]))
    assert own.status_code == 200
    assert "Cán bộ nhiệt tình" in own.content.decode()

    client.force_login(charlie)
    assert client.get(reverse("surveys:response_detail", args=[sheets["a1"].pk])).status_code == 404


def test_the_list_is_paginated(client, alice, desk, small_form):
    for n in range(27):
        services.response_enter_paper(
            desk=desk,
            serial=str(100 + n),
            answers=by_id(small_form.c, {"x1": 3}),
            actor=alice,
            submitted_at=at(2026, 3, 10),
        )
    client.force_login(alice)

    first = client.get(reverse("surveys:responses"), MARCH).context["page"]
    second = client.get(reverse("surveys:responses"), {**MARCH, "page": 2}).context["page"]

    assert (len(first.object_list), len(second.object_list), first.paginator.count) == (25, 2, 27)


def test_staff_pages_need_a_sign_in_and_a_role(client, tree):
    assert client.get(reverse("surveys:responses")).status_code == 302  # to the sign-in page

    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("surveys:responses")).status_code == 403


def test_the_menu_shows_surveys_to_staff_only(client, alice):
    client.force_login(alice)
    assert reverse("surveys:responses") in client.get(reverse("home")).content.decode()

    client.force_login(UserFactory(username="nobody"))
    assert reverse("surveys:responses") not in client.get(reverse("home")).content.decode()
