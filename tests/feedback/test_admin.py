"""Admin: rules, categories and units' settings are edited there; items are read-only and
their actions go through the services (a refusal is shown, nothing else changes)."""

import pytest
from django.urls import reverse

from feedback import services
from feedback.models import Item, Status
from tests.factories import UserFactory
from tests.helpers import at


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "name", ["item", "deadlinerule", "category", "unitsettings", "publication"]
)
def test_changelists_load(client, root, submit, name):
    submit()
    client.force_login(root)
    assert client.get(reverse(f"admin:feedback_{name}_changelist")).status_code == 200


def test_an_item_page_is_read_only(client, root, submit):
    item, _ = submit()
    client.force_login(root)
    response = client.get(reverse("admin:feedback_item_change", args=[item.pk]))
    assert response.status_code == 200
    assert b"pin_hash" not in response.content
    assert b'name="body"' not in response.content


def test_close_action_goes_through_the_service(client, root, submit, officer):
    answered, _ = submit()
    services.feedback_reply(item=answered, actor=officer, text="A", at=at(2026, 3, 3, 9))
    still_open, _ = submit()
    client.force_login(root)
    client.post(
        reverse("admin:feedback_item_changelist"),
        {"action": "close_answered", "_selected_action": [answered.pk, still_open.pk]},
    )
    assert Item.objects.get(pk=answered.pk).status == Status.CLOSED
    assert Item.objects.get(pk=still_open.pk).status == Status.RECEIVED
    assert Item.objects.get(pk=answered.pk).events.filter(kind="closed", actor=root).exists()
