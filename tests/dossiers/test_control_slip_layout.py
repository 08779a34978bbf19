"""The process control slip (R-LIFE-3, form 05/06) gives the names of the desk and the
departments room: a dossier handed over twice between long-named offices fits one A5 page,
and a name wraps as a name, not one word per line."""

import io

from pypdf import PdfReader

from dossiers import documents, services
from tests.helpers import at


def _lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def test_two_handovers_between_long_names_fit_one_page_r_life_3(
    receive, desk, departments, alice, officer
):
    desk.name = "Trung tâm Phục vụ hành chính công Phường Ba Đình"
    desk.save()
    departments["civil"].name = "Phòng Văn hoá - Xã hội"
    departments["civil"].save()
    departments["land"].name = "Phòng Kinh tế, Hạ tầng và Đô thị"
    departments["land"].save()
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier, actor=alice, to_department=departments["civil"], at=at(2026, 3, 2, 10)
    )
    services.dossier_route(
        dossier=dossier, actor=officer, to_department=departments["land"], at=at(2026, 3, 3, 10)
    )

    pdf = documents.process_control_slip_pdf(dossier=dossier)

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    lines = _lines(pdf)
    # Each department's name is on one line of its cell (the rows of the table).
    assert any(line.startswith("Phòng Văn hoá - Xã hội") for line in lines), lines
    assert any("Trung tâm Phục vụ" in line for line in lines), lines
