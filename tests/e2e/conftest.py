"""The ``browser`` fixture of the real-browser tests (see tests/browser.py)."""

import pytest

from tests.browser import launch_chromium


@pytest.fixture
def browser():
    with launch_chromium() as browser:
        yield browser
