"""Helpers shared by the feedback page tests (tests/feedback/test_pages_*.py)."""

import io
import re
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from tests.feedback.helpers import SENDER

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBMIT_URL = "/phan-anh/"
TRACK_URL = "/phan-anh/tra-cuu/"
RESULT_URL = "/phan-anh/tra-cuu/ket-qua/"
DISPUTE_URL = "/phan-anh/tra-cuu/ket-qua/khong-dong-y/"
PUBLISHED_URL = "/phan-anh/cong-khai/"
QUEUE_URL = "/phan-anh/quan-ly/"
ENTRY_URL = "/phan-anh/quan-ly/nhap/"


def html(response) -> str:
    return response.content.decode()


def photo(name="anh.jpg", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def submission(desk, **overrides):
    """What a citizen posts on the form: a complaint to Commune A1 with name and phone."""
    data = {
        "kind": "complaint",
        "unit": str(desk.unit_id),
        "unit_q": "",
        "category": "",
        "subject": "Trễ hẹn trả kết quả",
        "body": "Hồ sơ của tôi đã quá hẹn hai tuần mà chưa có kết quả.",
        "sender_name": SENDER["name"],
        "sender_phone": SENDER["phone"],
        "sender_email": "",
        "sender_address": SENDER["address"],
        "sender_id_number": SENDER["id_number"],
        "dossier_code": "",
        "staff_description": "",
    }
    data.update(overrides)
    return data


def entry_data(unit, **overrides):
    """What staff post on the entry form: a hotline call with the caller's name and phone."""
    data = {
        "channel": "hotline",
        "unit": str(unit.pk),
        "received_at": "",
        "kind": "feedback",
        "category": "",
        "subject": "Hỏi về thời hạn",
        "body": "Người gọi phản ánh hồ sơ đất đai chậm.",
        "sender_name": SENDER["name"],
        "sender_phone": SENDER["phone"],
        "sender_email": "",
        "sender_address": "",
        "sender_id_number": "",
        "dossier_code": "",
        "staff_description": "",
        "external_code": "",
    }
    data.update(overrides)
    return data


def field_errors(response, field) -> list[str]:
    """The error messages shown under ``field`` (by the id the page gives them), unescaped."""
    pattern = rf'<p class="field__error" id="id_{re.escape(field)}_error">(.*?)</p>'
    return [unescape(m) for m in re.findall(pattern, html(response), re.S)]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
