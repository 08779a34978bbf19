"""Shared fixtures: a small unit tree and three people who every permission test checks.

City ─┬─ District A ─┬─ Commune A1  (Alice: receptionist here; Dave: officer; Erin: leader)
      │              └─ Commune A2
      └─ District B ─── Commune B1  (Charlie: receptionist here, the outsider)
Bob is leader of District A with ``covers_descendants`` (sees A, A1, A2; not B, B1, the city).
"""

import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from portal.models import Role, UnitLevel
from tests.factories import (
    CriterionFactory,
    DeskFactory,
    ExtraQuestionFactory,
    MembershipFactory,
    SurveyAreaFactory,
    SurveyFormFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture
def tree(db):
    city = UnitFactory(level=UnitLevel.CITY, code="01", name="Thành phố Hà Nội")
    district_a = UnitFactory(parent=city, level=UnitLevel.DISTRICT, code="001", name="Quận Ba Đình")
    district_b = UnitFactory(
        parent=city, level=UnitLevel.DISTRICT, code="002", name="Quận Hoàn Kiếm"
    )
    commune_a1 = UnitFactory(
        parent=district_a, level=UnitLevel.COMMUNE, code="00001", name="Phường Phúc Xá"
    )
    commune_a2 = UnitFactory(
        parent=district_a, level=UnitLevel.COMMUNE, code="00004", name="Phường Trúc Bạch"
    )
    commune_b1 = UnitFactory(
        parent=district_b, level=UnitLevel.COMMUNE, code="00037", name="Phường Phúc Tân"
    )
    return {
        "city": city,
        "district_a": district_a,
        "district_b": district_b,
        "commune_a1": commune_a1,
        "commune_a2": commune_a2,
        "commune_b1": commune_b1,
    }


@pytest.fixture
def desk_a1(tree):
    return DeskFactory(unit=tree["commune_a1"])


@pytest.fixture
def alice(tree):
    """Commune receptionist at Commune A1."""
    user = UserFactory(username="alice")
    MembershipFactory(user=user, unit=tree["commune_a1"], role=Role.RECEPTIONIST)
    return user


@pytest.fixture
def bob(tree):
    """District leader of District A, covering its communes."""
    user = UserFactory(username="bob")
    MembershipFactory(user=user, unit=tree["district_a"], role=Role.LEADER, covers_descendants=True)
    return user


@pytest.fixture
def charlie(tree):
    """Outsider: receptionist in another district's commune."""
    user = UserFactory(username="charlie")
    MembershipFactory(user=user, unit=tree["commune_b1"], role=Role.RECEPTIONIST)
    return user


@pytest.fixture
def officer(tree):
    """Dave, an officer of Commune A1 who processes dossiers."""
    user = UserFactory(username="dave")
    MembershipFactory(user=user, unit=tree["commune_a1"], role=Role.OFFICER)
    return user


@pytest.fixture
def leader(tree):
    """Erin, leader of Commune A1 (registers kiosks)."""
    user = UserFactory(username="erin")
    MembershipFactory(user=user, unit=tree["commune_a1"], role=Role.LEADER)
    return user


@pytest.fixture
def fresh_rate_limits(settings):
    """Rate-limit counters of this test only. They live in the Redis cache, which outlives a
    test's transaction; a fresh key prefix, rather than a flush of the Redis database that other
    test processes share, means counts left by other tests, another xdist worker or an earlier
    run within the hour never add up."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test:{uuid.uuid4().hex}:"


@pytest.fixture
def clean_outage_state():
    """``portal.throttling``'s per-process outage state (the in-memory counters it falls back
    to while Redis is down) empty before and after the test."""
    from portal import throttling

    throttling.reset_outage_state()
    yield
    throttling.reset_outage_state()


@pytest.fixture
def own_redis():
    """A Redis server of the test's own (``tests.redis_outage``), with the cache, the broker and
    the result backend pointed at it; stopped at the end."""
    from tests.redis_outage import OwnRedis, pointed_at

    server = OwnRedis().start()
    try:
        with pointed_at(server):
            yield server
    finally:
        server.stop()


@pytest.fixture
def dead_redis(settings, clean_outage_state):
    """The cache pointed at a Redis that is not there (a closed port): Redis is down."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6399/0",
        }
    }


@pytest.fixture
def cleared_cache():
    """An empty cache before and after the test: the API's throttle counters live in the
    (Redis) cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_default_survey_form(db):
    """Without the default SIPAS form (reference data made after ``migrate`` and ``flush``,
    applying to every unit), so the form in force at a unit is the one a test makes. Rolled
    back with the test."""
    from surveys.models import SurveyForm
    from surveys.seeding import SIPAS_CODE

    SurveyForm.objects.filter(code=SIPAS_CODE).delete()


@pytest.fixture
def small_form(db, no_default_survey_form):
    """A small five-level survey form whose indices are easy to compute by hand (used by the
    survey and the report tests), the only form in force:

        small form ─┬─ area X: criteria x1, x2
                    └─ area Y: criterion y1
        extra question "harassment": none / some / many
    """
    form = SurveyFormFactory(code="small", name_vi="Phiếu nhỏ", scale="five_level")
    area_x = SurveyAreaFactory(form=form, code="X", name_vi="Lĩnh vực X", order=1)
    area_y = SurveyAreaFactory(form=form, code="Y", name_vi="Lĩnh vực Y", order=2)
    criteria = {
        "x1": CriterionFactory(area=area_x, code="x1", order=1),
        "x2": CriterionFactory(area=area_x, code="x2", order=2),
        "y1": CriterionFactory(area=area_y, code="y1", order=1),
    }
    question = ExtraQuestionFactory(form=form, code="harassment")
    return SimpleNamespace(form=form, c=criteria, q={"harassment": question})


# --- administrators (R-UNIT-3): who may configure which unit -------------------------------
@pytest.fixture
def ward_admin(tree):
    """Hana, administrator of Commune A1 only."""
    user = UserFactory(username="hana", first_name="Thị H", last_name="Phạm")
    MembershipFactory(user=user, unit=tree["commune_a1"], role=Role.ADMIN)
    return user


@pytest.fixture
def district_admin(tree):
    """Ivan, administrator of District A and the communes under it."""
    user = UserFactory(username="ivan", first_name="Văn I", last_name="Lê")
    MembershipFactory(user=user, unit=tree["district_a"], role=Role.ADMIN, covers_descendants=True)
    return user


@pytest.fixture
def district_office_admin(tree):
    """Jin, administrator of District A's own office, not of the communes under it."""
    user = UserFactory(username="jin", first_name="Văn J", last_name="Võ")
    MembershipFactory(user=user, unit=tree["district_a"], role=Role.ADMIN)
    return user


@pytest.fixture
def city_admin(tree):
    """Kim, administrator of the city (who also sets the working calendar)."""
    user = UserFactory(username="kim", first_name="Thị K", last_name="Đỗ")
    MembershipFactory(user=user, unit=tree["city"], role=Role.ADMIN)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)
