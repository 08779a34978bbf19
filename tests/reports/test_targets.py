"""R-IND-8: targets per indicator and level, in force from a date, drawn next to the values;
units missing a target are listed first; a target outside 0–100 % is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from reports import periods, selectors
from reports.models import Target
from reports.targets import TargetBook
from tests.helpers import at
from tests.reports.helpers import D, rebuild

MARCH = periods.month(2026, 3)
NOW = at(2026, 4, 1)


def test_default_targets_are_late_2_satisfaction_80_online_40_r_ind_8(default_targets, tree):
    book = TargetBook(D(2026, 3, 31))
    for key in ("commune_a1", "district_a", "city"):
        got = {
            k: (t.value, t.lower_is_better) for k, t in book.all_for_unit(tree[key]).items() if t
        }
        assert got == {
            "late_share": (Decimal("2.00"), True),
            "satisfaction": (Decimal("80.00"), False),
            "online_share": (Decimal("40.00"), False),
        }


def test_a_province_target_wins_and_a_later_one_replaces_it_r_ind_8(default_targets, tree):
    Target.objects.create(
        indicator="online_share", level="commune", unit=tree["city"], value=60,
        effective_from=D(2026, 1, 1),
    )  # fmt: skip
    Target.objects.create(
        indicator="online_share", level="commune", unit=tree["city"], value=70,
        effective_from=D(2026, 7, 1),
    )  # fmt: skip
    commune = tree["commune_a1"]
    assert TargetBook(D(2025, 12, 31)).for_unit(commune, "online_share").value == 40
    assert TargetBook(D(2026, 3, 31)).for_unit(commune, "online_share").value == 60
    assert TargetBook(D(2026, 7, 31)).for_unit(commune, "online_share").value == 70


def test_indicator_tiles_show_the_target_and_whether_it_is_met_r_ind_8(
    default_targets, march, tree, clerk
):
    rebuild()
    result = selectors.indicator_values(user=clerk, unit=tree["commune_a2"], period=MARCH, now=NOW)
    late = result.indicator("late_share")
    online = result.indicator("online_share")
    assert (late.value, float(late.target.value), late.meets_target) == (0.0, 2.0, True)
    assert (online.value, float(online.target.value), online.meets_target) == (50.0, 40.0, True)
    a1 = selectors.indicator_values(user=clerk, unit=tree["commune_a1"], period=MARCH, now=NOW)
    assert a1.indicator("late_share").meets_target is False  # 60 % late


def test_units_missing_a_target_are_listed_first_r_ind_8(default_targets, march, tree, clerk):
    """District A's communes: A2 loses its online-share target (a commune-level default
    replaced by one for A1 only from 2026), so it comes first."""
    Target.objects.filter(indicator="online_share", level="commune").delete()
    Target.objects.create(
        indicator="online_share", level="commune", unit=tree["commune_a1"], value=30,
        effective_from=D(2026, 1, 1),
    )  # fmt: skip
    rebuild()
    rows = selectors.targets_table(user=clerk, unit=tree["district_a"], period=MARCH, now=NOW)
    assert [r.unit for r in rows] == [tree["commune_a2"], tree["commune_a1"]]
    assert rows[0].missing == ["online_share"]
    assert rows[1].meets("online_share") is True  # 37.5 % ≥ 30 %


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("100.01"), Decimal("150")])
def test_a_target_outside_0_to_100_percent_is_refused_r_ind_8(db, value):
    target = Target(
        indicator="late_share", level="commune", value=value, effective_from=D(2027, 1, 1)
    )
    with translation.override("en"), pytest.raises(ValidationError) as info:
        target.full_clean()
    assert "value" in info.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()
