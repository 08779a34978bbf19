"""Accessibility kept at zero (issue 12): axe-core (WCAG 2.1 A and AA, and best practice) finds
nothing on the front door, the desk directory, the tracking pages, the staff queue, the dossier
page and the administration pages, at a desk PC's size and on a 360 px phone (the survey page:
tests/e2e/test_phone_survey.py). The focus ring stands out (3:1 at least) on the page and on
the blue header; the API documentation pages have a language and make no outside request.

Run: ``pytest -m e2e``.
"""

import datetime as dt
from urllib.parse import urlsplit

import pytest

from dossiers import services
from dossiers.tracking.tokens import make_tracking_token
from portal.models import Role
from tests.browser import BROWSER_MARKS, axe_violations, csp_violations, new_page, sign_in
from tests.factories import DepartmentFactory, DeskFactory, ProcedureFactory

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits", "cleared_cache")]

SIZES = [pytest.param((1280, 800), id="desk"), pytest.param((360, 740), id="phone")]


@pytest.fixture
def world(tree, alice, officer, ward_admin):
    """Alice's desk at Commune A1 with a department, a procedure and a dossier in process."""
    unit = tree["commune_a1"]
    unit.agency_code = "000.01.01.H26"
    unit.save()
    desk = DeskFactory(
        unit=unit,
        name="Bộ phận Một cửa Phường Phúc Xá",
        opening_hours="Thứ Hai đến Thứ Sáu: 7:30–11:30 và 13:30–17:00",
    )
    civil = DepartmentFactory(desk=desk, code="tu-phap", name="Tư pháp – Hộ tịch")
    officer.memberships.filter(role=Role.OFFICER).update(department=civil)
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", offered_at=[desk])
    received_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    dossier, pin = services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant={"name": "Nguyễn Văn An", "phone": "0912345678"},
        actor=alice,
        received_at=received_at,
    )
    services.dossier_route(
        dossier=dossier, actor=alice, to_department=civil, at=received_at + dt.timedelta(hours=1)
    )
    return {"desk": desk, "dossier": dossier, "pin": pin, "token": make_tracking_token(dossier)}


def _check(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = axe_violations(page)
    assert found == [], f"{name}: {found}"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", SIZES)
def test_the_public_pages_have_no_axe_violations(world, live_server, browser, size):
    base = live_server.url
    page = new_page(browser, width=size[0], height=size[1])

    _check(page, f"{base}/", "front door")
    _check(page, f"{base}/bo-phan-mot-cua/?q=phuc+xa", "desk directory")
    _check(page, f"{base}/bo-phan-mot-cua/{world['desk'].pk}/", "desk page")
    _check(page, f"{base}/tra-cuu/", "tracking look-up")
    _check(page, f"{base}/tra-cuu/t/{world['token']}/", "tracking result (QR link)")
    _check(page, f"{base}/khao-sat/ma/", "survey code")
    # The look-up from the front door itself, by keyboard.
    page.goto(f"{base}/")
    page.fill("#fd-code", world["dossier"].code)
    page.fill("#fd-pin", world["pin"])
    page.locator("#fd-pin").press("Enter")
    page.wait_for_url(f"{base}/tra-cuu/ket-qua/")
    assert axe_violations(page) == []
    assert csp_violations(page) == [] and page.page_errors_seen == []


@pytest.mark.parametrize("size", SIZES)
def test_the_staff_pages_have_no_axe_violations(world, live_server, browser, size):
    base = live_server.url
    page = new_page(browser, width=size[0], height=size[1])
    sign_in(page, base, "dave")

    _check(page, f"{base}/", "staff home")
    _check(page, f"{base}/dossiers/", "staff queue")
    _check(page, f"{base}/dossiers/?tab=all", "all dossiers")
    _check(page, f"{base}/dossiers/{world['dossier'].pk}/", "dossier page")
    page.locator("#action-complete > summary").click()  # an action's form, open
    assert axe_violations(page) == []
    assert csp_violations(page) == [] and page.page_errors_seen == []


@pytest.mark.parametrize("size", SIZES)
def test_the_administration_pages_have_no_axe_violations(world, live_server, browser, size):
    base = live_server.url
    page = new_page(browser, width=size[0], height=size[1])
    sign_in(page, base, "hana")
    unit = world["desk"].unit_id

    _check(page, f"{base}/quan-tri/", "administration")
    _check(page, f"{base}/quan-tri/don-vi/{unit}/", "unit")
    _check(page, f"{base}/quan-tri/quay/{world['desk'].pk}/", "desk")
    _check(page, f"{base}/quan-tri/don-vi/{unit}/can-bo-moi/", "new staff member")
    _check(page, f"{base}/dossiers/desks/{world['desk'].pk}/procedures/", "procedures offered")
    assert csp_violations(page) == [] and page.page_errors_seen == []


def _contrast(first: str, second: str) -> float:
    def luminance(rgb):
        channels = [int(c) / 255 for c in rgb.strip("rgba()").split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_contrasts_3_to_1_on_the_page_and_on_the_header(live_server, browser):
    page = new_page(browser, width=1280, height=800)
    page.goto(f"{live_server.url}/")

    page.focus("#fd-code")
    on_page = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    page.focus("#staff-sign-in")
    on_header = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )

    assert _contrast(on_page, "rgb(255, 255, 255)") >= 3
    assert _contrast(on_page, "rgb(243, 245, 248)") >= 3  # the page's background
    assert _contrast(on_header, header) >= 3


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_the_api_documentation_has_a_language_and_asks_nothing_outside(live_server, browser, path):
    page = new_page(browser, width=1280, height=800)
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != urlsplit(live_server.url).netloc
            else None
        ),
    )

    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)

    assert page.locator("html").get_attribute("lang") in ("vi", "en")
    assert axe_violations(page, only=["html-has-lang", "html-lang-valid"]) == []
    assert outside == []
    assert csp_violations(page) == []


def test_the_axe_check_does_catch_a_violation(live_server, browser):
    """Proves the assertions above can fail: an image without a text alternative is reported."""
    page = new_page(browser, width=360, height=740)
    page.goto(f"{live_server.url}/")

    page.evaluate(
        """document.querySelector("main").insertAdjacentHTML("beforeend", '<img src="/x.png">')"""
    )

    assert any(line.startswith("image-alt") for line in axe_violations(page))
