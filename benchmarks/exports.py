"""Exports (issue 11): a PDF report with 1,000 late dossiers listed, and a CSV of a million rows
streamed through the real view, each measured in a fresh process of its own (what a worker or
a web process is), with its peak resident memory.

- **PDF**: ``reports.exports.report`` (the data) and WeasyPrint (the layout) for a commune's
  month with 1,000 late dossiers (``REPORTS_PDF_LATE_ROWS_MAX`` = 1,000 lists them all).
  Targets: ≤ 0.2 s per page, ≤ 300 MiB peak RSS of the process.
- **CSV**: ``GET /reports/exports/tables/dossiers.csv`` (the view, called in-process with a
  request factory, its ``StreamingHttpResponse`` consumed to the end) for 10,000 and for
  1,000,000 received dossiers. Targets: ≥ 50,000 rows/s, flat memory: the peak RSS with 1M rows
  within 20 % of the peak with 10k.

    .venv/bin/python -m benchmarks.exports            # ~3–4 min, mostly loading the rows
    .venv/bin/python -m benchmarks.exports --reuse    # the measures again, same database

Every run drops and creates its own database (BENCH_DATABASE_URL, default ``motcua_bench``);
only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time

from benchmarks import harness, results

HCM = dt.timezone(dt.timedelta(hours=7))
LATE = 1_000
SMALL, LARGE = 10_000, 1_000_000
REPORT_AGENCY, CSV_AGENCY = "000.00.99.H99", "000.00.98.H99"  # harness.seed_minimal's communes


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--late", type=int, default=LATE, help="late dossiers in the PDF (1,000)")
    parser.add_argument("--rows", type=int, default=LARGE, help="rows of the large CSV (1M)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the database of the last run"
    )
    parser.add_argument("--child", choices=["pdf", "csv"], help=argparse.SUPPRESS)
    parser.add_argument("--period", help=argparse.SUPPRESS)
    return parser.parse_args()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- loading --------------------------------------------------------------------------------
def load(*, late: int, rows: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from dossiers import services
    from dossiers.models import Dossier, DossierEvent, ServiceDesk
    from portal.models import Membership, Role

    # Two communes: the report's (its 1,000 late dossiers) and the CSV's (a million received
    # ones), so each measure reads the rows it is about.
    seed = harness.seed_minimal(agencies=2)
    user = get_user_model().objects.get(pk=seed.user_id)
    report_desk, csv_desk = (ServiceDesk.objects.get(pk=pk) for pk in seed.desk_ids)
    Membership.objects.create(user=user, unit=report_desk.unit, role=Role.LEADER)
    applicant = {"name": "Nguyễn Văn An", "phone": "0912345678", "address": "12 Phúc Xá"}
    procedure = report_desk.procedures.get()

    def receive(desk, when):
        dossier, _pin = services.dossier_receive(
            desk=desk, procedure=procedure, applicant=dict(applicant), actor=user, received_at=when
        )
        return dossier

    late_one = receive(report_desk, dt.datetime(2026, 4, 1, 9, tzinfo=HCM))
    services.dossier_complete(
        dossier=late_one, actor=user, at=dt.datetime(2026, 4, 20, 9, tzinfo=HCM)
    )
    plain = receive(csv_desk, dt.datetime(2026, 1, 2, 9, tzinfo=HCM))

    fields = [
        f.column
        for f in Dossier._meta.concrete_fields
        if f.column not in ("id", "code", "log_number")
    ]
    cols = ", ".join(fields)
    d, e = Dossier._meta.db_table, DossierEvent._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # late dossiers of April: copies of the late one (its completion event copied too)
        cursor.execute(
            f"INSERT INTO {d} ({cols}, code, log_number) SELECT {cols}, code || '-L' || g, "
            f"log_number + 10 + g FROM {d}, generate_series(1, %s) g WHERE id = %s",
            [late - 1, late_one.pk],
        )
        cursor.execute(
            f"INSERT INTO {e} (dossier_id, kind, at, actor_id, unit_id, from_status, to_status, "
            "note, is_public, data) SELECT id, 'completed', completed_at, received_by_id, unit_id, "
            f"'received', 'result_ready', '', true, '{{}}'::jsonb FROM {d} WHERE code LIKE %s",
            [f"{late_one.code}-L%"],
        )
        # received dossiers: the first SMALL in January, the rest in February and March
        received_at = (
            "received_at + CASE WHEN g <= %s THEN ((g %% 28) * interval '1 day') "
            "ELSE interval '31 days' + ((g %% 56) * interval '1 day') END"
        )
        cursor.execute(
            f"INSERT INTO {d} ({cols}, code, log_number) "
            f"SELECT {cols.replace('received_at', received_at)}, code || '-R' || g, "
            f"log_number + 100000 + g FROM {d}, generate_series(1, %s) g WHERE id = %s",
            [SMALL, rows - 1, plain.pk],
        )
        cursor.execute(
            f"INSERT INTO {e} (dossier_id, kind, at, actor_id, unit_id, from_status, to_status, "
            "note, is_public, data) SELECT id, 'received', received_at, received_by_id, unit_id, "
            f"'', 'received', '', true, '{{}}'::jsonb FROM {d} WHERE code LIKE %s",
            [f"{plain.code}-R%"],
        )
        cursor.execute(f"ANALYZE {d}")
        cursor.execute(f"ANALYZE {e}")
    print(f"{'loaded late and received dossiers':<44} {time.perf_counter() - started:8.2f} s")
    print(f"{'dossiers in the database':<44} {Dossier.objects.count():>10,}", flush=True)


# --- children (one fresh process per measure) -----------------------------------------------
def child_pdf(period_text: str) -> dict:
    import io

    from django.contrib.auth import get_user_model
    from pypdf import PdfReader

    from portal.models import AdministrativeUnit
    from reports.exports import report
    from reports.periods import parse_period

    user = get_user_model().objects.get(username="bench-clerk")
    unit = AdministrativeUnit.objects.get(agency_code=REPORT_AGENCY)
    period = parse_period(period_text)
    # A worker renders report after report: the first one also loads WeasyPrint, its fonts and
    # its CSS. That is timed apart ("cold"); the measure is the next report ("warm").
    cold = time.perf_counter()
    first = report.report_context(user=user, unit=unit, period=period)
    report.render_report(first)
    cold = time.perf_counter() - cold
    started, cpu = time.perf_counter(), time.process_time()
    context = report.report_context(user=user, unit=unit, period=period)
    data_done = time.perf_counter()
    pdf = report.render_report(context)
    finished, cpu = time.perf_counter(), time.process_time() - cpu
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {
        "late": context["late"]["count"],
        "listed": len(context["late"]["rows"]),
        "pages": pages,
        "bytes": len(pdf),
        "cold_s": cold,
        "data_s": data_done - started,
        "layout_s": finished - data_done,
        "seconds": finished - started,
        "cpu_s": cpu,
        "rss_mib": peak_rss_mib(),
    }


def child_csv(period_text: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from portal.models import AdministrativeUnit
    from reports.exports import views

    user = get_user_model().objects.get(username="bench-clerk")
    unit = AdministrativeUnit.objects.get(agency_code=CSV_AGENCY)
    request = RequestFactory().get(
        "/reports/exports/tables/dossiers.csv",
        {"unit": unit.pk, "period": period_text, "figure": "received"},
    )
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    started = time.perf_counter()
    response = views.table_export(request, table="dossiers", fmt="csv")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    took = time.perf_counter() - started
    rows = lines - 1  # the header
    return {
        "rows": rows,
        "bytes": size,
        "seconds": took,
        "rows_per_s": rows / took if took else 0.0,
        "rss_mib": peak_rss_mib(),
    }


def run_child(kind: str, period: str, env) -> dict:
    done = subprocess.run(
        [str(harness.PYTHON), "-m", "benchmarks.exports", "--child", kind, "--period", period],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{kind} child failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parse()
    env = harness.bench_env(REPORTS_PDF_LATE_ROWS_MAX=max(args.late, 1000))
    if args.child:
        harness.setup_django(env)
        result = child_pdf(args.period) if args.child == "pdf" else child_csv(args.period)
        print(json.dumps(result))
        return
    if not args.reuse:
        harness.fresh_database(env)
        harness.setup_django(env)
        load(late=args.late, rows=args.rows)

    with open("/proc/loadavg") as handle:
        print(f"load average before the measures: {handle.read().split()[:3]}")
    pdf = run_child("pdf", "2026-04", env)
    per_page = pdf["seconds"] / pdf["pages"]
    print(
        f"PDF report: {pdf['late']} late dossiers ({pdf['listed']} listed), {pdf['pages']} pages, "
        f"{pdf['bytes'] / 1024:.0f} KiB; first report of the process (cold) {pdf['cold_s']:.2f} s; "
        f"next one: data {pdf['data_s']:.2f} s + layout {pdf['layout_s']:.2f} s = "
        f"{pdf['seconds']:.2f} s (CPU {pdf['cpu_s']:.2f} s) → {per_page:.3f} s/page, CPU "
        f"{pdf['cpu_s'] / pdf['pages']:.3f} s/page (target ≤ 0.2); peak RSS {pdf['rss_mib']:.0f} MiB "
        "(target ≤ 300)"
    )
    small = run_child("csv", "2026-01", env)
    large = run_child("csv", "2026-01-01..2026-03-31", env)
    for label, r in (("CSV small", small), ("CSV large", large)):
        print(
            f"{label}: {r['rows']:,} rows, {r['bytes'] / 2**20:.0f} MiB in {r['seconds']:.2f} s → "
            f"{r['rows_per_s']:,.0f} rows/s (target ≥ 50,000); peak RSS {r['rss_mib']:.0f} MiB"
        )
    growth = (large["rss_mib"] - small["rss_mib"]) / small["rss_mib"] * 100
    print(f"CSV memory: peak RSS {growth:+.1f} % from {small['rows']:,} to {large['rows']:,} rows "
          "(target within 20 %)")  # fmt: skip
    targets = {
        "PDF ≤ 0.2 s/page (wall)": per_page <= 0.2,
        "PDF ≤ 0.2 s/page (CPU of the process)": pdf["cpu_s"] / pdf["pages"] <= 0.2,
        "PDF peak RSS ≤ 300 MiB": pdf["rss_mib"] <= 300,
        "CSV ≥ 50,000 rows/s (1M rows)": large["rows_per_s"] >= 50_000,
        "CSV peak RSS within 20 %": abs(growth) <= 20,
    }
    for name, met in targets.items():
        print(f"  {'met   ' if met else 'MISSED'} {name}")
    record(pdf, small, large, growth)


def record(pdf: dict, small: dict, large: dict, growth: float) -> None:
    """The figures with a target, for ``benchmarks.results``."""
    pages = f"{pdf['late']:,} late dossiers, {pdf['pages']} pages"
    results.record(
        "PDF report: seconds per page (wall)", pdf["seconds"] / pdf["pages"], "s", target=0.2,
        note=pages,
    )  # fmt: skip
    results.record(
        "PDF report: CPU seconds per page", pdf["cpu_s"] / pdf["pages"], "s CPU", target=0.2
    )
    results.record("PDF report: peak RSS", pdf["rss_mib"], "MiB", target=300)
    results.record(
        f"CSV of {large['rows']:,} dossiers: rows per second",
        large["rows_per_s"],
        "rows/s",
        target=50_000,
        better="higher",
        note=f"{small['rows']:,} rows: {small['rows_per_s']:,.0f} rows/s",
    )
    results.record(
        f"CSV peak RSS, {large['rows']:,} rows against {small['rows']:,}",
        abs(growth),
        "% more",
        target=20,
        target_text="within 20 %",
        note=f"{small['rss_mib']:.0f} → {large['rss_mib']:.0f} MiB",
    )


if __name__ == "__main__":
    main()
