"""The gapless counter moves from dossiers to portal (one place for tracking codes, shared by
dossiers and feedback). State only here: dossiers 0003 renames the existing table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_api_token")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Counter",
                    fields=[
                        (
                            "key",
                            models.CharField(max_length=100, primary_key=True, serialize=False),
                        ),
                        ("value", models.PositiveIntegerField(default=0)),
                    ],
                    options={"verbose_name": "counter", "verbose_name_plural": "counters"},
                ),
            ],
            database_operations=[],
        ),
    ]
