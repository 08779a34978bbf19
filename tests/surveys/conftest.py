"""Fixtures for the surveys: a commune desk at A1 (Alice's) and one at B1 (Charlie's), returned
dossiers made through the real lifecycle services, and a small five-level form whose indices are
easy to compute by hand:

    small form ─┬─ area X: criteria x1, x2
                └─ area Y: criterion y1
    extra question "harassment": none / some / many
"""

import datetime as dt

import pytest

from dossiers import services as dossier_services
from dossiers.models import RuleSet
from surveys.models import SurveyForm
from surveys.seeding import SIPAS_CODE
from tests.factories import (
    DeskFactory,
    ProcedureFactory,
)
from tests.helpers import at
from tests.surveys.helpers import APPLICANT


@pytest.fixture
def rule_set(db):
    """The 2025 rule set: reference data, restored after a flush by dossiers' post_migrate
    handler (dossiers/reference_data.py)."""
    return RuleSet.objects.get(code="nd118-2025")


@pytest.fixture
def desk(tree, rule_set):
    unit = tree["commune_a1"]
    unit.agency_code = "000.01.01.H26"
    unit.save()
    return DeskFactory(unit=unit, name="Bộ phận một cửa Phúc Xá")


@pytest.fixture
def desk_b1(tree, rule_set):
    unit = tree["commune_b1"]
    unit.agency_code = "000.02.01.H26"
    unit.save()
    return DeskFactory(unit=unit, name="Bộ phận một cửa Phúc Tân")


@pytest.fixture
def procedure(desk):
    return ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", offered_at=[desk])


@pytest.fixture
def make_dossier(desk, procedure, alice, officer):
    """A dossier at Commune A1, by default taken to ``returned`` through the real services."""

    def _make(*, returned=True, received_at=None, applicant=None):
        received_at = received_at or at(2026, 3, 2, 9)
        dossier, _pin = dossier_services.dossier_receive(
            desk=desk,
            procedure=procedure,
            applicant=dict(applicant or APPLICANT),
            actor=alice,
            received_at=received_at,
        )
        if returned:
            dossier_services.dossier_complete(
                dossier=dossier, actor=officer, at=received_at + dt.timedelta(days=2)
            )
            dossier_services.dossier_return(
                dossier=dossier, actor=alice, at=received_at + dt.timedelta(days=3)
            )
            dossier.refresh_from_db()
        return dossier

    return _make


@pytest.fixture
def returned_dossier(make_dossier):
    return make_dossier()


@pytest.fixture(autouse=True)
def _rate_limits_of_this_test_only(fresh_rate_limits):
    """Every survey test counts rate limits from zero (``fresh_rate_limits``, tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _without_the_default_form(request):
    """The default SIPAS form is reference data, made after ``migrate`` (and ``flush``) by
    ``surveys.seeding.sipas_form_ensure``. Survey tests make the forms they are about
    (``small_form``, factories, ``seed_survey_forms()``) and start without it, so the form in
    force at a unit is the one the test made, or none. The removal is rolled back with the
    test (a transactional test's closing flush makes the form again)."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("db")
    SurveyForm.objects.filter(code=SIPAS_CODE).delete()
