"""A ward's administrator in a real browser (R-UNIT-3): from the staff home to the
administration of the ward, changes the desk's closing hour, adds a department and a
receptionist, who then signs in and can receive dossiers; another ward's desk is out of reach.
The Content Security Policy refuses nothing on the way.

Run: ``pytest -m e2e``. ``E2E_SCREENSHOTS=/some/folder`` keeps screenshots there.
"""

import datetime as dt

import pytest

from portal.models import Department, Membership, Role, ServiceDesk
from tests.browser import BROWSER_MARKS, csp_violations, db_read, new_page, screenshot, sign_in
from tests.factories import DeskFactory

pytestmark = BROWSER_MARKS


@pytest.fixture
def wards(tree, ward_admin):
    mine = DeskFactory(unit=tree["commune_a1"], name="Bộ phận Một cửa Phường Phúc Xá")
    other = DeskFactory(unit=tree["commune_a2"], name="Bộ phận Một cửa Phường Trúc Bạch")
    return {"mine": mine, "other": other}


@pytest.mark.parametrize("width", [1280, 360])
def test_the_ward_admin_sets_up_the_desk_and_a_receptionist(wards, live_server, browser, width):
    base = live_server.url
    page = new_page(browser, width=width, height=800)
    sign_in(page, base, "hana")

    page.goto(f"{base}/")
    page.locator(".site-nav a[href='/quan-tri/']").click()
    page.get_by_role("link", name="Phường Phúc Xá").click()
    page.get_by_role("link", name="Bộ phận Một cửa Phường Phúc Xá").click()
    screenshot(page, f"admin-desk-{width}")

    # The closing hour (due dates end then) and the phone.
    page.fill("#id_closes_at", "16:30")
    page.fill("#id_phone", "024 3825 1111")
    desk_form = f"form[action$='/quan-tri/quay/{wards['mine'].pk}/']"
    page.locator(f"{desk_form} button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message--success").count() == 1

    # A department.
    page.fill("#id_new-code", "van-hoa")
    page.fill("#id_new-name", "Văn hoá - Xã hội")
    page.locator(".department-new button[type=submit]").click()
    page.wait_for_load_state()

    # A receptionist with her account.
    page.locator(".breadcrumb a", has_text="Phường Phúc Xá").click()
    page.locator("a[href$='/can-bo-moi/']").click()
    page.fill("#id_username", "lan.tran")
    page.fill("#id_last_name", "Trần")
    page.fill("#id_first_name", "Thị Lan")
    page.fill("#id_password", "mot-cua-phuc-xa-2026")
    page.select_option("#id_role", Role.RECEPTIONIST)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "lan.tran" in page.locator("#staff-title + .table-wrap").inner_text()
    screenshot(page, f"admin-unit-{width}")

    state = db_read(
        lambda: (
            ServiceDesk.objects.get(pk=wards["mine"].pk).closes_at,
            list(Department.objects.filter(desk=wards["mine"]).values_list("code", flat=True)),
            list(
                Membership.objects.filter(user__username="lan.tran").values_list(
                    "unit__name", "role"
                )
            ),
        )
    )
    assert state == (dt.time(16, 30), ["van-hoa"], [("Phường Phúc Xá", "receptionist")])

    # Another ward's desk does not exist for her.
    response = page.goto(f"{base}/quan-tri/quay/{wards['other'].pk}/")
    assert response.status == 404
    assert csp_violations(page) == [] and page.page_errors_seen == []

    # The receptionist signs in and can receive dossiers at the ward's desk.
    page.context.clear_cookies()
    sign_in(page, base, "lan.tran", password="mot-cua-phuc-xa-2026")
    page.goto(f"{base}/dossiers/receive/")
    assert page.locator("#intake-form").count() == 1
