"""National-scale rollups: the current country tree (3,321 communes) with N dossiers and M
survey answers loaded into PostgreSQL with COPY, then:

- a full rebuild of every rollup (``reports.services.stats_recompute_range``), next to DuckDB
  computing the same aggregates over the same rows exported to Parquet, with the ratio
  (target ≤ 2×) and a check that both give identical numbers;
- one dirty bucket recomputed (``stats_recompute_dirty`` with one (unit, day) marked; target
  ≤ 50 ms);
- event-to-dashboard freshness with beat running: a real Celery worker and beat (queue
  ``bench`` in BENCH_REDIS_URL, on 127.0.0.1) while a dossier is received through
  ``dossiers.services.dossier_receive``; the time until ``reports.selectors`` shows it
  (target ≤ 60 s);
- the city ranking dashboard (the province with the most communes, all of them ranked) in
  requests per second next to ``/healthz`` on the same gunicorn (target ≥ 50 %), with its query
  count, which is the same for the smallest province.

    .venv/bin/python -m benchmarks.national                      # quick: 200k dossiers, ~4 min
    .venv/bin/python -m benchmarks.national --dossiers 10000000 --answers 2000000   # full size

DuckDB and pyarrow come from the ``bench`` dependency group:
``python3 -m uv sync --locked --group bench``. Every run drops and creates its own database
(BENCH_DATABASE_URL, default ``motcua_bench``); only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import harness, results

UTC = dt.UTC
FIRST_DAY = dt.date(2025, 7, 1)  # the 2025 tree's first day
OFFSET = dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200_000, help="dossiers (200,000)")
    parser.add_argument(
        "--answers", type=int, default=100_000, help="survey answers, 19 per response (100,000)"
    )
    parser.add_argument("--days", type=int, default=365, help="days of history (365)")
    parser.add_argument("--buckets", type=int, default=30, help="single-bucket recomputes (30)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument(
        "--freshness", type=int, default=3, help="changes timed with beat running (3; 0: skip)"
    )
    parser.add_argument("--clients", type=int, default=4, help="HTTP clients (4)")
    parser.add_argument("--duration", type=float, default=8, help="seconds per HTTP measure (8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    return parser.parse_args()


def timed(label, fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    took = time.perf_counter() - started
    print(f"{label:<44} {took:8.2f} s", flush=True)
    return value, took


# --- loading --------------------------------------------------------------------------------
def load_reference():
    """The 2025 tree of the whole country, one desk per commune, a procedure, a clerk."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from dossiers.models import Procedure, RuleSet
    from portal.models import AdministrativeUnit, ServiceDesk, UnitLevel
    from surveys import seeding

    call_command("import_units", "--tree", "2025", verbosity=0)
    communes = list(
        AdministrativeUnit.objects.filter(tree__code="2025", level=UnitLevel.COMMUNE).order_by("pk")
    )
    ServiceDesk.objects.bulk_create(
        ServiceDesk(unit=u, name=f"Bộ phận một cửa {u.name}") for u in communes
    )
    desks = dict(ServiceDesk.objects.values_list("unit_id", "pk"))
    procedure = Procedure.objects.create(
        code="9.999999", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_time=5,
    )  # fmt: skip
    clerk = get_user_model().objects.create_user(username="bench-clerk", password=None)
    rule_set = RuleSet.objects.order_by("-effective_from").first()
    form = seeding.seed_survey_forms()[seeding.SIPAS_CODE]
    criteria = list(
        form.areas.values_list("criteria__pk", flat=True).order_by("order", "criteria__order")
    )
    return communes, desks, procedure, clerk, rule_set, form, criteria


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


