"""Reference data the lifecycle cannot run without: the regulations' rule sets (R-DUE-5,
R-RES-1, R-LIFE-3 numbers, effective-dated).

Migration 0002 writes them once. ``restore_default_rule_sets`` runs after every ``migrate``
and after every ``flush`` (Django sends ``post_migrate`` after both, unless a flush is told
not to), so a database that was emptied, such as the one a transactional test leaves behind,
has them again before anything reads it. Nothing at run time repairs missing rule sets:
``dossiers.selectors.rule_set_on`` only reads.

The handler only adds what is missing, never changes a row an administrator edited, and is
safe when several processes run it at once: ``get_or_create`` on the unique code, so a
concurrent insert of the same row ends in one row and no error.
"""

import datetime as dt

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models import Q

# The same rows as migration 0002 (a migration keeps its own frozen copy).
DEFAULT_RULE_SETS = [
    {
        "code": "nd61-2018",
        "name": "Nghị định 61/2018/NĐ-CP",
        "legal_basis": "Nghị định 61/2018/NĐ-CP; Thông tư 01/2018/TT-VPCP",
        "effective_from": dt.date(2018, 6, 21),
    },
    {
        "code": "nd118-2025",
        "name": "Nghị định 118/2025/NĐ-CP",
        "legal_basis": "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP",
        "effective_from": dt.date(2025, 7, 1),
    },
]


def restore_default_rule_sets(sender=None, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` receiver: add each default rule set whose code and start date are both
    absent. A row whose code or date is taken (e.g. an administrator renamed its code) is left
    alone. ``apps`` is the migration state after ``migrate`` or the project's apps after
    ``flush``."""
    try:
        RuleSet = apps.get_model("dossiers", "RuleSet")
    except LookupError:  # migrated back to before the table existed
        return
    if not router.allow_migrate_model(using, RuleSet):
        return
    rows = RuleSet.objects.using(using)
    existing = list(
        rows.filter(
            Q(code__in=[r["code"] for r in DEFAULT_RULE_SETS])
            | Q(effective_from__in=[r["effective_from"] for r in DEFAULT_RULE_SETS])
        ).values_list("code", "effective_from")
    )
    codes = {code for code, _day in existing}
    days = {day for _code, day in existing}
    for row in DEFAULT_RULE_SETS:
        if row["code"] not in codes and row["effective_from"] not in days:
            rows.get_or_create(code=row["code"], defaults=row)
