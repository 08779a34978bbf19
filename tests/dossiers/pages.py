"""Helpers shared by the staff page tests (tests/dossiers/test_pages_*.py)."""

import io
import re

import time_machine
from pypdf import PdfReader

from tests.dossiers.helpers import APPLICANT
from tests.helpers import at


def travel(y, m, d, hh=10, mm=0):
    """Pages call the services at "now": fix it (moving on) for hand-computed dates."""
    return time_machine.travel(at(y, m, d, hh, mm), tick=True)


def intake_data(desk, procedure, docs=(), /, **overrides):
    data = {
        "desk": str(desk.pk),
        "q": "",
        "procedure": str(procedure.pk),
        "applicant_kind": "person",
        "applicant_name": APPLICANT["name"],
        "applicant_id_number": APPLICANT["id_number"],
        "applicant_phone": APPLICANT["phone"],
        "applicant_email": APPLICANT["email"],
        "applicant_address": APPLICANT["address"],
        "channel": "desk",
        "return_mode": "desk",
        "sets_count": "1",
        "extra_name": "",
        "extra_original": "0",
        "extra_quantity": "1",
    }
    for doc in docs:
        data[f"doc_{doc.pk}"] = "on"
        data[f"doc_{doc.pk}_original"] = "1" if doc.original_required else "0"
        data[f"doc_{doc.pk}_quantity"] = str(doc.quantity)
    data.update(overrides)
    return data


def html(response) -> str:
    return response.content.decode()


def messages_text(response) -> str:
    found = re.search(r'<ul class="messages">(.*?)</ul>', html(response), re.S)
    return found.group(1) if found else ""


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
