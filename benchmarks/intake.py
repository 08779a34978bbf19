"""Intake throughput: N parallel clients receive dossiers; prints dossiers/s, p50/p99 latency,
and checks that the codes have no gap and no duplicate (R-LIFE-2).

    .venv/bin/python -m benchmarks.intake            # HTTP: POST /api/v1/dossiers/ to gunicorn
    .venv/bin/python -m benchmarks.intake --direct   # in-process: dossier_receive from N threads

Every run drops and creates its own database (BENCH_DATABASE_URL, default ``motcua_bench``),
migrates it and seeds one commune (agency identifier ``000.00.99.H99``), its desk, a
receptionist with an API token and a procedure. By default all clients receive at that one
desk: every receipt takes the same per-agency, per-day counter row and holds its lock until
commit, the hardest case for the sequence; ``--agencies K`` spreads them over K communes.
The HTTP server is gunicorn with sync workers sized as ``gunicorn.conf.py`` sizes them (one per
core plus one); ``--workers 4 --threads 4`` gives the 4 × 4 gthread server of the first
measurements. Targets: ≥ 200 dossiers/s (issue 1); issue 14: ≥ 150 dossiers/s over 8 agencies,
≤ 10 ms CPU per receipt and p99 ≤ 300 ms over HTTP, ≤ 6 ms CPU per receipt in-process. With
``BENCH_RESULTS`` set the figures are recorded for ``benchmarks.results``. Only 127.0.0.1 is
contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import time
from collections import defaultdict

from benchmarks import harness, results

APPLICANT = {
    "name": "Nguyễn Văn An",
    "id_number": "001085012345",
    "phone": "0912345678",
    "email": "an.nguyen@example.test",
    "address": "12 Phúc Xá, Ba Đình, Hà Nội",
}
DOCUMENTS = [
    {"name": "Tờ khai đăng ký khai sinh", "is_original": True, "quantity": 1},
    {"name": "Giấy chứng sinh", "is_original": True, "quantity": 1},
]
CODE = re.compile(r"^(?P<prefix>.+-\d{6})-(?P<seq>\d{4})$")


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="parallel clients (16)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load (10)")
    parser.add_argument("--count", type=int, default=3000, help="at most this many receipts")
    parser.add_argument("--direct", action="store_true", help="call the service in-process")
    parser.add_argument(
        "--agencies",
        type=int,
        default=1,
        help="spread the clients over this many communes, each with its own code sequence "
        "(1: all clients contend for one counter row, the hardest case)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="--direct only: spread the clients over this many processes (1: threads only, "
        "so Python's GIL caps the rate at about one core)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=harness.web_workers(),
        help="gunicorn workers (as gunicorn.conf.py: one per core plus one, "
        f"{harness.web_workers()} here)",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (1: sync workers)"
    )
    parser.add_argument("--warmup", type=int, default=20, help="receipts before measuring")
    args = parser.parse_args()
    if args.count > 9000:
        parser.error("--count stays under 9,000: a sequence has 9,999 numbers per agency and day")
    return args


def direct_worker(seed):
    """In-process: one thread per client, each with its own database connection (Django
    opens one per thread), calling the service the receive API calls."""
    from django.contrib.auth import get_user_model

    from dossiers import services
    from portal.models import ServiceDesk

    def make(index):
        from dossiers.models import Procedure

        desk = ServiceDesk.objects.select_related("unit").get(pk=seed.desk_for(index))
        procedure = Procedure.objects.get(pk=seed.procedure_id)
        actor = get_user_model().objects.get(pk=seed.user_id)

        def op():
            services.dossier_receive(
                desk=desk,
                procedure=procedure,
                applicant=dict(APPLICANT),
                documents=DOCUMENTS,
                actor=actor,
            )

        return op

    return make


def http_worker(seed, host, port):
    headers = {
        "Authorization": f"Token {seed.token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def make(index):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        body = json.dumps(
            {
                "desk": seed.desk_for(index),
                "procedure": seed.procedure_id,
                "applicant": APPLICANT,
                "documents": DOCUMENTS,
                "channel": "desk",
            }
        ).encode()

        def op():
            conn.request("POST", "/api/v1/dossiers/", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            if response.status != 201:
                return f"HTTP {response.status}: {payload[:200]!r}"
            return None

        return op

    return make


def check_codes():
    """R-LIFE-2: per agency and day the sequence runs 1..n, no duplicate, no gap."""
    from dossiers.models import Dossier

    by_prefix = defaultdict(list)
    for code in Dossier.objects.values_list("code", flat=True):
        match = CODE.match(code)
        by_prefix[match["prefix"]].append(int(match["seq"]))
    duplicates = gaps = 0
    for numbers in by_prefix.values():
        duplicates += len(numbers) - len(set(numbers))
        gaps += max(numbers) - len(set(numbers))
    total = sum(len(n) for n in by_prefix.values())
    return total, duplicates, gaps, len(by_prefix)


def label(args) -> str:
    """The run's mode in a measure's name, so that a row of the summary says what ran."""
    spread = f"{args.agencies} agenc{'y' if args.agencies == 1 else 'ies'}"
    if args.direct:
        return f"intake in-process ({args.processes} proc, {spread}, {args.clients} clients)"
    kind = "sync" if args.threads == 1 else f"× {args.threads} threads"
    return f"intake HTTP ({spread}, gunicorn {args.workers} {kind}, {args.clients} clients)"


def record(args, result, *, duplicates: int, gaps: int) -> None:
    """The run's figures against issue 14's targets (``benchmarks.results``)."""
    name = label(args)
    cpu = result.cpu / result.done * 1000 if result.cpu and result.done else float("nan")
    if args.direct:
        results.record(f"{name}: rate", result.rate, "dossiers/s")
        results.record(f"{name}: CPU per receipt", cpu, "ms CPU", target=6)
    else:
        results.record(
            f"{name}: rate",
            result.rate,
            "dossiers/s",
            target=150,
            better="higher",
            target_text="≥ 150 dossiers/s over 8 agencies",
        )
        results.record(f"{name}: CPU per receipt", cpu, "ms CPU", target=10)
        p99 = result.pct(99) * 1000
        results.record(
            f"{name}: p99", p99, "ms", target=300, note=f"p50 {result.pct(50) * 1000:.0f} ms"
        )
    results.record(f"{name}: code duplicates", duplicates, "codes", target=0)
    results.record(f"{name}: code gaps", gaps, "codes", target=0)
    if result.errors:
        results.record(f"{name}: failed receipts", result.errors, "receipts", target=0)


def main():
    args = parse()
    env = harness.bench_env()
    name = harness.fresh_database(env)
    harness.setup_django(env)
    seed = harness.seed_minimal(agencies=args.agencies)
    mode = "direct (in-process service calls)" if args.direct else "HTTP POST /api/v1/dossiers/"
    print(f"intake benchmark: {mode}")
    print(f"machine: {harness.machine()}; database {name}; {args.clients} clients, "
          f"{args.agencies} agency code(s), {args.duration:g} s or {args.count} receipts")  # fmt: skip
    try:
        if args.direct:
            make = direct_worker(seed)
            warm = make(0)
            for _ in range(args.warmup):
                warm()
            result = harness.run_in_processes(
                f"receipts (direct, {args.processes} proc)",
                processes=args.processes,
                clients=args.clients,
                duration=args.duration,
                max_ops=args.count,
                make_worker=make,
            )
        else:
            server_env = harness.bench_env()
            with harness.gunicorn(server_env, workers=args.workers, threads=args.threads) as server:
                print(
                    f"gunicorn: {args.workers} workers x {args.threads} threads "
                    f"on {server.host}:{server.port}"
                )
                make = http_worker(seed, server.host, server.port)
                probe = make(0)
                error = probe()
                if error is not None:
                    raise SystemExit(
                        f"POST /api/v1/dossiers/ does not work on this branch yet ({error}). "
                        "Run with --direct to measure the service in-process."
                    )
                for _ in range(args.warmup - 1):
                    probe()
                cpu_before = server.cpu()
                result = harness.run_clients(
                    "receipts (HTTP)",
                    clients=args.clients,
                    duration=args.duration,
                    max_ops=args.count,
                    make_worker=make,
                )
                result.cpu = server.cpu() - cpu_before  # gunicorn's CPU, not the clients' own
        print(result.line(unit="dossiers/s"))
        for sample in result.error_samples:
            print("  error:", sample)
        total, duplicates, gaps, days = check_codes()
        print(f"codes: {total} dossiers over {days} agency-day sequence(s); "
              f"duplicates={duplicates} gaps={gaps}")  # fmt: skip
        verdict = "meets" if result.rate >= 200 else "misses"
        print(f"target >= 200 dossiers/s: {verdict} ({result.rate:.0f}/s)")
        record(args, result, duplicates=duplicates, gaps=gaps)
    finally:
        harness.purge_redis(env)


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"(run took {time.monotonic() - started:.0f} s)")
