"""Survey answers during a Redis outage (issue 13, docs/security.md "Redis and other faults"):
with a Redis server of the test's own killed, invitations are issued, the link page opens and
answers are stored through the page and the API within 2 s each; once Redis is back the outbox
flush delivers every invitation exactly once."""

from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import Notification
from portal.tasks import flush_outbox
from surveys import services
from surveys.models import Response
from tests.redis_outage import at_most, eager_celery
from tests.surveys.api_helpers import KIOSK_URL, as_text, by_token_url
from tests.surveys.helpers import APPLICANT, sheet_post

LIMIT = 2.0


def test_survey_answers_are_kept_while_redis_is_down(
    own_redis, make_dossier, small_form, desk, leader, django_capture_on_commit_callbacks, caplog
):
    first = make_dossier(applicant={**APPLICANT, "email": "first@example.test"})
    second = make_dossier(applicant={**APPLICANT, "email": "second@example.test"})
    _device, kiosk_token = services.kiosk_device_register(desk=desk, name="Quầy 1", actor=leader)
    own_redis.stop()

    # Callbacks on commit (the hand-off to the broker) run inside the timed blocks.
    with (
        at_most(1.0, "issuing two invitations (notification hand-off)"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page_token = services.invitation_create(dossier=first)
        api_token = services.invitation_create(dossier=second)
    client = APIClient()

    with at_most(LIMIT, "the survey link page"):
        assert client.get(reverse("surveys:answer", args=[page_token])).status_code == 200
    data = sheet_post(small_form.c, {"x1": 5, "x2": 4, "y1": 3}, form=small_form.form)
    data[f"question_{small_form.q['harassment'].pk}"] = "none"
    with (
        at_most(LIMIT, "an answer through the page"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("surveys:answer", args=[page_token]), data)
    assert response.status_code == 302, response.content[:500]

    with (
        at_most(LIMIT, "an answer through the API"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = APIClient().post(
            by_token_url(api_token),
            {"answers": as_text(small_form.c, {"x1": 4, "x2": 4, "y1": 4}), "channel": "qr"},
            format="json",
        )
    assert response.status_code == 201, response.content

    kiosk = APIClient()
    kiosk.credentials(HTTP_AUTHORIZATION=f"Kiosk {kiosk_token}")
    with at_most(LIMIT, "the kiosk form"):
        assert kiosk.get(KIOSK_URL).status_code == 200
    with at_most(LIMIT, "a kiosk answer"):
        response = kiosk.post(
            KIOSK_URL, {"answers": as_text(small_form.c, {"x1": 5, "y1": 4})}, format="json"
        )
    assert response.status_code == 201, response.content

    assert set(Response.objects.values_list("dossier_id", flat=True)) == {
        first.pk,
        second.pk,
        None,  # the kiosk's anonymous walk-in
    }
    invitations = Notification.objects.filter(object_type="survey_invitation")
    assert invitations.filter(status="pending").count() == invitations.count() >= 2
    assert "broker unavailable" in caplog.text  # the hand-off was tried, failed fast, logged

    own_redis.start()
    mail.outbox.clear()
    with eager_celery():
        flush_outbox()
        flush_outbox()
    assert not invitations.exclude(status="sent").exists()
    subjects = set(invitations.values_list("subject", flat=True))
    invited = sorted(m.to[0] for m in mail.outbox if m.subject in subjects)
    assert invited == ["first@example.test", "second@example.test"]  # each once
