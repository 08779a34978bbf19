"""Fixtures for the dossier lifecycle: a commune desk with two departments, its staff, and a
5-working-day procedure offered there."""

import pytest

from dossiers import services
from dossiers.models import RequiredDocument
from portal.models import Role
from tests.dossiers.helpers import APPLICANT
from tests.factories import (
    DepartmentFactory,
    DeskFactory,
    MembershipFactory,
    ProcedureFactory,
    UserFactory,
)
from tests.helpers import at


@pytest.fixture
def desk(tree):
    unit = tree["commune_a1"]
    unit.agency_code = "000.01.01.H26"
    unit.save()
    return DeskFactory(unit=unit)


@pytest.fixture
def departments(desk):
    return {
        "civil": DepartmentFactory(desk=desk, code="tu-phap", name="Tư pháp – Hộ tịch"),
        "land": DepartmentFactory(desk=desk, code="dia-chinh", name="Địa chính"),
    }


@pytest.fixture
def procedure(desk):
    return ProcedureFactory(
        code="1.001193", name="Đăng ký khai sinh", processing_time=5, offered_at=[desk]
    )


@pytest.fixture
def receive(desk, procedure, alice):
    """Receive a dossier at Commune A1's desk; keyword arguments override the defaults."""

    def _receive(**kwargs):
        args = {
            "desk": desk,
            "procedure": procedure,
            "applicant": dict(APPLICANT),
            "actor": alice,
            "received_at": at(2026, 3, 2, 9),
            "documents": [{"name": "Tờ khai", "is_original": True, "quantity": 1}],
        }
        args.update(kwargs)
        return services.dossier_receive(**args)

    return _receive


@pytest.fixture
def tracked(receive):
    """A dossier received on Monday 2 March 2026 at 09:00 (due Monday 9 March) and its PIN,
    looked at on Wednesday 4 March."""
    import time_machine

    dossier, pin = receive(received_at=at(2026, 3, 2, 9))
    with time_machine.travel(at(2026, 3, 4, 10), tick=False):
        yield dossier, pin


# --- for the staff pages (tests/dossiers/test_pages_*.py) ---------------------------------
@pytest.fixture
def documents_required(procedure):
    return [
        RequiredDocument.objects.create(
            procedure=procedure, name="Tờ khai đăng ký khai sinh", original_required=True, order=1
        ),
        RequiredDocument.objects.create(
            procedure=procedure, name="Giấy chứng sinh", quantity=2, order=2
        ),
        RequiredDocument.objects.create(
            procedure=procedure, name="Giấy đăng ký kết hôn của cha mẹ", is_optional=True, order=3
        ),
    ]


@pytest.fixture
def clerk(tree, departments):
    """Fiona, an officer of Commune A1 in the civil-status department."""
    user = UserFactory(username="fiona", first_name="Thị F", last_name="Trần")
    MembershipFactory(
        user=user, unit=tree["commune_a1"], role=Role.OFFICER, department=departments["civil"]
    )
    return user
