"""R-IND-7: the Decision 766 index of March 2026 (tests/reports/conftest.py) under the portal's
reading and the specification's, computed where the portal holds the data and entered where not;
missing sub-items are left out and listed, never zero; siblings are ranked; bands only when an
administrator sets them.

Commune A1, March 2026 as of 1 April (procedure offered partly online):
  progress: d1 early, d2 on time, d6 refused and d7 withdrawn before their due moment = 4 of 8
    received or processed (d3 d4 d5 late, d8 overdue) → 20 × 50 % = 10;
  online: 1 procedure, online (100 % ≥ 80 %) → 2; the online service received online dossiers
    → 4; 3 of 8 dossiers online = 37.5 % of a 50 % target → 6 × 0.75 = 4.5;
  satisfaction: no feedback → PAKN on time 6 and PAKN satisfaction 6 (the portal's reading);
    dossiers neither late nor complained about: 4 of 8 = 50 % of a 90 % target → 3.3333;
  transparency, payment, digitisation: entered, none yet → 14 sub-items missing.
  Total 35.83 of a reachable 50.
Commune A2: 2 of 2 on time → 20; 2 + 4 + 50 % online → 6; 6 + 6; 100 % → 6. Total 50.
"""

from decimal import Decimal

from reports import periods
from reports.evaluations import index766, services
from reports.evaluations.models import Index766Band, Index766Profile
from tests.reports.evaluations.helpers import NOW

D = Decimal
MARCH = periods.month(2026, 3)


def _item(result, code):
    return next(i for i in result.items if i.item.code == code)


def test_the_portal_reading_of_march_for_commune_a1_r_ind_7(q1, tree):
    profile = index766.profile_for(MARCH)
    assert profile.code == "qd766-portal-2026"
    result = index766.evaluate_unit(tree["commune_a1"], period=MARCH, profile=profile, now=NOW)
    scores = {s.item.code: s.score for s in result.items}
    assert scores["PROGRESS_ON_TIME"] == D(10)
    assert (
        _item(result, "PROGRESS_ON_TIME").numerator,
        _item(result, "PROGRESS_ON_TIME").denominator,
    ) == (4, 8)
    assert scores["ONLINE_PROCEDURES"] == D(2)
    assert scores["ONLINE_SERVICES_USED"] == D(4)
    assert scores["ONLINE_DOSSIERS"] == D("4.5")
    assert scores["PETITION_PROCESSING_ON_TIME"] == D(6)
    assert scores["PETITION_HANDLING_SATISFACTION"] == D(6)
    assert scores["DOSSIER_RECEIVING_SATISFACTION"] == D("3.3333")
    assert result.total == D("35.83")
    assert len(result.missing) == 14
    assert {s.item.group for s in result.missing} == {"transparency", "payment", "digitisation"}
    assert all(s.source == "entered" for s in result.missing)
    assert result.reachable == D(50)
    assert [g.maximum for g in result.groups] == [18, 20, 12, 10, 18, 22]


def test_the_specification_reading_is_selectable_r_ind_7(q1, tree):
    """[A3]: fully online dossiers carry the whole online group (none here: 0); no PAKN → the 6
    points of PAKN satisfaction go 3 and 3 to PAKN on time (full: 9) and dossier satisfaction
    (9 × 50 % ÷ 90 % = 5)."""
    spec = index766.profile_for(MARCH, code="qd766-spec-a3a5")
    assert spec.is_active is False
    result = index766.evaluate_unit(tree["commune_a1"], period=MARCH, profile=spec, now=NOW)
    assert _item(result, "FULLY_ONLINE_DOSSIERS").score == D(0)
    assert _item(result, "PETITION_HANDLING_SATISFACTION").status == "redistributed"
    assert _item(result, "PETITION_PROCESSING_ON_TIME").score == D(9)
    assert _item(result, "DOSSIER_RECEIVING_SATISFACTION").score == D(5)
    assert result.total == D("24.00")


def test_entered_sub_items_are_scored_weight_times_achieved_over_target_r_ind_7(q1, tree, clerk):
    a1 = tree["commune_a1"]
    services.index766_entries_save(
        unit=a1,
        period=MARCH,
        actor=clerk,
        values={
            "PAYMENT_DOSSIERS": ("30", "100", "Sổ thanh toán"),
            "PAYMENT_INTEGRATED": ("10", "10", ""),
            "PAYMENT_PROCEDURES": ("1", "2", ""),
        },
        allowed_codes={"PAYMENT_DOSSIERS", "PAYMENT_INTEGRATED", "PAYMENT_PROCEDURES"},
    )
    portal = index766.evaluate_unit(a1, period=MARCH, profile=index766.profile_for(MARCH), now=NOW)
    assert _item(portal, "PAYMENT_DOSSIERS").score == D("1.8")  # 6 × 30 %
    assert _item(portal, "PAYMENT_PROCEDURES").score == D("1.25")  # 2 × 50 % ÷ 80 %
    assert _item(portal, "PAYMENT_INTEGRATED").score == D("2.5")  # uncapped 2.5 · C
    spec = index766.evaluate_unit(
        a1, period=MARCH, profile=index766.profile_for(MARCH, "qd766-spec-a3a5"), now=NOW
    )
    assert _item(spec, "PAYMENT_INTEGRATED").score == D(2)  # capped at its weight
    assert _item(portal, "PAYMENT_DOSSIERS").entry.entered_by == clerk


def test_siblings_are_ranked_by_score_and_bands_appear_only_when_set_r_ind_7(q1, tree):
    profile = index766.profile_for(MARCH)
    results = index766.evaluate_siblings(tree["commune_a1"], period=MARCH, profile=profile, now=NOW)
    a1, a2 = results[tree["commune_a1"].pk], results[tree["commune_a2"].pk]
    assert a2.total == D("50.00")
    assert (a2.rank, a1.rank, a1.ranked) == (1, 2, 2)
    assert a1.band is None and a2.band is None
    Index766Band.objects.create(profile=profile, label="Tốt", min_score=D(40))
    profile = index766.profile_for(MARCH)
    results = index766.evaluate_siblings(tree["commune_a1"], period=MARCH, profile=profile, now=NOW)
    assert results[tree["commune_a2"].pk].band.label == "Tốt"
    assert results[tree["commune_a1"].pk].band is None


def test_a_period_with_no_data_has_no_score_and_no_rank_r_ind_7(tree, db):
    profile = index766.profile_for(periods.month(2026, 3))
    result = index766.evaluate_unit(
        tree["commune_a1"], period=periods.month(2026, 3), profile=profile, now=NOW
    )
    assert result.has_data is False
    assert result.rank is None
    assert result.band is None


def test_a_period_before_the_decision_has_no_profile_r_ind_7(db):
    assert index766.profile_for(periods.month(2021, 3)) is None
    assert Index766Profile.objects.count() == 2
