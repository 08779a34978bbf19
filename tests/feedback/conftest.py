"""Fixtures for feedback and complaints: Commune A1's desk (closing at 17:00), its staff from
tests/conftest.py (Alice receptionist, Dave officer, Erin leader; Bob the district leader;
Charlie the outsider), a sender, and a ``submit`` helper."""

import pytest

from feedback import services
from feedback.models import Category
from tests.factories import DeskFactory
from tests.feedback.helpers import BODY, SENDER
from tests.helpers import at


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Attachments of each test in a folder of its own."""
    settings.FEEDBACK_FILES_ROOT = tmp_path / "private"
    return settings.FEEDBACK_FILES_ROOT


@pytest.fixture
def desk(tree):
    return DeskFactory(unit=tree["commune_a1"])


@pytest.fixture
def category(db):
    return Category.objects.create(code="test-thai-do", name="Thái độ cán bộ", order=1)


@pytest.fixture
def submit(desk, alice):
    """Enter an item at Commune A1 (by default: feedback by hotline, entered by Alice on
    Monday 2 March 2026 at 09:00); keyword arguments override the defaults."""

    def _submit(**kwargs):
        args = {
            "unit": desk.unit,
            "kind": "feedback",
            "channel": "hotline",
            "body": BODY,
            "sender": dict(SENDER),
            "actor": alice,
            "received_at": at(2026, 3, 2, 9),
        }
        args.update(kwargs)
        return services.feedback_submit(**args)

    return _submit
