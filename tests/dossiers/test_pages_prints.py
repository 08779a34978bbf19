"""Print links of the dossier page return PDFs (R-LIFE-5, R-RES-3), only for dossiers the user
may see, and only for documents the dossier has."""

import pytest
from django.urls import reverse

from dossiers import services
from tests.dossiers.pages import pdf_text
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    return dossier


def _pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    return pdf_text(response.content)


def test_receipt_and_control_slips_are_pdfs(client, alice, dossier):
    client.force_login(alice)

    receipt = _pdf(client, reverse("dossiers:receipt_pdf", args=[dossier.pk]))
    control = _pdf(client, reverse("dossiers:control_slip_pdf", args=[dossier.pk]))

    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control


def test_supplement_request_and_refusal_are_pdfs(client, alice, dossier):
    services.dossier_request_supplement(
        dossier=dossier, items=[{"name": "Giấy chứng sinh"}], actor=alice, at=at(2026, 3, 3, 9)
    )
    services.dossier_refuse(
        dossier=dossier,
        reason="Không bổ sung",
        legal_basis="Điều 9",
        actor=alice,
        at=at(2026, 3, 4, 9),
    )
    client.force_login(alice)

    supplement = _pdf(client, reverse("dossiers:supplement_pdf", args=[dossier.pk]))
    refusal = _pdf(client, reverse("dossiers:refusal_pdf", args=[dossier.pk]))

    assert "Giấy chứng sinh" in supplement
    assert "Không bổ sung" in refusal


def test_apology_and_stop_notice_are_pdfs(client, alice, officer, dossier):
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ xác minh",
        new_due_date=at(2026, 3, 12).date(),
        actor=officer,
        at=at(2026, 3, 4, 9),
    )
    services.dossier_withdraw(
        dossier=dossier, request_text="Xin dừng", actor=alice, at=at(2026, 3, 5, 9)
    )
    client.force_login(alice)

    apology = _pdf(client, reverse("dossiers:apology_pdf", args=[dossier.pk]))
    stop = _pdf(client, reverse("dossiers:stop_notice_pdf", args=[dossier.pk]))

    assert "Chờ xác minh" in apology
    assert "Xin dừng" in stop


def test_a_document_the_dossier_does_not_have_is_404(client, alice, dossier):
    client.force_login(alice)

    assert client.get(reverse("dossiers:refusal_pdf", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("dossiers:apology_pdf", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("dossiers:stop_notice_pdf", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("dossiers:supplement_pdf", args=[dossier.pk])).status_code == 404


def test_the_desks_log_is_a_pdf_for_its_own_staff_only(client, alice, charlie, dossier):
    url = reverse("dossiers:log_pdf")
    params = {"desk": dossier.desk_id, "date_from": "2026-03-01", "date_to": "2026-03-31"}
    client.force_login(alice)

    log = _pdf(client, f"{url}?desk={params['desk']}&date_from=2026-03-01&date_to=2026-03-31")
    client.force_login(charlie)
    outsider = client.get(url, params)

    assert dossier.code in log
    assert outsider.status_code == 400  # the desk is not among charlie's choices
    assert outsider["Content-Type"].startswith("text/html")


def test_a_log_of_more_than_a_quarter_is_refused(client, alice, dossier):
    client.force_login(alice)

    response = client.get(
        reverse("dossiers:log_pdf"),
        {"desk": dossier.desk_id, "date_from": "2026-01-01", "date_to": "2026-12-31"},
    )

    assert response.status_code == 400
    assert "92" in response.content.decode()


def test_every_print_is_audited_without_the_pin_r_priv_1(client, alice, desk, procedure):
    """Slips carry personal data: each print from the pages writes an audit row."""
    from dossiers.models import Dossier
    from portal.models import AuditLog
    from tests.dossiers.pages import intake_data

    client.force_login(alice)
    client.post(reverse("dossiers:intake"), intake_data(desk, procedure))
    dossier = Dossier.objects.get()
    client.get(reverse("dossiers:received", args=[dossier.pk]))  # the PIN shown once
    client.get(reverse("dossiers:receipt_pdf", args=[dossier.pk]))
    client.get(reverse("dossiers:control_slip_pdf", args=[dossier.pk]))
    client.get(
        reverse("dossiers:log_pdf"),
        {"desk": desk.pk, "date_from": "2026-01-01", "date_to": "2026-01-31"},
    )

    rows = list(AuditLog.objects.order_by("id").values_list("action", "actor", "data"))
    assert rows == [
        ("dossier.document_export", alice.pk, {"kind": "receipt"}),
        ("dossier.document_export", alice.pk, {"kind": "control-slip"}),
        ("dossier_log.export", alice.pk, {"from": "2026-01-01", "to": "2026-01-31"}),
    ]
