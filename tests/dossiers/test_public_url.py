"""Links that leave the server are built from one setting, ``PORTAL_PUBLIC_URL`` (``make run``
sets it from HOST and PORT): the QR code printed on the receipt slip, the tracking address in
the applicant's SMS, and the survey link. A portal run on another port prints links to that
port, and the QR code really decodes to a page that shows the dossier (R-LIFE-5)."""

import io
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse

from portal.models import Notification
from tests.dossiers.pages import intake_data, travel

pytestmark = pytest.mark.django_db

PUBLIC = "http://127.0.0.1:8101"


def qr_texts(pdf: bytes) -> list[str]:
    """The texts of the QR codes on the first page, read from the page as printed (rendered
    at 300 dpi), not from the data the template was given."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    image = document[0].render(scale=300 / 72).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_a_dossier_received_on_port_8101_prints_a_qr_code_that_opens_its_tracking_page(
    client, settings, alice, desk, procedure, documents_required
):
    settings.PORTAL_PUBLIC_URL = PUBLIC
    client.force_login(alice)
    with travel(2026, 3, 2, 9):
        received = client.post(
            reverse("dossiers:intake"), intake_data(desk, procedure, documents_required)
        )
        assert received.status_code == 302, received.content.decode()[:2000]
        dossier_id = int(received["Location"].rstrip("/").split("/")[-2])
        slip = client.get(reverse("dossiers:receipt_pdf", args=[dossier_id]))

    [link] = qr_texts(b"".join(slip.streaming_content) if slip.streaming else slip.content)

    assert link.startswith(f"{PUBLIC}/tra-cuu/t/")
    client.logout()
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "000.01.01.H26-260302-0001" in page.content.decode()


def test_the_sms_after_intake_points_at_the_public_address(settings, receive):
    settings.PORTAL_PUBLIC_URL = PUBLIC + "/"

    receive()

    bodies = list(Notification.objects.values_list("body", flat=True))
    assert bodies and all(f"{PUBLIC}/tra-cuu/ " in body for body in bodies), bodies
