"""API tokens are stored hashed (DESIGN.md: "PINs and tokens stored hashed"): the key is shown
once, only its SHA-256 is kept, and revoked or expired tokens are refused."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.exceptions import DomainError
from portal.models import ApiToken, AuditLog
from portal.services import api_token_create, api_token_revoke
from tests.factories import UserFactory

UNITS_URL = "/api/v1/units/"

pytestmark = pytest.mark.usefixtures("cleared_cache")


def with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_issued_token_authenticates(tree, alice):
    _token, key = api_token_create(user=alice, actor=alice)
    response = with_key(key).get(UNITS_URL)
    assert response.status_code == 200
    assert [u["name"] for u in response.json()["results"]] == ["Phường Phúc Xá"]


def test_stored_row_contains_no_raw_key(tree, alice):
    token, key = api_token_create(user=alice, actor=alice)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(value) for value in row.values())
    assert row["key_hash"] == ApiToken.hash_key(key)
    assert len(row["key_hash"]) == 64
    assert row["prefix"] == key[:8]
    # Nor does the audit row.
    entry = AuditLog.objects.get(action="api_token.create")
    assert key not in str(entry.data)
    assert entry.data["prefix"] == key[:8]


def test_revoked_token_is_refused(tree, alice, bob):
    token, key = api_token_create(user=alice, actor=alice)
    api_token_revoke(token=token, actor=bob)
    response = with_key(key).get(UNITS_URL)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    entry = AuditLog.objects.get(action="api_token.revoke")
    assert (entry.actor, entry.object_id) == (bob, str(token.pk))


def test_revoking_twice_is_refused_and_changes_nothing(tree, alice):
    token, _key = api_token_create(user=alice, actor=alice)
    api_token_revoke(token=token, actor=alice)
    revoked_at = ApiToken.objects.get().revoked_at
    with pytest.raises(DomainError) as error:
        api_token_revoke(token=token, actor=alice)
    assert error.value.code == "token_revoked"
    assert ApiToken.objects.get().revoked_at == revoked_at
    assert AuditLog.objects.filter(action="api_token.revoke").count() == 1


def test_expired_token_is_refused(tree, alice):
    _token, key = api_token_create(
        user=alice, actor=alice, expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert with_key(key).get(UNITS_URL).status_code == 401


def test_token_not_yet_expired_works(tree, alice):
    _token, key = api_token_create(
        user=alice, actor=alice, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert with_key(key).get(UNITS_URL).status_code == 200


def test_token_of_inactive_user_is_refused(tree, alice):
    _token, key = api_token_create(user=alice, actor=alice)
    alice.is_active = False
    alice.save()
    response = with_key(key).get(UNITS_URL)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_inactive_user_cannot_be_issued_a_token(tree, alice):
    alice.is_active = False
    alice.save()
    with pytest.raises(DomainError):
        api_token_create(user=alice, actor=None)
    assert not ApiToken.objects.exists()
    assert not AuditLog.objects.exists()


def test_new_token_revokes_the_previous_one(tree, alice, bob):
    first, first_key = api_token_create(user=alice, actor=alice)
    bobs, bobs_key = api_token_create(user=bob, actor=bob)
    second, second_key = api_token_create(user=alice, actor=alice)

    first.refresh_from_db()
    bobs.refresh_from_db()
    assert first.revoked_at is not None
    assert bobs.revoked_at is None  # another user's token is untouched
    assert with_key(first_key).get(UNITS_URL).status_code == 401
    assert with_key(second_key).get(UNITS_URL).status_code == 200
    assert with_key(bobs_key).get(UNITS_URL).status_code == 200
    entry = AuditLog.objects.get(action="api_token.create", object_id=str(second.pk))
    assert entry.data["revoked"] == [first.pk]


def test_last_used_at_is_set_then_refreshed_at_most_once_a_minute(tree, alice):
    token, key = api_token_create(user=alice, actor=alice)
    assert token.last_used_at is None
    client = with_key(key)

    client.get(UNITS_URL)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    client.get(UNITS_URL)
    token.refresh_from_db()
    assert token.last_used_at == first_use  # within the minute: no write

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    client.get(UNITS_URL)
    token.refresh_from_db()
    assert token.last_used_at > first_use - dt.timedelta(minutes=2)


def test_management_command_prints_a_working_key(tree, alice):
    out = StringIO()
    call_command("api_token", "alice", stdout=out)
    key = out.getvalue().strip()
    assert ApiToken.objects.get(user=alice).key_hash == ApiToken.hash_key(key)
    assert with_key(key).get(UNITS_URL).status_code == 200


def test_management_command_refuses_an_unknown_user(tree):
    with pytest.raises(CommandError):
        call_command("api_token", "nobody", stdout=StringIO())
    assert not ApiToken.objects.exists()


@pytest.fixture
def superuser(tree):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_lists_tokens_without_keys_and_revokes_them(client, superuser, alice, bob):
    token, key = api_token_create(user=alice, actor=alice)
    client.force_login(superuser)

    changelist = client.get(reverse("admin:portal_apitoken_changelist"))
    change = client.get(reverse("admin:portal_apitoken_change", args=[token.pk]))
    for page in (changelist, change):
        assert page.status_code == 200
        assert key.encode() not in page.content
        assert token.key_hash.encode() not in page.content
        assert token.prefix.encode() in page.content
    assert client.get(reverse("admin:portal_apitoken_add")).status_code == 403

    response = client.post(
        reverse("admin:portal_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditLog.objects.get(action="api_token.revoke").actor == superuser
    assert with_key(key).get(UNITS_URL).status_code == 401


def test_migration_carries_drf_tokens_over_hashed(tree, alice):
    """A database upgraded from ``rest_framework.authtoken`` keeps its clients working."""
    import importlib

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("portal.migrations.0002_api_token")
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [old_key, timezone.now() - dt.timedelta(days=3), alice.pk],
        )
    with connection.schema_editor() as schema_editor:
        migration.import_drf_tokens(apps, schema_editor)

    token = ApiToken.objects.get()
    assert (token.user, token.prefix) == (alice, old_key[:8])
    assert token.created_at < timezone.now() - dt.timedelta(days=2)
    assert with_key(old_key).get(UNITS_URL).status_code == 200
