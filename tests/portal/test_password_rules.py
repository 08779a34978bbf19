"""Password validators (settings.AUTH_PASSWORD_VALIDATORS) guard the admin's user creation form."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD_USER = reverse("admin:auth_user_add")


@pytest.fixture
def admin_client_vi(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _add_user(client, password):
    return client.post(
        ADD_USER,
        {
            "username": "nguyenvandung",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1-xyz", "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự."),
        ("password123", "Mật khẩu này quá phổ biến"),
        ("4829301758", "Mật khẩu này hoàn toàn là số"),
        ("nguyenvandung1", "Mật khẩu quá giống với Tên đăng nhập"),
    ],
)
def test_weak_password_is_refused_with_a_vietnamese_reason(admin_client_vi, password, message):
    users_before = get_user_model().objects.count()

    response = _add_user(admin_client_vi, password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(username="nguyenvandung").exists()


def test_strong_password_creates_the_user(admin_client_vi):
    response = _add_user(admin_client_vi, "quay-giao-dich-7241")

    assert response.status_code == 302
    user = get_user_model().objects.get(username="nguyenvandung")
    assert user.check_password("quay-giao-dich-7241")
