"""The public tracking page keeps personal data out of URLs, logs and third-party requests
(R-PRIV-1), and its timeline shows what happened, not who did it or their notes."""

import logging
import re
from urllib.parse import urlsplit

import pytest

from dossiers import services
from dossiers.models import DossierEvent
from tests.dossiers.helpers import APPLICANT
from tests.helpers import at

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

LOOKUP = "/tra-cuu/"
URL_ATTRIBUTE = re.compile(r'(?:href|src|action)="([^"]*)"')


def test_no_code_pin_or_personal_data_in_any_url_r_priv_1(client, tracked):
    dossier, pin = tracked

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin})
    page = client.get(response["Location"])

    assert response.status_code == 303
    urls = [response["Location"], *URL_ATTRIBUTE.findall(page.content.decode())]
    secrets = [dossier.code, pin, APPLICANT["id_number"], APPLICANT["phone"].replace(" ", "")]
    for url in urls:
        for secret in secrets:
            assert secret not in url.replace(" ", ""), (secret, url)
        assert str(dossier.pk) not in urlsplit(url).path.split("/"), url
    assert urlsplit(response["Location"]).query == ""


def test_pages_load_no_external_assets(client, tracked):
    dossier, pin = tracked
    pages = [
        client.get(LOOKUP),
        client.post(LOOKUP, {"code": dossier.code, "pin": "000000"}, follow=True),
        client.post(LOOKUP, {"code": dossier.code, "pin": pin}, follow=True),
        client.get("/tra-cuu/t/forged/"),
    ]

    for page in pages:
        html = page.content.decode()
        assets = re.findall(
            r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="([^"]*)"', html
        )
        assert assets, "the layout's own stylesheet and script are expected"
        assert all(a.startswith("/static/") for a in assets), assets
        assert "http://" not in html.replace("http://www.w3.org", "")
        assert "https://" not in html
        assert "style=" not in html and "<script>" not in html  # CSP: nothing inline


def test_timeline_shows_kinds_and_times_but_no_staff_or_notes(client, tracked, alice, departments):
    dossier, pin = tracked
    services.dossier_route(
        dossier=dossier,
        actor=alice,
        to_department=departments["civil"],
        note="Ông An gọi số 0912 345 678, CCCD 001085012345",
        at=at(2026, 3, 3, 9),
    )
    DossierEvent.objects.create(
        dossier=dossier,
        kind="routed",
        at=at(2026, 3, 3, 10),
        actor=alice,
        unit=dossier.unit,
        from_status="in_process",
        to_status="in_process",
        note="internal",
        is_public=False,
    )

    html = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, follow=True).content.decode()

    timeline = html[html.index('class="timeline"') :]
    assert timeline.count('class="timeline__item"') == 2  # received, handed over (public ones)
    assert "Đã tiếp nhận" in timeline and "Đã chuyển xử lý" in timeline
    assert "09:00 · Ngày 02 tháng 3 năm 2026" in timeline
    assert "09:00 · Ngày 03 tháng 3 năm 2026" in timeline
    for secret in (
        "0912 345 678",
        "001085012345",
        "Ông An",
        "alice",
        alice.get_full_name(),
        "internal",
    ):
        assert secret not in html
    assert departments["civil"].name not in timeline


def test_codes_and_pins_are_not_logged(client, tracked, caplog):
    dossier, pin = tracked
    caplog.set_level(logging.DEBUG)

    client.post(LOOKUP, {"code": dossier.code, "pin": pin}, follow=True)
    client.post(LOOKUP, {"code": dossier.code, "pin": "000000"})
    client.get("/tra-cuu/t/forged/")

    logged = caplog.text
    assert dossier.code not in logged and pin not in logged
