"""Plain helpers shared by the tests (not fixtures): import them from here, never from a
``conftest`` module (pytest discourages importing conftest files)."""

import datetime as dt
from zoneinfo import ZoneInfo

PASSWORD = "correct-horse-battery-9"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0):
    """An aware moment in Hanoi time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)
