"""Signing in and out: the login page, wrong passwords, lock-out (django-axes), POST-only logout."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
LOGOUT = reverse("logout")


def _sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_receptionist_signs_in_and_lands_on_home(client, alice):
    response = _sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_wrong_password_shows_a_vietnamese_error_and_signs_nobody_in(client, alice):
    response = _sign_in(client, "alice", "not-her-password-1")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác" in html
    assert 'role="alert"' in html


def test_wrong_password_error_is_english_when_english_is_chosen(client, alice):
    client.cookies["django_language"] = "en"

    response = _sign_in(client, "alice", "not-her-password-1")

    assert "Please enter a correct username and password" in response.content.decode()


def test_account_is_locked_after_five_failures_even_for_the_right_password(client, alice):
    for attempt in range(1, 5):
        response = _sign_in(client, "alice", f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt

    fifth = _sign_in(client, "alice", "wrong-password-5")
    assert fifth.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in fifth.templates]

    locked = _sign_in(client, "alice", PASSWORD)
    assert locked.status_code == 429
    assert SESSION_KEY not in client.session
    html = locked.content.decode()
    assert "Tài khoản bị tạm khóa" in html
    assert "sau 5 lần nhập sai" in html
    assert "sau 30 phút" in html


def test_four_failures_do_not_lock_the_account(client, alice):
    for attempt in range(1, 5):
        _sign_in(client, "alice", f"wrong-password-{attempt}")

    response = _sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_lockout_of_one_account_leaves_another_account_alone(client, alice, bob):
    for attempt in range(1, 6):
        _sign_in(client, "alice", f"wrong-password-{attempt}")

    response = _sign_in(client, "bob", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(bob.pk)


def test_logout_by_get_is_refused(client, alice):
    client.force_login(alice)

    response = client.get(LOGOUT)

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_logout_by_post_signs_out_and_says_so(client, alice):
    client.force_login(alice)

    response = client.post(LOGOUT, follow=True)

    assert response.redirect_chain[-1] == (LOGIN, 302)
    assert SESSION_KEY not in client.session
    assert "Bạn đã đăng xuất." in response.content.decode()


def test_logout_without_csrf_token_is_refused(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)

    response = strict.post(LOGOUT)

    assert response.status_code == 403
    assert strict.session[SESSION_KEY] == str(alice.pk)


def test_signed_in_user_visiting_login_goes_home(client, alice):
    client.force_login(alice)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_home_requires_sign_in(client):
    """The staff home (at / once signed in, and at its own address) asks for a sign-in; a
    visitor who is not signed in gets the citizens' front door at / instead."""
    response = client.get(reverse("staff_home"))

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
