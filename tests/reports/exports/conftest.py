"""Fixtures of the export tests: a private folder for the files of each test, and an
administrator of District A (who sees the export jobs about its units)."""

import pytest

from portal.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.reports.helpers import rebuild


@pytest.fixture(autouse=True)
def exports_root(settings, tmp_path):
    settings.REPORTS_EXPORTS_ROOT = tmp_path / "exports"
    return settings.REPORTS_EXPORTS_ROOT


@pytest.fixture
def district_admin(tree):
    """Frank administers District A and its communes."""
    user = UserFactory(username="frank")
    MembershipFactory(user=user, unit=tree["district_a"], role=Role.ADMIN, covers_descendants=True)
    return user


@pytest.fixture
def data(march):
    rebuild()
    return march
