"""Reference data the dashboards cannot rank without: the R-IND-8 default targets and the equal
composite weights (R-IND-3), the same rows as migration 0002 (which keeps its own frozen copy).

``restore_defaults`` runs after every ``migrate`` and every ``flush`` (Django's
``post_migrate``), like ``dossiers.reference_data``: a database a transactional test emptied
has them again, and nothing at run time repairs missing reference data. It only adds what is
missing (``get_or_create`` on the default rows; weights only when there are none), so an
administrator's own targets and weights, which are added as rows in force from a later date,
are never changed.
"""

import datetime as dt
from decimal import Decimal

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router

FROM = dt.date(2018, 6, 21)  # Decree 61/2018 in force
DEFAULT_TARGETS = [
    ("late_share", Decimal("2"), "Kế hoạch cải cách hành chính: hồ sơ trễ hạn ≤ 2 %"),
    ("satisfaction", Decimal("80"), "Quyết định 1001/QĐ-BNV: chỉ số hài lòng trên 80 %"),
    ("online_share", Decimal("40"), "Tỷ lệ hồ sơ trực tuyến do tỉnh giao (mặc định 40 %)"),
]
LEVELS = ["city", "district", "commune"]


def restore_defaults(sender=None, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` receiver (also called by migration-free code paths such as tests)."""
    try:
        Target = apps.get_model("reports", "Target")
        Weights = apps.get_model("reports", "RankingWeights")
    except LookupError:  # migrated back to before the tables existed
        return
    if not router.allow_migrate_model(using, Target):
        return
    for indicator, value, note in DEFAULT_TARGETS:
        for level in LEVELS:
            Target.objects.using(using).get_or_create(
                indicator=indicator,
                level=level,
                unit=None,
                effective_from=FROM,
                defaults={"value": value, "note": note},
            )
    if not Weights.objects.using(using).exists():
        Weights.objects.using(using).get_or_create(
            version=1,
            defaults={
                "effective_from": FROM,
                "on_time_rate": Decimal(1),
                "late_share": Decimal(1),
                "online_share": Decimal(1),
                "satisfaction": Decimal(1),
                "note": "Trọng số bằng nhau (mặc định)",
            },
        )
