"""A district leader's dashboard in a real browser (Debian's Chromium driven by Playwright):
Bob, leader of District A, opens the dashboards from the menu, picks March 2026, sees his three
communes ranked with the hand-computed figures below (a tie shares a rank, R-IND-3), clicks a
figure and finds as many dossiers behind it (R-IND-5). No page breaks the Content Security
Policy, and the page reads at 360 px.

Hand-computed March 2026 (received 2/3, 5-working-day procedure, due 9/3):

    commune  completed  early  late  on-time rate  rank   online  online share  rank
    A1       3          2      1     66.7 %        2 / 3  1 of 3  33.3 %        2 / 3
    A2       3          2      1     66.7 %        2 / 3  0 of 3   0.0 %        3 / 3
    A3       2          2      0    100.0 %        1 / 3  2 of 2  100.0 %       1 / 3

District A: 8 completed, 6 early, on-time rate 6 / 8 = 75.0 %.
"""

import re

import pytest

from tests.browser import (
    BROWSER_MARKS,
    csp_violations,
    new_page,
    screenshot,
    sign_in,
)
from tests.factories import DeskFactory, UnitFactory
from tests.helpers import at
from tests.reports.helpers import rebuild

pytestmark = BROWSER_MARKS


def expect(locator):
    return pytest.importorskip("playwright.sync_api").expect(locator)


@pytest.fixture
def ranked(tree, settings):
    """Commune A3 joins District A; the dossiers of the table above, made through the real
    lifecycle by a superuser clerk; rollups rebuilt."""
    from dossiers import services
    from tests.dossiers.helpers import APPLICANT
    from tests.factories import ProcedureFactory, UserFactory

    settings.REPORTS_RANKING_MIN_SAMPLE = 1
    tree["commune_a3"] = UnitFactory(
        tree=tree["city"].tree, parent=tree["district_a"], level="commune", code="00007",
        name="Phường Quán Thánh",
    )  # fmt: skip
    desks = {}
    for key, agency in (
        ("commune_a1", "000.01.01.H26"),
        ("commune_a2", "000.01.02.H26"),
        ("commune_a3", "000.01.03.H26"),
    ):
        tree[key].agency_code = agency
        tree[key].save()
        desks[key] = DeskFactory(unit=tree[key])
    procedure = ProcedureFactory(processing_time=5, offered_at=list(desks.values()))
    clerk = UserFactory(username="clerk", is_superuser=True, is_staff=True)
    plan = {
        "commune_a1": ["early", "early:online", "late"],
        "commune_a2": ["early", "early", "late"],
        "commune_a3": ["early:online", "early:online"],
    }
    for unit_key, dossiers in plan.items():
        for spec in dossiers:
            result, _sep, channel = spec.partition(":")
            dossier, _pin = services.dossier_receive(
                desk=desks[unit_key], procedure=procedure, applicant=dict(APPLICANT), actor=clerk,
                channel=channel or "desk", received_at=at(2026, 3, 2, 9),
            )  # fmt: skip
            done = at(2026, 3, 4, 10) if result == "early" else at(2026, 3, 10, 10)
            services.dossier_complete(dossier=dossier, actor=clerk, at=done)
    rebuild()
    return tree


def _rank_cell(page, unit_name, indicator):
    row = page.locator("#ranking tbody tr", has_text=unit_name)
    return row.locator(f'td[data-indicator="{indicator}"]')


def test_a_district_leader_reads_the_ranking_and_opens_the_dossiers_behind_a_figure(
    ranked, bob, live_server, browser
):
    base = live_server.url
    page = new_page(browser, width=1280, height=900)
    sign_in(page, base, "bob")
    page.get_by_role("link", name="Bảng điều khiển").click()
    expect(page.locator("#dashboard-title")).to_have_text("Quận Ba Đình")

    # the period picker: March 2026
    page.select_option("#id_kind", "month")
    page.fill("#id_month", "2026-03")
    page.get_by_role("button", name="Xem").first.click()
    expect(page.locator("#period-shown")).to_contain_text("01/03/2026")

    tile = page.locator('article[data-indicator="on_time_rate"] .tile__value')
    expect(tile).to_have_text("75,0 %")

    # ranked on the on-time rate (no satisfaction data, so no composite score): A3 first, then
    # A1 and A2 tied at 66.7 % sharing rank 2
    names = page.locator("#ranking tbody th[scope=row]").all_inner_texts()
    assert names[0] == "Phường Quán Thánh"
    assert set(names[1:]) == {"Phường Phúc Xá", "Phường Trúc Bạch"}
    for name, rank, value in (
        ("Phường Quán Thánh", "1 / 3", "100,0 %"),
        ("Phường Phúc Xá", "2 / 3", "66,7 %"),
        ("Phường Trúc Bạch", "2 / 3", "66,7 %"),
    ):
        cell = _rank_cell(page, name, "on_time_rate")
        expect(cell.locator(".rank")).to_have_text(rank)
        expect(cell.locator(".value")).to_have_text(value)
    for name, rank in (
        ("Phường Quán Thánh", "1 / 3"),
        ("Phường Phúc Xá", "2 / 3"),
        ("Phường Trúc Bạch", "3 / 3"),
    ):
        expect(_rank_cell(page, name, "online_share").locator(".rank")).to_have_text(rank)
    screenshot(page, "dashboard-district")

    # the district's "completed" figure opens its 8 dossiers
    completed = page.locator('a.count[data-figure="completed"] .count__value')
    expect(completed).to_have_text("8")
    page.locator('a.count[data-figure="completed"]').click()
    expect(page.locator("#row-count")).to_have_text("8")
    assert page.locator("#rows tbody tr").count() == 8
    page.go_back()

    # a commune's on-time rate in the ranking opens the dossiers it counts: 2 of A1's
    _rank_cell(page, "Phường Phúc Xá", "on_time_rate").locator(".value a").click()
    expect(page.locator("#row-count")).to_have_text("2")
    codes = page.locator("#rows tbody .code").all_inner_texts()
    assert all(re.match(r"000\.01\.01\.H26-260302-\d{4}$", code) for code in codes)

    assert csp_violations(page) == []
    assert page.page_errors_seen == []
    page.context.close()


def test_the_dashboard_reads_on_a_phone(ranked, bob, live_server, browser):
    base = live_server.url
    page = new_page(browser, width=360, height=780, is_mobile=True, has_touch=True)
    sign_in(page, base, "bob")
    page.goto(f"{base}/bao-cao/don-vi/{ranked['district_a'].pk}/?period=2026-03")
    expect(page.locator("#dashboard-title")).to_be_visible()
    # nothing wider than the screen but the tables that scroll inside their card
    overflow = page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
    assert overflow <= 360, overflow
    expect(_rank_cell(page, "Phường Phúc Xá", "on_time_rate").locator(".rank")).to_have_text(
        "2 / 3"
    )
    screenshot(page, "dashboard-district-360")
    assert csp_violations(page) == []
    page.context.close()
