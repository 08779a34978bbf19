"""Bad input at the intake page: translated errors next to the fields, everything typed kept,
and nothing written (no dossier, no event, no number used up)."""

import re

import pytest
from django.urls import reverse

from dossiers.models import Dossier, DossierEvent
from portal.models import Counter
from tests.dossiers.pages import html, intake_data
from tests.factories import DeskFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def _field_error(page, name):
    found = re.search(rf'<p class="field__error" id="id_{name}_error">(.*?)</p>', page)
    return found.group(1) if found else None


def _nothing_written():
    return (Dossier.objects.count(), DossierEvent.objects.count(), Counter.objects.count()) == (
        0,
        0,
        0,
    )


def test_wrong_id_number_and_phone_are_shown_next_to_the_fields_and_input_is_kept(
    client, alice, desk, procedure
):
    client.force_login(alice)
    data = intake_data(
        desk,
        procedure,
        applicant_id_number="12345",
        applicant_phone="12",
        applicant_address="12 Phúc Xá",
        sets_count="2",
    )

    response = client.post(reverse("dossiers:intake"), data)

    page = html(response)
    assert response.status_code == 400
    assert _field_error(page, "applicant_id_number") == (
        "Số định danh có 12 chữ số (căn cước công dân) hoặc 9 chữ số (chứng minh nhân dân cũ)."
    )
    assert _field_error(page, "applicant_phone") == (
        "Nhập số điện thoại Việt Nam, ví dụ 0912345678."
    )
    assert 'value="Nguyễn Văn An"' in page
    assert 'value="12 Phúc Xá"' in page
    assert 'value="12345"' in page
    assert 'name="sets_count" value="2"' in page
    assert f'<option value="{procedure.pk}" selected>' in page
    assert re.search(r'name="applicant_id_number"[^>]*aria-invalid="true"', page)
    assert re.search(r'name="applicant_id_number"[^>]*autofocus', page)  # first wrong field
    assert _nothing_written()


def test_missing_name_and_procedure_are_reported_together(client, alice, desk, procedure):
    client.force_login(alice)
    data = intake_data(desk, procedure, procedure="", applicant_name=" ")

    response = client.post(reverse("dossiers:intake"), data)

    page = html(response)
    assert response.status_code == 400
    assert 'id="id_procedure_error">Chọn thủ tục.</p>' in page
    assert _field_error(page, "applicant_name") == "Nhập họ tên người nộp hồ sơ."
    assert _nothing_written()


def test_a_procedure_the_desk_does_not_offer_is_refused(client, alice, desk, procedure):
    other_desk = DeskFactory(unit=desk.unit, name="Bộ phận khác")
    elsewhere = ProcedureFactory(name="Cấp phép xây dựng", offered_at=[other_desk])
    client.force_login(alice)

    response = client.post(
        reverse("dossiers:intake"), intake_data(desk, procedure, procedure=str(elsewhere.pk))
    )

    assert response.status_code == 400
    assert (
        'id="id_procedure_error">Bộ phận một cửa này không tiếp nhận thủ tục “Cấp phép xây dựng”.'
        in html(response)
    )
    assert _nothing_written()


def test_a_wrong_number_of_copies_keeps_the_checklist_as_typed(
    client, alice, desk, procedure, documents_required
):
    client.force_login(alice)
    birth = documents_required[1]
    data = intake_data(desk, procedure, documents_required, **{f"doc_{birth.pk}_quantity": "0"})

    response = client.post(reverse("dossiers:intake"), data)

    page = html(response)
    assert response.status_code == 400
    assert "“Giấy chứng sinh”: nhập số bản từ 1 đến 99." in page
    assert f'name="doc_{birth.pk}_quantity" value="0"' in page
    assert _nothing_written()


def test_staff_without_a_receptionist_role_cannot_receive(client, bob, desk, procedure):
    client.force_login(bob)

    page = client.get(reverse("dossiers:intake"))
    post = client.post(reverse("dossiers:intake"), intake_data(desk, procedure))

    assert page.status_code == 403
    assert post.status_code == 403
    assert _nothing_written()


def test_a_desk_of_another_unit_cannot_be_chosen(client, alice, charlie, desk, procedure, tree):
    other = DeskFactory(unit=tree["commune_b1"])
    client.force_login(alice)

    response = client.post(
        reverse("dossiers:intake"), intake_data(desk, procedure, desk=str(other.pk))
    )

    assert response.status_code == 404
    assert _nothing_written()
