"""What every real-browser test shares (Debian's Chromium driven by Playwright): where Chromium
is, the marks a browser test module takes, a page that records its console and its errors, the
Content Security Policy check, screenshots and database reads while the browser runs.

A test module uses ``pytestmark = BROWSER_MARKS`` and Chromium from ``launch_chromium()`` (in
tests/e2e, the ``browser`` fixture of tests/e2e/conftest.py). Database fixtures must come before
``browser`` or ``page`` in a test's arguments: set up after Playwright has started, they would
open their connection in Playwright's context, where teardown cannot close it.

Screenshots go to ``$E2E_SCREENSHOTS`` when it names a folder (for a look, never committed).
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

from tests.helpers import PASSWORD

# Playwright's sync API runs an event loop in this thread; the test's own database work (the
# fixtures) is ordinary synchronous code, so Django's async-safety guard must stand aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to (execute|apply|load|connect)", re.I)
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS")

BROWSER_MARKS = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed (apt-get install -y chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]


@contextmanager
def launch_chromium():
    """Chromium started by Playwright, closed on the way out (skips when Playwright is missing)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, *, width, height, **context_options):
    """A page in a browser set to Vietnamese, as at a desk PC or on a citizen's phone, that keeps
    what its console printed (``console_messages_seen``) and its script errors
    (``page_errors_seen``). Closing ``page.context`` closes it; closing the browser does too."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": width, "height": height}, **context_options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_messages_seen = []
    page.page_errors_seen = []
    page.on("console", lambda message: page.console_messages_seen.append(message.text))
    page.on("pageerror", lambda error: page.page_errors_seen.append(str(error)))
    return page


def csp_violations(page):
    """What the Content Security Policy refused on this page, from its console."""
    return [text for text in page.console_messages_seen if CSP_MESSAGE.search(text)]


# axe-core, vendored under tests/vendor/axe-core (MPL-2.0, see its README): injected into the
# page under test through the DevTools protocol, so the portal's CSP does not stand in the way
# and the portal never serves it.
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def axe_violations(page, *, disable=(), only=()):
    """What axe-core finds on the page as it is shown now (WCAG 2.1 A and AA, and axe's best
    practices), one readable line per rule broken; ``disable`` names rules to leave out, each
    with a reason at the call site; ``only`` runs just the rules named (for pages that are not
    ours, e.g. the API documentation). An empty list is a page without violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    options = {
        "runOnly": {"type": "rule", "values": list(only)}
        if only
        else {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": False} for rule in disable},
        "resultTypes": ["violations"],
    }
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
        for v in page.evaluate(_AXE_RUN, options)
    ]


def screenshot(page, name, *, full_page=True):
    """``$E2E_SCREENSHOTS/<name>.png`` when that variable is set; nothing otherwise."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


def sign_in(page, base, username, *, password=PASSWORD):
    """Sign ``username`` in through the login page and wait for the home page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def db_read(read):
    """Run a database read in a thread of its own and close its connection there: queries made
    in the test's own thread once Playwright runs would open a connection teardown cannot close
    (the tests are transactional, so the other thread sees the committed rows)."""

    def run():
        try:
            return read()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
