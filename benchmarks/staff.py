"""Staff pages next to ``/healthz``: the work queue, a dossier page, the leader dashboard and the
complaint queue, each in requests per second and server CPU per request, with its query count.

    .venv/bin/python -m benchmarks.staff [--dossiers 1500] [--clients 8] [--duration 5]

Drops and creates its own database (BENCH_DATABASE_URL, default ``motcua_bench``) and seeds a
slice of a province with the demo's own seed functions (bulk rows built with the services'
rules): Hà Nội's units, desks and staff (``portal.demo.seed_all``), the procedure catalogue,
``--dossiers`` dossiers over ``--days`` days at the measured desk (the 2025 commune of the
``phuong-badinh-*`` accounts) and ``--peer-dossiers`` at each of ``--peers`` other communes (so
the city ranking has peers), survey answers, ``--feedback`` complaint and feedback items through
``feedback.services``, and the rollups of the whole history (``reports.demo.seed_rollups``).

Then, in-process with Django's test client over the same database and ``benchmarks.settings``,
it counts each page's queries (after one warm-up request); starts gunicorn on a spare port of
127.0.0.1 with the login rate limit raised for its server only; signs each account in over
HTTP (login form, CSRF token, POST) once and gives every client that session's cookies; and
measures in turn, each for ``--duration`` seconds or ``--requests`` requests after a warm-up:

- ``GET /healthz``: the baseline (middleware and one ``SELECT 1``; no session, no template);
- the work queue ``/dossiers/`` (default tab) of the measured desk's officer;
- a dossier page ``/dossiers/<pk>/`` (a random open dossier of the desk per request);
- the city leader's dashboard ``/bao-cao/don-vi/<city>/`` (default period: the last complete
  quarter; every commune of the city ranked): as leaders get it between two recomputes (the
  shared page cache), and on a second gunicorn with ``REPORTS_PAGE_CACHE_SECONDS=0`` (built
  from the rollups on every request, what the first look after a recompute costs);
- the complaint queue ``/phan-anh/quan-ly/?tab=all`` of the measured unit's officer (a full
  page of 25 rows; the default tab, "due soon", is empty with the demo's items).

Prints per page: req/s, p50/p99, server CPU ms per request and its ratio to ``/healthz``, and
the query count (and the count its test pins under the test settings). Targets
(docs/performance.md says why): CPU per request ≤ 10 ms for a list or a dossier page, ≤ 5 ms for
the dashboard served from the page cache, ≤ 100 ms for the dashboard built from the rollups.
Each figure goes to ``benchmarks.results.record`` (``BENCH_RESULTS``). ``--profile N`` adds a
cProfile of N in-process requests per page, split by layer as ``benchmarks.profile`` does.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import harness, results

MEASURED = "phuong-badinh"  # the demo accounts of the measured desk (2025 commune 00004)
CITY_LEADER = "hanoi-leader"
# CPU per request (ms) the pages should stay within; see docs/performance.md.
TARGETS = {"list": 10.0, "detail": 10.0, "dashboard": 100.0, "dashboard_cached": 5.0}
# The queries each page is pinned to under the test settings, for its small data set
# (tests/dossiers/test_pages_query_counts.py, tests/feedback/test_pages_query_counts.py,
# tests/reports/test_dashboard_pages.py): printed next to the count measured here.
PINNED = {
    "work queue /dossiers/": 25,
    "dossier page /dossiers/<pk>/": 14,
    "city dashboard (built every time)": 56,
    "complaint queue /phan-anh/quan-ly/": 21,
}


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1500, help="at the measured desk (1500)")
    parser.add_argument("--peers", type=int, default=8, help="other communes with dossiers (8)")
    parser.add_argument(
        "--peer-dossiers", type=int, default=60, help="dossiers at each other commune (60)"
    )
    parser.add_argument(
        "--feedback", type=int, default=40, help="feedback items at the measured unit (40)"
    )
    parser.add_argument("--days", type=int, default=180, help="days of history (180)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (8)")
    parser.add_argument("--duration", type=float, default=5, help="seconds per measure (5)")
    parser.add_argument("--requests", type=int, default=3000, help="at most this many per measure")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument(
        "--profile", type=int, default=0, help="also profile N in-process requests of each page"
    )
    return parser.parse_args(argv)


@dataclass
class StaffSeed:
    password: str
    officer: str  # the measured desk's officer: work queue, dossier pages, complaint queue
    leader: str  # the city leader: the dashboard
    city_id: int
    unit_id: int
    desk_id: int
    dossier_ids: list[int] = field(default_factory=list)  # open dossiers of the measured desk
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def dashboard_path(self) -> str:
        return f"/bao-cao/don-vi/{self.city_id}/"


def seed(
    *,
    dossiers: int = 1500,
    peers: int = 8,
    peer_dossiers: int = 60,
    feedback: int = 40,
    days: int = 180,
    progress=print,
) -> StaffSeed:
    """The demo's units, desks and staff, then dossiers, answers, feedback and rollups for the
    measured commune and ``peers`` other communes of the same city (2025 tree); returns who
    and what the pages are measured with."""
    from dossiers import demo as dossiers_demo
    from dossiers.models import OPEN_STATUSES, Dossier
    from feedback import demo as feedback_demo
    from feedback.models import Item
    from portal import demo as portal_demo
    from reports import demo as reports_demo
    from surveys import demo as surveys_demo
    from surveys import seeding

    def step(label, fn, *args, **kwargs):
        started = time.monotonic()
        value = fn(*args, **kwargs)
        progress(f"  {label:<44} {time.monotonic() - started:6.1f} s")
        return value

    data = step("units, desks, staff (portal.demo)", portal_demo.seed_all)
    units = data.units
    measured = next(a.unit for a in data.accounts if a.username == f"{MEASURED}-officer")
    city = units.city_2025
    others = [u for u in units.communes_2025 if u.pk != measured.pk][:peers]
    desks = [data.desks[measured.pk], *(data.desks[u.pk] for u in others)]
    step("procedures", dossiers_demo.seed_procedures, desks=list(data.desks.values()))
    made = step(
        f"dossiers at the measured desk ({dossiers})",
        dossiers_demo.seed_dossiers,
        desks=desks[:1],
        count=dossiers,
        days=days,
    )
    if others and peer_dossiers:
        made += step(
            f"dossiers at {len(others)} other communes ({peer_dossiers} each)",
            dossiers_demo.seed_dossiers,
            desks=desks[1:],
            count=peer_dossiers * len(others),
            days=days,
        )
    step("survey forms", seeding.seed_survey_forms)
    answers = step("survey answers", surveys_demo.seed_demo_responses, desks=desks)
    items = 0
    if feedback:  # the measured unit's recent weeks, then fewer at the other communes
        items = step(
            f"feedback items at the measured unit ({feedback})",
            feedback_demo.seed_feedback,
            desks=desks[:1],
            count=feedback,
            days=30,
        )
        items += step(
            f"feedback items at the other communes ({feedback // 2})",
            feedback_demo.seed_feedback,
            desks=desks[1:],
            count=feedback // 2,
            days=min(days, 90),
        )
    step("rollups of the whole history", reports_demo.seed_rollups, days=days)
    open_ids = list(
        Dossier.objects.filter(desk=desks[0], status__in=OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return StaffSeed(
        password=portal_demo.DEMO_PASSWORD,
        officer=f"{MEASURED}-officer",
        leader=CITY_LEADER,
        city_id=city.pk,
        unit_id=measured.pk,
        desk_id=desks[0].pk,
        dossier_ids=open_ids,
        counts={
            "dossiers": made,
            "open at the measured desk": len(open_ids),
            "survey responses": answers,
            "feedback items": items,
            "feedback items at the unit": Item.objects.filter(unit=measured).count(),
            "communes ranked": city.children.count(),
        },
    )


# --- in-process: query counts (and, with --profile, where the CPU goes) ----------------------
@dataclass
class Page:
    key: str  # target kind: list, detail, dashboard, dashboard_cached
    name: str
    user: str  # username ("" for no session)
    paths: list[str]  # one is picked at random per request
    queries: int | None = None
    rows: str = ""
    result: harness.Result | None = None

    def path(self, rng) -> str:
        return self.paths[0] if len(self.paths) == 1 else rng.choice(self.paths)


def pages_of(staff: StaffSeed) -> list[Page]:
    return [
        Page("base", "GET /healthz (baseline)", "", ["/healthz"]),
        Page("list", "work queue /dossiers/", staff.officer, ["/dossiers/"]),
        Page(
            "detail",
            "dossier page /dossiers/<pk>/",
            staff.officer,
            [f"/dossiers/{pk}/" for pk in staff.dossier_ids] or ["/dossiers/"],
        ),
        Page(
            "dashboard_cached", "city dashboard (page cache)", staff.leader, [staff.dashboard_path]
        ),
        Page(
            "list",
            "complaint queue /phan-anh/quan-ly/",
            staff.officer,
            ["/phan-anh/quan-ly/?tab=all"],
        ),
    ]


def _rows(context) -> str:
    """What the page shows: its rows (list pages) or its ranked units (dashboard)."""
    if context is None:
        return ""
    page = context.get("page")
    if hasattr(page, "paginator"):
        return f"{len(page.object_list)} rows of {page.paginator.count}"
    for name in ("events", "timeline"):
        if context.get(name) is not None:
            return f"{len(context[name])} events"
    return ""


def count_queries(pages: list[Page], staff: StaffSeed, *, profile: int = 0) -> None:
    """Each page's queries in one request after a warm-up request, in-process with Django's
    test client over the benchmark's database and settings (Redis cache, database sessions).
    The dashboard is counted twice: built from the rollups (the page cache made stale first)
    and served from the page cache. With ``profile``, that many requests of each page under
    cProfile (CPU clock), split by layer as ``benchmarks.profile`` does."""
    from django.contrib.auth import get_user_model
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )

    from reports.cache import rollups_changed

    setup_test_environment()  # the responses carry their template context (rows shown)
    request_started.disconnect(reset_queries)
    users = get_user_model().objects
    try:
        rng = random.Random(14)
        clients = {}
        for page in pages:
            if page.user not in clients:
                clients[page.user] = Client(HTTP_HOST="127.0.0.1")
                if page.user:
                    clients[page.user].force_login(users.get(username=page.user))
            client = clients[page.user]
            path = page.path(rng)
            client.get(path)  # warm-up: the session's first request, imports, templates
            if page.key == "dashboard_cached":
                rollups_changed()
                with CaptureQueriesContext(connection) as built:
                    response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                page.rows = f"built with {len(built)} queries"
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            page.queries = len(captured)
            if not page.key.startswith("dashboard"):  # its "page" is lazy: never build it here
                page.rows = _rows(response.context)
            if profile:
                _profile(page, client, rng, profile)
    finally:
        request_started.connect(reset_queries)
        teardown_test_environment()


def _profile(page: Page, client, rng, requests: int) -> None:
    import cProfile
    import pstats
    from collections import defaultdict

    from benchmarks.profile import layer
    from reports.cache import rollups_changed

    built = page.key == "dashboard_cached"
    for label, stale in (("", False), (" (built)", True)) if built else (("", False),):
        profiler = cProfile.Profile(time.process_time)
        for _ in range(requests):
            if stale:
                rollups_changed()
            profiler.enable()
            client.get(page.path(rng))
            profiler.disable()
        stats = pstats.Stats(profiler)
        if os.environ.get("BENCH_PROFILE_DUMP"):  # a directory for pstats files, to read further
            Path(os.environ["BENCH_PROFILE_DUMP"]).mkdir(parents=True, exist_ok=True)
            stats.dump_stats(Path(os.environ["BENCH_PROFILE_DUMP"]) / f"{page.key}{stale}.pstats")
        by_layer = defaultdict(float)
        for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            by_layer[layer(filename)] += tottime
        total = sum(by_layer.values())
        shares = sorted(by_layer.items(), key=lambda kv: -kv[1])
        print(f"  profile of {page.name}{label}: {total / requests * 1000:.1f} ms per request "
              "(profiled CPU) — " + ", ".join(
                  f"{label_} {seconds / total:.0%}" for label_, seconds in shares[:6]
              ))  # fmt: skip


# --- over HTTP -------------------------------------------------------------------------------


def sign_in(server, username: str, password: str) -> dict[str, str]:
    """The login form's CSRF token, then the POST; returns the signed-in cookies."""
    client = harness.HttpClient(server.host, server.port)
    response, page = client.request("GET", "/accounts/login/")
    found = harness.FORM_TOKEN.search(page)
    if response.status != 200 or not found:
        raise SystemExit(f"login page: HTTP {response.status}")
    body = urlencode(
        {"csrfmiddlewaretoken": found.group(1).decode(), "username": username, "password": password}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://{server.host}:{server.port}/accounts/login/",
    }
    response, _ = client.request("POST", "/accounts/login/", body=body, headers=headers)
    if response.status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"signing in {username}: HTTP {response.status}, no session")
    return client.cookies


