"""The API answers what its OpenAPI schema says (issue 13, part 6).

schemathesis generates requests from the schema the code generates (the one /api/schema/
serves and docs/openapi.yaml holds) and calls the Django application in-process through WSGI,
signed in with a staff member's API token over a small seeded dataset. Every check is enabled
(server errors, status codes, content types, response bodies and headers, schema-valid data
accepted, schema-violating data refused, missing headers, ignored authentication, unsupported
methods, ...) and the run must find **zero** failures.

The seed is fixed and examples are bounded, so CI runs the same cases in a few minutes;
``make fuzz`` runs many more (``FUZZ_MAX_EXAMPLES``, ``FUZZ_SEED``) and writes a report (pytest's
log, with each failure and a curl command to replay it, and a JUnit file). schemathesis' own
report writers are not used: in 4.32 any of them imports ``allure_commons``, not installed.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from drf_spectacular.drainage import reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle

from dossiers import services as dossier_services
from feedback import services as feedback_services
from portal.models import Role, UnitLevel
from portal.services import api_token_create
from tests.dossiers.helpers import APPLICANT
from tests.factories import (
    DepartmentFactory,
    DeskFactory,
    MembershipFactory,
    ProcedureFactory,
    UnitFactory,
    UserFactory,
)
from tests.feedback.helpers import BODY, SENDER
from tests.helpers import at

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "5"))
SEED = int(os.environ.get("FUZZ_SEED", "1302"))

# A schema-valid request may still be refused with 400 for what a schema cannot state: an id
# that names no object (a desk, a procedure, a unit), a rule across fields ("answer" needs
# "criterion"), a period that parses but is too long, a text that is blank once trimmed. Only
# these operations may do so; every other one must accept every request its schema allows.
BUSINESS_RULES_400 = [
    ("POST", "/api/v1/dossiers/"),  # desk and procedure must exist and be yours
    ("POST", "/api/v1/feedback/"),  # unit, category, dossier must exist; text rules
    ("POST", "/api/v1/reports/exports/"),  # unit must exist; period rules
    ("GET", "/api/v1/reports/targets/"),  # period: a month, quarter, year or range ≤ 10 years
    ("GET", "/api/v1/reports/indicators/"),
    ("GET", "/api/v1/reports/rankings/"),
    ("GET", "/api/v1/survey-responses/"),  # answer/option need criterion/question
]
POSITIVE_DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "checks": {"enabled": True},
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "operations": [
            {
                "include-method": method,
                "include-path": path,
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": [*POSITIVE_DEFAULT, "400"]}
                },
            }
            for method, path in BUSINESS_RULES_400
        ],
    }
)


def load_schema():
    """The schema the code generates now, in English, bound to the WSGI application. Built at
    import (no database needed): schemathesis makes one test per operation."""
    reset_generator_stats()
    with translation.override("en"):
        raw = SchemaGenerator().get_schema(request=None, public=True)
        data = json.loads(OpenApiJsonRenderer().render(raw))
    loaded = schemathesis.openapi.from_dict(data, config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


# The portal's own limits on public forms (settings read at each request) and DRF's throttles
# (rates bound to the class at import): raised, so thousands of requests are judged on their
# content; 429 stays documented on every operation.
PORTAL_RATES = (
    "TRACKING_RATE_PER_IP",
    "TRACKING_RATE_PER_CODE",
    "TRACKING_RATE_PER_CODE_IP",
    "TRACKING_FAILS_PER_IP",
    "LOGIN_RATE_PER_IP",
    "SURVEY_RATE_PER_IP",
    "SURVEY_CODE_RATE_PER_IP",
    "SURVEY_RATE_PER_KIOSK",
    "FEEDBACK_SUBMIT_RATE",
)


@pytest.fixture
def wsgi_app(db, settings, monkeypatch, tmp_path, fresh_rate_limits):
    """Django's WSGI application, called in-process. Like Django's test client, it keeps the
    test's database connection open between requests (the test's transaction holds the data)."""
    settings.FEEDBACK_FILES_ROOT = tmp_path / "private"
    for name in PORTAL_RATES:
        setattr(settings, name, "100000/h")
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min")
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schema.app
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db):
    """A small dataset: a city, a district and a commune with a desk, a procedure, two
    dossiers and a feedback item; the fuzzer holds every staff role over the district, so
    actions reach the services rather than stopping at a 403."""
    city = UnitFactory(level=UnitLevel.CITY, code="01", name="Thành phố Hà Nội")
    district = UnitFactory(parent=city, level=UnitLevel.DISTRICT, code="001", name="Quận Ba Đình")
    commune = UnitFactory(
        parent=district,
        level=UnitLevel.COMMUNE,
        code="00001",
        name="Phường Phúc Xá",
        agency_code="000.01.01.H26",
    )
    desk = DeskFactory(unit=commune)
    DepartmentFactory(desk=desk, code="tu-phap", name="Tư pháp")
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", offered_at=[desk])
    user = UserFactory(username="fuzzer")
    for role in (Role.RECEPTIONIST, Role.OFFICER, Role.LEADER, Role.ADMIN):
        MembershipFactory(user=user, unit=district, role=role, covers_descendants=True)
    for day in (2, 3):
        dossier_services.dossier_receive(
            desk=desk,
            procedure=procedure,
            applicant=dict(APPLICANT),
            actor=user,
            received_at=at(2026, 3, day, 9),
            documents=[{"name": "Tờ khai", "is_original": True, "quantity": 1}],
        )
    feedback_services.feedback_submit(
        unit=commune,
        kind="feedback",
        channel="hotline",
        body=BODY,
        sender=dict(SENDER),
        actor=user,
        received_at=at(2026, 3, 2, 9),
    )
    _token, key = api_token_create(user=user, actor=None)
    return key


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_answers_as_its_schema_says(case, staff_token, wsgi_app):
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"})
