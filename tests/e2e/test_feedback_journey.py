"""Feedback and complaints in a real browser (Debian's Chromium driven by Playwright), issue 9
"Done when" (R-FB-1..4, R-PRIV-1):

* a citizen on a 360 px phone files a complaint with a photo, gets the code and PIN and the
  receipt, and tracks it;
* Alice enters a hotline call with the keyboard, assigns it to Dave and transfers it to the
  competent commune; Dave accepts the citizen's complaint, previews the reply letter, answers
  it and publishes it with the masked preview;
* the citizen reads the written answer and its letter on the tracking page; the published page
  shows no personal data. No page breaks the Content Security Policy on the way.

Pages are driven by element ids and names, not by their words: the Vietnamese of the new
strings is added to the catalogue after the merge. Run: ``pytest -m e2e``; screenshots go to
``$E2E_SCREENSHOTS`` when set (never committed).
"""

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from feedback.models import Item
from tests.browser import BROWSER_MARKS, csp_violations, db_read, new_page, screenshot, sign_in
from tests.factories import DeskFactory

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits")]

SENDER = {
    "name": "Lê Thị Hoa",
    "phone": "0987 654 321",
    "address": "25 Hàng Bài, Hoàn Kiếm",
    "id_number": "001190012345",
}
COMPLAINT = (
    "Tôi là Lê Thị Hoa, điện thoại 0987654321. Quyết định trả lại hồ sơ đăng ký hộ kinh doanh "
    "của tôi không nêu rõ lý do."
)
ANSWER = "Kính gửi bà Lê Thị Hoa: Phường đã rà soát và cấp lại giấy chứng nhận ngày 10."


@pytest.fixture
def world(tree, alice, officer, leader, tmp_path, settings):
    settings.FEEDBACK_FILES_ROOT = tmp_path / "private"
    desk = DeskFactory(unit=tree["commune_a1"])
    DeskFactory(unit=tree["commune_a2"])
    image = Image.new("RGB", (320, 240), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 0.0), 3: "E", 4: (105.0, 50.0, 0.0)}  # GPS
    photo = tmp_path / "anh-quay.jpg"
    image.save(photo, format="JPEG", exif=exif)
    return {"desk": desk, "photo": photo, "a2": tree["commune_a2"], "dave": officer}


def expect(locator):
    return pytest.importorskip("playwright.sync_api").expect(locator)


def _pdf_text(response):
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def _fits(page, width=360):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _open_action(page, name):
    page.locator(f"#action-{name} > summary").click()
    return page.locator(f"#action-{name} form")


def _submit_action(form):
    form.locator("button.button--primary, button.button--danger").first.click()


