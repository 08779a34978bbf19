"""The citizens' front door at / (R-PRIV-1: nothing personal, no account): tracking, the survey
by code, feedback once that app exists, the desk finder, and the staff sign-in one click away.
Signed-in staff land on their own home at / and reach the front door from the footer."""

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from tests.portal.test_layout import _parse

pytestmark = pytest.mark.django_db


def test_a_citizen_gets_the_front_door_in_vietnamese_without_signing_in(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    forms = {f["action"]: f for f in _parse(response).forms}
    assert forms[reverse("tracking:lookup")]["method"] == "post"
    assert forms[reverse("surveys:code")]["method"] == "post"
    assert forms[reverse("directory:search")]["method"] == "get"
    assert f'href="{reverse("login")}"' in html  # staff sign-in, one click away
    assert 'name="code"' in html and 'name="pin"' in html


def test_the_front_door_runs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_the_front_door_has_no_inline_script_or_style(client):
    parsed = _parse(client.get("/"))

    assert (parsed.inline_scripts, parsed.style_tags) == (0, 0)
    assert parsed.style_attributes == [] and parsed.event_handlers == []


def test_the_feedback_link_appears_once_feedback_submit_exists(client):
    clear_url_caches()
    try:
        with override_settings(ROOT_URLCONF="tests.portal.urls_with_feedback"):
            html = client.get("/").content.decode()
    finally:
        clear_url_caches()

    assert 'id="fd-feedback-link"' in html
    assert 'href="/phan-anh/"' in html


def test_signed_in_staff_land_on_their_home_and_reach_the_front_door(client, alice):
    client.force_login(alice)

    home = client.get("/").content.decode()
    front_door = client.get(reverse("front_door"))

    assert "Phường Phúc Xá" in home  # her units and roles
    assert f'href="{reverse("front_door")}"' in home
    assert front_door.status_code == 200
    assert f'action="{reverse("tracking:lookup")}"' in front_door.content.decode()