def measure(page: Page, server, args, cookies: dict[str, str]) -> harness.Result:
    def make(index):
        client = harness.HttpClient(server.host, server.port, cookies)
        rng = random.Random(index)

        def op():
            response, _ = client.request("GET", page.path(rng))
            return None if response.status == 200 else f"HTTP {response.status}"

        return op

    warm = make(0)
    for _ in range(args.workers * 3):  # every worker: imports, templates, connections
        error = warm()
        if error:
            raise SystemExit(f"{page.name}: {error}")
    cpu_before = server.cpu()
    result = harness.run_clients(
        page.name,
        clients=args.clients,
        duration=args.duration,
        max_ops=args.requests,
        make_worker=make,
    )
    result.cpu = server.cpu() - cpu_before
    print(result.line(), flush=True)
    for sample in result.error_samples:
        print("  error:", sample)
    page.result = result
    return result


def cpu_ms(result: harness.Result) -> float:
    return result.cpu / result.done * 1000 if result.done and result.cpu else float("nan")


def report(pages: list[Page], staff: StaffSeed) -> None:
    base = pages[0].result
    base_cpu = cpu_ms(base)
    print()
    print(f"{'page':<36} {'req/s':>7} {'% base':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'CPU ms':>7} {'× base':>7} {'queries (pinned)':>16}  target (CPU per request)")  # fmt: skip
    for page in pages:
        r = page.result
        ms = cpu_ms(r)
        target = TARGETS.get(page.key)
        verdict = ""
        if target is not None:
            verdict = f"≤ {target:g} ms: {'met' if ms <= target else 'MISSED'}"
        queries = "—" if page.queries is None else str(page.queries)
        if page.name in PINNED:
            queries += f" ({PINNED[page.name]})"
        print(f"{page.name:<36} {r.rate:7.1f} {r.rate / base.rate:7.0%} {r.pct(50) * 1000:7.1f} "
              f"{r.pct(99) * 1000:7.1f} {ms:7.2f} {ms / base_cpu:7.1f} {queries:>16}  {verdict}")  # fmt: skip
        if page.rows:
            print(f"{'':<36} ({page.rows})")
        note = f"{ms / base_cpu:.1f}× /healthz"
        if page.key == "base":
            results.record(f"staff: {page.name} CPU", ms, "ms CPU")
            results.record(f"staff: {page.name} rate", r.rate, "req/s")
            continue
        results.record(f"staff: {page.name} CPU", ms, "ms CPU", target=target, note=note)
        results.record(
            f"staff: {page.name} rate",
            r.rate,
            "req/s",
            note=f"{r.rate / base.rate:.0%} of /healthz",
        )
        if page.queries is not None:
            pinned = PINNED.get(page.name)
            note = f"its test pins {pinned} under the test settings" if pinned else ""
            results.record(f"staff: {page.name} queries", page.queries, "queries", note=note)


