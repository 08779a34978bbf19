"""The dashboards' shared page cache (reports/cache.py): a second look reads no rollup, a
recompute (or a target change) makes the next look rebuild the page, and people who see
different units never share a page."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import Target
from tests.helpers import at
from tests.reports.helpers import D, rebuild

RECEIVED = re.compile(r'<span class="count__value">(\d+)</span>\s*<span class="count__label">')


@pytest.fixture(autouse=True)
def page_cache(settings, cleared_cache, time_machine):
    settings.REPORTS_PAGE_CACHE_SECONDS = 300
    time_machine.move_to(at(2026, 4, 1, 8), tick=False)


def look(client, unit):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:unit", args=[unit.pk]), {"period": "2026-03"})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def main(html) -> str:
    """The page's main part (the header carries a fresh CSRF token on every response)."""
    return html[html.index("<main") : html.index("</main>")]


def received(html) -> int:
    return int(RECEIVED.search(html)[1])


def test_a_second_look_is_served_from_the_cache_until_a_recompute(
    march, tree, bob, client, lifecycle, django_capture_on_commit_callbacks
):
    rebuild()
    client.force_login(bob)
    district = tree["district_a"]
    first, built = look(client, district)
    again, served = look(client, district)
    assert main(again) == main(first)
    assert served < built - 15, (built, served)
    assert received(first) == 10
    lifecycle.receive("commune_a2", at(2026, 3, 20, 9))
    stale, _n = look(client, district)
    assert received(stale) == 10  # nothing recomputed yet: the rollups have not changed
    with django_capture_on_commit_callbacks(execute=True):
        services.stats_recompute_days(days=[D(2026, 3, 20)], now=at(2026, 4, 1, 8))
    fresh, _n = look(client, district)
    assert received(fresh) == 11


def test_a_target_change_makes_the_pages_stale(
    march, tree, bob, client, django_capture_on_commit_callbacks
):
    rebuild()
    client.force_login(bob)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English
    before, _n = look(client, tree["district_a"])
    assert "Target ≤ 2 %" in before
    target = Target.objects.get(indicator="late_share", level="district", unit=None)
    target.value = 3
    target.save()
    after, _n = look(client, tree["district_a"])
    assert "Target ≤ 3 %" in after


def test_people_with_other_units_do_not_share_a_page(march, tree, bob, leader, client):
    rebuild()
    client.force_login(bob)  # District A: may open both communes
    mine, _n = look(client, tree["commune_a1"])
    client.force_login(leader)  # Erin, Commune A1 only: no way into A2's rows
    hers, _n = look(client, tree["commune_a1"])
    a2 = f"/bao-cao/don-vi/{tree['commune_a2'].pk}/"
    assert a2 in mine
    assert a2 not in hers
