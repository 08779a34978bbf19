"""Settings: production passes Django's deployment checks; the base settings keep the
Vietnamese defaults; no page or asset loads anything from another host (no CDN)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["portal", "dossiers", "surveys", "feedback", "reports"]


def run_deploy_check(**env_overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "motcua.example.gov.vn",
            "DATABASE_URL": "postgres://motcua@127.0.0.1:5432/motcua",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = run_deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_weak_secret_key():
    """The check above can fail: a short key is reported (security.W009)."""
    result = run_deploy_check(DJANGO_SECRET_KEY="too-short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_base_settings_are_vietnamese_with_english_available():
    from portal.settings import base

    assert base.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert base.LANGUAGE_CODE == "vi"
    assert "en" in dict(base.LANGUAGES)
    assert "vi" in dict(base.LANGUAGES)
    assert base.USE_TZ is True
    assert base.USE_I18N is True


# Places where a page or stylesheet *loads* something: src/srcset/poster/data attributes,
# <link href>, CSS url() and @import, JS import/importScripts. Hyperlinks (<a href>) to other
# sites are navigation, not assets, and stay allowed.
_URL = r"""(?:https?:)?//(?P<host>[^/\s"'()<>{}]+)"""
LOADING_PATTERNS = [
    re.compile(r"""\b(?:src|srcset|poster|data)\s*=\s*["']?\s*""" + _URL, re.IGNORECASE),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*""" + _URL, re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*""" + _URL, re.IGNORECASE),
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*""" + _URL, re.IGNORECASE),
    re.compile(r"""\bimport(?:Scripts)?\s*\(\s*["']\s*""" + _URL),
    re.compile(r"""\bfrom\s+["']\s*""" + _URL),
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
SCANNED_SUFFIXES = {".html", ".txt", ".xml", ".css", ".js", ".mjs", ".svg"}


def external_loads(text):
    """Hosts other than this machine that ``text`` would load an asset from."""
    hosts = []
    for pattern in LOADING_PATTERNS:
        for match in pattern.finditer(text):
            host = match.group("host")
            host = host[: host.index("]") + 1] if host.startswith("[") else host.split(":")[0]
            if host.lower() not in LOCAL_HOSTS:
                hosts.append(host)
    return hosts


def project_asset_files():
    roots = [ROOT / "templates", ROOT / "static"]
    roots += [ROOT / app / "templates" for app in APPS] + [ROOT / app / "static" for app in APPS]
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix.lower() in SCANNED_SUFFIXES:
                    yield path


def test_detector_flags_a_script_or_font_from_a_cdn():
    assert external_loads('<script src="https://cdn.jsdelivr.net/npm/htmx.org"></script>') == [
        "cdn.jsdelivr.net"
    ]
    assert external_loads("@font-face { src: url('//fonts.gstatic.com/x.woff2') }") == [
        "fonts.gstatic.com"
    ]
    assert external_loads('<link rel="stylesheet" href="https://unpkg.com/a.css">') == ["unpkg.com"]
    assert external_loads('<img src="/static/logo.svg"><a href="https://dichvucong.gov.vn">') == []
    assert external_loads('<svg xmlns="http://www.w3.org/2000/svg"></svg>') == []


def test_no_template_or_static_file_loads_from_another_host():
    files = list(project_asset_files())
    assert files, "no templates or static files found: the scan would prove nothing"
    offenders = {
        str(path.relative_to(ROOT)): hosts
        for path in files
        if (hosts := external_loads(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert offenders == {}
