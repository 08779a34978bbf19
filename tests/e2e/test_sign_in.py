"""A real browser (Debian's Chromium driven by Playwright) goes from the front door to the
sign-in, signs Alice in, shows her unit, switches to English and signs her out, and the Content
Security Policy refuses nothing on the way.

Run: ``pytest -m e2e``. Needs /usr/bin/chromium (``apt-get install -y chromium``).
"""

import pytest

from tests.browser import BROWSER_MARKS, csp_violations, new_page
from tests.helpers import PASSWORD

pytestmark = BROWSER_MARKS


@pytest.fixture
def page(browser):
    # A browser set to Vietnamese, as at a desk PC; the portal's default is Vietnamese anyway.
    page = new_page(browser, width=1280, height=800)
    yield page
    page.context.close()


def test_alice_signs_in_sees_her_unit_switches_to_english_and_signs_out(alice, live_server, page):
    # ``alice`` comes first on purpose: database fixtures set up after Playwright has started
    # would open their connection in Playwright's context, where teardown cannot close it.
    base = live_server.url

    # The portal's address opens the citizens' front door; staff sign in one click away.
    page.goto(f"{base}/")
    assert page.locator("form[action='/tra-cuu/']").count() == 1
    page.locator("#staff-sign-in").click()
    page.wait_for_url(f"{base}/accounts/login/")
    assert page.locator("h1").inner_text() == "Đăng nhập"

    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")

    assert page.locator("h1").inner_text() == "Xin chào, Nguyễn Văn A"
    memberships = page.locator("table").inner_text()
    assert "Phường Phúc Xá" in memberships
    assert "Cán bộ tiếp nhận" in memberships
    # htmx is loaded from our own static files and took its CSP-safe configuration.
    assert page.evaluate("window.htmx && window.htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Đổi ngôn ngữ").click()
    page.wait_for_load_state()

    assert page.url == f"{base}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome, Nguyễn Văn A"
    assert "Receptionist" in page.locator("table").inner_text()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/login/")

    assert page.locator("h1").inner_text() == "Sign in"
    assert "You have signed out." in page.locator(".messages").inner_text()
    page.goto(f"{base}/")
    assert page.locator("#staff-sign-in").count() == 1  # really signed out: the front door
    assert page.locator(".user-name").count() == 0

    assert csp_violations(page) == []
    assert page.page_errors_seen == []


def test_the_console_watch_does_catch_a_csp_violation(live_server, page):
    """Proves the assertion above can fail: an inline style is refused and reported."""
    page.goto(f"{live_server.url}/accounts/login/")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)

    assert csp_violations(page) != []
