"""A handover can name an officer of the department (R-LIFE-3): the officer then holds the
dossier and finds it in their own queue; an officer of another department, or of none, is
refused by the service, whoever calls it (page or API)."""

import pytest
from django.urls import reverse

from dossiers import selectors, services
from dossiers.exceptions import OfficerNotInDepartment
from dossiers.models import Step
from portal.models import Role
from tests.dossiers.pages import html, travel
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import at


@pytest.fixture
def land_officer(tree, departments):
    """Gia, an officer of Commune A1 in the land department."""
    user = UserFactory(username="gia", first_name="Thị G", last_name="Lê")
    MembershipFactory(
        user=user, unit=tree["commune_a1"], role=Role.OFFICER, department=departments["land"]
    )
    return user


def test_handing_over_to_a_named_officer_puts_it_in_their_queue_r_life_3(
    receive, alice, clerk, land_officer, departments
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))

    services.dossier_route(
        dossier=dossier,
        actor=alice,
        to_department=departments["civil"],
        to_officer=clerk,
        at=at(2026, 3, 2, 10),
    )

    dossier.refresh_from_db()
    assert (dossier.current_department, dossier.current_holder) == (departments["civil"], clerk)
    assert Step.objects.get(dossier=dossier, number=2).received_by == clerk
    assert dossier.events.get(kind="routed").data["to_officer"] == "Thị F Trần"
    assert list(selectors.held_by_user(user=clerk)) == [dossier]
    assert list(selectors.held_by_user(user=land_officer)) == []


def test_an_officer_of_another_department_is_refused_r_life_3(
    receive, alice, land_officer, departments
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))

    with pytest.raises(OfficerNotInDepartment):
        services.dossier_route(
            dossier=dossier,
            actor=alice,
            to_department=departments["civil"],
            to_officer=land_officer,
            at=at(2026, 3, 2, 10),
        )

    dossier.refresh_from_db()
    assert (dossier.status, dossier.current_holder) == ("received", alice)


def test_an_officer_without_a_department_or_back_to_the_desk_is_refused(
    receive, alice, officer, clerk, departments
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))

    with pytest.raises(OfficerNotInDepartment):  # Dave is an officer of the unit, no department
        services.dossier_route(
            dossier=dossier, actor=alice, to_department=departments["civil"], to_officer=officer
        )
    with pytest.raises(OfficerNotInDepartment):  # no department: no officer to name
        services.dossier_route(dossier=dossier, actor=alice, to_officer=clerk)


def test_the_page_offers_the_officers_and_hands_over_by_name(
    client, receive, alice, clerk, land_officer, departments
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    client.force_login(alice)
    with travel(2026, 3, 2, 10):
        page = html(client.get(reverse("dossiers:detail", args=[dossier.pk])))
        assert "Thị F Trần — Tư pháp – Hộ tịch" in page
        assert "Thị G Lê — Địa chính" in page
        membership = clerk.memberships.get()
        response = client.post(
            reverse("dossiers:act", args=[dossier.pk, "route"]),
            {
                "route-to_department": departments["civil"].pk,
                "route-to_officer": membership.pk,
                "route-note": "",
            },
        )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_holder == clerk


def test_the_api_hands_over_to_a_named_officer_and_refuses_a_wrong_one(
    client, receive, alice, clerk, land_officer, departments
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    client.force_login(alice)
    url = f"/api/v1/dossiers/{dossier.pk}/route/"

    with travel(2026, 3, 2, 10):
        wrong = client.post(
            url,
            {"to_department": departments["civil"].pk, "to_officer": land_officer.pk},
            content_type="application/json",
        )
        right = client.post(
            url,
            {"to_department": departments["civil"].pk, "to_officer": clerk.pk},
            content_type="application/json",
        )

    assert (wrong.status_code, wrong.json()["code"]) == (400, "officer_not_in_department")
    assert right.status_code == 200, right.json()
    dossier.refresh_from_db()
    assert dossier.current_holder == clerk
