"""Printable documents (R-LIFE-5, R-RES-3, R-LIFE-3, R-LIFE-4): each form renders to a PDF
of the right page size, in the shipped Vietnamese font, with the fields of DOMAIN.md "Forms and
their fields". Each test renders at most two PDFs; the rest is checked without rendering."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from pypdf import PdfReader

from dossiers import documents, services
from dossiers.tracking.tokens import (
    SALT,
    make_tracking_token,
    read_tracking_token,
    tracking_url,
)
from tests.dossiers.helpers import APPLICANT
from tests.helpers import at

D = dt.date
A5 = (419.53, 595.28)  # points: 148 × 210 mm
A4_LANDSCAPE = (841.89, 595.28)  # 297 × 210 mm
PIN = "482915"  # digits that appear nowhere else on the slip


def read_pdf(data: bytes):
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def page_size(reader):
    box = reader.pages[0].mediabox
    return (round(float(box.width), 2), round(float(box.height), 2))


def font_names(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def flat(text: str) -> str:
    """Text with line breaks of table cells and paragraphs joined by single spaces."""
    return re.sub(r"\s+", " ", text)


# --- receipt slip -----------------------------------------------------------------------
def test_receipt_slip_is_a5_with_every_field_and_the_pin_r_life_5(receive):
    """R-LIFE-5: code, PIN, documents received, appointment date, desk contacts; form 01."""
    dossier, _pin = receive(
        received_at=at(2026, 3, 2, 9, 5),
        documents=[
            {"name": "Tờ khai đăng ký khai sinh", "is_original": True, "quantity": 1},
            {"name": "Giấy chứng sinh", "is_original": False, "quantity": 2},
        ],
        sets_count=2,
    )
    reader, text = read_pdf(documents.receipt_slip_pdf(dossier=dossier, pin=PIN))
    assert page_size(reader) == A5
    assert len(reader.pages) == 1
    text = flat(text)
    for expected in (
        "Mẫu số 01",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "000.01.01.H26-260302-0001",
        APPLICANT["name"],
        APPLICANT["address"],
        dossier.applicant_phone,
        APPLICANT["email"],
        APPLICANT["id_number"],
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh Bản chính 1",
        "Giấy chứng sinh Bản sao 2",
        "Số lượng hồ sơ: 2 (bộ)",
        "5 ngày làm việc",
        "09 giờ 05 phút, ngày 02/03/2026",  # received
        "17 giờ 00 phút, ngày 09/03/2026",  # appointment (R-DUE-3, R-DUE-4)
        "Tại Bộ phận một cửa",
        "Quyển số: 2026, Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        dossier.desk.address,
        dossier.desk.phone,
        f"Mã PIN: {PIN}",
    ):
        assert expected in text, expected
    # Only the shipped Vietnamese font is embedded: no fallback to a system font.
    assert font_names(reader) and all("Doc-Serif" in name for name in font_names(reader))


def test_receipt_slip_reprinted_without_pin_shows_no_pin_r_life_5(receive):
    """The PIN is shown once at intake; a reprint (no PIN passed) has none."""
    dossier, _pin = receive()
    reader, text = read_pdf(documents.receipt_slip_pdf(dossier=dossier))
    assert page_size(reader) == A5
    assert dossier.code in text
    assert not re.search(r"Mã PIN:\s*\d", text)
    assert PIN not in text


# --- tracking link of the QR code ----------------------------------------------------------
def test_tracking_url_holds_a_signed_id_and_no_pin_or_personal_data_r_life_5(receive):
    """R-LIFE-5, R-PRIV-1: the QR link carries neither the PIN nor anything about the applicant."""
    dossier, pin = receive()
    url = tracking_url(dossier)
    prefix = f"{settings.PORTAL_PUBLIC_URL.rstrip('/')}/tra-cuu/t/"
    assert url.startswith(prefix) and url.endswith("/")
    token = url[len(prefix) : -1]
    assert "/" not in token
    assert read_tracking_token(token) == dossier.pk
    for secret in (
        pin,
        dossier.code,
        APPLICANT["id_number"],
        dossier.applicant_phone,
        APPLICANT["email"],
        "Nguy",
    ):
        assert secret not in url


def test_changed_or_foreign_tracking_token_is_refused_r_life_5(receive):
    dossier, _pin = receive()
    token = make_tracking_token(dossier)
    _value, rest = token.split(":", 1)
    other = signing.dumps(dossier.pk + 1, salt=SALT).split(":", 1)[0]
    for bad in (
        other + ":" + rest,  # another dossier's id under this signature
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        signing.dumps(dossier.pk, salt="surveys.invitation"),  # another salt
        signing.dumps("000.01.01.H26", salt=SALT),  # not an id
        "not-a-token",
    ):
        with pytest.raises(signing.BadSignature):
            read_tracking_token(bad)
    assert read_tracking_token(token) == dossier.pk


def test_tracking_token_can_expire(receive):
    dossier, _pin = receive()
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        token = make_tracking_token(dossier)
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC), tick=False):
        assert read_tracking_token(token, max_age=dt.timedelta(days=30)) == dossier.pk
        with pytest.raises(signing.SignatureExpired):
            read_tracking_token(token, max_age=dt.timedelta(days=5))


# --- apology and new appointment -------------------------------------------------------------
def test_apology_letter_names_dossier_reason_unit_new_date_and_apologises_r_res_3(
    receive, officer, departments
):
    """R-RES-3: the letter names the dossier, the reason, the responsible unit, the new date,
    and apologises; addressed to the applicant, signed by the head of the body (form 04)."""
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ kết quả xác minh của cơ quan khác",
        new_due_date=D(2026, 3, 12),
        responsible_department=departments["land"],
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    reader, text = read_pdf(documents.apology_letter_pdf(dossier=dossier))
    assert page_size(reader) == A5
    text = flat(text)
    for expected in (
        "Mẫu số 04",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        f"Kính gửi: Ông/Bà {APPLICANT['name']}",
        "Ngày 02/03/2026",  # received
        dossier.code,
        "17 giờ 00 phút, ngày 09/03/2026",  # original due date
        "Chờ kết quả xác minh của cơ quan khác",
        "Đơn vị chịu trách nhiệm: Địa chính, Ủy ban nhân dân Phường Phúc Xá",
        "xin lỗi",
        "17 giờ 00 phút, ngày 12/03/2026",  # new appointment
        "Nơi nhận:",
        "THỦ TRƯỞNG CƠ QUAN",
        "Phúc Xá, ngày 05 tháng 03 năm 2026",
    ):
        assert expected in text, expected


def test_apology_letter_needs_a_rescheduling_r_res_3(receive):
    dossier, _pin = receive()
    with pytest.raises(documents.DocumentNotAvailable):
        documents.apology_letter_pdf(dossier=dossier)


# --- supplement, refusal, stop notice -----------------------------------------------------
def test_supplement_request_lists_every_item_with_guidance_r_life_4(receive, alice):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    pause = services.dossier_request_supplement(
        dossier=dossier,
        items=[
            {"name": "Giấy chứng nhận kết hôn", "guidance": "Bản sao có chứng thực"},
            {"name": "Văn bản ủy quyền", "guidance": ""},
        ],
        actor=alice,
        at=at(2026, 3, 3, 9),
    )
    reader, text = read_pdf(documents.supplement_request_pdf(dossier=dossier, pause=pause))
    assert page_size(reader) == A5
    text = flat(text)
    for expected in (
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        dossier.code,
        APPLICANT["name"],
        "Đăng ký khai sinh",
        "1 Giấy chứng nhận kết hôn Bản sao có chứng thực",
        "2 Văn bản ủy quyền",
        "tạm dừng từ ngày 03/03/2026",
        "được tính lại từ đầu",  # R-DUE-5: the legal default restarts the clock
        "Phúc Xá, ngày 03 tháng 03 năm 2026",
        "NGƯỜI HƯỚNG DẪN",
    ):
        assert expected in text, expected


def test_supplement_request_of_another_dossier_is_refused(receive, alice):
    first, _pin = receive()
    second, _pin = receive()
    pause = services.dossier_request_supplement(
        dossier=first, items=[{"name": "Tờ khai"}], actor=alice, at=at(2026, 3, 2, 10)
    )
    with pytest.raises(ValueError, match="another dossier"):
        documents.supplement_request_pdf(dossier=second, pause=pause)


def test_refusal_slip_states_reason_and_legal_basis_r_life_4(receive, alice):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(documents.DocumentNotAvailable):
        documents.refusal_slip_pdf(dossier=dossier)
    services.dossier_refuse(
        dossier=dossier,
        reason="Không thuộc thẩm quyền của Ủy ban nhân dân cấp xã",
        legal_basis="Điều 13 Luật Hộ tịch 2014",
        actor=alice,
        at=at(2026, 3, 2, 10),
    )
    reader, text = read_pdf(documents.refusal_slip_pdf(dossier=dossier))
    assert page_size(reader) == A5
    text = flat(text)
    for expected in (
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        APPLICANT["name"],
        "Đăng ký khai sinh",
        "Không thuộc thẩm quyền của Ủy ban nhân dân cấp xã",
        "Căn cứ pháp lý: Điều 13 Luật Hộ tịch 2014",
        "Phúc Xá, ngày 02 tháng 03 năm 2026",
    ):
        assert expected in text, expected


def test_stop_notice_records_the_applicants_request(receive, alice):
    """Circular 03/2025 form 05: code, applicant, procedure, the request to stop, date."""
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_withdraw(
        dossier=dossier,
        request_text="Tôi xin rút hồ sơ để nộp lại sau.",
        actor=alice,
        at=at(2026, 3, 4, 9, 30),
    )
    reader, text = read_pdf(documents.stop_notice_pdf(dossier=dossier))
    assert page_size(reader) == A5
    text = flat(text)
    for expected in (
        "Mẫu số 05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        APPLICANT["name"],
        "Đăng ký khai sinh",
        "Tôi xin rút hồ sơ để nộp lại sau.",
        "09 giờ 30 phút, ngày 04/03/2026",
    ):
        assert expected in text, expected


# --- process control slip ----------------------------------------------------------------
def test_process_control_slip_has_one_row_per_handover_r_life_3(
    receive, alice, officer, departments
):
    """R-LIFE-3: from, to, handed over at (hh:mm dd/mm/yyyy), result of the step, notes."""
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier,
        actor=alice,
        to_department=departments["civil"],
        at=at(2026, 3, 2, 10, 15),
    )
    services.dossier_route(
        dossier=dossier,
        actor=officer,
        to_department=departments["land"],
        note="Phối hợp xác minh",
        at=at(2026, 3, 4, 14, 30),
    )
    reader, text = read_pdf(documents.process_control_slip_pdf(dossier=dossier))
    assert page_size(reader) == A5
    text = flat(text)
    for expected in (
        "Mẫu số 06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        dossier.code,
        "Cơ quan (bộ phận) giải quyết hồ sơ: Tư pháp – Hộ tịch",
        "Cơ quan phối hợp giải quyết hồ sơ: Địa chính",
        "10:15 02/03/2026",
        "14:30 04/03/2026",
        "Đúng hạn",  # the desk handed over the same day (R-LIFE-3)
        "Trước hạn",  # Tư pháp finished before its deadline
        "Phối hợp xác minh",
    ):
        assert expected in text, expected


# --- dossier log ------------------------------------------------------------------------
def test_dossier_log_is_a4_landscape_and_lists_the_dossiers_of_the_range_r_life_5(
    receive, desk, alice
):
    """R-LIFE-5: the dossier log is A4 (landscape, many columns); form 07 of 2025."""
    before, _pin = receive(received_at=at(2026, 2, 27, 16))
    first, _pin = receive(received_at=at(2026, 3, 2, 9))
    last, _pin = receive(received_at=at(2026, 3, 6, 23, 59))
    after, _pin = receive(received_at=at(2026, 3, 9, 0, 1))
    services.dossier_refuse(
        dossier=first,
        reason="Thiếu thẩm quyền",
        legal_basis="Luật",
        actor=alice,
        at=at(2026, 3, 2, 10),
    )
    reader, text = read_pdf(
        documents.dossier_log_pdf(desk=desk, date_from=D(2026, 3, 1), date_to=D(2026, 3, 8))
    )
    assert page_size(reader) == A4_LANDSCAPE
    text = flat(text)
    assert first.code in text and last.code in text
    assert before.code not in text and after.code not in text
    for expected in (
        "Mẫu số 07",
        "SỔ THEO DÕI HỒ SƠ",
        "từ ngày 01/03/2026 đến ngày 08/03/2026",
        "Từ chối giải quyết; Thiếu thẩm quyền",
        "Tổng số: 2 hồ sơ.",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("count", [3, 30])
def test_dossier_log_uses_a_fixed_number_of_queries(
    count, receive, desk, alice, officer, departments, django_assert_max_num_queries
):
    """Three dossiers or thirty: the same queries (desk, dossiers with their endings, steps)."""
    for i in range(count):
        dossier, _pin = receive(received_at=at(2026, 3, 2, 8) + dt.timedelta(minutes=i))
        if i % 3 == 0:
            services.dossier_route(
                dossier=dossier,
                actor=alice,
                to_department=departments["civil"],
                at=at(2026, 3, 2, 11),
            )
        elif i % 3 == 1:
            services.dossier_refuse(
                dossier=dossier,
                reason="Lý do",
                legal_basis="Luật",
                actor=alice,
                at=at(2026, 3, 2, 11),
            )
    with django_assert_max_num_queries(3):
        data = documents.dossier_log_pdf(desk=desk, date_from=D(2026, 3, 2), date_to=D(2026, 3, 2))
    assert flat(read_pdf(data)[1]).count("000.01.01.H26-260302-") == count


# --- editions and safety (no rendering) ----------------------------------------------------
def test_form_numbers_follow_the_regulation_of_the_receipt_date():
    """Circular 01/2018 numbers forms 01–06; Circular 03/2025 01–07 with the stop notice 05."""
    old, new = D(2025, 6, 30), D(2025, 7, 1)
    assert documents.form("control", old) == {
        "number": "05",
        "circular": "Thông tư số 01/2018/TT-VPCP",
    }
    assert documents.form("log", old)["number"] == "06"
    assert documents.form("stop", old) == {"number": None, "circular": ""}
    assert documents.form("control", new)["number"] == "06"
    assert documents.form("log", new)["number"] == "07"
    assert documents.form("stop", new)["number"] == "05"
    assert documents.form("receipt", new)["circular"] == "Thông tư số 03/2025/TT-VPCP"


def test_renderer_reads_only_the_shipped_fonts_and_data_uris(tmp_path):
    """Rendering never reaches the network nor reads files outside static/fonts."""
    root = documents.fonts_dir()
    fetcher = documents.LocalFetcher(root)
    font = fetcher.fetch((root / "LiberationSerif-Regular.ttf").as_uri())
    try:
        assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    finally:
        font.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    for url in (
        "https://fonts.example.test/font.woff2",
        "http://127.0.0.1:8000/static/css/portal.css",
        outside.as_uri(),
        (root / ".." / ".." / "pyproject.toml").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    assert (root / "LICENSE-LiberationSerif.txt").exists()
