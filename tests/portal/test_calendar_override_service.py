"""Working-calendar overrides (R-DUE-1) through ``calendar_override_create``/``_delete``."""

import datetime as dt

import pytest
from django.utils import translation

from portal.exceptions import DomainError, DuplicateCalendarOverride
from portal.models import AuditLog, CalendarOverride
from portal.services import calendar_override_create, calendar_override_delete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 1, 10)


@pytest.fixture
def admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _state():
    return (
        list(CalendarOverride.objects.values_list("date", "kind", "name")),
        AuditLog.objects.count(),
    )


def test_make_up_working_day_is_created_with_audit_row_r_due_1(admin):
    override = calendar_override_create(
        date=SATURDAY, kind=CalendarOverride.Kind.WORKING_DAY, name="Làm bù", actor=admin
    )

    assert (override.date, override.kind, override.created_by) == (SATURDAY, "working_day", admin)
    entry = AuditLog.objects.get(action="calendar_override.create")
    assert entry.actor == admin
    assert entry.data == {"date": "2026-01-10", "kind": "working_day", "name": "Làm bù"}


def test_duplicate_date_is_refused_and_nothing_changes(admin):
    calendar_override_create(
        date=SATURDAY, kind=CalendarOverride.Kind.WORKING_DAY, name="Làm bù", actor=admin
    )
    before = _state()

    with pytest.raises(DuplicateCalendarOverride) as caught:
        calendar_override_create(
            date=SATURDAY, kind=CalendarOverride.Kind.DAY_OFF, name="Nghỉ bù", actor=admin
        )

    assert _state() == before
    assert caught.value.status_code == 409
    with translation.override("en"):
        assert str(caught.value) == (
            "10/01/2026 already has a calendar override (Làm bù); edit or delete it instead."
        )


def test_unknown_kind_is_refused(admin):
    with pytest.raises(DomainError) as caught:
        calendar_override_create(date=SATURDAY, kind="half_day", name="?", actor=admin)
    assert caught.value.code == "unknown_override_kind"
    assert _state() == ([], 0)


def test_blank_reason_is_refused(admin):
    with pytest.raises(DomainError) as caught:
        calendar_override_create(
            date=SATURDAY, kind=CalendarOverride.Kind.DAY_OFF, name="   ", actor=admin
        )
    assert caught.value.code == "name_required"
    assert _state() == ([], 0)


def test_delete_removes_override_with_audit_row_and_frees_the_date(admin):
    override = calendar_override_create(
        date=SATURDAY, kind=CalendarOverride.Kind.WORKING_DAY, name="Làm bù", actor=admin
    )

    calendar_override_delete(override=override, actor=admin)

    assert not CalendarOverride.objects.exists()
    entry = AuditLog.objects.get(action="calendar_override.delete")
    assert entry.data["date"] == "2026-01-10"
    calendar_override_create(
        date=SATURDAY, kind=CalendarOverride.Kind.DAY_OFF, name="Nghỉ bù", actor=admin
    )
    assert CalendarOverride.objects.get().kind == "day_off"
