"""The gapless counter now belongs to portal (portal 0003 holds its state): rename the table
with its rows, so codes and log numbers continue where they were."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_rule_sets_and_append_only_events"),
        ("portal", "0003_counter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Counter")],
            database_operations=[
                migrations.AlterModelTable(name="counter", table="portal_counter"),
            ],
        ),
    ]
