"""The public desk directory (/bo-phan-mot-cua/, R-UNIT-2): a citizen finds a desk by the name
of its commune typed without accents, with its address, hours and phone, then the procedures
it offers with their processing time and documents. The lists are cached: a second look costs
no query, and a change to a desk shows at once."""

import pytest
from django.urls import reverse

from dossiers.models import RequiredDocument
from tests.dossiers.pages import html
from tests.factories import DeskFactory, ProcedureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cleared_cache")]


@pytest.fixture
def offered(desk, procedure):
    desk.opening_hours = "Thứ Hai đến Thứ Sáu: 7:30–11:30 và 13:30–17:00"
    desk.save()
    RequiredDocument.objects.create(procedure=procedure, name="Giấy chứng sinh", order=1)
    ProcedureFactory(
        code="2.000815",
        name="Chứng thực bản sao",
        time_unit="hours",
        processing_time=1,
        fee_vnd=2000,
        offered_at=[desk],
    )
    return desk


def test_a_desk_is_found_by_its_commune_typed_without_accents(client, offered, tree):
    DeskFactory(unit=tree["commune_b1"], name="Bộ phận một cửa Phường Phúc Tân")

    page = html(client.get(reverse("directory:search"), {"q": "phuc xa"}))

    assert offered.name in page
    assert "Phường Phúc Tân" not in page
    assert offered.address in page and offered.opening_hours in page
    assert 'href="tel:02438250000"' in page
    assert reverse("directory:desk", args=[offered.pk]) in page


def test_the_desk_page_lists_its_procedures_with_processing_time(client, offered):
    client.cookies["django_language"] = "en"

    page = html(client.get(reverse("directory:desk", args=[offered.pk])))

    assert "Đăng ký khai sinh" in page and "Processing time: 5 working days" in page
    assert "Chứng thực bản sao" in page and "Processing time: 1 working hour" in page
    assert "Giấy chứng sinh" in page  # documents to bring


def test_an_inactive_desk_is_neither_listed_nor_shown(client, offered):
    offered.is_active = False
    offered.save()

    assert offered.name not in html(client.get(reverse("directory:search"), {"q": "phuc xa"}))
    assert client.get(reverse("directory:desk", args=[offered.pk])).status_code == 404


def test_a_second_look_is_served_from_the_cache(client, offered, django_assert_num_queries):
    client.get(reverse("directory:search"), {"q": "phuc xa"})
    client.get(reverse("directory:desk", args=[offered.pk]))

    with django_assert_num_queries(0):
        client.get(reverse("directory:search"), {"q": "phuc xa"})
        client.get(reverse("directory:desk", args=[offered.pk]))


def test_a_change_to_the_desk_shows_at_once(client, offered):
    client.get(reverse("directory:desk", args=[offered.pk]))
    offered.phone = "024 3999 1234"
    offered.save()
    new_procedure = ProcedureFactory(code="1.000894", name="Đăng ký kết hôn")
    new_procedure.desks.add(offered)

    page = html(client.get(reverse("directory:desk", args=[offered.pk])))

    assert "024 3999 1234" in page
    assert "Đăng ký kết hôn" in page
