"""A dossier is handed over, and a delay attributed, only to an active department of the
dossier's unit: the services check it, whoever calls them (R-UNIT-2, R-LIFE-3, R-RES-3)."""

import datetime as dt

import pytest
from django.utils import translation

from dossiers import services
from dossiers.exceptions import DepartmentInactive
from dossiers.models import Reschedule
from portal.exceptions import DomainError
from tests.dossiers.api_helpers import detail_url, signed_in
from tests.factories import DepartmentFactory
from tests.helpers import at

VI = "Phòng ban “Tư pháp – Hộ tịch” không còn hoạt động; hãy chọn một phòng ban đang hoạt động."
EN = "The department “Tư pháp – Hộ tịch” is no longer active; choose an active department."


@pytest.fixture
def closed_department(departments):
    department = departments["civil"]
    department.is_active = False
    department.save()
    return department


def test_route_to_an_inactive_department_is_refused_r_unit_2(receive, alice, closed_department):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(DepartmentInactive) as info:
        services.dossier_route(
            dossier=dossier, actor=alice, to_department=closed_department, at=at(2026, 3, 2, 10)
        )
    with translation.override("en"):
        assert str(info.value.message) == EN
    dossier.refresh_from_db()
    assert (dossier.status, dossier.steps.count(), dossier.events.count()) == ("received", 1, 1)


def test_route_to_an_active_department_of_the_unit_still_works(receive, alice, departments):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier, actor=alice, to_department=departments["land"], at=at(2026, 3, 2, 10)
    )
    dossier.refresh_from_db()
    assert dossier.current_department == departments["land"]


def test_reschedule_naming_an_inactive_department_is_refused_r_unit_2(
    receive, officer, closed_department
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(DepartmentInactive) as info:
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chờ xác minh",
            new_due_date=dt.date(2026, 3, 12),
            responsible_department=closed_department,
            actor=officer,
            at=at(2026, 3, 5, 10),
        )
    assert info.value.code == "department_inactive"
    with translation.override("en"):
        assert str(info.value.message) == EN
    assert not Reschedule.objects.exists()
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 9, 17)


def test_reschedule_naming_another_units_department_is_refused(receive, officer, tree):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    foreign = DepartmentFactory(desk__unit=tree["commune_b1"])
    with translation.override("en"), pytest.raises(DomainError, match="another unit"):
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chờ xác minh",
            new_due_date=dt.date(2026, 3, 12),
            responsible_department=foreign,
            actor=officer,
            at=at(2026, 3, 5, 10),
        )
    assert not Reschedule.objects.exists()


def test_api_reschedule_naming_an_inactive_department_answers_400(
    receive, officer, closed_department, time_machine
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    time_machine.move_to(at(2026, 3, 5, 10), tick=False)
    response = signed_in(officer).post(
        detail_url(dossier, "reschedule/"),
        {
            "reason": "Chờ xác minh",
            "new_due_date": "2026-03-12",
            "responsible_department": closed_department.pk,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": EN, "code": "department_inactive"}
    assert not Reschedule.objects.exists()


def test_the_refusal_is_translated_to_vietnamese_r_unit_2(receive, alice, closed_department):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(DepartmentInactive) as info:
        services.dossier_route(
            dossier=dossier, actor=alice, to_department=closed_department, at=at(2026, 3, 2, 10)
        )
    with translation.override("vi"):
        assert str(info.value.message) == VI
