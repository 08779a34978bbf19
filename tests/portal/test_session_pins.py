"""A new PIN waits in the session of whoever made it (``portal.session_pins``): shown once on
the confirmation page, printed once on the receipt, never in a URL (R-PRIV-1)."""

import pytest
import time_machine
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from portal.session_pins import SessionPins
from tests.helpers import at

PINS = SessionPins("test.pins", ttl=600)


@pytest.fixture
def request_():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def test_the_pin_is_shown_once_then_printed_once(request_):
    PINS.keep(request_, 7, "123456")

    assert PINS.show(request_, 7) == "123456"
    assert PINS.show(request_, 7) is None
    assert PINS.pop(request_, 7) == "123456"
    assert PINS.pop(request_, 7) is None
    assert PINS.holds(request_, 7)  # the session still knows it made the object


def test_printing_first_leaves_nothing_to_show(request_):
    PINS.keep(request_, 7, "123456")

    assert PINS.pop(request_, 7) == "123456"
    assert PINS.show(request_, 7) is None


def test_the_pin_and_the_object_are_forgotten_after_the_time_is_up(request_):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False) as traveller:
        PINS.keep(request_, 7, "123456")
        traveller.shift(601)

        assert PINS.show(request_, 7) is None
        assert not PINS.holds(request_, 7)


def test_another_object_or_session_gets_nothing(request_):
    PINS.keep(request_, 7, "123456")
    other = RequestFactory().get("/")
    other.session = SessionStore()

    assert PINS.show(request_, 8) is None
    assert PINS.show(other, 7) is None
    assert not PINS.holds(other, 7)
