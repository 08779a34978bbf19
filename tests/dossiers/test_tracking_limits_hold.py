"""The tracking page's limits hold under concurrency and through a Redis outage (issue 13;
docs/security.md, "Abuse limits"): 30 wrong PINs sent at once on one code from one address
let exactly the limit through to the PIN check, and a dead Redis gives answers, not 500s."""

import threading

from django.db import connection
from django.test import Client

from dossiers.tracking.tokens import make_tracking_token

LOOKUP = "/tra-cuu/"
RESULT = "/tra-cuu/ket-qua/"


def _concurrently(n, work):
    barrier = threading.Barrier(n)
    answers = [None] * n

    def run(i):
        try:
            barrier.wait()
            answers[i] = work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_thirty_concurrent_wrong_pins_let_exactly_five_through_r_priv_1(
    transactional_db, tracked, settings, fresh_rate_limits, clean_outage_state
):
    """The finding: 'check, then increment' let 5-7 of 20-30 concurrent tries through."""
    settings.TRACKING_RATE_PER_CODE_IP = "5/15m"
    dossier, pin = tracked
    wrong = "000000" if pin != "000000" else "111111"

    answers = _concurrently(
        30,
        lambda i: Client().post(LOOKUP, {"code": dossier.code, "pin": wrong}).status_code,
    )

    assert sorted(answers) == [303] * 5 + [429] * 25


def test_with_redis_down_tracking_answers_and_still_limits(db, tracked, dead_redis, settings):
    dossier, pin = tracked
    client = Client()
    wrong = [client.post(LOOKUP, {"code": dossier.code, "pin": "x"}) for _ in range(6)]
    right = Client().post(LOOKUP, {"code": dossier.code, "pin": pin}, REMOTE_ADDR="10.9.0.1")
    qr = Client().get(f"/tra-cuu/t/{make_tracking_token(dossier)}/")

    assert [r.status_code for r in wrong] == [303] * 5 + [429]
    assert (right.status_code, right["Location"]) == (303, RESULT)
    assert qr.status_code == 200
