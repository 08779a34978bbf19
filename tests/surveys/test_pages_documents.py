"""Printed survey documents (R-SUR-1, R-SUR-2): the blank A4 form staff hand out and key in
later, and the A6 invitation with the QR code handed over with a dossier's result."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from portal.models import AuditLog, Notification
from surveys import documents, services
from surveys.models import Invitation
from tests.surveys.helpers import db_state

A4 = (595.28, 841.89)  # points: 210 × 297 mm
A6 = (297.64, 419.53)  # 105 × 148 mm


def read_pdf(data: bytes):
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    box = reader.pages[0].mediabox
    return reader, text, (round(float(box.width), 2), round(float(box.height), 2))


def fonts(reader):
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_the_blank_form_is_a4_with_every_criterion_question_and_a_serial_box_r_sur_1(
    client, alice, desk, small_form
):
    client.force_login(alice)

    response = client.get(
        reverse("surveys:blank_form"), {"form": small_form.form.pk, "desk": desk.pk}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader, text, size = read_pdf(response.content)
    assert size == A4
    for criterion in small_form.c.values():
        assert criterion.text_vi in text
    assert "Lĩnh vực X" in text and "Lĩnh vực Y" in text
    assert small_form.q["harassment"].text_vi in text and "Nhiều lần" in text
    assert "Số phiếu" in text
    assert "Giới tính" in text and "18–24" in text
    assert desk.name.upper() in text.upper()
    assert all(
        name.endswith(("Doc-Serif", "Doc-Serif-Bold", "Doc-Serif-Italic")) for name in fonts(reader)
    )


def test_the_blank_form_of_the_desk_is_the_form_in_use_there(client, alice, desk, small_form):
    client.force_login(alice)

    response = client.get(reverse("surveys:blank_form"), {"desk": desk.pk})

    assert small_form.c["x1"].text_vi in read_pdf(response.content)[1]


def test_the_blank_form_of_another_units_desk_is_refused(client, charlie, desk, small_form):
    client.force_login(charlie)

    assert client.get(reverse("surveys:blank_form"), {"desk": desk.pk}).status_code == 404


@pytest.fixture
def staff(client, alice):
    client.force_login(alice)
    return client


def test_printing_an_invitation_gives_an_a6_with_qr_code_and_link_r_sur_2(
    staff, returned_dossier, small_form
):
    response = staff.post(reverse("surveys:invitations"), {"code": returned_dossier.code})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    _reader, text, size = read_pdf(response.content)
    assert size == A6
    assert returned_dossier.code in text
    assert "/khao-sat/" in text.replace(" ", "")
    assert re.search(r"\d\d/\d\d/\d{4}", text)  # valid until
    invitation = Invitation.objects.get(dossier=returned_dossier)
    assert invitation.channel == "slip"
    assert Notification.objects.filter(object_type="survey_invitation").count() == 0
    assert AuditLog.objects.filter(action="survey_invitation.printed").count() == 1


def test_the_returned_dossier_is_listed_for_printing_until_it_is_answered(
    staff, returned_dossier, small_form
):
    page = staff.get(reverse("surveys:invitations")).content.decode()
    assert returned_dossier.code in page

    token = services.invitation_create(dossier=returned_dossier, send=False)
    services.response_submit_by_token(token=token, answers={small_form.c["x1"].pk: 5})

    assert returned_dossier.code not in staff.get(reverse("surveys:invitations")).content.decode()
    refused = staff.post(reverse("surveys:invitations"), {"code": returned_dossier.code})
    assert refused.status_code == 409


def test_a_dossier_of_another_unit_cannot_be_printed(client, charlie, returned_dossier):
    client.force_login(charlie)
    before = db_state()

    response = client.post(reverse("surveys:invitations"), {"code": returned_dossier.code})

    assert response.status_code == 404
    assert db_state() == before


def test_a_dossier_not_returned_yet_gets_no_invitation(staff, make_dossier):
    dossier = make_dossier(returned=False)
    before = db_state()

    response = staff.post(reverse("surveys:invitations"), {"code": dossier.code})

    assert response.status_code == 409
    assert "trả kết quả" in response.content.decode()
    assert db_state() == before


def test_the_qr_code_points_to_the_survey_link_marked_as_qr(returned_dossier):
    token = services.invitation_create(dossier=returned_dossier, send=False)

    svg = documents.invitation_qr_svg(token)

    assert svg.startswith("<svg") and "<path" in svg
    assert documents.invitation_qr_url(token) == services.invitation_url(token) + "?qr=1"
