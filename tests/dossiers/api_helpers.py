"""Helpers shared by the dossier API tests (tests/dossiers/test_api_*.py)."""

from django.utils import timezone
from rest_framework.test import APIClient

from dossiers import services
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    Pause,
    Refusal,
    Reschedule,
    Step,
    Withdrawal,
)
from portal.models import ApiToken, Counter, Notification, Role
from portal.services import api_token_create
from tests.dossiers.helpers import APPLICANT
from tests.factories import DeskFactory, MembershipFactory, UserFactory
from tests.helpers import at

DOSSIERS_URL = "/api/v1/dossiers/"
PROCEDURES_URL = "/api/v1/procedures/"


def signed_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def with_token(user):
    client = APIClient()
    token, key = api_token_create(user=user, actor=None)
    # As if just used: the first request would otherwise also record last_used_at, one write
    # that the query-count tests would see (it happens at most once a minute per token).
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def detail_url(dossier, suffix=""):
    return f"{DOSSIERS_URL}{dossier.pk}/{suffix}"


def listed_codes(response):
    assert response.status_code == 200, response.content
    return sorted(d["code"] for d in response.json()["results"])


def desks_of_three_communes(tree, desk, procedure, charlie):
    """Desk A1 (the ``desk`` fixture, Alice's), a desk at Commune A2 with its receptionist
    Ann, and Charlie's desk at Commune B1, all offering ``procedure``."""
    a2 = tree["commune_a2"]
    a2.agency_code = "000.01.04.H26"
    a2.save()
    b1 = tree["commune_b1"]
    b1.agency_code = "000.02.37.H26"
    b1.save()
    ann = UserFactory(username="ann")
    MembershipFactory(user=ann, unit=a2, role=Role.RECEPTIONIST)
    desk_a2, desk_b1 = DeskFactory(unit=a2), DeskFactory(unit=b1)
    procedure.desks.add(desk_a2, desk_b1)
    return {
        "a1": (desk, None),
        "a2": (desk_a2, ann),
        "b1": (desk_b1, charlie),
    }


def receive_at(desk, procedure, actor, when, **kwargs):
    dossier, _pin = services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant=dict(APPLICANT),
        actor=actor,
        received_at=when,
        documents=[{"name": "Tờ khai", "is_original": True, "quantity": 1}],
        **kwargs,
    )
    return dossier


def database_snapshot():
    """Row counts of everything a dossier write touches, to show a refused request changed
    nothing."""
    models = (
        Dossier,
        DossierDocument,
        DossierEvent,
        Step,
        Pause,
        Refusal,
        Withdrawal,
        Reschedule,
        Counter,
        Notification,
    )
    counters = {c.key: c.value for c in Counter.objects.all()}
    return {m.__name__: m.objects.count() for m in models} | {"counters": counters}


def dossier_state(dossier):
    """The mutable fields of a dossier, to compare before and after a refused action."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    return {
        field.name: getattr(fresh, field.attname)
        for field in Dossier._meta.concrete_fields
        if field.name != "id"
    }


__all__ = ["APPLICANT", "at"]
