"""Fixtures of the evaluation tests, on top of the reports' hand-computed March 2026
(tests/reports/conftest.py): the procedure offered partly online (Circular 01 index 9), and
entries as a unit leader would make them."""

import pytest

from dossiers.models import Procedure
from portal.models import Role
from tests.factories import MembershipFactory
from tests.reports.helpers import rebuild


@pytest.fixture
def online_procedure(procedure):
    procedure.online_level = Procedure.OnlineLevel.PARTIAL
    procedure.save()
    return procedure


@pytest.fixture
def q1(march, online_procedure):
    """March 2026 with the rollups rebuilt as of 1 April 2026 (index 9 reads them)."""
    rebuild()
    return march


@pytest.fixture
def clerk_on_staff(clerk, tree):
    """The clerk (a superuser who processed March's dossiers) as an officer of Commune A1: a
    conduct complaint can name only a staff member of the unit (R-FB-4, R-UNIT-3)."""
    MembershipFactory(user=clerk, unit=tree["commune_a1"], role=Role.OFFICER)
    return clerk
