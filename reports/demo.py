"""Demo rollups: after the demo dossiers and answers exist, compute the figures of their whole
history (a year by default) so the dashboards open with data."""

import datetime as dt

from django.db.models import Min
from django.utils import timezone

from dossiers.models import DossierEvent
from reports import days as days_mod
from reports import services
from reports.models import DirtyBucket
from surveys.models import Response


def seed_rollups(*, days: int = 365):
    today = days_mod.today()
    first = [
        v
        for v in (
            DossierEvent.objects.aggregate(m=Min("at"))["m"],
            Response.objects.aggregate(m=Min("submitted_at"))["m"],
        )
        if v is not None
    ]
    if not first:
        return None
    date_from = min(days_mod.local_day(min(first)), today - dt.timedelta(days=days))
    run = services.stats_recompute_range(date_from=date_from, date_to=today, now=timezone.now())
    # Everything the seed marked is in the range just rebuilt.
    DirtyBucket.objects.filter(day__gte=date_from, day__lte=today).delete()
    return run
