"""R-IND-8 default targets (late ≤ 2 %, satisfaction ≥ 80 %, online share ≥ 40 % until the
province sets its own) for every level, and equal composite weights (R-IND-3). Admins change
them by adding rows in force from a later date."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

FROM = dt.date(2018, 6, 21)  # Decree 61/2018 in force
DEFAULTS = [
    ("late_share", Decimal("2"), "Kế hoạch cải cách hành chính: hồ sơ trễ hạn ≤ 2 %"),
    ("satisfaction", Decimal("80"), "Quyết định 1001/QĐ-BNV: chỉ số hài lòng trên 80 %"),
    ("online_share", Decimal("40"), "Tỷ lệ hồ sơ trực tuyến do tỉnh giao (mặc định 40 %)"),
]
LEVELS = ["city", "district", "commune"]


def forwards(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    Weights = apps.get_model("reports", "RankingWeights")
    for indicator, value, note in DEFAULTS:
        for level in LEVELS:
            Target.objects.get_or_create(
                indicator=indicator,
                level=level,
                unit=None,
                effective_from=FROM,
                defaults={"value": value, "note": note},
            )
    if not Weights.objects.exists():
        Weights.objects.create(
            version=1,
            effective_from=FROM,
            on_time_rate=Decimal(1),
            late_share=Decimal(1),
            online_share=Decimal(1),
            satisfaction=Decimal(1),
            note="Trọng số bằng nhau (mặc định)",
        )


def backwards(apps, schema_editor):
    apps.get_model("reports", "Target").objects.filter(effective_from=FROM, unit=None).delete()
    apps.get_model("reports", "RankingWeights").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_rollups")]
    operations = [migrations.RunPython(forwards, backwards)]
