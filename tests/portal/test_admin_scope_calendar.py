"""The working calendar is one for the whole deployment (R-DUE-1), so only administrators of
a unit at ``PORTAL_CALENDAR_LEVEL`` (the city or province) correct it, and superusers; an
admin of a district, even one covering its communes, or of a ward may not."""

import datetime as dt

import pytest

from portal import services
from portal.exceptions import PermissionDenied
from portal.models import CalendarOverride
from tests.factories import CalendarOverrideFactory

pytestmark = pytest.mark.django_db
SATURDAY = dt.date(2026, 1, 10)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("city_admin", True),
        ("superuser", True),
        ("district_admin", False),
        ("ward_admin", False),
        ("bob", False),  # a leader covering the district
    ],
)
def test_only_the_citys_administrators_correct_the_calendar_r_due_1(request, who, allowed):
    actor = request.getfixturevalue(who)
    existing = CalendarOverrideFactory(date=dt.date(2026, 1, 2))

    if allowed:
        services.calendar_override_create(
            date=SATURDAY, kind="working_day", name="Làm bù", actor=actor
        )
        services.calendar_override_delete(override=existing, actor=actor)
        assert list(CalendarOverride.objects.values_list("date", flat=True)) == [SATURDAY]
    else:
        with pytest.raises(PermissionDenied):
            services.calendar_override_create(
                date=SATURDAY, kind="working_day", name="Làm bù", actor=actor
            )
        with pytest.raises(PermissionDenied):
            services.calendar_override_delete(override=existing, actor=actor)
        assert list(CalendarOverride.objects.values_list("date", flat=True)) == [existing.date]


def test_the_level_that_sets_the_calendar_is_a_setting(settings, district_admin):
    settings.PORTAL_CALENDAR_LEVEL = "district"

    services.calendar_override_create(
        date=SATURDAY, kind="working_day", name="Làm bù", actor=district_admin
    )

    assert CalendarOverride.objects.filter(date=SATURDAY).exists()
