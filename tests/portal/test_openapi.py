"""The OpenAPI schema and its documentation pages (Swagger UI, ReDoc), all served locally."""

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def generate_schema(*args):
    reset_generator_stats()
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", *args, stdout=out)
    return out.getvalue()


def test_schema_generates_and_validates_without_warnings():
    """``--fail-on-warn`` raises on any warning or error; ``--validate`` checks OpenAPI 3."""
    schema = generate_schema("--lang", "en")
    assert "/api/v1/units/" in schema
    assert "/api/v1/auth/token/" in schema


def test_schema_generates_in_vietnamese_too():
    assert "/api/v1/units/" in generate_schema("--lang", "vi")


def test_committed_schema_is_up_to_date(tmp_path):
    """docs/openapi.yaml is what the code generates; regenerate it with
    ``manage.py spectacular --lang en --validate --file docs/openapi.yaml``."""
    fresh = tmp_path / "openapi.yaml"
    generate_schema("--lang", "en", "--file", str(fresh))
    assert COMMITTED_SCHEMA.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "docs/openapi.yaml is stale: run "
        "`manage.py spectacular --lang en --validate --file docs/openapi.yaml`"
    )


@pytest.mark.django_db
def test_schema_is_served_without_signing_in(client):
    response = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"/api/v1/units/" in response.content
    as_json = client.get("/api/schema/", {"format": "json", "lang": "en"})
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/api/v1/units/" in as_json.json()["paths"]


class AssetCollector(HTMLParser):
    """Every URL a page loads or links, and inline scripts and styles."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self.attributes = {}
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes.setdefault(tag, []).append(attrs)
        for name in ("src", "href", "spec-url"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self._in = "script"
        if tag == "style":
            self._in = "style"

    def handle_data(self, data):
        if self._in == "script" and data.strip():
            self.inline_scripts += 1
        if self._in == "style" and data.strip():
            self.inline_styles += 1

    def handle_endtag(self, tag):
        self._in = None


def parse(response):
    collector = AssetCollector()
    collector.feed(response.content.decode())
    return collector


def assert_only_local_urls(page, html):
    assert page.urls, "the page loads nothing?"
    for url in page.urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), f"missing asset {url}"
    # No other host anywhere in the page: not in a link, not in a preconnect, not in text.
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), html


@pytest.mark.django_db
def test_swagger_ui_loads_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(response)
    assert_only_local_urls(page, html)
    assert page.inline_scripts == 0
    assert page.inline_styles == 0
    assert any(
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in u for u in page.urls
    )
    # The strict site-wide policy applies unchanged.
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self';" in policy


@pytest.mark.django_db
def test_swagger_ui_init_script_is_served_from_its_own_url(client):
    script_url = next(u for u in parse(client.get("/api/docs/")).urls if "script" in u)
    response = client.get(script_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b'url: "/api/schema/"' in response.content


@pytest.mark.django_db
def test_redoc_loads_only_local_assets(client):
    response = client.get("/api/redoc/")
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(response)
    assert_only_local_urls(page, html)
    assert page.inline_scripts == 0
    assert page.inline_styles == 0
    assert "/api/redoc/redoc.standalone.js" in page.urls  # the sidecar's, without its CDN logo
    assert "/api/schema/" in page.urls


@pytest.mark.django_db
def test_redoc_page_relaxes_styles_only(client):
    """ReDoc injects <style> elements at run time and builds its search index in a blob:
    worker; its page allows those two things and nothing else beyond the site's policy:
    scripts stay 'self' only, framing stays forbidden."""
    policy = client.get("/api/redoc/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["worker-src"] == "'self' blob:"
    assert directives["script-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_other_pages_keep_the_strict_policy(client):
    for url in ("/api/docs/", "/api/schema/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "unsafe-inline" not in policy, url
        assert "blob:" not in policy, url


@pytest.mark.django_db
def test_the_redoc_bundle_asks_no_cdn_for_its_logo(client):
    """ReDoc's credit showed the Redocly logo from cdn.redoc.ly, refused by the CSP: the bundle
    the page loads has no outside address for an image any more."""
    response = client.get("/api/redoc/redoc.standalone.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"cdn.redoc.ly" not in response.content
    assert b"API docs by Redocly" in response.content  # the credit's text stays


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_documentation_pages_have_a_language(client, url):
    html = client.get(url).content.decode()

    assert re.search(r'<html lang="(vi|en)">', html), html[:300]
