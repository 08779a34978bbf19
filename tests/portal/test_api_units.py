"""The units endpoint: read-only, scoped by role (R-UNIT-3), filtered, paginated."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.models import ApiToken, UnitLevel
from portal.services import api_token_create
from tests.factories import UnitFactory, UnitTreeFactory, UserFactory
from tests.helpers import PASSWORD

UNITS_URL = "/api/v1/units/"
TOKEN_URL = "/api/v1/auth/token/"


pytestmark = pytest.mark.usefixtures("cleared_cache")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def superuser(tree):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def signed_in(user):
    client = APIClient()
    client.force_login(user)
    return client


def listed_names(response):
    assert response.status_code == 200, response.content
    return sorted(unit["name"] for unit in response.json()["results"])


def test_receptionist_sees_only_her_commune(tree, alice):
    """R-UNIT-3: a role at a commune covers that commune only."""
    assert listed_names(signed_in(alice).get(UNITS_URL)) == ["Phường Phúc Xá"]


def test_district_leader_sees_district_and_its_communes_but_not_other_district(tree, bob):
    """R-UNIT-3: a role granted with descendants covers the district and its communes only."""
    assert listed_names(signed_in(bob).get(UNITS_URL)) == [
        "Phường Phúc Xá",
        "Phường Trúc Bạch",
        "Quận Ba Đình",
    ]


def test_outsider_sees_only_own_commune(tree, charlie):
    """R-UNIT-3: Charlie at B1 sees nothing of district A."""
    assert listed_names(signed_in(charlie).get(UNITS_URL)) == ["Phường Phúc Tân"]


def test_superuser_sees_every_unit(tree, superuser):
    response = signed_in(superuser).get(UNITS_URL)
    assert response.json()["count"] == 6
    assert len(listed_names(response)) == 6


def test_user_without_roles_sees_no_unit(tree):
    response = signed_in(UserFactory(username="nobody")).get(UNITS_URL)
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_anonymous_request_is_refused_with_401(tree, api):
    response = api.get(UNITS_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert "results" not in response.json()


def test_anonymous_detail_is_refused_with_401(tree, api):
    assert api.get(f"{UNITS_URL}{tree['commune_a1'].pk}/").status_code == 401


def test_unit_fields_and_children_count(tree, bob):
    district_a, commune_a1 = tree["district_a"], tree["commune_a1"]
    client = signed_in(bob)
    assert client.get(f"{UNITS_URL}{commune_a1.pk}/").json() == {
        "id": commune_a1.pk,
        "tree": "legacy",
        "parent": district_a.pk,
        "level": "commune",
        "code": "00001",
        "name": "Phường Phúc Xá",
        "division_type": "",
        "valid_from": None,
        "valid_to": None,
        "children_count": 0,
    }
    district = client.get(f"{UNITS_URL}{district_a.pk}/").json()
    assert district["parent"] == tree["city"].pk
    assert district["children_count"] == 2


def test_children_count_counts_children_the_caller_cannot_see(tree, superuser):
    """The count is a fact of the tree (public administrative data), not of the caller's roles:
    the city has two districts, even for someone who sees only the city."""
    from tests.factories import MembershipFactory

    mayor = UserFactory(username="mayor")
    MembershipFactory(user=mayor, unit=tree["city"], role="leader", covers_descendants=False)
    response = signed_in(mayor).get(UNITS_URL)
    assert [(u["name"], u["children_count"]) for u in response.json()["results"]] == [
        ("Thành phố Hà Nội", 2)
    ]


def test_unit_outside_scope_is_404_like_a_missing_one(tree, alice):
    """R-UNIT-3: a unit outside Alice's commune answers exactly like one that does not exist,
    so its existence is not revealed."""
    client = signed_in(alice)
    hidden = client.get(f"{UNITS_URL}{tree['commune_b1'].pk}/")
    missing = client.get(f"{UNITS_URL}999999/")
    parent_district = client.get(f"{UNITS_URL}{tree['district_a'].pk}/")
    assert hidden.status_code == missing.status_code == parent_district.status_code == 404
    assert hidden.json() == missing.json() == parent_district.json()
    assert hidden.json()["code"] == "not_found"


def test_district_leader_cannot_open_other_district(tree, bob):
    """R-UNIT-3."""
    client = signed_in(bob)
    assert client.get(f"{UNITS_URL}{tree['district_b'].pk}/").status_code == 404
    assert client.get(f"{UNITS_URL}{tree['commune_b1'].pk}/").status_code == 404
    assert client.get(f"{UNITS_URL}{tree['city'].pk}/").status_code == 404


def test_endpoint_is_read_only(tree, superuser):
    client = signed_in(superuser)
    unit = tree["commune_a1"]
    assert client.post(UNITS_URL, {"name": "X"}, format="json").status_code == 405
    assert client.patch(f"{UNITS_URL}{unit.pk}/", {"name": "X"}, format="json").status_code == 405
    assert client.delete(f"{UNITS_URL}{unit.pk}/").status_code == 405
    unit.refresh_from_db()
    assert unit.name == "Phường Phúc Xá"


def test_filter_by_level(tree, bob):
    response = signed_in(bob).get(UNITS_URL, {"level": "commune"})
    assert listed_names(response) == ["Phường Phúc Xá", "Phường Trúc Bạch"]


def test_filter_by_unknown_level_is_rejected(tree, bob):
    response = signed_in(bob).get(UNITS_URL, {"level": "province"})
    assert response.status_code == 400
    assert set(response.json()) == {"level"}


def test_filter_by_parent(tree, bob, superuser):
    client = signed_in(bob)
    assert listed_names(client.get(UNITS_URL, {"parent": tree["district_a"].pk})) == [
        "Phường Phúc Xá",
        "Phường Trúc Bạch",
    ]
    assert listed_names(signed_in(superuser).get(UNITS_URL, {"parent": tree["district_b"].pk})) == [
        "Phường Phúc Tân"
    ]


def test_filter_by_hidden_parent_gives_empty_list_not_an_error(tree, bob):
    """R-UNIT-3: asking for the children of another district neither lists them nor says
    whether that district exists."""
    client = signed_in(bob)
    hidden = client.get(UNITS_URL, {"parent": tree["district_b"].pk})
    missing = client.get(UNITS_URL, {"parent": 999999})
    assert hidden.status_code == missing.status_code == 200
    assert hidden.json() == missing.json()
    assert hidden.json()["count"] == 0


def test_filter_by_parent_rejects_a_non_integer(tree, bob):
    for value in ["1.5", "abc"]:
        response = signed_in(bob).get(UNITS_URL, {"parent": value})
        assert response.status_code == 400
        assert set(response.json()) == {"parent"}


def test_filter_by_code(tree, superuser):
    assert listed_names(signed_in(superuser).get(UNITS_URL, {"code": "00004"})) == [
        "Phường Trúc Bạch"
    ]


def test_filter_by_tree(tree, superuser):
    two_level = UnitTreeFactory(code="current", name="Hai cấp", levels=2, valid_to=None)
    UnitFactory(tree=two_level, level=UnitLevel.CITY, code="01", name="Thành phố Hà Nội (mới)")
    client = signed_in(superuser)
    assert listed_names(client.get(UNITS_URL, {"tree": "current"})) == ["Thành phố Hà Nội (mới)"]
    assert client.get(UNITS_URL, {"tree": "legacy"}).json()["count"] == 6


def test_filter_valid_on_a_day(tree, superuser):
    """R-UNIT-1: units carry validity dates; ``valid_on`` keeps those that exist that day."""
    district_a = tree["district_a"]
    merged = UnitFactory(
        parent=district_a,
        level=UnitLevel.COMMUNE,
        code="00007",
        name="Phường Cũ",
        valid_from=dt.date(2000, 1, 1),
        valid_to=dt.date(2019, 12, 31),
    )
    new = UnitFactory(
        parent=district_a,
        level=UnitLevel.COMMUNE,
        code="00008",
        name="Phường Mới",
        valid_from=dt.date(2020, 1, 1),
    )
    client = signed_in(superuser)
    params = {"parent": district_a.pk}

    def names_on(day):
        return listed_names(client.get(UNITS_URL, {**params, "valid_on": day}))

    assert names_on("2019-12-31") == ["Phường Cũ", "Phường Phúc Xá", "Phường Trúc Bạch"]
    assert names_on("2020-01-01") == ["Phường Mới", "Phường Phúc Xá", "Phường Trúc Bạch"]
    assert names_on("1999-12-31") == ["Phường Phúc Xá", "Phường Trúc Bạch"]
    assert len(listed_names(client.get(UNITS_URL, params))) == 4
    assert {merged.pk, new.pk} <= {u["id"] for u in client.get(UNITS_URL, params).json()["results"]}


def test_filter_valid_on_rejects_a_bad_date(tree, superuser):
    response = signed_in(superuser).get(UNITS_URL, {"valid_on": "31/12/2019"})
    assert response.status_code == 400
    assert set(response.json()) == {"valid_on"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Phúc", ["Phường Phúc Tân", "Phường Phúc Xá"]),
        ("phuc", ["Phường Phúc Tân", "Phường Phúc Xá"]),
        ("PHUC XA", ["Phường Phúc Xá"]),
        ("  truc   bach ", ["Phường Trúc Bạch"]),
        ("ba dinh", ["Quận Ba Đình"]),
        ("hoàn kiếm", ["Quận Hoàn Kiếm"]),
        ("phúc xà", ["Phường Phúc Xá"]),  # the tones typed are ignored as well
        ("phuc xa ba", []),
        ("100%", []),
    ],
)
def test_search_by_name_ignores_case_and_diacritics(tree, superuser, q, expected):
    assert listed_names(signed_in(superuser).get(UNITS_URL, {"q": q})) == expected


def test_search_matches_names_stored_decomposed(tree, superuser):
    import unicodedata

    UnitFactory(
        parent=tree["district_b"],
        level=UnitLevel.COMMUNE,
        code="00040",
        name=unicodedata.normalize("NFD", "Phường Hàng Bạc"),
    )
    response = signed_in(superuser).get(UNITS_URL, {"q": "hang bac"})
    assert response.json()["count"] == 1


def test_search_stays_within_scope(tree, bob):
    """R-UNIT-3: searching does not reach units outside the caller's units."""
    assert listed_names(signed_in(bob).get(UNITS_URL, {"q": "phuc"})) == ["Phường Phúc Xá"]