def main(argv=None):
    args = parse(argv)
    env = harness.bench_env()
    started = time.monotonic()
    name = harness.fresh_database(env)
    print(f"staff pages benchmark: database {name} migrated in {time.monotonic() - started:.0f} s;"
          f" {harness.machine()}", flush=True)  # fmt: skip
    harness.setup_django(env)
    import logging

    for logger in ("portal.sms", "celery.app.trace"):  # fictitious applicants, tasks handed off
        logging.getLogger(logger).setLevel(logging.WARNING)
    began = time.monotonic()
    staff = seed(
        dossiers=args.dossiers,
        peers=args.peers,
        peer_dossiers=args.peer_dossiers,
        feedback=args.feedback,
        days=args.days,
    )
    print(f"seeded in {time.monotonic() - began:.1f} s: "
          + ", ".join(f"{k} {v}" for k, v in staff.counts.items()), flush=True)  # fmt: skip
    pages = pages_of(staff)
    count_queries(pages, staff, profile=args.profile)
    built = Page("dashboard", "city dashboard (built every time)", staff.leader,
                 [staff.dashboard_path])  # fmt: skip
    built_base = Page("base", "GET /healthz (2nd server)", "", ["/healthz"])
    from django.db import connections

    connections.close_all()
    server_env = harness.bench_env(LOGIN_RATE_PER_IP="100000/m")
    print(f"{args.clients} clients (closed loop), {args.duration:g} s or {args.requests} requests "
          f"per page; gunicorn {args.workers} workers x {args.threads} threads", flush=True)  # fmt: skip
    try:
        with harness.gunicorn(
            server_env, workers=args.workers, threads=args.threads, timeout=120
        ) as server:
            cookies = {
                user: sign_in(server, user, staff.password)
                for user in sorted({p.user for p in pages if p.user})
            }
            cookies[""] = {}
            for page in pages:
                measure(page, server, args, cookies[page.user])
        uncached = {**server_env, "REPORTS_PAGE_CACHE_SECONDS": "0"}
        with harness.gunicorn(
            uncached, workers=args.workers, threads=args.threads, timeout=120
        ) as server:
            leader = sign_in(server, staff.leader, staff.password)
            measure(built_base, server, args, {})
            measure(built, server, args, leader)
    finally:
        harness.purge_redis(env)
    dashboard = next(p for p in pages if p.key == "dashboard_cached")
    built.queries = int(dashboard.rows.split("built with ")[1].split()[0])
    report(pages, staff)
    report_built(built, built_base)


