"""Where a request's CPU goes (issue 14, Deliver 1): the benchmark's requests made in-process
with Django's test client over the benchmark settings (PostgreSQL, Redis cache and sessions,
DEBUG off), each path ``--requests`` times under cProfile, after a warm-up. Prints, per path,
the CPU per request (without the profiler), the queries per request and the profiled CPU
time split by layer (the module each function's own time is spent in); ``--top N`` adds the
N functions with the most own time.

    .venv/bin/python -m benchmarks.profile                # about a minute
    .venv/bin/python -m benchmarks.profile --requests 300 --top 25

It uses ``BENCH_DATABASE_URL`` (dropped and created again, like the other benchmarks) and
``BENCH_REDIS_URL``; nothing listens on a port. With ``BENCH_RESULTS`` set, each path's CPU
per request is recorded (no target: the targets are on the HTTP benchmarks' rows).
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import time
from collections import defaultdict

from benchmarks import harness, results

LAYERS = [  # first match wins: (label, pattern on the file name)
    ("templates (django.template)", r"django/template/"),
    ("i18n / formats", r"django/utils/(translation|formats|dateformat|numberformat)"),
    ("static files (manifest)", r"django/(contrib/staticfiles|templatetags/static)"),
    ("DRF (parsers, serializers, views)", r"rest_framework/"),
    ("ORM: query building and compiling", r"django/db/models/"),
    ("database driver (psycopg)", r"psycopg|django/db/backends/"),
    ("sessions", r"django/contrib/sessions/"),
    ("auth", r"django/contrib/auth/"),
    ("middleware and handlers", r"django/(core/handlers|middleware|utils/deprecation)"),
    ("URL resolving", r"django/urls/"),
    ("cache / Redis", r"django/core/cache|redis/"),
    ("HTTP request/response", r"django/http/"),
    ("test client (not in production)", r"django/test/"),
    ("other Django", r"django/"),
    ("portal code", r"/wt-[^/]+/(portal|dossiers|surveys|reports|feedback)/|^(portal|dossiers)/"),
    ("hashing (hmac, hashlib)", r"hmac|hashlib|_hashlib"),
    ("Python stdlib and builtins", r"python3\.\d+/|<built-in|~|<frozen"),
]


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per path (200)")
    parser.add_argument("--top", type=int, default=0, help="also print the N top functions")
    parser.add_argument(
        "--only", default="", help="profile only the paths whose name contains this text"
    )
    parser.add_argument(
        "--dump", default="", help="write each path's pstats file into this directory"
    )
    return parser.parse_args()


def layer(filename: str) -> str:
    for label, pattern in LAYERS:
        if re.search(pattern, filename):
            return label
    return "other"


def main():
    args = parse()
    # The look-ups come from one address and often one code: raise the limits as tracking.py
    # does for its server (the rate-limit round trips are still made).
    env = harness.bench_env(
        TRACKING_RATE_PER_IP="100000000/m", TRACKING_RATE_PER_CODE="100000000/m"
    )
    harness.fresh_database(env)
    os.environ.update({k: env[k] for k in ("TRACKING_RATE_PER_IP", "TRACKING_RATE_PER_CODE")})
    harness.setup_django(env)
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from benchmarks import tracking

    setup_test_environment()  # the test client's ALLOWED_HOSTS ("testserver")
    # Django empties the query log when a request starts; keep it, to count a request's queries.
    request_started.disconnect(reset_queries)
    seed = harness.seed_minimal()
    sample = tracking.seed_dossiers(seed, 500)
    from portal.models import Counter

    for year in (2025, 2026, 2027):  # the bulk rows took log numbers 1..500: continue after
        Counter.objects.update_or_create(
            key=f"log:{seed.desk_ids[0]}:{year}", defaults={"value": 10_000}
        )
    rng = random.Random(14)
    api = Client(HTTP_AUTHORIZATION=f"Token {seed.token}")
    body = {
        "desk": seed.desk_ids[0],
        "procedure": seed.procedure_id,
        "applicant": {"name": "Nguyễn Văn An", "id_number": "001085012345", "phone": "0912345678"},
        "documents": [{"name": "Tờ khai", "is_original": True, "quantity": 1}],
        "channel": "desk",
    }
    public = Client()
    pin_client = Client()
    page = pin_client.get("/tra-cuu/").content
    form_token = harness.FORM_TOKEN.search(page).group(1).decode()

    def healthz():
        assert public.get("/healthz").status_code == 200

    def form():
        assert public.get("/tra-cuu/").status_code == 200

    def qr():
        _code, _pin, token = rng.choice(sample)
        assert public.get(f"/tra-cuu/t/{token}/").status_code == 200

    def code_pin():
        code, pin, _token = rng.choice(sample)
        r = pin_client.post(
            "/tra-cuu/", {"csrfmiddlewaretoken": form_token, "code": code, "pin": pin}
        )
        assert r.status_code == 303, r.status_code
        assert pin_client.get("/tra-cuu/ket-qua/").status_code == 200

    def intake():
        r = api.post("/api/v1/dossiers/", body, content_type="application/json")
        assert r.status_code == 201, r.content[:300]

    paths = [
        ("GET /healthz", healthz),
        ("GET /tra-cuu/ (form)", form),
        ("GET /tra-cuu/t/<token>/ (QR)", qr),
        ("code + PIN (POST 303 + GET)", code_pin),
        ("POST /api/v1/dossiers/", intake),
    ]
    from django.conf import settings

    print(harness.machine())
    print(f"settings: {settings.SETTINGS_MODULE}, {args.requests} requests per path, in-process")
    paths = [(name, op) for name, op in paths if args.only in name]
    for number, (name, op) in enumerate(paths):
        for _ in range(20):  # warm-up: imports, template cache, connections
            op()
        with CaptureQueriesContext(connection) as queries:
            op()
        started = time.process_time()
        for _ in range(args.requests):
            op()
        cpu = (time.process_time() - started) / args.requests * 1000
        profile = cProfile.Profile(time.process_time)  # CPU, not waits
        profile.enable()
        for _ in range(args.requests):
            op()
        profile.disable()
        stats = pstats.Stats(profile)
        if args.dump:
            os.makedirs(args.dump, exist_ok=True)
            stats.dump_stats(os.path.join(args.dump, f"{number}.pstats"))
        by_layer = defaultdict(float)
        total = 0.0
        for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            by_layer[layer(filename)] += tottime
            total += tottime
        print(f"\n{name}: {cpu:.2f} ms CPU per request, {len(queries)} queries")
        results.record(
            f"in-process {name}: CPU per request",
            cpu,
            "ms CPU",
            note=f"{len(queries)} queries",
            target_text="— (profile; targets on the HTTP rows)",
        )
        for label, seconds in sorted(by_layer.items(), key=lambda kv: -kv[1]):
            share = seconds / total * 100
            if share >= 1:
                print(f"  {share:5.1f} %  {label}")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)
    harness.purge_redis(env)


if __name__ == "__main__":
    main()
