"""The two regulations' rule sets, and a PostgreSQL trigger that refuses to update or delete
dossier events (R-LIFE-1: events are never edited or deleted)."""

import datetime as dt

from django.db import migrations

RULE_SETS = [
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

TRIGGER = """
CREATE OR REPLACE FUNCTION dossiers_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'dossier events are append-only (R-LIFE-1)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossiers_event_no_update_delete
    BEFORE UPDATE OR DELETE ON dossiers_dossierevent
    FOR EACH ROW EXECUTE FUNCTION dossiers_event_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS dossiers_event_no_update_delete ON dossiers_dossierevent;
DROP FUNCTION IF EXISTS dossiers_event_append_only();
"""


def add_rule_sets(apps, schema_editor):
    RuleSet = apps.get_model("dossiers", "RuleSet")
    for row in RULE_SETS:
        RuleSet.objects.update_or_create(code=row["code"], defaults=row)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [
        migrations.RunPython(add_rule_sets, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
