"""The admin's writes of roles and calendar overrides go through the services (R-UNIT-3,
R-DUE-1): refusals show as form errors, nothing is written, every change is audited."""

import datetime as dt

import pytest

from portal.models import AuditLog, CalendarOverride, Membership, Role
from tests.factories import CalendarOverrideFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_grant_writes_membership_and_audit_r_unit_3(admin_client, tree):
    clerk = UserFactory(username="clerk")
    response = admin_client.post(
        "/admin/portal/membership/add/",
        {
            "user": clerk.pk,
            "unit": tree["commune_a1"].pk,
            "role": Role.RECEPTIONIST,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=clerk)
    assert AuditLog.objects.filter(
        object_id=str(membership.pk), action__startswith="membership."
    ).exists()


def test_admin_grant_at_an_ended_unit_shows_the_error_and_writes_nothing_r_unit_3(
    admin_client, tree
):
    unit = tree["commune_a1"]
    unit.valid_to = dt.date(2025, 6, 30)
    unit.save()
    clerk = UserFactory(username="clerk")
    response = admin_client.post(
        "/admin/portal/membership/add/",
        {
            "user": clerk.pk,
            "unit": unit.pk,
            "role": Role.RECEPTIONIST,
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Membership.objects.filter(user=clerk).exists()


def test_admin_duplicate_calendar_date_is_refused_with_a_clear_message_r_due_1(admin_client):
    CalendarOverrideFactory(date=dt.date(2026, 1, 10), name="Làm bù")
    response = admin_client.post(
        "/admin/portal/calendaroverride/add/",
        {
            "date": "10/01/2026",
            "kind": CalendarOverride.Kind.DAY_OFF,
            "name": "Nghỉ",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "10/01/2026" in errors
    assert CalendarOverride.objects.count() == 1


def test_admin_calendar_override_add_and_delete_are_audited_r_due_1(admin_client):
    response = admin_client.post(
        "/admin/portal/calendaroverride/add/",
        {
            "date": "07/03/2026",
            "kind": CalendarOverride.Kind.WORKING_DAY,
            "name": "Làm bù",
        },
    )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert override.created_by.username == "root"
    admin_client.post(f"/admin/portal/calendaroverride/{override.pk}/delete/", {"post": "yes"})
    assert not CalendarOverride.objects.exists()
    assert set(AuditLog.objects.values_list("action", flat=True)) >= {
        "calendar_override.create",
        "calendar_override.delete",
    }