def report_built(built: Page, base: Page) -> None:
    ms, base_ms = cpu_ms(built.result), cpu_ms(base.result)
    target = TARGETS["dashboard"]
    r = built.result
    queries = f"{built.queries} ({PINNED[built.name]})"
    verdict = "met" if ms <= target else "MISSED"
    print(f"{built.name:<36} {r.rate:7.1f} {r.rate / base.result.rate:7.0%} "
          f"{r.pct(50) * 1000:7.1f} {r.pct(99) * 1000:7.1f} {ms:7.2f} {ms / base_ms:7.1f} "
          f"{queries:>16}  ≤ {target:g} ms: {verdict}")  # fmt: skip
    print(f"{'':<36} (next to its own server's /healthz: {base.result.rate:.1f} req/s, "
          f"{base_ms:.2f} ms CPU)")  # fmt: skip
    note = f"{ms / base_ms:.1f}× /healthz"
    results.record(f"staff: {built.name} CPU", ms, "ms CPU", target=target, note=note)
    results.record(
        f"staff: {built.name} rate",
        r.rate,
        "req/s",
        note=f"{r.rate / base.result.rate:.0%} of /healthz",
    )
    results.record(
        f"staff: {built.name} queries",
        built.queries,
        "queries",
        note=f"its test pins {PINNED[built.name]} under the test settings",
    )


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"(run took {time.monotonic() - started:.0f} s)")
