"""Plain helpers shared by the tests (not fixtures): import them from here, never from a
``conftest`` module (pytest discourages importing conftest files)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

PASSWORD = "correct-horse-battery-9"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0):
    """An aware moment in Hanoi time."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


# Who may configure what (R-UNIT-3), the cases every administration test checks: an admin of
# their own unit may, of a sibling unit may not; an admin of the district reaches its communes
# only when the role covers descendants; a superuser may everywhere. The actors are fixtures of
# tests/conftest.py (``ward_admin``, ``district_admin``, ``district_office_admin``,
# ``superuser``); a test takes one with ``request.getfixturevalue``.
# (actor fixture, unit of the thing changed, allowed?)
SCOPE_CASES = [
    pytest.param("ward_admin", "commune_a1", True, id="own-unit"),
    pytest.param("ward_admin", "commune_a2", False, id="sibling-unit"),
    pytest.param("district_admin", "commune_a1", True, id="descendant-covered"),
    pytest.param("district_office_admin", "commune_a1", False, id="descendant-not-covered"),
    pytest.param("district_office_admin", "district_a", True, id="district-itself"),
    pytest.param("superuser", "commune_b1", True, id="superuser-anywhere"),
]
