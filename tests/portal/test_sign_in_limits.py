"""Sign-in limits behind a reverse proxy (issue 13): django-axes locks the pair user name + real
client (``portal.http.client_ip`` with ``DJANGO_NUM_PROXIES``), not user name + proxy, so five
wrong passwords from an attacker do not lock the real user out; every sign-in POST also counts
per client address (``LOGIN_RATE_PER_IP``); a dead Redis never turns sign-in into a 500."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.helpers import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

LOGIN = reverse("login")
TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.1"  # the reverse proxy: every request reaches Django from here
ATTACKER = "192.0.2.66"
ALICE_AT_HOME = "198.51.100.5"


@pytest.fixture
def behind_a_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def _sign_in(client, password, client_ip, username="alice"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def test_wrong_passwords_from_an_attacker_do_not_lock_the_user_out_behind_a_proxy(
    alice, behind_a_proxy
):
    attacker = Client()
    answers = [_sign_in(attacker, f"guess-{n}", ATTACKER).status_code for n in range(5)]

    own = Client()
    response = _sign_in(own, PASSWORD, ALICE_AT_HOME)

    assert answers == [200] * 4 + [429]  # the attacker's pair is locked
    assert _sign_in(attacker, PASSWORD, ATTACKER).status_code == 429
    assert response.status_code == 302
    assert own.session[SESSION_KEY] == str(alice.pk)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_forged_forwarded_for_does_not_dodge_the_lockout_without_a_trusted_proxy(alice):
    client = Client()
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "alice", "password": f"guess-{n}"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )

    assert response.status_code == 429


def test_the_token_endpoint_locks_only_the_attackers_pair_behind_a_proxy(alice, behind_a_proxy):
    attacker = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    for n in range(5):
        attacker.post(TOKEN_URL, {"username": "alice", "password": f"guess-{n}"})

    own = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ALICE_AT_HOME)
    response = own.post(TOKEN_URL, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    assert "token" in response.json()


def test_sign_in_posts_are_limited_per_client_address_whatever_the_user_name(
    alice, settings, behind_a_proxy
):
    settings.LOGIN_RATE_PER_IP = "3/m"
    client = Client()
    answers = [
        _sign_in(client, "wrong", ATTACKER, username=f"user{n}").status_code for n in range(3)
    ]

    limited = _sign_in(client, PASSWORD, ATTACKER)
    elsewhere = _sign_in(Client(), PASSWORD, ALICE_AT_HOME)

    assert answers == [200, 200, 200]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "registration/rate_limited.html" in [t.name for t in limited.templates]
    assert elsewhere.status_code == 302


def test_sign_in_works_while_redis_is_down(alice, dead_redis):
    """The per-address count moves to the process (portal.throttling); axes keeps its count
    in PostgreSQL, so the lock-out still holds."""
    wrong = [Client().post(LOGIN, {"username": "alice", "password": "x"}) for _ in range(5)]
    right = Client().post(LOGIN, {"username": "alice", "password": PASSWORD})
    token = APIClient().post(TOKEN_URL, {"username": "bob", "password": "x"})

    assert [r.status_code for r in wrong] == [200] * 4 + [429]
    assert right.status_code == 429  # still locked: axes does not need Redis
    assert token.status_code == 400
