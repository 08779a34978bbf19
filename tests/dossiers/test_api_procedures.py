"""``GET /api/v1/procedures/``: the procedure catalogue with required documents, filtered, in
a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dossiers.models import RequiredDocument
from portal.models import UnitLevel
from tests.dossiers.api_helpers import PROCEDURES_URL, signed_in, with_token
from tests.factories import DeskFactory, ProcedureFactory


def listed(response):
    assert response.status_code == 200, response.content
    return sorted(p["code"] for p in response.json()["results"])


@pytest.fixture
def catalogue(desk, tree):
    """Three procedures: birth registration (commune, offered at Commune A1's desk, with two
    documents), a land procedure (district) and a withdrawn one."""
    other_desk = DeskFactory(unit=tree["commune_b1"])
    birth = ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        level=UnitLevel.COMMUNE,
        processing_time=3,
        fee_vnd=0,
        offered_at=[desk, other_desk],
    )
    RequiredDocument.objects.create(
        procedure=birth, name="Giấy chứng sinh", original_required=True, order=2
    )
    RequiredDocument.objects.create(
        procedure=birth, name="Tờ khai đăng ký khai sinh", quantity=1, order=1
    )
    land = ProcedureFactory(
        code="1.004227",
        name="Đăng ký biến động đất đai",
        field="Đất đai",
        level=UnitLevel.DISTRICT,
        processing_time=10,
        fee_vnd=50000,
        return_modes=["desk"],
    )
    old = ProcedureFactory(code="1.000001", name="Thủ tục đã bãi bỏ", is_active=False)
    return {"birth": birth, "land": land, "old": old, "other_desk": other_desk}


def test_procedure_shows_its_required_documents_in_order(catalogue, charlie):
    birth = catalogue["birth"]
    body = signed_in(charlie).get(f"{PROCEDURES_URL}{birth.pk}/").json()
    assert body == {
        "id": birth.pk,
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "commune",
        "time_unit": "days",
        "processing_time": 3,
        "fee_vnd": 0,
        "online_level": "none",
        "return_modes": ["desk", "post"],
        "supplement_clock": "",
        "is_active": True,
        "documents": [
            {
                "id": body["documents"][0]["id"],
                "name": "Tờ khai đăng ký khai sinh",
                "original_required": False,
                "quantity": 1,
                "is_optional": False,
                "order": 1,
            },
            {
                "id": body["documents"][1]["id"],
                "name": "Giấy chứng sinh",
                "original_required": True,
                "quantity": 1,
                "is_optional": False,
                "order": 2,
            },
        ],
    }


def test_catalogue_is_the_same_for_every_signed_in_user(catalogue, alice, bob, charlie):
    """Procedures are public administrative information, not unit data."""
    expected = ["1.000001", "1.001193", "1.004227"]
    for user in (alice, bob, charlie):
        assert listed(signed_in(user).get(PROCEDURES_URL)) == expected


def test_catalogue_needs_credentials(catalogue):
    assert APIClient().get(PROCEDURES_URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "district"}, ["1.004227"]),
        ({"field": "Hộ tịch"}, ["1.000001", "1.001193"]),
        ({"active": "true"}, ["1.001193", "1.004227"]),
        ({"active": "false"}, ["1.000001"]),
        ({"q": "khai sinh"}, ["1.001193"]),
        ({"q": "DAT DAI"}, ["1.004227"]),
        ({"q": "1.0042"}, ["1.004227"]),
        ({"q": "xyz"}, []),
        ({"level": "commune", "active": "true"}, ["1.001193"]),
    ],
)
def test_filters(catalogue, alice, params, expected):
    assert listed(signed_in(alice).get(PROCEDURES_URL, params)) == expected


def test_filter_by_desk_lists_what_that_desk_offers(catalogue, alice, desk):
    client = signed_in(alice)
    assert listed(client.get(PROCEDURES_URL, {"desk": desk.pk})) == ["1.001193"]
    assert listed(client.get(PROCEDURES_URL, {"desk": catalogue["other_desk"].pk})) == ["1.001193"]
    assert listed(client.get(PROCEDURES_URL, {"desk": 999999})) == []


@pytest.mark.parametrize("params", [{"level": "province"}, {"desk": "x"}])
def test_invalid_filter_is_400_by_name(catalogue, alice, params):
    response = signed_in(alice).get(PROCEDURES_URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_catalogue_is_read_only(catalogue, alice):
    client = signed_in(alice)
    assert client.post(PROCEDURES_URL, {"name": "x"}, format="json").status_code == 405
    url = f"{PROCEDURES_URL}{catalogue['birth'].pk}/"
    assert client.delete(url).status_code == 405


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PROCEDURES_URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_procedures(alice, desk):
    client = with_token(alice)

    def add(count):
        for _ in range(count):
            procedure = ProcedureFactory()
            for n in range(3):
                RequiredDocument.objects.create(procedure=procedure, name=f"Giấy {n}", order=n)

    add(3)
    small = _queries(client)
    add(27)
    large = _queries(client)
    assert (small[1], large[1]) == (3, 30)
    assert small[0] == large[0] <= 4  # token+user, count, page, documents
