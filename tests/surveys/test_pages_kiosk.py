"""A tablet at a desk as a kiosk (R-SUR-2): a leader registers it and gets a one-time setup
link, the tablet keeps its key in an HttpOnly cookie, walk-in citizens answer anonymously one
after the other, and a revoked tablet stores nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditLog
from surveys import kiosk_setup, selectors, services
from surveys.models import KioskDevice, Response
from tests.surveys.helpers import db_state, sheet_post

KIOSK = "/khao-sat/kiosk/"


def register(client, user, desk, name="Máy tính bảng quầy 1"):
    """The leader registers a kiosk on the staff page; returns the setup link shown once."""
    client.force_login(user)
    response = client.post(reverse("surveys:kiosks"), {"desk": desk.pk, "name": name})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("surveys:kiosks")).content.decode()
    link = re.search(r'id="setup-url">([^<]+)<', page).group(1)
    assert client.get(reverse("surveys:kiosks")).content.decode().count('id="setup-url"') == 0
    return link.replace("http://testserver", "")


@pytest.fixture
def tablet(client, leader, desk, small_form, procedure):
    """A tablet set up through the link (its own browser, not signed in)."""
    link = register(client, leader, desk)
    tablet = Client()
    assert tablet.get(link).status_code == 200
    response = tablet.post(link)
    assert response.status_code == 302 and response["Location"] == KIOSK
    return tablet


def test_the_setup_link_stores_the_key_in_an_httponly_cookie_once_r_sur_2(
    client, leader, desk, small_form
):
    link = register(client, leader, desk)
    tablet = Client()

    assert tablet.get(link).status_code == 200  # looking at the link does not use it up
    response = tablet.post(link)

    cookie = response.cookies[kiosk_setup.COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["path"] == KIOSK
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    device = KioskDevice.objects.get()
    assert selectors.kiosk_device_resolve(cookie.value) == device
    assert cookie.value not in response["Location"]
    assert AuditLog.objects.filter(action="kiosk_device.registered").count() == 1

    again = Client().post(link)  # the link works once
    assert again.status_code == 404
    assert kiosk_setup.COOKIE_NAME not in again.cookies


def test_the_cookie_is_secure_in_production(client, leader, desk, small_form, settings):
    settings.SESSION_COOKIE_SECURE = True  # as portal.settings.production sets it
    link = register(client, leader, desk)

    response = Client().post(link)

    assert response.cookies[kiosk_setup.COOKIE_NAME]["secure"] is True


def test_a_receptionist_cannot_register_a_kiosk(client, alice, desk, small_form):
    client.force_login(alice)
    before = KioskDevice.objects.count()

    page = client.get(reverse("surveys:kiosks")).content.decode()
    response = client.post(reverse("surveys:kiosks"), {"desk": desk.pk, "name": "Tablet"})

    assert 'name="name"' not in page
    assert response.status_code == 400
    assert KioskDevice.objects.count() == before


def test_the_kiosk_shows_a_blank_form_for_its_desk(tablet, desk):
    response = tablet.get(KIOSK)

    html = response.content.decode()
    assert response.status_code == 200
    assert desk.name in html
    assert 'data-idle-seconds="90"' in html
    assert "js/kiosk.js" in html
    assert "checked" not in html
    assert 'name="procedure"' in html  # walk-ins may say which procedure they used


def test_two_walk_in_answers_in_a_row_are_stored_r_sur_2(tablet, small_form, desk):
    first = tablet.post(KIOSK, sheet_post(small_form.c, {"x1": 5, "y1": 4}, form=small_form.form))
    assert first.status_code == 302
    thanks = tablet.get(first["Location"])
    assert thanks.status_code == 200
    assert f'data-reset-url="{KIOSK}"' in thanks.content.decode()
    assert "data-return-seconds" in thanks.content.decode()

    blank = tablet.get(KIOSK).content.decode()
    assert "checked" not in blank
    second = tablet.post(KIOSK, sheet_post(small_form.c, {"x1": 2}, form=small_form.form))

    assert second.status_code == 302
    responses = Response.objects.order_by("pk")
    assert [(r.channel, r.desk, r.dossier) for r in responses] == [
        ("kiosk", desk, None),
        ("kiosk", desk, None),
    ]
    assert (
        list(responses.values_list("kiosk_device__name", flat=True)) == ["Máy tính bảng quầy 1"] * 2
    )


def test_the_kiosk_language_is_per_visitor_and_back_to_vietnamese_after_an_answer(
    tablet, small_form
):
    english = tablet.get(KIOSK + "?lang=en").content.decode()
    assert '<html lang="en"' in english and "Very satisfied" in english

    response = tablet.post(
        KIOSK, sheet_post(small_form.c, {"x1": 5}, form=small_form.form, lang="en")
    )

    assert response["Location"] == reverse("surveys:kiosk_thanks")
    assert '<html lang="vi"' in tablet.get(KIOSK).content.decode()


def test_a_bad_sheet_at_the_kiosk_is_refused_whole(tablet, small_form):
    before = db_state()

    response = tablet.post(KIOSK, sheet_post(small_form.c, {"x1": 0}, form=small_form.form))

    assert response.status_code == 400
    assert db_state() == before


def test_a_revoked_kiosk_shows_a_clear_page_and_stores_nothing_r_sur_2(tablet, small_form, leader):
    services.kiosk_device_revoke(device=KioskDevice.objects.get(), actor=leader)
    before = db_state()

    page = tablet.get(KIOSK)
    posted = tablet.post(KIOSK, sheet_post(small_form.c, {"x1": 5}, form=small_form.form))

    assert page.status_code == posted.status_code == 403
    assert "Thiết bị khảo sát này chưa được đăng ký hoặc đã ngừng sử dụng" in page.content.decode()
    assert db_state() == before


def test_a_browser_without_the_cookie_is_not_a_kiosk(client, small_form):
    assert client.get(KIOSK).status_code == 403
    assert client.post(KIOSK, {"form": small_form.form.pk}).status_code == 403
    assert Response.objects.count() == 0


def test_the_kiosk_is_rate_limited_per_device(tablet, small_form, settings):
    settings.SURVEY_RATE_PER_KIOSK = "2/h"
    for _ in range(2):
        ok = tablet.post(KIOSK, sheet_post(small_form.c, {"x1": 5}, form=small_form.form))
        assert ok.status_code == 302
    before = db_state()

    response = tablet.post(KIOSK, sheet_post(small_form.c, {"x1": 5}, form=small_form.form))

    assert response.status_code == 429
    assert db_state() == before


def test_a_leader_switches_a_kiosk_off_from_the_staff_page(client, tablet, leader):
    device = KioskDevice.objects.get()

    response = client.post(reverse("surveys:kiosk_revoke", args=[device.pk]))

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.is_active is False and device.revoked_by == leader
    assert tablet.get(KIOSK).status_code == 403


def test_an_outsider_neither_sees_nor_revokes_the_kiosk(client, tablet, charlie):
    device = KioskDevice.objects.get()
    client.force_login(charlie)

    page = client.get(reverse("surveys:kiosks")).content.decode()
    response = client.post(reverse("surveys:kiosk_revoke", args=[device.pk]))

    assert device.name not in page
    assert response.status_code == 404
    device.refresh_from_db()
    assert device.is_active is True
