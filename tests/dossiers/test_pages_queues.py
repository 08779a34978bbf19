"""Work queues of the dossier list (R-UNIT-3): each person sees the dossiers of their own units
only, sorted into mine, at the desk, due within a working day, overdue and waiting for a
supplement."""

import re

import pytest
from django.urls import reverse

from dossiers import services
from tests.dossiers.pages import html, travel
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues(receive, alice, departments, officer):
    """Six dossiers of Commune A1, seen on Monday 9 March 2026 at 10:00 (5-day procedure)."""
    fresh, _ = receive(received_at=at(2026, 3, 6, 9))  # due Fri 13 Mar, at the desk
    routed, _ = receive(received_at=at(2026, 3, 5, 9))  # due Thu 12 Mar
    services.dossier_route(
        dossier=routed, to_department=departments["civil"], actor=alice, at=at(2026, 3, 5, 10)
    )
    waiting, _ = receive(received_at=at(2026, 3, 4, 9))  # due Wed 11 Mar
    services.dossier_request_supplement(
        dossier=waiting, items=[{"name": "Giấy chứng sinh"}], actor=alice, at=at(2026, 3, 4, 11)
    )
    due_today, _ = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar 17:00
    overdue, _ = receive(received_at=at(2026, 2, 23, 9))  # due Mon 2 Mar 17:00
    services.dossier_route(
        dossier=overdue, to_department=departments["land"], actor=alice, at=at(2026, 2, 23, 10)
    )
    returned, _ = receive(received_at=at(2026, 2, 23, 9, 30))
    services.dossier_complete(dossier=returned, actor=officer, at=at(2026, 2, 24, 9))
    services.dossier_return(dossier=returned, actor=alice, at=at(2026, 2, 25, 9))
    return {
        "fresh": fresh,
        "routed": routed,
        "waiting": waiting,
        "due_today": due_today,
        "overdue": overdue,
        "returned": returned,
    }


def _listed(client, tab):
    with travel(2026, 3, 9, 10):
        response = client.get(reverse("dossiers:list"), {"tab": tab})
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'class="code" href="/dossiers/(\d+)/"', html(response))]


def _ids(queues, *names):
    return [queues[n].pk for n in names]


def test_receptionist_sees_her_desk_queues(client, alice, queues):
    client.force_login(alice)

    assert _listed(client, "mine") == _ids(queues, "due_today", "waiting", "fresh")
    assert _listed(client, "desk") == _ids(queues, "due_today", "fresh")
    assert _listed(client, "due_soon") == _ids(queues, "due_today")
    assert _listed(client, "overdue") == _ids(queues, "overdue")
    assert _listed(client, "waiting") == _ids(queues, "waiting")
    assert sorted(_listed(client, "all")) == sorted(q.pk for q in queues.values())


def test_officer_finds_what_waits_at_her_department(client, clerk, queues):
    client.force_login(clerk)

    assert _listed(client, "mine") == _ids(queues, "routed")


def test_district_leader_sees_the_communes_queues_but_holds_nothing(client, bob, queues):
    client.force_login(bob)

    assert _listed(client, "mine") == []
    assert _listed(client, "overdue") == _ids(queues, "overdue")
    assert sorted(_listed(client, "all")) == sorted(q.pk for q in queues.values())


def test_outsider_sees_no_dossier_of_another_district_r_unit_3(client, charlie, queues):
    client.force_login(charlie)

    for tab in ("mine", "desk", "due_soon", "overdue", "waiting", "all"):
        assert _listed(client, tab) == []


def test_tabs_show_their_counts(client, alice, queues):
    client.force_login(alice)

    with travel(2026, 3, 9, 10):
        page = html(client.get(reverse("dossiers:list")))

    counts = dict(
        re.findall(r'\?tab=(\w+)"[^>]*>\s*[^<]+<span class="tabs__count" data-count="(\d+)"', page)
    )
    assert counts == {"mine": "3", "desk": "2", "due_soon": "1", "overdue": "1", "waiting": "1"}


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("dossiers:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
