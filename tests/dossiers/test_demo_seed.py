"""The demo dossiers are made through the real services and give a realistic mix."""

from dossiers import demo
from dossiers.models import Dossier, DossierStatus
from tests.factories import DepartmentFactory
from tests.helpers import at


def test_demo_seed_makes_a_mix_of_outcomes_and_is_idempotent(desk, alice, officer):
    DepartmentFactory(desk=desk)
    demo.seed_procedures(desks=[desk])
    now = at(2026, 11, 20, 12)
    made = demo.seed_dossiers(desks=[desk], count=120, days=120, now=now)
    assert made > 100
    assert Dossier.objects.filter(is_demo=True).count() == made
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {DossierStatus.RETURNED, DossierStatus.IN_PROCESS} <= statuses
    classes = set(
        Dossier.objects.exclude(classification="").values_list("classification", flat=True)
    )
    assert classes == {"early", "on_time", "late"}
    assert not Dossier.objects.filter(received_at__gt=now).exists()
    assert demo.seed_dossiers(desks=[desk], count=120, days=120, now=now) == 0


def test_demo_catalogue_offers_procedures_by_level(desk, tree):
    district_desk = type(desk).objects.create(unit=tree["district_a"], name="Một cửa quận")
    procedures = demo.seed_procedures(desks=[desk, district_desk])
    commune_codes = set(desk.procedures.values_list("code", flat=True))
    district_codes = set(district_desk.procedures.values_list("code", flat=True))
    assert "1.001193" in commune_codes and "1.001193" not in district_codes
    assert "2.000575" in district_codes
    assert all(p.is_demo for p in procedures)
    demo.seed_procedures(desks=[desk, district_desk])
    assert len(procedures) == type(procedures[0]).objects.count()
