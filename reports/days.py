"""Local days: the buckets of the rollups are calendar days in the portal's time zone
(``TIME_ZONE``, Asia/Ho_Chi_Minh)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, tz()).date()


def today(now: dt.datetime | None = None) -> dt.date:
    return local_day(now or timezone.now())


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz())


def day_end(day: dt.date) -> dt.datetime:
    """Local midnight after ``day`` (exclusive end)."""
    return day_start(day + dt.timedelta(days=1))


def snapshot_moment(day: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """When a day's snapshot is taken: at the end of the day, or now for the current day."""
    now = now or timezone.now()
    return min(day_end(day), now)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def is_contiguous(days: list[dt.date]) -> bool:
    return bool(days) and (days[-1] - days[0]).days + 1 == len(days)
