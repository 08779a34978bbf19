"""Fixtures for the surveys: a commune desk at A1 (Alice's) and one at B1 (Charlie's), returned
dossiers made through the real lifecycle services, and a small five-level form whose indices are
easy to compute by hand:

    small form ─┬─ area X: criteria x1, x2
                └─ area Y: criterion y1
    extra question "harassment": none / some / many
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from dossiers import services as dossier_services
from dossiers.models import RuleSet
from portal.models import AuditLog, Notification
from surveys import services
from surveys.models import Answer, ExtraAnswer, Invitation, Response, SurveyForm
from surveys.seeding import SIPAS_CODE
from tests.conftest import at
from tests.factories import (
    CriterionFactory,
    DeskFactory,
    ExtraQuestionFactory,
    ProcedureFactory,
    SurveyAreaFactory,
    SurveyFormFactory,
)

RETURNED_AT = at(2026, 3, 5, 10)
APPLICANT = {
    "name": "Trần Thị Bình",
    "id_number": "001190012345",
    "phone": "0987 654 321",
    "email": "binh.tran@example.test",
    "address": "5 Phúc Xá, Ba Đình, Hà Nội",
}


@pytest.fixture
def rule_set(db):
    """The 2025 rule set (seeded by a migration; made again if a transactional test flushed
    it)."""
    rule_set, _ = RuleSet.objects.get_or_create(
        code="nd118-2025",
        defaults={
            "name": "Nghị định 118/2025/NĐ-CP",
            "legal_basis": "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP",
            "effective_from": dt.date(2025, 7, 1),
        },
    )
    return rule_set


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


@pytest.fixture
def small_form(db):
    form = SurveyFormFactory(code="small", name_vi="Phiếu nhỏ", scale="five_level")
    area_x = SurveyAreaFactory(form=form, code="X", name_vi="Lĩnh vực X", order=1)
    area_y = SurveyAreaFactory(form=form, code="Y", name_vi="Lĩnh vực Y", order=2)
    criteria = {
        "x1": CriterionFactory(area=area_x, code="x1", order=1),
        "x2": CriterionFactory(area=area_x, code="x2", order=2),
        "y1": CriterionFactory(area=area_y, code="y1", order=1),
    }
    question = ExtraQuestionFactory(form=form, code="harassment")
    return SimpleNamespace(form=form, c=criteria, q={"harassment": question})


def by_id(parts, values: dict) -> dict:
    """{"x1": 5} → {criterion id: 5} for the services."""
    return {parts[code].pk: value for code, value in values.items()}


def db_state():
    """Everything a failed submission must leave untouched."""
    return {
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "extra_answers": ExtraAnswer.objects.count(),
        "audit": AuditLog.objects.count(),
        "notifications": Notification.objects.count(),
        "invitations": sorted(
            Invitation.objects.values_list("id", "token_hash", "generation", "used_at")
        ),
    }


# Six filled-in small forms, the hand-computed example of the index tests (R-SUR-3).
# None = left blank, "na" = not applicable.
SMALL_DATASET = [
    # x1    x2    y1    harassment
    ({"x1": 5, "x2": 5, "y1": 1}, "none"),
    ({"x1": 4, "x2": 5, "y1": 4}, "none"),
    ({"x1": 3, "x2": 5, "y1": 2}, "some"),
    ({"x1": 2, "x2": "na", "y1": None}, "none"),
    ({"x1": "na", "x2": "na", "y1": None}, None),
    ({"x1": None, "x2": None, "y1": None}, "many"),
]


DATASET_ENTERED_AT = at(2026, 3, 20, 10)


def enter_dataset(
    *, desk, actor, small_form, prefix="P", submitted_at=None, entered_at=DATASET_ENTERED_AT
):
    """SMALL_DATASET keyed in at ``desk`` as paper sheets ``<prefix>-1`` to ``<prefix>-6``, on
    Friday 20 March 2026 at 10:00 unless ``entered_at`` says otherwise; ``submitted_at`` is the
    date on the sheets (by default the moment they are keyed in)."""
    for n, (answers, option) in enumerate(SMALL_DATASET, start=1):
        services.response_enter_paper(
            desk=desk,
            serial=f"{prefix}-{n}",
            answers=by_id(small_form.c, answers),
            extras={small_form.q["harassment"].pk: option},
            actor=actor,
            submitted_at=submitted_at,
            at=entered_at,
        )


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


def sheet_post(parts, values: dict, *, form, **fields) -> dict:
    """A posted sheet of the survey pages: {"x1": 5, "x2": "na"} → {"criterion_<id>": "5", ...}
    with the hidden form id; extra ``fields`` (e.g. ``comment``) are added as they are."""
    data = {"form": str(form.pk)}
    for code, value in values.items():
        data[f"criterion_{parts[code].pk}"] = "" if value is None else str(value)
    data.update({k: str(v) for k, v in fields.items()})
    return data
