"""The shared layout: menus by role (R-UNIT-3), sign-out and language forms, and a page that
keeps to the Content Security Policy (no inline scripts or styles) while htmx still works."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _PageParser(HTMLParser):
    """Collects what the CSP would refuse, and the attributes the layout relies on."""

    def __init__(self):
        super().__init__()
        self.inline_scripts = 0
        self.script_srcs = []
        self.style_tags = 0
        self.style_attributes = []
        self.event_handlers = []
        self.forms = []
        self.body = {}
        self.meta = {}
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if "src" in attrs:
                self.script_srcs.append(attrs["src"])
            else:
                self._in_script_without_src = True
        if tag == "style":
            self.style_tags += 1
        if "style" in attrs:
            self.style_attributes.append(tag)
        self.event_handlers += [name for name in attrs if name.startswith("on")]
        if tag == "form":
            self.forms.append(attrs)
        if tag == "body":
            self.body = attrs
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_without_src = False

    def handle_data(self, data):
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1


def _parse(response):
    parser = _PageParser()
    parser.feed(response.content.decode())
    return parser


def _nav_links(response):
    nav = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S)
    return re.findall(r"<a href=\"([^\"]+)\"", nav.group(0)) if nav else []


@pytest.mark.parametrize("page", ["login", "home"])
def test_pages_have_no_inline_script_or_style(client, alice, page):
    if page == "home":
        client.force_login(alice)

    response = client.get(reverse(page))

    parsed = _parse(response)
    assert response.status_code == 200
    assert parsed.inline_scripts == 0
    assert parsed.style_tags == 0
    assert parsed.style_attributes == []
    assert parsed.event_handlers == []
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_htmx_is_served_locally_and_configured_for_the_csp(client, alice):
    client.force_login(alice)

    parsed = _parse(client.get(reverse("home")))

    assert "/static/js/vendor/htmx.min.js" in parsed.script_srcs
    assert all(src.startswith("/static/") for src in parsed.script_srcs)
    config = json.loads(parsed.meta["htmx-config"])
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_htmx_requests_carry_the_csrf_token_from_the_body(client, alice):
    client.force_login(alice)

    response = client.get(reverse("home"))

    headers = json.loads(_parse(response).body["hx-headers"])
    assert headers["X-CSRFToken"]
    assert len(headers["X-CSRFToken"]) == 64  # a masked token, as {% csrf_token %} gives


def test_sign_out_and_language_forms_are_posted_with_csrf(client, alice):
    client.force_login(alice)

    response = client.get(reverse("home"))

    forms = {f["action"]: f for f in _parse(response).forms}
    assert forms[reverse("logout")]["method"] == "post"
    assert forms[reverse("set_language")]["method"] == "post"
    assert response.content.decode().count('name="csrfmiddlewaretoken"') == 2


def test_login_page_offers_the_language_switch_but_no_menu(client):
    response = client.get(reverse("login"))

    forms = {f["action"] for f in _parse(response).forms}
    assert reverse("set_language") in forms
    assert reverse("logout") not in forms
    assert _nav_links(response) == []


def test_receptionist_menu_has_no_administration(client, alice):
    client.force_login(alice)

    response = client.get(reverse("home"))

    assert _nav_links(response) == [
        reverse("home"),
        reverse("dossiers:list"),
        reverse("feedback:queue"),
        reverse("surveys:responses"),
        reverse("evaluations:circular01"),  # their own scorecard and band (issue 11)
        reverse("exports:list"),
    ]
    assert "Nguyễn Văn A" in response.content.decode()


def test_staff_member_menu_links_to_administration(client, bob):
    bob.is_staff = True
    bob.save()
    client.force_login(bob)

    response = client.get(reverse("home"))

    # Bob is a district leader: he follows the dossiers and feedback of his communes too, and
    # the menu's "Dashboards" entry leads to the dashboards (issue 10).
    assert _nav_links(response) == [
        reverse("home"),
        reverse("dossiers:list"),
        reverse("feedback:queue"),
        reverse("surveys:responses"),
        reverse("reports:dashboard"),
        reverse("evaluations:circular01"),
        reverse("exports:list"),
        reverse("admin:index"),
    ]


def test_admin_role_without_staff_status_gets_no_dead_administration_link(client, tree):
    from portal.models import Role
    from tests.factories import MembershipFactory

    user = UserFactory(username="dana")
    MembershipFactory(user=user, unit=tree["city"], role=Role.ADMIN)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert reverse("admin:index") not in _nav_links(response)


def test_messages_are_shown_once(client, alice):
    client.force_login(alice)
    client.post(reverse("logout"))  # leaves "You have signed out." for the next page

    first = client.get(reverse("login")).content.decode()
    second = client.get(reverse("login")).content.decode()

    assert 'class="message message--info" role="status">Bạn đã đăng xuất.</li>' in first
    assert "Bạn đã đăng xuất." not in second
