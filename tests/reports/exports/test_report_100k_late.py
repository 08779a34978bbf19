"""Bad input (issue 11): a report with 100,000 late dossiers prints a summary by procedure and
desk instead of an endless list, read with grouped queries, and stays a few pages long."""

import io
import time

from django.db import connection
from pypdf import PdfReader

from dossiers.models import Dossier, DossierEvent
from reports import periods
from reports.exports import report

COPIES = 100_000


def _clone_late_dossier(template: Dossier, copies: int) -> None:
    """``copies`` copies of a late dossier and of its completion event, made in SQL."""
    fields = [
        f.column
        for f in Dossier._meta.concrete_fields
        if f.column not in ("id", "code", "log_number")
    ]
    cols = ", ".join(fields)
    d = Dossier._meta.db_table
    e = DossierEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {d} ({cols}, code, log_number) "
            f"SELECT {cols}, code || '-' || g, log_number + 1000 + g "
            f"FROM {d}, generate_series(1, %s) AS g WHERE id = %s",
            [copies, template.pk],
        )
        cursor.execute(
            f"INSERT INTO {e} (dossier_id, kind, at, actor_id, unit_id, from_status, to_status, "
            "note, is_public, data) "
            f"SELECT id, 'completed', completed_at, received_by_id, unit_id, 'in_process', "
            f"'result_ready', '', true, '{{}}'::jsonb FROM {d} WHERE code LIKE %s",
            [f"{template.code}-%"],
        )


def test_a_report_with_100000_late_dossiers_summarises_them(data, tree, bob):
    _clone_late_dossier(data["d3"], COPIES)
    started = time.monotonic()
    context = report.report_context(
        user=bob, unit=tree["district_a"], period=periods.month(2026, 3)
    )
    late = context["late"]
    assert late["count"] == COPIES + 3
    assert late["rows"] == []
    assert late["by_procedure"][0]["n"] == COPIES + 3
    assert late["by_desk"][0]["n"] == COPIES + 3
    pdf = report.render_report(context)
    assert len(PdfReader(io.BytesIO(pdf)).pages) < 10
    assert time.monotonic() - started < 60
