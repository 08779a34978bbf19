"""The tracking page on a phone: Debian's Chromium at 360 px looks a rescheduled dossier up,
nothing overflows sideways, Back returns to an empty form, and the Content Security Policy
refuses nothing (R-PRIV-1, R-RES-3).

Run: ``pytest -m e2e tests/dossiers/test_tracking_mobile.py``; set ``E2E_SCREENSHOTS`` to a
folder to keep the screenshots.
"""

import datetime as dt

import pytest
import time_machine

from dossiers import services
from tests.browser import BROWSER_MARKS, csp_violations, launch_chromium, new_page, screenshot
from tests.helpers import at

WIDTH = 360

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits")]


@pytest.fixture
def rescheduled(receive, officer, departments, alice, desk):
    desk.email = "motcua.phucxa@example.gov.vn"
    desk.opening_hours = "Thứ Hai – Thứ Sáu, 7:30–11:30 và 13:30–17:00"
    desk.save()
    dossier, pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier, actor=alice, to_department=departments["civil"], at=at(2026, 3, 2, 15)
    )
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ kết quả xác minh của cơ quan khác",
        new_due_date=dt.date(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    return dossier, pin


@pytest.fixture
def phone():
    with launch_chromium() as browser:
        page = new_page(
            browser,
            width=WIDTH,
            height=740,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
        )
        yield page
        page.context.close()


def _shot(page, name):
    screenshot(page, f"tracking-{WIDTH}-{name}")


def _overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") - WIDTH


def test_citizen_tracks_a_rescheduled_dossier_on_a_phone(rescheduled, live_server, phone):
    dossier, pin = rescheduled  # database first, then the browser (see tests/e2e)
    page = phone
    with time_machine.travel(at(2026, 3, 6, 10), tick=True):
        page.goto(f"{live_server.url}/tra-cuu/")
        assert page.locator("h1").inner_text() == "Tra cứu hồ sơ"
        assert _overflow(page) <= 0
        _shot(page, "1-form")

        page.fill("#id_code", dossier.code)
        page.fill("#id_pin", "000000")
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_load_state()
        assert "Không tìm thấy hồ sơ" in page.locator("[role=alert]").inner_text()
        assert page.input_value("#id_pin") == ""
        _shot(page, "2-not-found")

        page.fill("#id_pin", pin)
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_url(f"{live_server.url}/tra-cuu/ket-qua/")
        text = page.locator("main").inner_text()
        assert "N***** V** An" in text and "Nguyễn Văn An" not in text
        assert "Chờ kết quả xác minh của cơ quan khác" in text
        assert "Ngày 12 tháng 3 năm 2026" in text
        assert _overflow(page) <= 0
        _shot(page, "3-result")

        page.go_back()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/tra-cuu/"
        assert page.input_value("#id_code") == "" and page.input_value("#id_pin") == ""

    assert csp_violations(page) == []


def test_form_on_the_not_found_page_of_a_bad_qr_link_works(rescheduled, live_server, phone):
    """The pages hide their path from Referer headers, yet their forms still pass the CSRF
    origin check (``no-referrer`` would make the browser post with ``Origin: null``)."""
    dossier, pin = rescheduled
    page = phone
    with time_machine.travel(at(2026, 3, 6, 10), tick=True):
        response = page.goto(f"{live_server.url}/tra-cuu/t/not-a-real-token/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Không tìm thấy hồ sơ"
        _shot(page, "4-bad-link")

        page.fill("#id_code", dossier.code)
        page.fill("#id_pin", pin)
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_url(f"{live_server.url}/tra-cuu/ket-qua/")

        assert dossier.code in page.locator("h1").inner_text()
