"""The 19-criterion SIPAS survey on a phone (360 × 740) in a real browser (R-SUR-1, R-SUR-2):

* compact: one row of six buttons per criterion (the five levels and "not applicable"), every
  button a large touch target, and the whole page under about 3,000 px;
* a legend of the scale and the count answered stick to the top of the screen while scrolling;
* usable by keyboard (arrow keys in a row of radio buttons) and by screen reader (a fieldset
  and legend per criterion, each button named by its words);
* usable without JavaScript;
* reached by the short code typed at the front door, equivalent to the link.

Run: ``pytest -m e2e``. ``E2E_SCREENSHOTS=/some/folder`` keeps screenshots there.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from dossiers import services as dossier_services
from portal.models import Role
from surveys import services
from surveys.models import Response
from surveys.seeding import seed_survey_forms
from tests.browser import (
    BROWSER_MARKS,
    axe_violations,
    csp_violations,
    db_read,
    new_page,
    screenshot,
)
from tests.factories import DeskFactory, MembershipFactory, ProcedureFactory, UserFactory

pytestmark = [*BROWSER_MARKS, pytest.mark.usefixtures("fresh_rate_limits")]

PAGE_HEIGHT_LIMIT = 3000  # px at 360 px wide, the 19-criterion SIPAS form (issue 12)


@pytest.fixture
def invited(tree):
    """A returned dossier at Commune A1 invited to the SIPAS survey: its token and code."""
    unit = tree["commune_a1"]
    unit.agency_code = "000.01.01.H26"
    unit.save()
    desk = DeskFactory(unit=unit, name="Bộ phận một cửa Phúc Xá")
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", offered_at=[desk])
    receptionist = UserFactory(username="alice")
    MembershipFactory(user=receptionist, unit=unit, role=Role.RECEPTIONIST)
    officer = UserFactory(username="dave")
    MembershipFactory(user=officer, unit=unit, role=Role.OFFICER)
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
        dossier=dossier, token=token, code=services.invitation_code(token), criteria=criteria
    )


def _saved():
    return db_read(
        lambda: [
            (
                r.channel,
                r.answers.exclude(value=None).count(),
                r.answers.filter(not_applicable=True).count(),
            )
            for r in Response.objects.all()
        ]
    )


def test_the_sipas_form_fits_a_phone_in_one_row_per_criterion_r_sur_1(
    invited, live_server, browser
):
    phone = new_page(browser, width=360, height=740)
    phone.goto(f"{live_server.url}/khao-sat/{invited.token}/")
    screenshot(phone, "survey-360-top", full_page=False)
    screenshot(phone, "survey-360-full")

    height = phone.evaluate("document.documentElement.scrollHeight")
    print(f"SIPAS survey page at 360 px: {height} px tall")
    assert height <= PAGE_HEIGHT_LIMIT
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # 19 criteria and 3 extra questions, each a fieldset with its legend (screen readers).
    assert phone.locator("fieldset.criterion > legend").count() == 19 + 3
    rows = phone.eval_on_selector_all(
        ".scale",
        """rows => rows.map(row => Array.from(row.querySelectorAll('label')).map(l => {
             const box = l.getBoundingClientRect();
             return [Math.round(box.top), box.width, box.height];
           }))""",
    )
    assert len(rows) == 19
    for buttons in rows:
        assert len(buttons) == 6  # five levels and "not applicable"
        assert len({top for top, _w, _h in buttons}) == 1  # one row
        assert min(h for _t, _w, h in buttons) >= 44 and min(w for _t, w, _h in buttons) >= 44
    # Each button is named by its words (the number alone would tell a screen reader little).
    first = invited.criteria[0]
    assert phone.get_by_role("radio", name="1 Rất không hài lòng").count() == 19
    assert (
        phone.locator(f"#criterion_{first}-na").evaluate(
            "input => input.labels[0].textContent.trim()"
        )
        == "Không áp dụng"
    )
    assert axe_violations(phone) == []
    assert csp_violations(phone) == [] and phone.page_errors_seen == []


def test_the_legend_and_the_count_stay_in_view_while_answering_r_sur_1(
    invited, live_server, browser
):
    phone = new_page(browser, width=360, height=740)
    phone.goto(f"{live_server.url}/khao-sat/{invited.token}/")
    count = phone.locator(".survey-progress__count")
    assert "0/19" in count.inner_text()

    for criterion in invited.criteria[:5]:
        phone.locator(f"label[for='criterion_{criterion}-4']").click()
    phone.locator(f"label[for='criterion_{invited.criteria[5]}-na']").click()  # one tap

    assert "6/19" in count.inner_text()
    bar = phone.locator(".survey-progress").bounding_box()
    assert bar["y"] == pytest.approx(0, abs=1)  # stuck to the top of the screen
    screenshot(phone, "survey-360-scrolled", full_page=False)


def test_the_survey_is_answered_by_keyboard_alone_r_sur_1(invited, live_server, browser):
    phone = new_page(browser, width=360, height=740)
    phone.goto(f"{live_server.url}/khao-sat/{invited.token}/")
    first, second = invited.criteria[:2]

    phone.focus(f"#criterion_{first}-1")
    phone.keyboard.press("ArrowRight")  # moves to 2 and chooses it
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("Tab")  # to the next criterion's row
    phone.keyboard.press("ArrowLeft")  # from the first button back round to "not applicable"

    assert phone.locator(f"#criterion_{first}-3").is_checked()
    assert phone.locator(f"#criterion_{second}-na").is_checked()
    focused = phone.evaluate("document.activeElement.id")
    assert focused == f"criterion_{second}-na"
    outline = phone.evaluate("getComputedStyle(document.activeElement.labels[0]).outlineStyle")
    assert outline == "solid"  # the focus is shown on the button
    phone.locator("button[type=submit]", has_text="Gửi đánh giá").press("Enter")
    phone.wait_for_url(f"{live_server.url}/khao-sat/cam-on/")
    assert _saved() == [("link", 1, 1)]


def test_the_survey_works_without_javascript_r_sur_2(invited, live_server, browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/khao-sat/{invited.token}/")

    assert phone.locator(".survey-progress__count").is_hidden()  # only the legend without JS
    for n, criterion in enumerate(invited.criteria):
        phone.locator(f"label[for='criterion_{criterion}-{'na' if n == 0 else 5}']").click()
    phone.locator("button[type=submit]", has_text="Gửi đánh giá").click()
    phone.wait_for_url(f"{live_server.url}/khao-sat/cam-on/")

    assert _saved() == [("link", 18, 1)]
    context.close()


def test_the_code_typed_at_the_front_door_opens_the_same_survey_r_sur_2(
    invited, live_server, browser
):
    phone = new_page(browser, width=360, height=740)
    phone.goto(f"{live_server.url}/")
    phone.fill("#fd-survey-code", invited.code.lower())
    phone.locator("#fd-survey-code").press("Enter")
    phone.wait_for_url(f"{live_server.url}/khao-sat/ma/phieu/")

    assert invited.dossier.code in phone.locator(".survey__intro").inner_text()
    phone.locator(f"label[for='criterion_{invited.criteria[0]}-5']").click()
    phone.locator("button[type=submit]", has_text="Gửi đánh giá").click()
    phone.wait_for_url(f"{live_server.url}/khao-sat/cam-on/")
    assert _saved() == [("link", 1, 0)]

    # The link and the code were one invitation: both are used now.
    phone.goto(f"{live_server.url}/khao-sat/{invited.token}/")
    assert phone.locator("h1").inner_text() == "Không thể sử dụng đường dẫn này"
    assert csp_violations(phone) == [] and phone.page_errors_seen == []