def test_list_is_paginated_by_fifty(tree, superuser):
    for n in range(50):
        UnitFactory(
            parent=tree["district_b"], level=UnitLevel.COMMUNE, code=f"9{n:04d}", name=f"Xã {n}"
        )
    client = signed_in(superuser)
    first = client.get(UNITS_URL).json()
    assert first["count"] == 56
    assert len(first["results"]) == 50
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6
    assert second["next"] is None
    ids = [u["id"] for u in first["results"] + second["results"]]
    assert len(set(ids)) == 56


def _list_queries(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(UNITS_URL, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_units(tree, bob, django_assert_max_num_queries):
    """R-UNIT-3 scoping plus the children count stay a fixed number of queries: 5 or 50
    units in Bob's district cost the same."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=bob, actor=None)[1]}")

    def add_communes(count):
        for _ in range(count):
            UnitFactory(parent=tree["district_a"], level=UnitLevel.COMMUNE)

    client.get(UNITS_URL)  # the first use of the token records last_used_at (one more write)
    add_communes(5)
    queries_small, count_small = _list_queries(client)
    add_communes(45)
    queries_large, count_large = _list_queries(client)

    assert (count_small, count_large) == (3 + 5, 3 + 50)
    assert queries_small == queries_large
    with django_assert_max_num_queries(4):  # token+user, memberships, count, page
        client.get(UNITS_URL, {"level": "commune", "q": "don vi"})


# --- authentication -------------------------------------------------------------------------


def test_token_is_issued_for_username_and_password_and_authenticates(tree, alice, api):
    response = api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=alice).key_hash == ApiToken.hash_key(token)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert listed_names(client.get(UNITS_URL)) == ["Phường Phúc Xá"]


def test_asking_again_issues_a_new_token_and_revokes_the_first(tree, alice, api):
    """Keys are stored hashed, so the endpoint cannot hand back the existing one: it issues a
    new token and revokes the previous one (one usable token per user)."""
    first = api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD}).json()["token"]
    second = api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD}).json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=alice, revoked_at__isnull=True).count() == 1

    old, new = APIClient(), APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    new.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert old.get(UNITS_URL).status_code == 401
    assert new.get(UNITS_URL).status_code == 200


def test_wrong_password_gets_no_token(tree, alice, api):
    response = api.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(tree, alice, api):
    alice.is_active = False
    alice.save()
    response = api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_invalid_token_is_refused(tree, alice, api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(UNITS_URL)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_endpoint_is_rate_limited_per_client(tree, alice, api):
    """Five attempts a minute per IP (API_TOKEN_THROTTLE_RATE), then 429 with Retry-After,
    even with the right password."""
    for _ in range(5):
        assert api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD}).status_code == 200
    response = api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0

    other_ip = APIClient(REMOTE_ADDR="10.0.0.2")
    assert other_ip.post(TOKEN_URL, {"username": "alice", "password": PASSWORD}).status_code == 200


def test_rate_limit_ignores_a_forged_forwarded_for_header(tree, alice, api):
    for n in range(5):
        api.post(
            TOKEN_URL,
            {"username": "alice", "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}",
        )
    response = api.post(
        TOKEN_URL, {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert response.status_code == 429


def test_repeated_wrong_passwords_lock_the_token_endpoint(tree, alice, api):
    """django-axes counts failures at the token endpoint like at the sign-in page (5 by
    default); afterwards even the right password is refused, with the same answer as a wrong
    one."""
    from axes.models import AccessAttempt

    for _ in range(5):
        cache.clear()  # keep the rate limit out of the way; axes keeps its own count
        api.post(TOKEN_URL, {"username": "alice", "password": "wrong"})
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 5
    cache.clear()
    response = api.post(TOKEN_URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert set(response.json()) == {"non_field_errors"}
    assert not ApiToken.objects.exists()


def test_session_authentication_works(tree, charlie):
    assert listed_names(signed_in(charlie).get(UNITS_URL)) == ["Phường Phúc Tân"]
