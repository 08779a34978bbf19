"""Finding dossiers on the list page: by code, status, procedure and date of receipt, 25 to a
page, always within the user's units."""

import re

import pytest
from django.urls import reverse

from dossiers import services
from tests.dossiers.pages import html
from tests.factories import ProcedureFactory
from tests.helpers import at

pytestmark = pytest.mark.django_db


def _listed(client, **params):
    response = client.get(reverse("dossiers:list"), {"tab": "all", **params})
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'class="code" href="/dossiers/(\d+)/"', html(response))]


@pytest.fixture
def three(receive, desk, alice):
    marriage = ProcedureFactory(code="1.000894", name="Đăng ký kết hôn", offered_at=[desk])
    first, _ = receive(received_at=at(2026, 3, 2, 9))
    second, _ = receive(received_at=at(2026, 3, 3, 9), procedure=marriage)
    third, _ = receive(received_at=at(2026, 3, 4, 9))
    services.dossier_refuse(
        dossier=third,
        reason="Không thuộc thẩm quyền",
        legal_basis="Điều 9",
        actor=alice,
        at=at(2026, 3, 4, 10),
    )
    return first, second, third, marriage


def test_search_by_part_of_the_code(client, alice, three):
    first, _second, _third, _ = three
    client.force_login(alice)

    assert _listed(client, code="260302") == [first.pk]


def test_search_by_status_and_procedure(client, alice, three):
    _first, second, third, marriage = three
    client.force_login(alice)

    assert _listed(client, status="refused") == [third.pk]
    assert _listed(client, procedure=marriage.pk) == [second.pk]


def test_search_by_days_of_receipt_both_included(client, alice, three):
    first, second, _third, _ = three
    client.force_login(alice)

    assert _listed(client, received_from="2026-03-02", received_to="2026-03-03") == [
        second.pk,
        first.pk,
    ]


def test_a_reversed_date_range_is_an_error_not_an_empty_list(client, alice, three):
    client.force_login(alice)

    response = client.get(
        reverse("dossiers:list"),
        {"tab": "all", "received_from": "2026-03-05", "received_to": "2026-03-01"},
    )

    assert "Ngày kết thúc trước ngày bắt đầu." in html(response)


def test_outsider_finds_nothing_by_code(client, charlie, three):
    client.force_login(charlie)

    assert _listed(client, code="260302") == []


def test_list_is_paginated_by_25(client, alice, receive):
    for minute in range(26):
        receive(received_at=at(2026, 3, 2, 8, minute))
    client.force_login(alice)

    first_page = _listed(client)
    second_page = _listed(client, page=2)

    assert len(first_page) == 25
    assert len(second_page) == 1
    assert set(first_page).isdisjoint(second_page)