def load_rows(args, reference):
    """Dossiers with their events, pauses and reschedulings, then survey responses and
    answers, with COPY. Returns the counts."""
    from django.db import connection

    communes, desks, procedure, clerk, rule_set, form, criteria = reference
    rng = random.Random(args.seed)
    start = dt.datetime.combine(FIRST_DAY, dt.time(0, 0), tzinfo=UTC) - OFFSET
    span = args.days * 86400
    counts = {"dossiers": 0, "events": 0, "pauses": 0, "reschedules": 0}
    raw = connection.connection  # psycopg 3
    with connection.cursor():
        pass
    dossier_cols = (
        "id, code, unit_id, desk_id, procedure_id, rule_set_id, log_year, log_number, "
        "applicant_kind, applicant_name, applicant_id_number, applicant_phone, applicant_email, "
        "applicant_address, channel, return_mode, sets_count, time_unit, processing_time, "
        "received_at, due_at, original_due_at, status, pin_hash, completed_at, classification, "
        "points, returned_at, closed_at, supplement_count, received_by_id, is_demo"
    )
    event_cols = (
        "dossier_id, kind, at, actor_id, unit_id, from_status, to_status, note, is_public, data"
    )
    pause_cols = (
        "dossier_id, requested_at, requested_by_id, items, status_before, remaining_days, "
        "is_late_request, resumed_at"
    )
    reschedule_cols = (
        "dossier_id, reason, responsible_unit_id, original_due_at, new_due_at, created_at, "
        "created_by_id"
    )
    events, pauses, reschedules = [], [], []
    with raw.cursor() as cur:
        with cur.copy(f"COPY dossiers_dossier ({dossier_cols}) FROM STDIN") as copy:
            for n in range(1, args.dossiers + 1):
                unit = communes[rng.randrange(len(communes))]
                roll = rng.random()
                if roll >= 0.95 and rng.random() < 0.9:
                    # still in process: mostly received in the last month of the range
                    received = start + dt.timedelta(seconds=span - rng.randrange(30 * 86400))
                else:
                    received = start + dt.timedelta(seconds=rng.randrange(span))
                due = received + dt.timedelta(days=7)
                original_due = due
                channel = "online" if rng.random() < 0.35 else "desk"
                status, completed, closed, classification, points = (
                    "in_process",
                    None,
                    None,
                    "",
                    None,
                )
                evs = [("received", received, "", "received")]
                if rng.random() < 0.08:  # a supplement request, back two days later
                    asked = received + dt.timedelta(days=1)
                    back = asked + dt.timedelta(days=2)
                    pauses.append((n, _ts(asked), clerk.pk, "[]", "received", 4, False, _ts(back)))
                    evs.append(("supplement_requested", asked, "received", "waiting_supplement"))
                    evs.append(("resubmitted", back, "waiting_supplement", "received"))
                    due = back + dt.timedelta(days=7)
                if roll < 0.02:  # rescheduled, then completed by the new date: late (R-RES-4)
                    made = received + dt.timedelta(days=3)
                    new_due = due + dt.timedelta(days=5)
                    reschedules.append(
                        (n, "Chờ xác minh", unit.pk, _ts(due), _ts(new_due), _ts(made), clerk.pk)
                    )
                    evs.append(("rescheduled", made, "received", "received"))
                    due = new_due
                    completed = due - dt.timedelta(days=1)
                    classification, points, status = "late", 0, "returned"
                elif roll < 0.90:
                    completed = received + dt.timedelta(seconds=rng.randrange(10 * 86400))
                    if completed > due:
                        classification, points = "late", 0
                    elif (completed + OFFSET).date() < (due + OFFSET).date():
                        classification, points = "early", 2
                    else:
                        classification, points = "on_time", 1
                    status = "returned"
                elif roll < 0.93:
                    closed = received + dt.timedelta(days=2)
                    status = "refused"
                    evs.append(("refused", closed, "received", "refused"))
                elif roll < 0.95:
                    closed = received + dt.timedelta(days=1)
                    status = "withdrawn"
                    evs.append(("withdrawn", closed, "received", "withdrawn"))
                if completed is not None:
                    closed = completed + dt.timedelta(hours=2)
                    evs.append(("completed", completed, "received", "result_ready"))
                    evs.append(("returned", closed, "result_ready", "returned"))
                local = received + OFFSET
                copy.write_row(
                    (
                        n, f"B{n:09d}", unit.pk, desks[unit.pk], procedure.pk, rule_set.pk,
                        local.year, n, "person", "Nguyễn Văn An", "", "", "", "", channel,
                        "desk", 1, "days", 5, _ts(received), _ts(due), _ts(original_due), status,
                        "x", _ts(completed) if completed else None, classification, points,
                        _ts(closed) if completed else None, _ts(closed) if closed else None,
                        1 if pauses and pauses[-1][0] == n else 0, clerk.pk, False,
                    )
                )  # fmt: skip
                for kind, when, before, after in evs:
                    events.append(
                        (n, kind, _ts(when), clerk.pk, unit.pk, before, after, "", True, "{}")
                    )
            counts["dossiers"] = args.dossiers
        with cur.copy(f"COPY dossiers_dossierevent ({event_cols}) FROM STDIN") as copy:
            for row in events:
                copy.write_row(row)
        with cur.copy(f"COPY dossiers_pause ({pause_cols}) FROM STDIN") as copy:
            for row in pauses:
                copy.write_row(row)
        with cur.copy(f"COPY dossiers_reschedule ({reschedule_cols}) FROM STDIN") as copy:
            for row in reschedules:
                copy.write_row(row)
        counts.update(events=len(events), pauses=len(pauses), reschedules=len(reschedules))
        cur.execute("SELECT setval('dossiers_dossier_id_seq', %s)", [args.dossiers])

        responses = max(1, args.answers // len(criteria))
        with cur.copy(
            "COPY surveys_response (id, form_id, unit_id, desk_id, channel, paper_serial, gender, "
            "age_band, education, occupation, comment, submitted_at, created_at) FROM STDIN"
        ) as copy:
            for n in range(1, responses + 1):
                unit = communes[rng.randrange(len(communes))]
                when = _ts(start + dt.timedelta(seconds=rng.randrange(span)))
                copy.write_row(
                    (
                        n,
                        form.pk,
                        unit.pk,
                        desks[unit.pk],
                        "kiosk",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        when,
                        when,
                    )
                )
        with cur.copy(
            "COPY surveys_answer (response_id, criterion_id, value, not_applicable) FROM STDIN"
        ) as copy:
            for n in range(1, responses + 1):
                for criterion in criteria:
                    r = rng.random()
                    if r < 0.03:
                        copy.write_row((n, criterion, None, True))
                    elif r < 0.05:
                        copy.write_row((n, criterion, None, False))
                    else:
                        copy.write_row((n, criterion, rng.choice((2, 3, 4, 4, 5, 5, 5)), False))
        cur.execute("SELECT setval('surveys_response_id_seq', %s)", [responses])
        counts.update(responses=responses, answers=responses * len(criteria))
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


# --- DuckDB -----------------------------------------------------------------------------------
def _utc(column: str) -> str:
    name = column.split(".")[-1]
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS {name}"


# Timestamps leave PostgreSQL as naive UTC text, so DuckDB reads plain TIMESTAMPs.
EXPORTS = {
    "dossiers": "SELECT id, unit_id, channel, classification, "
    + ", ".join(
        _utc(c) for c in ("received_at", "due_at", "original_due_at", "completed_at", "closed_at")
    )
    + " FROM dossiers_dossier",
    "events": f"SELECT dossier_id, unit_id, kind, {_utc('at')} FROM dossiers_dossierevent",
    "pauses": f"SELECT dossier_id, {_utc('requested_at')}, {_utc('resumed_at')} FROM dossiers_pause",
    "reschedules": "SELECT dossier_id, "
    + ", ".join(_utc(c) for c in ("created_at", "original_due_at", "new_due_at"))
    + " FROM dossiers_reschedule",
    "responses": f"SELECT r.id, r.unit_id, r.form_id, {_utc('r.submitted_at')}, f.scale "
    "FROM surveys_response r JOIN surveys_surveyform f ON f.id = r.form_id",
    "answers": "SELECT response_id, criterion_id, value, not_applicable FROM surveys_answer",
}
TIMESTAMPS = {
    "received_at", "due_at", "original_due_at", "completed_at", "closed_at", "at",
    "requested_at", "resumed_at", "created_at", "new_due_at", "submitted_at",
}  # fmt: skip


def export_parquet(folder: Path) -> dict[str, Path]:
    """Each source table streamed out with COPY to CSV, then written to Parquet by pyarrow."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    from django.db import connection

    paths = {}
    raw = connection.connection
    for name, sql in EXPORTS.items():
        csv_path = folder / f"{name}.csv"
        with (
            raw.cursor() as cur,
            csv_path.open("wb") as out,
            cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        with csv_path.open("rb") as handle:
            header = handle.readline().decode().strip().split(",")
        types = {c: pa.timestamp("us") for c in header if c in TIMESTAMPS}
        if "value" in header:
            types["value"] = pa.int16()
        table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(column_types=types))
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        csv_path.unlink()
        paths[name] = path
    raw.commit()
    return paths


DUCK_SQL = """
WITH days AS (
    SELECT CAST(d AS DATE) AS day,
           CAST(d AS TIMESTAMP) + INTERVAL 1 DAY - INTERVAL 7 HOUR AS ends_at
    FROM range(DATE '{first}', DATE '{last}' + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)
),
flows AS (
    SELECT e.unit_id, CAST(e.at + INTERVAL 7 HOUR AS DATE) AS day, d.channel,
        count(*) FILTER (WHERE e.kind = 'received') AS received,
        count(*) FILTER (WHERE e.kind = 'completed') AS completed,
        count(*) FILTER (WHERE e.kind = 'completed' AND d.classification = 'early') AS early,
        count(*) FILTER (WHERE e.kind = 'completed' AND d.classification = 'on_time') AS on_time,
        count(*) FILTER (WHERE e.kind = 'completed' AND d.classification = 'late') AS late,
        count(*) FILTER (WHERE e.kind = 'refused') AS refused,
        count(*) FILTER (WHERE e.kind = 'supplement_requested') AS supplement_requests,
        count(*) FILTER (WHERE e.kind = 'rescheduled') AS apologies,
        count(*) FILTER (WHERE e.kind = 'withdrawn') AS withdrawn
    FROM '{events}' e JOIN '{dossiers}' d ON d.id = e.dossier_id
    WHERE e.kind IN ('received', 'completed', 'refused', 'supplement_requested',
                     'rescheduled', 'withdrawn')
      AND e.at >= TIMESTAMP '{first}' - INTERVAL 7 HOUR
      AND e.at < TIMESTAMP '{last}' + INTERVAL 1 DAY - INTERVAL 7 HOUR
    GROUP BY ALL
),
overdue AS (
    SELECT d.unit_id, days.day, d.channel, count(*) AS overdue
    FROM '{dossiers}' d JOIN days ON d.received_at < days.ends_at
    LEFT JOIN '{reschedules}' r ON r.dossier_id = d.id
    WHERE (d.completed_at IS NULL OR d.completed_at >= days.ends_at)
      AND (d.closed_at IS NULL OR d.closed_at >= days.ends_at)
      AND NOT EXISTS (SELECT 1 FROM '{pauses}' p WHERE p.dossier_id = d.id
          AND p.requested_at < days.ends_at
          AND (p.resumed_at IS NULL OR p.resumed_at >= days.ends_at))
      AND (CASE WHEN NOT EXISTS (SELECT 1 FROM '{pauses}' p2 WHERE p2.dossier_id = d.id
                                 AND p2.requested_at < days.ends_at)
                THEN (CASE WHEN r.created_at < days.ends_at THEN r.new_due_at
                           ELSE d.original_due_at END)
                WHEN r.created_at >= days.ends_at THEN r.original_due_at
                ELSE d.due_at END) < days.ends_at
    GROUP BY ALL
)
SELECT coalesce(f.unit_id, o.unit_id), coalesce(f.day, o.day), coalesce(f.channel, o.channel),
    coalesce(received, 0), coalesce(completed, 0), coalesce(early, 0), coalesce(on_time, 0),
    coalesce(late, 0), coalesce(overdue, 0), coalesce(refused, 0),
    coalesce(supplement_requests, 0), coalesce(apologies, 0), coalesce(withdrawn, 0)
FROM flows f FULL OUTER JOIN overdue o
    ON f.unit_id = o.unit_id AND f.day = o.day AND f.channel = o.channel
"""

DUCK_SURVEY_SQL = """
SELECT r.unit_id, CAST(r.submitted_at + INTERVAL 7 HOUR AS DATE) AS day, r.form_id,
    a.criterion_id,
    count(*) FILTER (WHERE a.value IS NOT NULL),
    count(*) FILTER (WHERE r.scale = 'five_level' AND a.value IN (4, 5)),
    count(*) FILTER (WHERE a.not_applicable),
    count(*) FILTER (WHERE a.value IS NULL AND NOT a.not_applicable),
    {levels}
FROM '{answers}' a JOIN '{responses}' r ON r.id = a.response_id
WHERE r.submitted_at >= TIMESTAMP '{first}' - INTERVAL 7 HOUR
  AND r.submitted_at < TIMESTAMP '{last}' + INTERVAL 1 DAY - INTERVAL 7 HOUR
GROUP BY ALL
"""

DUCK_RESPONSES_SQL = """
SELECT unit_id, CAST(submitted_at + INTERVAL 7 HOUR AS DATE) AS day, form_id, count(*)
FROM '{responses}'
WHERE submitted_at >= TIMESTAMP '{first}' - INTERVAL 7 HOUR
  AND submitted_at < TIMESTAMP '{last}' + INTERVAL 1 DAY - INTERVAL 7 HOUR
GROUP BY ALL
"""


def duckdb_rollups(paths, first: dt.date, last: dt.date):
    import duckdb

    con = duckdb.connect()
    fmt = {k: str(v) for k, v in paths.items()} | {"first": first, "last": last}
    levels = ", ".join(f"count(*) FILTER (WHERE a.value = {v})" for v in range(11))
    dossier = {tuple(row) for row in con.execute(DUCK_SQL.format(**fmt)).fetchall() if any(row[3:])}
    survey = {
        tuple(r) for r in con.execute(DUCK_SURVEY_SQL.format(levels=levels, **fmt)).fetchall()
    }
    responses = {tuple(r) for r in con.execute(DUCK_RESPONSES_SQL.format(**fmt)).fetchall()}
    return dossier, survey, responses


def postgres_rollups():
    from reports.models import DossierDayStat, SurveyDayStat, SurveyResponseDayStat

    dossier = set(
        DossierDayStat.objects.values_list("unit_id", "day", "channel", *DossierDayStat.COUNTS)
    )
    survey = set(
        SurveyDayStat.objects.values_list(
            "unit_id", "day", "form_id", "criterion_id", *SurveyDayStat.COUNTS
        )
    )
    responses = set(
        SurveyResponseDayStat.objects.values_list("unit_id", "day", "form_id", "responses")
    )
    return dossier, survey, responses


# --- one dirty bucket -------------------------------------------------------------------------
def one_bucket_times(n: int, first: dt.date, last: dt.date, now) -> list[float]:
    from reports import services
    from reports.dirty import buckets_mark
    from reports.models import DossierDayStat

    rng = random.Random(7)
    buckets = list(
        DossierDayStat.objects.filter(day__gte=first, day__lte=last)
        .values_list("unit_id", "day")
        .distinct()[:5000]
    )
    times = []
    for unit_id, day in rng.sample(buckets, min(n, len(buckets))):
        buckets_mark([(unit_id, day)])
        started = time.perf_counter()
        done = services.stats_recompute_dirty(now=now)
        times.append(time.perf_counter() - started)
        assert done == 1, done
    return times


# --- event-to-dashboard freshness with beat running -------------------------------------------
@contextlib.contextmanager
def celery_worker_and_beat(env):
    """A Celery worker (queue ``bench``, one process) and beat (the portal's schedule, with the
    30 s dirty-bucket task) against the bench database and Redis on 127.0.0.1, each in a
    process group of its own, stopped on exit."""
    celery = str(harness.ROOT / ".venv" / "bin" / "celery")
    logs = tempfile.TemporaryDirectory(prefix="bench-celery-")
    commands = {
        "worker": [celery, "-A", "portal", "worker", "-Q", "bench", "-c", "1", "-P", "solo",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        "beat": [celery, "-A", "portal", "beat", "-l", "warning",
                 "--pidfile", str(Path(logs.name) / "beat.pid")],
    }  # fmt: skip
    processes = []
    try:
        for name, command in commands.items():
            log = (Path(logs.name) / f"{name}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    command, cwd=harness.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )  # fmt: skip
        yield Path(logs.name)
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        logs.cleanup()


def _wait(predicate, *, timeout: float, step: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def freshness(env, reference, trials: int) -> list[float]:
    """Receive a dossier now at a commune (the lifecycle's own service, so its event marks the
    bucket after commit) and time until the rollup-reading selector shows it, with the beat
    and a worker running. The first beat run (which marks today's bucket of every unit with
    overdue dossiers) is awaited before the first change."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.utils import timezone

    from dossiers import services as dossier_services
    from portal.models import Membership, Role, ServiceDesk
    from reports import periods, selectors
    from reports.models import DirtyBucket, StateMark
    from reports.services import OVERDUE_MARK

    communes, desks, procedure, clerk, _rule_set, _form, _criteria = reference
    commune = communes[0]
    commune.agency_code = "000.00.99.H99"
    commune.save(update_fields=["agency_code"])
    Membership.objects.get_or_create(user=clerk, unit=commune, role=Role.RECEPTIONIST)
    viewer = get_user_model().objects.create_user(username="bench-viewer", is_superuser=True)
    desk = ServiceDesk.objects.get(pk=desks[commune.pk])
    procedure.desks.add(desk)
    applicant = {
        "name": "Nguyễn Văn An", "id_number": "001085012345", "phone": "0912345678",
        "email": "", "address": "1 Phố Huế",
    }  # fmt: skip

    def received_now() -> int:
        today = timezone.localdate()
        month = periods.month(today.year, today.month)
        connections.close_all()  # a fresh snapshot of what the worker committed
        result = selectors.indicator_values(user=viewer, unit=commune, period=month)
        return result.figures.received

    times = []
    with celery_worker_and_beat(env) as logs:
        first_run = _wait(
            lambda: (
                StateMark.objects.filter(key=OVERDUE_MARK).exists()
                and not DirtyBucket.objects.exists()
            ),
            timeout=180,
        )
        if not first_run:
            print("  the beat's first run did not finish in 180 s; logs:")
            for log in logs.glob("*.log"):
                print(log.read_text()[-2000:])
            return []
        for _trial in range(trials):
            before = received_now()
            dossier_services.dossier_receive(
                desk=desk, procedure=procedure, applicant=dict(applicant), actor=clerk,
                channel="desk",
            )  # fmt: skip
            committed = time.perf_counter()
            seen = _wait(lambda before=before: received_now() > before, timeout=120, step=0.5)
            took = time.perf_counter() - committed
            times.append(took if seen else float("inf"))
            print(f"  change {_trial + 1}: seen after {took:5.1f} s" + ("" if seen else " (NOT)"))
            time.sleep(random.uniform(0, 10))  # land anywhere in the 30 s beat cycle
    return times


# --- the city ranking dashboard over HTTP -----------------------------------------------------
def dashboard_queries(user, units, path_of) -> dict[str, tuple[int, int, float]]:
    """Per unit, in-process (Django's test client): the queries and time of a dashboard built
    from the rollups (the page cache made stale first), and the queries of a second look served
    from the page cache."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.cache import rollups_changed

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}
    for unit in units:
        client.get(path_of(unit))  # warm the session and the content types
        rollups_changed()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as built:
            response = client.get(path_of(unit))
        took = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as served:
            client.get(path_of(unit))
        counts[unit.name] = (len(built), len(served), took)
    return counts


def _http_measure(server, name, path, cookie, args):
    import http.client

    def make(_index):
        conn = http.client.HTTPConnection(server.host, server.port, timeout=120)

        def op():
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            return None if response.status == 200 else f"HTTP {response.status}"

        return op

    make(0)()  # one request first: a cold worker, and the page cache filled
    cpu_before = server.cpu()
    result = harness.run_clients(
        name, clients=args.clients, duration=args.duration, max_ops=100_000, make_worker=make
    )
    result.cpu = server.cpu() - cpu_before
    print(result.line())
    for sample in result.error_samples:
        print(f"    error: {sample}")
    return result


def dashboard_throughput(env, args, *, period: str):
    """The largest province's dashboard (all its communes ranked) next to /healthz on one
    gunicorn, by ``args.clients`` keep-alive clients for ``args.duration`` seconds each: with
    the shared page cache (what leaders get between two recomputes), then on a second gunicorn
    without it (every request builds the page from the rollups)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    from portal.models import AdministrativeUnit

    provinces = list(
        AdministrativeUnit.objects.filter(tree__code="2025", parent__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n", "code")
    )
    largest, smallest = provinces[0], provinces[-1]
    mayor = get_user_model().objects.create_user(username="bench-mayor", is_superuser=True)

    def path_of(unit):
        return f"/bao-cao/don-vi/{unit.pk}/?period={period}"

    counts = dashboard_queries(mayor, [largest, smallest], path_of)
    for province in (largest, smallest):
        built, served, took = counts[province.name]
        print(
            f"{'dashboard of ' + province.name:<44} {province.n} communes: {built} queries "
            f"built ({took * 1000:.0f} ms in-process), {served} served from the page cache"
        )
    login = Client(HTTP_HOST="127.0.0.1")
    login.force_login(mayor)
    cookie = f"sessionid={login.cookies['sessionid'].value}"
    page = path_of(largest)
    with harness.gunicorn(env, workers=args.workers, threads=1, timeout=180) as server:
        base = _http_measure(server, "/healthz", "/healthz", cookie, args)
        cached = _http_measure(server, "city dashboard (page cache)", page, cookie, args)
    uncached_env = {**env, "REPORTS_PAGE_CACHE_SECONDS": "0"}
    with harness.gunicorn(uncached_env, workers=args.workers, threads=1, timeout=180) as server:
        built = _http_measure(server, "city dashboard (built)", page, cookie, args)
    for name, result in (("page cache", cached), ("built every time", built)):
        share = result.rate / base.rate * 100 if base.rate else 0.0
        print(f"{'city dashboard / healthz, ' + name:<44} {share:6.1f} %   (target ≥ 50 %)")
        results.record(
            f"city dashboard ({largest.n} communes, {name}): rate, % of /healthz",
            share,
            "%",
            target=50,
            better="higher",
            note=f"{result.rate:,.0f} req/s",
        )
    return counts, base, cached, built


def main():
    args = parse()
    env = harness.bench_env()
    print(f"benchmarks.national: {args.dossiers:,} dossiers, {args.answers:,} answers, "
          f"{args.days} days; {harness.machine()}", flush=True)  # fmt: skip
    _db, _t = timed("fresh database + migrations", harness.fresh_database, env)
    harness.setup_django(env)
    from django.utils import timezone

    from reports import days as days_mod
    from reports import services

    reference, _t = timed("country tree (2025) + desks + forms", load_reference)
    print(f"  communes: {len(reference[0]):,}")
    counts, _load_s = timed("COPY dossiers, events, answers", load_rows, args, reference)
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    first = FIRST_DAY
    last = first + dt.timedelta(days=args.days - 1)
    now = dt.datetime.combine(last + dt.timedelta(days=60), dt.time(12), tzinfo=days_mod.tz())
    assert now > timezone.now() - dt.timedelta(days=3650)

    _run, pg_s = timed(
        "PostgreSQL: full rebuild of all rollups",
        services.stats_recompute_range,
        date_from=first,
        date_to=last,
        now=now,
    )
    with tempfile.TemporaryDirectory(prefix="bench-parquet-") as folder:
        paths, _t = timed("export the rows to Parquet", export_parquet, Path(folder))
        duck, duck_s = timed(
            "DuckDB: the same aggregates over Parquet", duckdb_rollups, paths, first, last
        )
    pg = postgres_rollups()
    same = pg == duck
    ratio = pg_s / duck_s if duck_s else float("inf")
    print(f"{'ratio PostgreSQL / DuckDB':<44} {ratio:8.2f} ×   (target ≤ 2×)")
    scale = f"{args.dossiers:,} dossiers"
    results.record(
        f"rollups full rebuild ({scale}): PostgreSQL ÷ DuckDB",
        ratio,
        "×",
        target=2,
        note=f"{pg_s:.1f} s vs {duck_s:.1f} s",
    )
    print(
        f"{'identical numbers':<44} {'yes' if same else 'NO'}   "
        f"(dossier rows {len(pg[0]):,}, survey rows {len(pg[1]):,}, response rows {len(pg[2]):,})"
    )
    if not same:
        for name, a, b in zip(("dossier", "survey", "responses"), pg, duck, strict=True):
            print(f"  {name}: only PostgreSQL {len(a - b)}, only DuckDB {len(b - a)}")
    results.record(
        "rollups: rows that differ, PostgreSQL vs DuckDB",
        sum(len(a ^ b) for a, b in zip(pg, duck, strict=True)),
        "rows",
        target=0,
    )
    times = one_bucket_times(args.buckets, first, last, now)
    results.record(
        "one dirty bucket recomputed: p50",
        statistics.median(times) * 1000,
        "ms",
        target=50,
        note=f"max {max(times) * 1000:.1f} ms, n={len(times)}",
    )
    print(
        f"{'one dirty bucket recomputed':<44} p50 {statistics.median(times) * 1000:6.1f} ms  "
        f"max {max(times) * 1000:6.1f} ms  n={len(times)}   (target ≤ 50 ms)"
    )
    dashboard_throughput(env, args, period=f"{last:%Y-%m}")
    if args.freshness:
        print("event-to-dashboard freshness (worker + beat every 30 s):", flush=True)
        seen = freshness(env, reference, args.freshness)
        if seen:
            print(
                f"{'freshness, commit to selector':<44} p50 {statistics.median(seen):5.1f} s  "
                f"max {max(seen):5.1f} s  n={len(seen)}   (target ≤ 60 s)"
            )
            results.record(
                "event-to-dashboard freshness (beat every 30 s): max",
                max(seen),
                "s",
                target=60,
                note=f"p50 {statistics.median(seen):.1f} s, n={len(seen)}",
            )
        missed = args.freshness - sum(1 for took in seen if took != float("inf"))
        if missed:  # not seen in 120 s, or the beat's first run never finished
            results.record(
                "event-to-dashboard freshness: changes not seen", missed, "changes", target=0
            )
    harness.purge_redis(env)


if __name__ == "__main__":
    main()
