"""Redis outages survived (issue 13, docs/security.md "Redis and other faults"): a Redis server
of the test's own is killed, then staff sign in, receive dossiers, citizens track them by code
and PIN and by the QR link, and an API token is issued; every answer comes within 2 s, nothing
is lost, and once Redis is back the outbox flush delivers every notification exactly once."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Dossier
from dossiers.tracking.tokens import make_tracking_token
from portal.models import Notification
from portal.tasks import flush_outbox
from tests.dossiers.helpers import APPLICANT
from tests.dossiers.pages import intake_data
from tests.helpers import PASSWORD
from tests.redis_outage import at_most, eager_celery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

LIMIT = 2.0  # seconds: no answer slower than this while Redis is down


def test_staff_and_citizens_are_served_while_redis_is_down(
    own_redis, tracked, desk, procedure, django_capture_on_commit_callbacks, caplog
):
    dossier, pin = tracked
    own_redis.stop()
    staff, citizen = APIClient(), APIClient()

    with at_most(LIMIT, "the sign-in page"):
        assert staff.get(reverse("login")).status_code == 200
    with at_most(LIMIT, "a wrong password"):  # django-axes records it in the database
        response = staff.post(reverse("login"), {"username": "alice", "password": "wrong-1234"})
    assert response.status_code == 200 and AccessAttempt.objects.filter(username="alice").exists()
    with at_most(LIMIT, "signing in"):
        response = staff.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")

    for i in range(3):
        # Callbacks on commit (the hand-off to the broker) run inside the timed block.
        with (
            at_most(LIMIT, f"intake {i + 1}"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = staff.post(
                reverse("dossiers:intake"),
                intake_data(desk, procedure, applicant_email=f"citizen{i}@example.test"),
            )
        assert response.status_code == 302, response.content[:500]

    with at_most(LIMIT, "the tracking form"):
        assert citizen.get("/tra-cuu/").status_code == 200
    with at_most(LIMIT, "a tracking look-up"):
        response = citizen.post("/tra-cuu/", {"code": dossier.code, "pin": pin}, follow=True)
    assert response.status_code == 200 and dossier.code in response.content.decode()
    with at_most(LIMIT, "the QR link"):
        response = citizen.get(f"/tra-cuu/t/{make_tracking_token(dossier)}/", follow=True)
    assert response.status_code == 200 and dossier.code in response.content.decode()

    with at_most(LIMIT, "the token endpoint"):
        response = APIClient().post(
            "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
        )
    assert response.status_code in (200, 201), response.content

    with at_most(LIMIT, "the readiness check"):
        response = citizen.get("/readyz")
    checks = response.json()["checks"]
    assert response.status_code == 503
    assert (checks["database"]["status"], checks["cache"]["status"]) == ("ok", "down")
    assert checks["broker"]["status"] == "down"
    assert citizen.get("/healthz").status_code == 200  # liveness: the process is fine

    # Every dossier kept, every message waiting in the outbox (the promise), none sent yet.
    emails = [f"citizen{i}@example.test" for i in range(3)]
    assert Dossier.objects.filter(applicant_email__in=emails).count() == 3
    pending = Notification.objects.filter(object_type="dossier", status="pending")
    received = pending.filter(dedupe_key__contains=":received:")
    assert received.count() == 4 * 2  # the tracked dossier's and the three new: email and SMS
    assert "broker unavailable" in caplog.text  # the hand-off was tried, failed fast, logged

    own_redis.start()
    assert citizen.get("/readyz").status_code == 200
    mail.outbox.clear()
    with eager_celery():
        flush_outbox()
        flush_outbox()  # a second flush finds nothing left to send
    assert not Notification.objects.exclude(status="sent").filter(object_type="dossier").exists()
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted([*emails, dossier.applicant_email])


def test_wrong_pins_are_still_limited_while_redis_is_down(own_redis, tracked, settings):
    """The stated degradation: counters move to each web process while Redis is down, so the
    per-code limit still stops guessing (at worst the limit times the number of processes)."""
    settings.TRACKING_RATE_PER_CODE = "3/15m"
    dossier, pin = tracked
    own_redis.stop()
    client = APIClient()

    answers = []
    for _ in range(5):
        with at_most(LIMIT, "a wrong PIN"):
            answers.append(client.post("/tra-cuu/", {"code": dossier.code, "pin": "000000"}))
    assert [a.status_code for a in answers] == [303, 303, 303, 429, 429]
    assert answers[-1].status_code == 429
    with at_most(LIMIT, "the right PIN once limited"):
        response = client.post("/tra-cuu/", {"code": dossier.code, "pin": pin})
    assert response.status_code == 429  # the limit holds for the right PIN too


def test_notification_hand_off_never_waits_on_a_dead_broker(
    own_redis, receive, django_capture_on_commit_callbacks, caplog
):
    """Without the fix the hand-off retried for about 20 s inside the request. After one
    failure the process skips the broker for a while (no connect attempt at all)."""
    own_redis.stop()
    for n in range(3):
        with (
            at_most(1.0, "receiving a dossier with the broker down"),
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            dossier, _pin = receive(applicant={**APPLICANT, "email": f"b{n}@example.test"})
        assert callbacks  # the hand-off ran
        assert Notification.objects.filter(object_id=str(dossier.pk), status="pending").exists()
    assert caplog.text.count("broker unavailable") == 1
