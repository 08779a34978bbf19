"""Demo dossiers are received, handed over, completed and returned while the desk is open
(a working day, between opening and closing, outside the lunch break): a demo that returns
results at 00:28 or 04:01 would teach new users the wrong thing about desk hours."""

from dossiers import demo
from dossiers.models import DossierEvent
from portal.working_calendar import DeskHours, get_calendar
from tests.factories import DepartmentFactory
from tests.helpers import at


def test_every_demo_event_happens_in_desk_hours(desk, alice, officer):
    DepartmentFactory(desk=desk)
    demo.seed_procedures(desks=[desk])
    demo.seed_dossiers(desks=[desk], count=150, days=120, now=at(2026, 11, 20, 12))
    cal, hours = get_calendar(), DeskHours.of(desk)

    outside = []
    for kind, moment in DossierEvent.objects.values_list("kind", "at"):
        local = cal.local(moment)
        open_then = (
            cal.is_working_day(local.date())
            and hours.opens_at <= local.time() < hours.closes_at
            and not (hours.lunch_starts_at <= local.time() < hours.lunch_ends_at)
        )
        if not open_then:
            outside.append((kind, f"{local:%a %d/%m %H:%M}"))

    assert DossierEvent.objects.count() > 300
    assert outside == []
