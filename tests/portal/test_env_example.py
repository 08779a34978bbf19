"""Every setting read from the environment is documented in .env.example and in
docs/operations.md, so an operator never has to read the settings code to deploy."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Read by test settings from the test runner itself, not something an operator sets.
NOT_SETTINGS = {"PYTEST_XDIST_WORKER"}
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def settings_read_from_environment():
    names = set()
    for path in sorted((ROOT / "portal" / "settings").glob("*.py")):
        names |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names - NOT_SETTINGS


def test_settings_scan_finds_the_known_settings():
    names = settings_read_from_environment()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_EAGER"} <= names


def test_every_setting_is_listed_in_env_example():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    assert sorted(settings_read_from_environment() - listed) == []


def test_every_setting_is_described_in_the_operations_guide():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    described = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", text))
    assert sorted(settings_read_from_environment() - described) == []
