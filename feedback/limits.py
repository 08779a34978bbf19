"""Rate limits of the public feedback forms and API, shared so that a page and an API call
count against the same budget (``portal.throttling``: counters in the cache, Redis in
production, incremented before the check, never a 500 when Redis is down).

- submissions per client address: ``FEEDBACK_SUBMIT_RATE``;
- tracking look-ups per client address: ``TRACKING_RATE_PER_IP``; code + PIN tries per code
  and address, per code and per address on all codes (``portal.throttling.pin_attempt``, the
  same settings as the dossiers' tracking page; an unknown code counts the same as a wrong
  PIN, so the limits tell nothing).

Each function returns a ``portal.throttling.Hit``: ``limited`` and ``retry_after``.
"""

from django.conf import settings

from feedback.tracking import normalise_code
from portal import throttling

GROUP = "feedback:tracking"


def submit(request) -> throttling.Hit:
    return throttling.hit(
        throttling.ip_counter("feedback:submit", request, settings.FEEDBACK_SUBMIT_RATE)
    )


def tracking(request) -> throttling.Hit:
    """A look-up without a PIN (the QR link, a reply letter)."""
    return throttling.lookup(request, group=GROUP)


def pin_attempt(request, code: str) -> throttling.Hit:
    """A code + PIN try; call ``pin_right(hit)`` when the PIN was right."""
    return throttling.pin_attempt(request, group=GROUP, code=normalise_code(code))


pin_right = throttling.pin_right
