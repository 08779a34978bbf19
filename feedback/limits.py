"""Rate limits of the public feedback forms and API, shared so that a page and an API call
count against the same budget (django-ratelimit counters in the cache, Redis in production).

- submissions per client address: ``FEEDBACK_SUBMIT_RATE``;
- tracking look-ups per client address: ``TRACKING_RATE_PER_IP``, and failed look-ups per code
  (an unknown code counts the same as a wrong PIN, so the limit tells nothing):
  ``TRACKING_RATE_PER_CODE``, the same settings as the dossiers' tracking page.

Each function returns django-ratelimit's usage dict (``should_limit``, ``count``, ``limit``,
``time_left``) or ``None`` when rate limiting is off.
"""

from django.conf import settings
from django_ratelimit.core import get_usage

from feedback.tracking import normalise_code
from portal.http import client_ip_key


def submit_usage(request, *, count: bool = True):
    return get_usage(
        request,
        group="feedback:submit",
        key=client_ip_key,
        rate=settings.FEEDBACK_SUBMIT_RATE,
        increment=count,
    )


def tracking_ip_usage(request, *, count: bool = True):
    return get_usage(
        request,
        group="feedback:tracking:ip",
        key=client_ip_key,
        rate=settings.TRACKING_RATE_PER_IP,
        increment=count,
    )


def tracking_code_usage(request, code: str, *, count: bool):
    return get_usage(
        request,
        group="feedback:tracking:code",
        key=lambda _group, _request: normalise_code(code),
        rate=settings.TRACKING_RATE_PER_CODE,
        increment=count,
    )


def over(usage, *, at_limit: bool = False) -> bool:
    """Whether ``usage`` says stop: past the limit, or (``at_limit``, for counters only
    increased on failure) already at it."""
    if not usage:
        return False
    if at_limit:
        return usage["count"] >= usage["limit"]
    return bool(usage["should_limit"])
