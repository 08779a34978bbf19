"""A dossier's whole life in a real browser (Debian's Chromium driven by Playwright): Alice
receives it at the desk with the keyboard and prints the receipt slip, hands it to the
civil-status department; Fiona, an officer there, asks for a supplement; Alice records it; Fiona
reschedules once (it is not offered a second time, R-RES-2) and completes it; Alice returns the result.
No page breaks the Content Security Policy on the way.

Run: ``pytest -m e2e``. Screenshots go to ``$E2E_SCREENSHOTS`` when set (for a look, never
committed).
"""

import io
import re

import pytest
from pypdf import PdfReader

from dossiers.models import Dossier, RequiredDocument
from portal.models import Role
from portal.working_calendar import get_calendar
from tests.browser import (
    BROWSER_MARKS,
    SCREENSHOTS,
    csp_violations,
    db_read,
    new_page,
    screenshot,
    sign_in,
)
from tests.factories import (
    DepartmentFactory,
    DeskFactory,
    MembershipFactory,
    ProcedureFactory,
    UserFactory,
)

pytestmark = BROWSER_MARKS


@pytest.fixture
def commune(tree, alice):
    """Alice's desk at Commune A1 with two departments, Fiona in civil status, a procedure."""
    unit = tree["commune_a1"]
    unit.agency_code = "000.01.01.H26"
    unit.save()
    desk = DeskFactory(unit=unit, name="Bộ phận Một cửa Phường Phúc Xá")
    civil = DepartmentFactory(desk=desk, code="tu-phap", name="Tư pháp – Hộ tịch")
    DepartmentFactory(desk=desk, code="dia-chinh", name="Địa chính")
    fiona = UserFactory(username="fiona", first_name="Thị F", last_name="Trần")
    MembershipFactory(user=fiona, unit=unit, role=Role.OFFICER, department=civil)
    birth = ProcedureFactory(
        code="1.001193", name="Đăng ký khai sinh", processing_time=5, offered_at=[desk]
    )
    ProcedureFactory(code="1.000894", name="Đăng ký kết hôn", offered_at=[desk])
    ProcedureFactory(code="2.000815", name="Chứng thực bản sao từ bản chính", offered_at=[desk])
    RequiredDocument.objects.create(
        procedure=birth, name="Tờ khai đăng ký khai sinh", original_required=True, order=1
    )
    RequiredDocument.objects.create(procedure=birth, name="Giấy chứng sinh", order=2)
    return {"desk": desk, "civil": civil, "fiona": fiona, "procedure": birth}


def expect(locator):
    # wait_for_function would evaluate a string in the page, which the CSP forbids.
    return pytest.importorskip("playwright.sync_api").expect(locator)


def _focused(page):
    return page.evaluate("document.activeElement.name || document.activeElement.id")


def _open_action(page, name):
    page.locator(f"#action-{name} > summary").click()
    return page.locator(f"#action-{name} form")


def _status(page):
    return page.locator("#dossier-status").inner_text()


