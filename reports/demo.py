"""Demo rollups: after the demo dossiers and answers exist, compute the figures of their whole
history (a year by default) so the dashboards open with data."""

import datetime as dt

from django.utils import timezone

from dossiers.selectors import first_event_at
from feedback.selectors import first_feedback_at
from reports import days as days_mod
from reports import services
from reports.models import DirtyBucket
from surveys.selectors import first_response_at


def seed_rollups(*, days: int = 365):
    today = days_mod.today()
    first = [v for v in (first_event_at(), first_response_at(), first_feedback_at()) if v]
    if not first:
        return None
    date_from = min(days_mod.local_day(min(first)), today - dt.timedelta(days=days))
    run = services.stats_recompute_range(date_from=date_from, date_to=today, now=timezone.now())
    # Everything the seed marked is in the range just rebuilt.
    DirtyBucket.objects.filter(day__gte=date_from, day__lte=today).delete()
    return run
