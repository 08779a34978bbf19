"""The one helper every abuse limit goes through (portal.throttling; docs/security.md, "Abuse
limits"): counters incremented atomically before the check, in real Redis, under real
concurrency; refused tries count nowhere; a dead Redis never becomes a 500."""

import threading
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal import throttling
from portal.throttling import Counter, Window, hit, parse_rate

pytestmark = pytest.mark.usefixtures("fresh_rate_limits", "clean_outage_state")

DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens here


def _request(ip="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": ip}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **meta)


def _in_threads(n, work):
    """Run ``work(i)`` in ``n`` threads released together; their answers in order."""
    barrier = threading.Barrier(n)
    answers = [None] * n

    def run(i):
        barrier.wait()
        answers[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


# --- rates ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rate", "windows"),
    [
        ("20/m", (Window(20, 60),)),
        ("5/15m", (Window(5, 900),)),
        ("30/hour", (Window(30, 3600),)),
        ("60/min", (Window(60, 60),)),
        ("20/h, 50/d, 100/7d", (Window(20, 3600), Window(50, 86400), Window(100, 604800))),
        ("", ()),
        (None, ()),
    ],
)
def test_rates_are_written_as_drf_writes_them_with_several_windows(rate, windows):
    assert parse_rate(rate) == windows


def test_a_malformed_rate_is_refused_at_once():
    with pytest.raises(ValueError, match="Not a rate"):
        parse_rate("five a minute")


# --- counting ------------------------------------------------------------------------------
def test_the_request_over_the_limit_is_refused_with_the_time_left():
    counter = Counter("t:basic", "203.0.113.7", "3/m")

    answers = [hit(counter) for _ in range(4)]

    assert [a.limited for a in answers] == [False, False, False, True]
    assert 0 < answers[-1].retry_after <= 60
    assert answers[-1].over == ("t:basic",)


def test_the_switch_for_load_tests_turns_every_limit_off_and_counts_nothing(settings):
    settings.RATELIMIT_ENABLE = False
    counter = Counter("t:off", "203.0.113.8", "1/m")
    assert [hit(counter).limited for _ in range(3)] == [False, False, False]
    settings.RATELIMIT_ENABLE = True
    assert [hit(counter).limited for _ in range(2)] == [False, True]


def test_refused_requests_count_nowhere():
    """A refused try gives its increments back, on every counter it touched, so hammering a
    closed door neither extends the wait nor uses up the other counters."""
    narrow, wide = Counter("t:narrow", "a", "1/m"), Counter("t:wide", "a", "5/m")
    hit(narrow, wide)
    for _ in range(10):
        assert hit(narrow, wide).limited

    assert [hit(wide).limited for _ in range(5)] == [False] * 4 + [True]


def test_a_refund_gives_the_try_back():
    counter = Counter("t:refund", "a", "2/m")
    for _ in range(5):
        hit(counter).refund()

    assert [hit(counter).limited for _ in range(3)] == [False, False, True]


def test_several_windows_each_hold():
    """Back-off: 2 a minute, but only 3 a day, whatever the minutes."""
    counter = Counter("t:backoff", "a", "2/m,3/d")

    minute = [k for k, w in counter.windows() if w.seconds == 60]

    answers = [hit(counter).limited for _ in range(3)]
    cache.delete_many(minute)  # a minute later
    answers += [hit(counter).limited for _ in range(2)]
    cache.delete_many(minute)  # another minute later
    answers += [hit(counter).limited]

    assert answers == [False, False, True, False, True, True]


def test_counters_live_in_the_cache_with_an_expiry_and_no_clear_identity():
    counter = Counter("t:keys", "000.00.12.H26-260213-0007", "5/15m")
    hit(counter)
    ((key, _window),) = counter.windows()

    assert cache.get(key) == 1
    assert "H26" not in key
    assert 0 < cache._cache.get_client().ttl(cache.make_and_validate_key(key)) <= 900


def test_concurrent_tries_never_let_more_than_the_limit_through():
    """The finding: 'check, then increment' let 5-7 of 20-30 concurrent wrong PINs through."""
    counter = Counter("t:race", "a", "5/15m")

    answers = _in_threads(30, lambda i: hit(counter).limited)

    assert answers.count(False) == 5


