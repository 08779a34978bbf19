"""The demo feedback is made through the real services, gives a realistic mix and is
idempotent and deterministic."""

from feedback import demo
from feedback.models import Event, Item, Publication, Status
from portal.models import Role
from tests.factories import DeskFactory, MembershipFactory, UserFactory
from tests.helpers import at

NOW = at(2026, 11, 20, 12)


def _second_commune(tree):
    unit = tree["commune_a2"]
    DeskFactory(unit=unit)
    for role in (Role.RECEPTIONIST, Role.OFFICER):
        MembershipFactory(user=UserFactory(username=f"a2-{role}"), unit=unit, role=role)
    return unit


def test_demo_seed_makes_a_year_of_every_kind_and_channel_and_is_idempotent(
    desk, alice, officer, leader, tree
):
    _second_commune(tree)
    desks = list(type(desk).objects.all())
    made = demo.seed_feedback(desks=desks, count=160, days=365, now=NOW)
    assert made >= 150
    assert Item.objects.filter(is_demo=True).count() == made
    assert {"feedback", "suggestion", "conduct", "complaint", "denunciation"} == set(
        Item.objects.values_list("kind", flat=True)
    )
    assert {"web", "kiosk", "hotline", "letter", "email", "in_person"} == set(
        Item.objects.values_list("channel", flat=True)
    )
    statuses = set(Item.objects.values_list("status", flat=True))
    assert {Status.ANSWERED, Status.CLOSED, Status.TRANSFERRED} <= statuses
    assert Item.objects.filter(transfer_late=True).exists()
    assert Item.objects.filter(answered_on_time=False).exists()
    assert Publication.objects.exists()
    assert not Item.objects.filter(received_at__gt=NOW).exists()
    assert not Event.objects.filter(at__gt=NOW).exists()
    assert demo.seed_feedback(desks=desks, count=160, days=365, now=NOW) == 0
