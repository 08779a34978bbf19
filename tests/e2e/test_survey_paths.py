"""Real browser (Debian's Chromium driven by Playwright) on the survey pages (R-SUR-2):

* a citizen opens the link of a returned dossier on a phone-sized screen (360 × 740), answers
  the SIPAS form with big touch targets, and sends it;
* a leader registers a kiosk, the tablet opens the one-time setup link, and two walk-in citizens
  answer in a row; the thank-you screen and a half-filled idle form both go back to a blank form.

The Content Security Policy refuses nothing on the way. Run: ``pytest -m e2e``. With
``E2E_SCREENSHOTS=/some/folder`` the test saves screenshots there (never committed).
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from dossiers import services as dossier_services
from portal.models import Role
from surveys import services, views
from surveys.models import Response
from surveys.seeding import seed_survey_forms
from tests.browser import BROWSER_MARKS, csp_violations, db_read, new_page, screenshot, sign_in
from tests.factories import DeskFactory, MembershipFactory, ProcedureFactory, UserFactory

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits")]


@pytest.fixture
def world(tree):
    """A desk at Commune A1 with the SIPAS form, a returned dossier invited to answer, and
    Erin, leader of the commune."""
    unit = tree["commune_a1"]
    unit.agency_code = "000.01.01.H26"
    unit.save()
    desk = DeskFactory(unit=unit, name="Bộ phận một cửa Phúc Xá")
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", offered_at=[desk])
    receptionist = UserFactory(username="alice")
    MembershipFactory(user=receptionist, unit=unit, role=Role.RECEPTIONIST)
    officer = UserFactory(username="dave")
    MembershipFactory(user=officer, unit=unit, role=Role.OFFICER)
    leader = UserFactory(username="erin")
    MembershipFactory(user=leader, unit=unit, role=Role.LEADER)
    received_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    dossier, _pin = dossier_services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant={"name": "Trần Thị Bình", "phone": "0987654321"},
        actor=receptionist,
        received_at=received_at,
    )
    dossier_services.dossier_complete(
        dossier=dossier, actor=officer, at=received_at + dt.timedelta(days=1)
    )
    dossier_services.dossier_return(
        dossier=dossier, actor=receptionist, at=received_at + dt.timedelta(days=2)
    )
    form = seed_survey_forms()["sipas"]
    token = services.invitation_create(dossier=dossier, send=False)
    criteria = [c.pk for a in form.areas.order_by("order") for c in a.criteria.order_by("order")]
    return SimpleNamespace(
        desk=desk, dossier=dossier, form=form, criteria=criteria, token=token, leader=leader
    )


def test_a_citizen_answers_on_a_phone_sized_screen_r_sur_2(world, live_server, browser):
    # ``world`` first: database fixtures must be set up before Playwright starts.
    phone = new_page(browser, width=360, height=740)
    phone.goto(f"{live_server.url}/khao-sat/{world.token}/")

    assert phone.locator("h1").inner_text() == "Ông/Bà có hài lòng với dịch vụ của chúng tôi không?"
    # Nothing wider than the screen, and every answer is a big touch target.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    heights = phone.eval_on_selector_all(
        "label.scale__option", "labels => labels.map(l => l.getBoundingClientRect().height)"
    )
    assert len(heights) == 19 * 6 + 3 + 3 + 6  # criteria × (5 levels + n/a), extra options
    assert min(heights) >= 44
    screenshot(phone, "phone-360-top", full_page=False)

    ids = world.criteria
    for n, criterion in enumerate(ids):
        value = "na" if n == 3 else str(5 - n % 2)  # 5, 4, 5, n/a, 4, 5, ...
        phone.locator(f"label[for='criterion_{criterion}-{value}']").click()
    phone.locator("label", has_text="Không có").first.click()
    phone.locator(".respondent-details > summary").click()  # "about you" is folded away
    phone.select_option("#id_age_band", "35-49")
    phone.fill("#id_comment", "Cán bộ hướng dẫn tận tình.")
    screenshot(phone, "phone-360-answered", full_page=False)
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_url(f"{live_server.url}/khao-sat/cam-on/")

    assert phone.locator("h1").inner_text() == "Cảm ơn Ông/Bà!"
    screenshot(phone, "phone-360-thanks", full_page=False)
    saved = db_read(
        lambda: [
            (
                r.channel,
                r.dossier_id,
                r.age_band,
                r.answers.filter(value__in=(4, 5)).count(),
                r.answers.filter(not_applicable=True).count(),
            )
            for r in Response.objects.all()
        ]
    )
    assert saved == [("link", world.dossier.pk, "35-49", 18, 1)]

    # The link works once: opened again, it shows the one clear page.
    phone.goto(f"{live_server.url}/khao-sat/{world.token}/")
    assert phone.locator("h1").inner_text() == "Không thể sử dụng đường dẫn này"
    assert csp_violations(phone) == []
    assert phone.page_errors_seen == []


def test_a_kiosk_takes_two_walk_in_answers_in_a_row_r_sur_2(
    world, live_server, browser, settings, monkeypatch
):
    settings.SURVEY_KIOSK_IDLE_SECONDS = 2
    monkeypatch.setattr(views, "KIOSK_THANKS_SECONDS", 1)
    base = live_server.url

    staff = new_page(browser, width=1280, height=900)
    sign_in(staff, base, "erin")
    staff.get_by_role("link", name="Khảo sát mức độ hài lòng").click()
    staff.get_by_role("link", name="Thiết bị khảo sát").click()
    staff.select_option("#id_desk", str(world.desk.pk))
    staff.fill("#id_name", "Máy tính bảng quầy 1")
    staff.get_by_role("button", name="Đăng ký và lấy đường dẫn cài đặt").click()
    setup_url = staff.locator("#setup-url").inner_text()
    assert setup_url.startswith(f"{base}/khao-sat/kiosk/cai-dat/")

    tablet = new_page(browser, width=1024, height=768)
    tablet.goto(setup_url)
    tablet.get_by_role("button", name="Dùng máy tính bảng này làm thiết bị khảo sát").click()
    tablet.wait_for_url(f"{base}/khao-sat/kiosk/")
    assert "kiosk" not in tablet.evaluate("document.cookie")  # HttpOnly: not readable by scripts
    screenshot(tablet, "kiosk-form", full_page=False)

    ids = world.criteria
    for round_number, value in enumerate(("5", "2"), start=1):
        for criterion in ids[:5]:
            tablet.locator(f"label[for='criterion_{criterion}-{value}']").click()
        tablet.get_by_role("button", name="Gửi đánh giá").click()
        tablet.wait_for_url(f"{base}/khao-sat/kiosk/cam-on/")
        assert tablet.locator("h1").inner_text() == "Cảm ơn Ông/Bà!"
        if round_number == 1:
            screenshot(tablet, "kiosk-thanks", full_page=False)
        # Back to a blank form by itself after the thank-you screen.
        tablet.wait_for_url(f"{base}/khao-sat/kiosk/")
        assert tablet.locator("input[type=radio]:checked").count() == 0

    saved = db_read(
        lambda: [
            (r.channel, r.answers.filter(value=5).count(), r.answers.filter(value=2).count())
            for r in Response.objects.order_by("pk")
        ]
    )
    assert saved == [("kiosk", 5, 0), ("kiosk", 0, 5)]

    # A half-filled form left alone goes back to a blank one.
    with tablet.expect_navigation(timeout=10_000):
        tablet.locator(f"label[for='criterion_{ids[0]}-3']").click()
        assert tablet.locator("input[type=radio]:checked").count() == 1
    assert tablet.locator("input[type=radio]:checked").count() == 0
    assert db_read(Response.objects.count) == 2

    assert csp_violations(staff) == [] and csp_violations(tablet) == []
    assert staff.page_errors_seen == [] and tablet.page_errors_seen == []
