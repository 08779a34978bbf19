"""The list and the dossier pages cost a fixed number of queries, however many dossiers,
events and steps there are (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers import services
from tests.dossiers.pages import travel
from tests.helpers import at

pytestmark = pytest.mark.django_db

# Regression guard of issue 14 (Deliver 5): the queries of one request for the small data set
# of each test below (test settings), pinned so that a change adding a query fails here with the
# page named; lower the figure when a change saves one. docs/performance.md lists them all.
LIST_QUERIES = {"mine": 16, "desk": 16, "due_soon": 16, "overdue": 15, "waiting": 15, "all": 16}
DETAIL_QUERIES = 10


def _queries(client, url, params=None):
    client.get(url, params or {})  # warm-up: the signed-in user's first request, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _receive_many(receive, alice, departments, start, count):
    for i in range(count):
        dossier, _pin = receive(received_at=at(2026, 3, 2, 8) + dt.timedelta(minutes=start + i))
        if i % 3 == 1:  # some handed to a department, so rows show departments too
            services.dossier_route(
                dossier=dossier,
                to_department=departments["civil"],
                actor=alice,
                at=at(2026, 3, 2, 12),
            )


@pytest.mark.parametrize("tab", ["mine", "desk", "due_soon", "overdue", "waiting", "all"])
def test_list_page_queries_do_not_grow_with_rows(
    client, alice, receive, departments, tab, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("dossiers:list")
    _receive_many(receive, alice, departments, 0, 3)
    with travel(2026, 3, 3, 10):
        few = _queries(client, url, {"tab": tab})
    assert few == LIST_QUERIES[tab]

    _receive_many(receive, alice, departments, 3, 27)

    with travel(2026, 3, 3, 10), django_assert_max_num_queries(few):
        response = client.get(url, {"tab": tab})
    assert response.status_code == 200


def test_detail_page_queries_do_not_grow_with_events_and_steps(
    client, alice, receive, departments, django_assert_max_num_queries
):
    client.force_login(alice)
    dossier, _pin = receive(received_at=at(2026, 3, 2, 8))
    services.dossier_route(
        dossier=dossier, to_department=departments["civil"], actor=alice, at=at(2026, 3, 2, 9)
    )
    url = reverse("dossiers:detail", args=[dossier.pk])
    with travel(2026, 3, 3, 10):
        few = _queries(client, url)  # 2 events, 2 steps
    assert few == DETAIL_QUERIES

    moment = at(2026, 3, 2, 10)
    for i in range(28):  # 30 events, 30 steps
        target = departments["land"] if i % 2 == 0 else departments["civil"]
        services.dossier_route(dossier=dossier, to_department=target, actor=alice, at=moment)
        moment += dt.timedelta(minutes=5)
    assert dossier.events.count() == 30

    with travel(2026, 3, 3, 10), django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="timeline__item') == 30