def test_a_complaint_from_a_phone_to_a_published_answer(world, live_server, browser):
    base = live_server.url
    phone = new_page(browser, width=360, height=740)
    desk_pc = new_page(browser, width=1280, height=900)
    officer_pc = new_page(browser, width=1280, height=900)

    # --- a citizen files a complaint with a photo on a phone ----------------------------
    page = phone
    page.goto(f"{base}/phan-anh/")
    _fits(page)
    page.locator("label[for=id_kind_3]").click()  # complaint
    page.locator("#unit-search").fill("phuc xa")
    page.keyboard.press("Enter")  # searches, then moves to the list of matches
    expect(page.locator("#id_unit")).to_be_focused()
    assert page.locator("#id_unit").input_value() == str(world["desk"].unit_id)
    page.fill("#id_subject", "Trả lại hồ sơ không nêu lý do")
    page.fill("#id_body", COMPLAINT)
    page.fill("#id_sender_name", SENDER["name"])
    page.fill("#id_sender_phone", SENDER["phone"])
    page.fill("#id_sender_address", SENDER["address"])
    page.fill("#id_sender_id_number", SENDER["id_number"])
    page.set_input_files("#id_attachments", str(world["photo"]))
    screenshot(page, "feedback-phone-form")
    page.locator("#submit-button").click()
    page.wait_for_url(re.compile(r".*/phan-anh/da-gui/\d+/$"))
    _fits(page)
    screenshot(page, "feedback-phone-submitted")
    code = page.locator("#submitted-code").inner_text()
    pin = page.locator("#submitted-pin").inner_text()
    assert re.fullmatch(r"PA-00001-\d\d-\d{5}", code) and re.fullmatch(r"\d{6}", pin)
    assert pin not in page.url
    receipt = _pdf_text(page.request.get(f"{page.url}bien-nhan.pdf"))
    assert code in receipt and f"Mã PIN: {pin}" in receipt

    def stored():
        item = Item.objects.get(code=code)
        attachment = item.attachments.get()
        with attachment.file.open("rb") as handle:
            exif = Image.open(handle).getexif()
        return item.kind, item.channel, attachment.content_type, bool(exif)

    assert db_read(stored) == ("complaint", "web", "image/jpeg", False)  # location gone

    page.goto(f"{base}/phan-anh/tra-cuu/")
    page.fill("#id_code", code.lower())
    page.fill("#id_pin", pin)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/phan-anh/tra-cuu/ket-qua/")
    expect(page.locator("#item-status")).to_be_visible()
    assert code in page.locator("h1").inner_text()
    _fits(page)
    screenshot(page, "feedback-phone-tracking")

    # --- Alice enters a hotline call, assigns it and transfers it ----------------------
    page = desk_pc
    sign_in(page, base, "alice")
    page.locator('.site-nav a[href="/phan-anh/quan-ly/"]').click()
    page.locator("#enter-item").click()
    page.wait_for_url(f"{base}/phan-anh/quan-ly/nhap/")
    expect(page.locator("#id_channel")).to_be_focused()  # hotline is chosen already
    page.keyboard.press("Tab")  # one unit: nothing to choose
    expect(page.locator("#id_kind")).to_be_focused()
    page.fill("#id_subject", "Đường dây nóng: hỏi thời hạn cấp sổ")
    page.fill("#id_sender_name", "Phạm Văn Minh")
    page.fill("#id_sender_phone", "0903123456")
    page.locator("#id_body").fill("Người gọi phản ánh hồ sơ đất đai chậm")
    page.locator("#id_body").press("Control+Enter")  # saves from the text area
    page.wait_for_url(re.compile(r".*/phan-anh/quan-ly/\d+/da-nhap/$"))
    hotline_code = page.locator("#entered-code").inner_text()
    assert re.fullmatch(r"\d{6}", page.locator("#entered-pin").inner_text())
    screenshot(page, "feedback-entered")

    page.locator("#open-item").click()
    form = _open_action(page, "assign")
    form.locator("select[name=assign-assignee]").select_option(str(world["dave"].pk))
    _submit_action(form)
    page.wait_for_load_state()
    assert page.locator("#item-status").inner_text() and "dave" not in page.url

    form = _open_action(page, "transfer")
    form.locator("#transfer-search").fill("truc bach")
    option = form.locator(f'#id_transfer-to_unit option[value="{world["a2"].pk}"]')
    expect(option).to_have_count(1)
    form.locator("#id_transfer-to_unit").select_option(str(world["a2"].pk))
    _submit_action(form)
    page.wait_for_load_state()
    expect(page.locator("#transfer-info")).to_be_visible()
    assert db_read(lambda: Item.objects.get(code=hotline_code).unit_id) == world["a2"].pk
    screenshot(page, "feedback-transferred")

    # --- Dave accepts the complaint, previews the letter, answers and publishes it ------
    page = officer_pc
    sign_in(page, base, "dave")
    page.goto(f"{base}/phan-anh/quan-ly/?tab=all")
    page.get_by_role("link", name=code).click()
    form = _open_action(page, "start")
    _submit_action(form)
    page.wait_for_load_state()

    form = _open_action(page, "reply")
    form.locator("textarea[name=reply-text]").fill(ANSWER)
    token = form.locator("input[name=csrfmiddlewaretoken]").get_attribute("value")
    preview_url = form.locator("#letter-preview").get_attribute("formaction")
    preview = page.request.post(
        f"{base}{preview_url}",
        form={"csrfmiddlewaretoken": token, "reply-text": ANSWER},
        headers={"Referer": page.url},
    )
    draft = _pdf_text(preview)
    assert "BẢN XEM TRƯỚC" in draft and "cấp lại giấy chứng nhận" in draft
    _submit_action(form)
    page.wait_for_load_state()
    expect(page.locator("#reply-1")).to_be_visible()

    form = _open_action(page, "publish")
    assert SENDER["name"] not in form.locator("textarea[name=publish-question]").input_value()
    form.locator("#publish-preview-button").click()
    page.wait_for_load_state()
    preview_block = page.locator("#publish-preview").inner_text()
    for value in (SENDER["name"], "0987654321", SENDER["phone"]):
        assert value not in preview_block
    screenshot(page, "feedback-publish-preview")
    _submit_action(page.locator("#action-publish form"))
    page.wait_for_load_state()
    expect(page.locator("#publication-info")).to_be_visible()
    screenshot(page, "feedback-detail-published")

    # --- the citizen reads the answer; the published page shows no personal data -------
    page = phone
    page.reload()
    assert "cấp lại giấy chứng nhận" in page.locator("#reply-1").inner_text()
    expect(page.locator("#dispute-form")).to_be_visible()
    letter = _pdf_text(page.request.get(f"{base}/phan-anh/tra-cuu/ket-qua/tra-loi-1.pdf"))
    assert "cấp lại giấy chứng nhận" in letter and code in letter
    screenshot(page, "feedback-phone-answer")

    page.goto(f"{base}/phan-anh/cong-khai/")
    _fits(page)
    page.locator(".fb-published h2 a").first.click()
    published = page.locator("main").inner_text()
    assert "cấp lại giấy chứng nhận" in published
    for value in (*SENDER.values(), "0987654321"):
        assert value not in published, value
    screenshot(page, "feedback-phone-published")

    for seen in (phone, desk_pc, officer_pc):
        assert csp_violations(seen) == []
        assert seen.page_errors_seen == []