def _pdf_text(response):
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_a_dossier_from_intake_to_return(alice, commune, live_server, browser):
    base = live_server.url
    desk_page = new_page(browser, width=1280, height=900)
    officer_page = new_page(browser, width=1280, height=900)

    # --- Alice receives the dossier with the keyboard ----------------------------------
    page = desk_page
    sign_in(page, base, "alice")
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    page.get_by_role("link", name="Tiếp nhận hồ sơ", exact=True).click()
    page.wait_for_url(f"{base}/dossiers/receive/")
    assert _focused(page) == "q"  # autofocus on the procedure search

    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")
    expect(page.locator("#id_procedure")).to_be_focused()
    assert page.locator("#id_procedure option").count() == 1
    assert page.locator("#documents-checklist").get_by_text("Giấy chứng sinh").is_visible()

    visited = []
    for _i in range(20):
        page.keyboard.press("Tab")
        visited.append(_focused(page))
        if visited[-1] == "applicant_name":
            break
    assert visited[-2:] == ["applicant_kind", "applicant_name"]
    assert visited[0].startswith("doc_")  # the checklist comes right after the procedure
    page.keyboard.type("Nguyễn Văn An")
    for value in ("001085012345", "0912345678", "an.nguyen@example.test", "12 Phúc Xá"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    screenshot(page, "intake")
    page.keyboard.press("Enter")  # Enter in a field submits the form
    page.wait_for_url(re.compile(r".*/dossiers/\d+/received/$"))

    screenshot(page, "received")
    code = page.locator("#received-code").inner_text()
    pin = page.locator("#received-pin").inner_text()
    assert re.fullmatch(r"\d{6}", pin)
    assert db_read(
        lambda: list(Dossier.objects.get(code=code).documents.values_list("name", flat=True))
    ) == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]

    receipt_url = page.locator("#print-receipt").get_attribute("href")
    receipt = _pdf_text(page.request.get(f"{base}{receipt_url}"))
    assert pin in receipt and code in receipt
    assert pin not in receipt_url

    # --- ... and hands it to the civil-status department --------------------------------
    page.get_by_role("link", name="Mở hồ sơ").click()
    form = _open_action(page, "route")
    form.get_by_label("Chuyển đến").select_option(label="Tư pháp – Hộ tịch")
    form.get_by_role("button", name="Chuyển xử lý").click()
    page.wait_for_load_state()
    assert "Hồ sơ đã được chuyển." in page.locator(".messages").inner_text()
    assert _status(page) == "Đang giải quyết"
    screenshot(page, "detail-routed")

    # --- Fiona finds it in her queue and asks for a supplement --------------------------
    page = officer_page
    sign_in(page, base, "fiona")
    page.get_by_role("link", name="Hồ sơ", exact=True).click()
    screenshot(page, "list-officer")
    page.get_by_role("link", name=code).click()
    form = _open_action(page, "supplement")
    form.locator('input[name="supplement-item_name"]').nth(0).fill("Giấy chứng sinh bản chính")
    form.locator('input[name="supplement-item_guidance"]').nth(0).fill("Do bệnh viện cấp")
    form.get_by_role("button", name="Thêm dòng").click()  # htmx adds a third row
    rows = form.locator('input[name="supplement-item_name"]')
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_be_focused()  # the new row takes the focus
    page.keyboard.type("Bản sao căn cước của cha")
    form.get_by_role("button", name="Yêu cầu bổ sung").first.click()
    page.wait_for_load_state()
    assert _status(page) == "Chờ bổ sung hồ sơ"
    items = db_read(lambda: Dossier.objects.get(code=code).pauses.get().items)
    assert [i["name"] for i in items] == [
        "Giấy chứng sinh bản chính",
        "Bản sao căn cước của cha",
    ]

    # --- Alice records the supplement from her waiting queue ----------------------------
    page = desk_page
    page.goto(f"{base}/dossiers/?tab=waiting")
    screenshot(page, "list-waiting")
    page.get_by_role("link", name=code).click()
    form = _open_action(page, "resubmit")
    form.get_by_role("button", name="Ghi nhận đã bổ sung").click()
    page.wait_for_load_state()
    assert _status(page) == "Đang giải quyết"  # back where it was before the request

    # --- Fiona reschedules once; it is not offered a second time; then she completes ---
    page = officer_page
    page.reload()

    def three_working_days_after_the_due_date():
        cal = get_calendar()
        due = Dossier.objects.get(code=code).due_at
        return cal.add_working_days(cal.local(due).date(), 3)

    new_day = db_read(three_working_days_after_the_due_date)
    form = _open_action(page, "reschedule")
    form.get_by_label("Lý do chậm trễ").fill("Chờ xác minh của cơ quan khác")
    form.get_by_label("Ngày hẹn mới").fill(new_day.isoformat())
    form.get_by_role("button", name="Hẹn lại và xin lỗi").click()
    page.wait_for_load_state()
    assert page.locator("#reschedule-info").is_visible()

    # The one rescheduling is used: the action is no longer offered (R-RES-2), the other
    # actions are. (A second one posted anyway is refused: test_pages_reschedule_once.py.)
    assert page.locator("#action-reschedule").count() == 0
    assert page.locator("#action-complete").count() == 1
    screenshot(page, "detail-after-reschedule")

    form = _open_action(page, "complete")
    form.get_by_role("button", name="Xác nhận đã có kết quả").click()
    page.wait_for_load_state()
    assert _status(page) == "Đã có kết quả"

    # --- Alice returns the result ------------------------------------------------------
    page = desk_page
    page.reload()
    form = _open_action(page, "return")
    form.get_by_role("button", name="Trả kết quả").click()
    page.wait_for_load_state()
    assert _status(page) == "Đã trả kết quả"
    screenshot(page, "detail-returned")
    detail_url = page.url
    page.goto(f"{base}/dossiers/?tab=all")
    screenshot(page, "list-all")
    if SCREENSHOTS:  # how a phone shows them (stacked tables, one column)
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "list-phone")
        page.goto(detail_url)
        screenshot(page, "detail-phone")

    dossier = db_read(lambda: Dossier.objects.get(code=code))
    assert dossier.status == "returned"
    assert dossier.classification == "late"  # rescheduled: counted late (R-RES-4)
    for seen in (desk_page, officer_page):
        assert csp_violations(seen) == []
        assert seen.page_errors_seen == []
