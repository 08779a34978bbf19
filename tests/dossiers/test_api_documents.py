"""``GET /api/v1/dossiers/{id}/documents/<kind>/``: the printable forms as PDF (R-LIFE-5,
R-LIFE-3, R-LIFE-4, R-RES-3), for dossiers of the caller's units only."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from dossiers import services
from tests.dossiers.api_helpers import (
    at,
    desks_of_three_communes,
    detail_url,
    receive_at,
    signed_in,
    with_token,
)


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def document_url(dossier, kind):
    return detail_url(dossier, f"documents/{kind}/")


@pytest.fixture
def dossier(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    return dossier


def test_receipt_slip_is_a_pdf_without_the_pin_r_life_5(desk, procedure, alice, time_machine):
    """The PIN is printed only at intake (it is stored hashed): the slip printed again later
    has the code and no PIN."""
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    client = signed_in(alice)
    created = client.post(
        "/api/v1/dossiers/",
        {"desk": desk.pk, "procedure": procedure.pk, "applicant": {"name": "Phạm Thị Dung"}},
        format="json",
    ).json()

    class Ref:
        pk = created["id"]

    response = client.get(document_url(Ref, "receipt"))
    text = pdf_text(response)
    assert created["code"] in text
    assert "Phạm Thị Dung" in text
    assert created["pin"] not in text
    assert "Mã PIN" not in text
    assert response["Content-Disposition"] == f'inline; filename="{created["code"]}-receipt.pdf"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_control_slip_is_a_pdf_r_life_3(dossier, alice, departments, time_machine):
    services.dossier_route(
        dossier=dossier, actor=alice, to_department=departments["civil"], at=at(2026, 3, 2, 10)
    )
    text = pdf_text(with_token(alice).get(document_url(dossier, "control-slip")))
    assert dossier.code in text
    assert "Tư pháp – Hộ tịch" in text


def test_supplement_request_is_the_latest_one_r_life_4(dossier, officer, leader):
    services.dossier_request_supplement(
        dossier=dossier, items=[{"name": "Bản sao CCCD"}], actor=officer, at=at(2026, 3, 2, 10)
    )
    services.dossier_resubmit(dossier=dossier, actor=officer, at=at(2026, 3, 3, 9))
    services.dossier_request_supplement(
        dossier=dossier,
        items=[{"name": "Giấy xác nhận cư trú"}],
        actor=leader,
        at=at(2026, 3, 3, 10),
    )
    text = pdf_text(signed_in(officer).get(document_url(dossier, "supplement-request")))
    assert "Giấy xác nhận cư trú" in text
    assert "Bản sao CCCD" not in text


@pytest.mark.parametrize("kind", ["refusal", "apology", "stop-notice"])
def test_endings_are_pdfs_once_they_happened(dossier, officer, alice, kind):
    if kind == "refusal":
        services.dossier_refuse(
            dossier=dossier,
            reason="Không thuộc thẩm quyền",
            legal_basis="Khoản 2 Điều 19",
            actor=officer,
            at=at(2026, 3, 2, 10),
        )
        expected = "Không thuộc thẩm quyền"
    elif kind == "apology":
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chờ xác minh",
            new_due_date=dt.date(2026, 3, 12),
            actor=officer,
            at=at(2026, 3, 5, 10),
        )
        expected = "12/03/2026"
    else:
        services.dossier_withdraw(
            dossier=dossier, request_text="Tôi xin rút hồ sơ", actor=alice, at=at(2026, 3, 2, 10)
        )
        expected = "Tôi xin rút hồ sơ"
    text = pdf_text(signed_in(officer).get(document_url(dossier, kind)))
    assert dossier.code in text
    assert expected in text


@pytest.mark.parametrize(
    ("kind", "detail"),
    [
        ("supplement-request", "No supplement has been requested for this dossier."),
        ("refusal", "This dossier has not been refused."),
        ("apology", "This dossier has not been rescheduled."),
        ("stop-notice", "This dossier has not been stopped at the applicant's request."),
    ],
)
def test_a_document_that_does_not_exist_yet_is_404(dossier, alice, kind, detail):
    response = signed_in(alice).get(document_url(dossier, kind), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail, "code": "document_not_available"}


def test_unknown_document_kind_is_404(dossier, alice):
    response = signed_in(alice).get(document_url(dossier, "invoice"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_document_of_a_dossier_outside_scope_is_404_r_unit_3(
    tree, desk, procedure, alice, bob, charlie
):
    """R-UNIT-3, R-PRIV-1: nobody prints another unit's slip, which carries personal data."""
    desks = desks_of_three_communes(tree, desk, procedure, charlie)
    in_b1 = receive_at(desks["b1"][0], procedure, charlie, at(2026, 3, 2, 9))
    for user in (alice, bob):
        response = signed_in(user).get(document_url(in_b1, "receipt"))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_asking_for_a_pdf_explicitly_is_not_refused(dossier, alice, monkeypatch):
    """``Accept: application/pdf`` gets the PDF (not 406), and errors stay JSON."""
    from dossiers import documents

    monkeypatch.setattr(documents, "render_pdf", lambda template, context: b"%PDF-1.7 stub")
    client = signed_in(alice)
    response = client.get(document_url(dossier, "control-slip"), HTTP_ACCEPT="application/pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content == b"%PDF-1.7 stub"
    missing = client.get(document_url(dossier, "refusal"), HTTP_ACCEPT="application/pdf")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")


def test_every_print_of_personal_data_is_audited_r_priv_1(dossier, officer):
    from portal.models import AuditLog

    response = signed_in(officer).get(document_url(dossier, "control-slip"))
    assert response.status_code == 200
    row = AuditLog.objects.get(action="dossier.document_export")
    assert (row.actor, row.object_id, row.unit_id) == (officer, str(dossier.pk), dossier.unit_id)
    assert row.data == {"kind": "control-slip"}
