"""The signed-in user's memberships are read once per request (``portal.request_memo``, issue
14), with the same answers as the queries they replace (R-UNIT-3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import request_memo, selectors
from portal.models import Membership, Role
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    district = UnitFactory()
    commune = UnitFactory(parent=district)
    other = UnitFactory()
    return district, commune, other


def _grant(user, unit, role, covers=False):
    return Membership.objects.create(user=user, unit=unit, role=role, covers_descendants=covers)


def _answers(user, units):
    return (
        [selectors.user_can_see_unit(user=user, unit=u) for u in units],
        [selectors.user_can_see_unit(user=user, unit=u, roles=[Role.LEADER]) for u in units],
        sorted(selectors.visible_units(user=user).values_list("pk", flat=True)),
        sorted(
            selectors.visible_units(user=user, roles=[Role.OFFICER]).values_list("pk", flat=True)
        ),
        selectors.user_roles(user=user),
    )


def test_inside_a_request_the_answers_are_those_of_the_queries(tree):
    district, commune, other = tree
    user = UserFactory()
    _grant(user, district, Role.LEADER, covers=True)
    _grant(user, other, Role.OFFICER)
    units = [district, commune, other, UnitFactory()]
    outside = _answers(user, units)
    with request_memo.request_scope():
        inside = _answers(user, units)
    assert inside == outside
    assert outside[0] == [True, True, True, False]
    assert outside[1] == [True, True, False, False]


def test_one_membership_read_per_request(tree):
    district, _commune, _other = tree
    user = UserFactory()
    _grant(user, district, Role.RECEPTIONIST)
    with request_memo.request_scope(), CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            selectors.user_can_see_unit(user=user, unit=district)
            selectors.user_roles(user=user)
            selectors.unit_scope_q(user=user, roles=[Role.RECEPTIONIST])
    assert len(queries) == 1


def test_a_membership_granted_during_the_request_is_seen(tree):
    _district, _commune, other = tree
    user = UserFactory()
    with request_memo.request_scope():
        assert not selectors.user_can_see_unit(user=user, unit=other)
        membership = _grant(user, other, Role.OFFICER)
        assert selectors.user_can_see_unit(user=user, unit=other)
        membership.delete()
        assert not selectors.user_can_see_unit(user=user, unit=other)


def test_outside_a_request_nothing_is_remembered(tree):
    _district, _commune, other = tree
    user = UserFactory()
    assert not selectors.user_can_see_unit(user=user, unit=other)
    Membership.objects.bulk_create([Membership(user=user, unit=other, role=Role.OFFICER)])
    assert selectors.user_can_see_unit(user=user, unit=other)  # no signal, and no memo


def test_pages_run_inside_the_scope(client, tree):
    district, _commune, _other = tree
    user = UserFactory()
    _grant(user, district, Role.RECEPTIONIST)
    client.force_login(user)
    seen = []
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "portal.request_memo.RequestMemoMiddleware"
    original = request_memo.remembered

    def spy(key, compute):
        seen.append(request_memo.active())
        return original(key, compute)

    request_memo.remembered = spy
    try:
        client.get("/dossiers/")
    finally:
        request_memo.remembered = original
    assert seen and all(seen)