def test_with_redis_all_counters_of_a_request_are_one_atomic_pipeline(monkeypatch):
    """Not the cache API's ``add``/``incr`` one key at a time (Django's ``RedisCache.incr`` is
    EXISTS then INCRBY: not atomic, and not across counters)."""
    from django.core.cache.backends.redis import RedisCache

    def refuse(*args, **kwargs):
        raise AssertionError("the cache API was used")

    monkeypatch.setattr(RedisCache, "incr", refuse)
    monkeypatch.setattr(RedisCache, "add", refuse)
    narrow, wide = Counter("t:pipe-a", "a", "5/m"), Counter("t:pipe-b", "a", "20/m")

    answers = _in_threads(30, lambda i: hit(narrow, wide))

    assert not any(a.degraded for a in answers)
    assert [a.limited for a in answers].count(False) == 5


def test_concurrent_pin_tries_on_one_code_from_one_address_stop_at_the_limit_r_priv_1(settings):
    settings.TRACKING_RATE_PER_CODE_IP = "5/15m"
    settings.TRACKING_RATE_PER_CODE = "100/h"
    settings.TRACKING_FAILS_PER_IP = "100/h"
    settings.TRACKING_RATE_PER_IP = "100/m"

    answers = _in_threads(
        30, lambda i: throttling.pin_attempt(_request(), group="t", code="CODE-1").limited
    )

    assert answers.count(False) == 5


def test_concurrent_pin_tries_from_many_addresses_stop_at_the_code_ceiling_r_priv_1(settings):
    settings.TRACKING_RATE_PER_CODE_IP = "5/15m"
    settings.TRACKING_RATE_PER_CODE = "20/h"
    settings.TRACKING_FAILS_PER_IP = "100/h"
    settings.TRACKING_RATE_PER_IP = "100/m"

    answers = _in_threads(
        40,
        lambda i: (
            throttling.pin_attempt(_request(f"198.51.100.{i}"), group="t", code="CODE-2").limited
        ),
    )

    assert answers.count(False) == 20


def test_a_right_pin_is_not_a_failed_try(settings):
    settings.TRACKING_RATE_PER_CODE_IP = "2/15m"
    for _ in range(5):
        throttling.pin_right(throttling.pin_attempt(_request(), group="t", code="C"))

    answers = [throttling.pin_attempt(_request(), group="t", code="C").limited for _ in "123"]

    assert answers == [False, False, True]


def test_counters_key_on_the_client_ip_behind_a_trusted_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.1"

    def tries(forwarded):
        counter = throttling.ip_counter("t:proxy", _request(proxy, forwarded), "2/m")
        return [hit(counter).limited for _ in "123"]

    assert tries("192.0.2.1") == [False, False, True]
    assert tries("192.0.2.2") == [False, False, True]  # another client, not the proxy's count


# --- Redis down ----------------------------------------------------------------------------
@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }


def test_with_redis_down_limits_hold_per_process_and_never_raise(dead_redis, caplog):
    counter = Counter("t:down", "a", "3/m")

    started = time.monotonic()
    answers = [hit(counter) for _ in range(4)]

    assert [a.limited for a in answers] == [False, False, False, True]
    assert all(a.degraded for a in answers)
    assert answers[-1].retry_after > 0
    assert time.monotonic() - started < 2
    assert sum("Rate-limit counters unavailable" in r.message for r in caplog.records) == 1


def test_with_redis_down_concurrent_tries_still_stop_at_the_limit(dead_redis):
    counter = Counter("t:down-race", "a", "5/m")

    answers = _in_threads(30, lambda i: hit(counter).limited)

    assert answers.count(False) == 5


def test_redis_is_tried_again_after_an_outage(dead_redis, settings):
    counter = Counter("t:back", "a", "5/m")
    assert hit(counter).degraded
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    assert hit(counter).degraded  # remembered for OUTAGE_RETRY_SECONDS, no retry per request

    throttling._down_until = 0.0  # the pause is over

    assert not hit(counter).degraded


def test_other_cache_backends_count_through_the_cache_api(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    counter = Counter("t:locmem", "a", "2/m")

    answers = [hit(counter) for _ in "123"]

    assert [a.limited for a in answers] == [False, False, True]
    assert not any(a.degraded for a in answers)


def test_a_right_pin_still_counts_as_a_look_up_when_failure_limits_are_off(settings):
    settings.TRACKING_RATE_PER_IP = "2/m"
    settings.TRACKING_RATE_PER_CODE_IP = settings.TRACKING_RATE_PER_CODE = ""
    settings.TRACKING_FAILS_PER_IP = ""

    answers = []
    for _ in "123":
        attempt = throttling.pin_attempt(_request(), group="t", code="C")
        throttling.pin_right(attempt)
        answers.append(attempt.limited)

    assert answers == [False, False, True]
