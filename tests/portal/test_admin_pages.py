"""Django admin of the core app: every changelist loads for a superuser with a number of
queries that does not grow with its rows; staff-only access; the audit log is read-only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditLog, CalendarOverride, Role, UnitLevel
from tests.factories import (
    CalendarOverrideFactory,
    DepartmentFactory,
    DeskFactory,
    MembershipFactory,
    UnitFactory,
    UnitTreeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _units(n, start):
    tree = UnitTreeFactory(code=f"tree-{start}", name=f"Cây {start}")
    city = UnitFactory(tree=tree, level=UnitLevel.CITY, code=f"{start}")
    return [
        UnitFactory(tree=tree, parent=city, level=UnitLevel.DISTRICT, code=f"{start}{i:03d}")
        for i in range(n)
    ]


def _make(model, n, start):
    """``n`` rows of ``model``, each with its own related rows, so N+1 would show."""
    if model == "unittree":
        for i in range(n):
            UnitTreeFactory(code=f"t{start}-{i}", name=f"Cây {start}-{i}")
    elif model == "administrativeunit":
        _units(n, start)
    elif model in ("servicedesk", "department"):
        for unit in _units(n, start):
            DepartmentFactory(desk=DeskFactory(unit=unit))
    elif model == "membership":
        for i, unit in enumerate(_units(n, start)):
            dept = DepartmentFactory(desk=DeskFactory(unit=unit))
            user = UserFactory(username=f"staff{start}-{i}")
            MembershipFactory(user=user, unit=unit, role=Role.OFFICER, department=dept)
    elif model == "calendaroverride":
        for i in range(n):
            CalendarOverrideFactory(
                date=dt.date(start, 1, 1) + dt.timedelta(days=i),
                created_by=UserFactory(username=f"cal{start}-{i}"),
            )
    elif model == "auditlog":
        for i, unit in enumerate(_units(n, start)):
            AuditLog.objects.create(
                actor=UserFactory(username=f"actor{start}-{i}"),
                action="test.action",
                object_type="unit",
                object_id=str(unit.pk),
                unit=unit,
            )
    else:  # pragma: no cover
        raise AssertionError(model)


MODELS = [
    "unittree",
    "administrativeunit",
    "servicedesk",
    "department",
    "membership",
    "calendaroverride",
    "auditlog",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_queries_do_not_grow_with_rows(
    client, superuser, model, django_assert_max_num_queries
):
    url = reverse(f"admin:portal_{model}_changelist")
    client.force_login(superuser)
    _make(model, 2, start=2030)
    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _make(model, 15, start=2040)

    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 17


@pytest.mark.parametrize("model", MODELS)
def test_change_and_add_pages_load(client, superuser, model):
    _make(model, 1, start=2050)
    client.force_login(superuser)
    cl = client.get(reverse(f"admin:portal_{model}_changelist")).context["cl"]
    obj = cl.result_list[0]

    response_obj = client.get(reverse(f"admin:portal_{model}_change", args=[obj.pk]))

    assert response_obj.status_code == 200
    add = client.get(reverse(f"admin:portal_{model}_add"))
    assert add.status_code == (403 if model == "auditlog" else 200)


def test_non_staff_user_is_sent_to_the_admin_login(client, alice):
    client.force_login(alice)

    response = client.get(reverse("admin:portal_membership_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_audit_log_cannot_be_changed_or_deleted_in_the_admin(client, superuser):
    entry = AuditLog.objects.create(action="unit.create", object_type="unit", object_id="1")
    client.force_login(superuser)

    change = client.post(
        reverse("admin:portal_auditlog_change", args=[entry.pk]), {"action": "tampered"}
    )
    delete = client.post(reverse("admin:portal_auditlog_delete", args=[entry.pk]), {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "unit.create"
    assert AuditLog.objects.count() == 1


def test_calendar_override_added_in_the_admin_records_who_added_it(client, superuser):
    """R-DUE-1: admins edit the calendar; Vietnamese dates are typed day first."""
    client.force_login(superuser)

    response = client.post(
        reverse("admin:portal_calendaroverride_add"),
        {"date": "02/01/2026", "kind": CalendarOverride.Kind.DAY_OFF, "name": "Nghỉ bù Tết"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    override = CalendarOverride.objects.get()
    assert override.date == dt.date(2026, 1, 2)
    assert override.created_by == superuser


def test_unit_code_and_parent_cannot_be_changed_once_created(client, superuser, tree):
    """Descendants' materialised paths come from these fields (R-UNIT-1)."""
    client.force_login(superuser)
    district = tree["district_a"]

    response = client.get(reverse("admin:portal_administrativeunit_change", args=[district.pk]))

    form = response.context["adminform"].form
    assert "code" not in form.fields
    assert "parent" not in form.fields
    assert "name" in form.fields


def test_membership_admin_uses_autocomplete_for_user_and_unit(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:portal_membership_add"))

    widgets = {
        name: field.widget.widget.__class__.__name__
        for name, field in response.context["adminform"].form.fields.items()
        if hasattr(field.widget, "widget")
    }
    assert widgets["user"] == "AutocompleteSelect"
    assert widgets["unit"] == "AutocompleteSelect"
