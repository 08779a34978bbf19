"""Public tracking page throughput next to the cheapest view, at 50 concurrent clients.

    .venv/bin/python -m benchmarks.tracking [--dossiers 10000] [--clients 50] [--duration 8]

Drops and creates its own database (BENCH_DATABASE_URL, default ``motcua_bench``), seeds one
commune with ``--dossiers`` dossiers in bulk (PIN hashes computed with ``portal.codes.pin_hash``,
a public "received" event each and a "handed over" event for every other one), starts gunicorn
on a spare port of 127.0.0.1 with the tracking rate limits raised out of the way, and measures
in turn, each for ``--duration`` seconds or ``--requests`` operations:

- ``/healthz``: the baseline, the portal's cheapest view (Django's middleware stack and one
  ``SELECT 1``; no template);
- the QR link ``GET /tra-cuu/t/<token>/`` of a random dossier: one request per look-up;
- code + PIN: ``POST /tra-cuu/`` with the CSRF token (303) then ``GET /tra-cuu/ket-qua/``:
  two requests and a new session per look-up.

Prints requests (or look-ups) per second, p50/p99 latency, the server's CPU per operation and
the ratio to the baseline. Targets: ≥ 60 % of the baseline's rate, p99 < 50 ms; issue 14: the
form ≤ 1.5 ms CPU, the QR look-up ≤ 2.5 × the baseline's CPU (≥ 40 % of its rate), code + PIN
≤ 4 ms CPU per look-up. With ``BENCH_RESULTS`` set the figures are recorded for
``benchmarks.results``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import time
from urllib.parse import urlencode

from benchmarks import harness, results


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000, help="dossiers seeded (10000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--duration", type=float, default=8, help="seconds per measure (8)")
    parser.add_argument("--requests", type=int, default=5000, help="at most this many per measure")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (1: sync workers)"
    )
    parser.add_argument(
        "--paced",
        type=float,
        default=100,
        help="then measure latency again at this fixed rate of look-ups per second (100; "
        "0 to skip)",
    )
    return parser.parse_args()


def seed_dossiers(seed, count: int):
    """``count`` dossiers received over the last days at the seeded desk, in bulk; returns
    (code, pin, token) of each."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dossiers.models import Dossier, DossierEvent, EventKind, RuleSet
    from dossiers.tracking.tokens import make_tracking_token
    from portal import codes
    from portal.models import ServiceDesk

    desk = ServiceDesk.objects.select_related("unit").get(pk=seed.desk_ids[0])
    user = get_user_model().objects.get(pk=seed.user_id)
    rule_set = RuleSet.objects.order_by("-effective_from").first()
    now = timezone.now()
    per_day = 1000
    rows, pins = [], []
    for n in range(count):
        received = now - dt.timedelta(days=n // per_day + 1, minutes=n % per_day)
        code = (
            f"{desk.unit.agency_code}-{timezone.localtime(received):%y%m%d}-{n % per_day + 1:04d}"
        )
        pin = f"{secrets.randbelow(10**6):06d}"
        pins.append(pin)
        status = ("received", "in_process", "in_process", "result_ready")[n % 4]
        rows.append(
            Dossier(
                code=code, unit=desk.unit, desk=desk, procedure_id=seed.procedure_id,
                rule_set=rule_set, log_year=received.year, log_number=n + 1,
                applicant_name=f"Nguyễn Văn Thử {n}", applicant_id_number="001085012345",
                applicant_phone="0912345678", time_unit="days", processing_time=5,
                received_at=received, due_at=received + dt.timedelta(days=7),
                original_due_at=received + dt.timedelta(days=7), status=status,
                pin_hash=codes.pin_hash(code=code, pin=pin), received_by=user,
            )
        )  # fmt: skip
    dossiers = Dossier.objects.bulk_create(rows, batch_size=2000)
    events = []
    for n, dossier in enumerate(dossiers):
        events.append(
            DossierEvent(
                dossier=dossier, kind=EventKind.RECEIVED, at=dossier.received_at, actor=user,
                unit=desk.unit, to_status="received",
            )
        )  # fmt: skip
        if n % 2:
            events.append(
                DossierEvent(
                    dossier=dossier, kind=EventKind.ROUTED, at=dossier.received_at
                    + dt.timedelta(hours=2), actor=user, unit=desk.unit,
                    from_status="received", to_status="in_process", note="internal note",
                )
            )  # fmt: skip
    DossierEvent.objects.bulk_create(events, batch_size=5000)
    return [(d.code, pin, make_tracking_token(d)) for d, pin in zip(dossiers, pins, strict=True)]


def measure(name, server, args, make_worker, rate=0):
    cpu_before = server.cpu()
    result = harness.run_clients(
        name,
        clients=args.clients,
        duration=args.duration,
        max_ops=args.requests,
        make_worker=make_worker,
        rate=rate,
    )
    result.cpu = server.cpu() - cpu_before
    print(result.line(unit="op/s "))
    for sample in result.error_samples:
        print("  error:", sample)
    return result


def main():
    args = parse()
    env = harness.bench_env()
    name = harness.fresh_database(env)
    harness.setup_django(env)
    seed = harness.seed_minimal()
    began = time.monotonic()
    sample = seed_dossiers(seed, args.dossiers)
    print(f"tracking benchmark: {args.dossiers} dossiers seeded in "
          f"{time.monotonic() - began:.1f} s; database {name}")  # fmt: skip
    print(f"machine: {harness.machine()}; {args.clients} clients, "
          f"{args.duration:g} s or {args.requests} operations per measure")  # fmt: skip
    from django.db import connections

    connections.close_all()
    server_env = harness.bench_env(
        TRACKING_RATE_PER_IP="100000000/m",
        TRACKING_RATE_PER_CODE="100000000/m",
        TRACKING_RATE_PER_CODE_IP="100000000/m",
        TRACKING_FAILS_PER_IP="100000000/m",
    )
    try:
        with harness.gunicorn(server_env, workers=args.workers, threads=args.threads) as server:
            print(f"gunicorn: {args.workers} workers x {args.threads} threads "
                  f"({"gthread" if args.threads > 1 else "sync"}) on {server.host}:{server.port}")  # fmt: skip

            def healthz(_index):
                client = harness.HttpClient(server.host, server.port)

                def op():
                    response, _ = client.request("GET", "/healthz")
                    return None if response.status == 200 else f"HTTP {response.status}"

                return op

            def form(_index):
                client = harness.HttpClient(server.host, server.port)

                def op():
                    response, _ = client.request("GET", "/tra-cuu/")
                    return None if response.status == 200 else f"HTTP {response.status}"

                return op

            def token(index):
                client = harness.HttpClient(server.host, server.port)
                rng = random.Random(index)

                def op():
                    _code, _pin, tok = rng.choice(sample)
                    response, _ = client.request("GET", f"/tra-cuu/t/{tok}/")
                    return None if response.status == 200 else f"HTTP {response.status}"

                return op

            def code_and_pin(index):
                client = harness.HttpClient(server.host, server.port)
                rng = random.Random(1000 + index)
                _response, page = client.request("GET", "/tra-cuu/")
                form_token = harness.FORM_TOKEN.search(page).group(1).decode()
                headers = {"Content-Type": "application/x-www-form-urlencoded"}

                def op():
                    code, pin, _tok = rng.choice(sample)
                    body = urlencode({"csrfmiddlewaretoken": form_token, "code": code, "pin": pin})
                    response, _ = client.request("POST", "/tra-cuu/", body=body, headers=headers)
                    if (
                        response.status != 303
                        or response.getheader("Location") != "/tra-cuu/ket-qua/"
                    ):
                        return f"POST HTTP {response.status} {response.getheader('Location')}"
                    response, page = client.request("GET", "/tra-cuu/ket-qua/")
                    if response.status != 200 or code.encode() not in page:
                        return f"GET HTTP {response.status}"
                    return None

                return op

            for warm in (healthz, form, token, code_and_pin):  # import, compile, connect
                op = warm(0)
                for _ in range(20):
                    op()
            print("closed loop (each client sends its next request as soon as it has an answer):")
            base = measure("GET /healthz (baseline)", server, args, healthz)
            form_result = measure("GET /tra-cuu/ (form, no query)", server, args, form)
            qr = measure("GET /tra-cuu/t/<token>/", server, args, token)
            pin = measure("POST code+PIN, GET result", server, args, code_and_pin)
            paced = []
            if args.paced:
                print(f"paced at {args.paced:g} look-ups/s (latency from each scheduled start):")
                paced.append(measure("GET /tra-cuu/t/<token>/", server, args, token, args.paced))
                paced.append(
                    measure("POST code+PIN, GET result", server, args, code_and_pin, args.paced)
                )
    finally:
        harness.purge_redis(env)
    print()
    for label, result, requests in (("QR link", qr, 1), ("code + PIN", pin, 2)):
        ratio = result.rate / base.rate if base.rate else 0
        print(f"{label:<11} {result.rate:7.1f} look-ups/s ({result.rate * requests:.1f} req/s) "
              f"= {ratio:.0%} of the baseline's {base.rate:.1f} req/s "
              f"[target >= 60 %: {'met' if ratio >= 0.6 else 'missed'}]; "
              f"p99 {result.pct(99) * 1000:.1f} ms "
              f"[target < 50 ms: {'met' if result.pct(99) < 0.05 else 'missed'}]")  # fmt: skip
    for label, result in zip(("QR link", "code + PIN"), paced, strict=False):
        print(f"{label:<11} at {args.paced:g}/s: p50 {result.pct(50) * 1000:.1f} ms, "
              f"p99 {result.pct(99) * 1000:.1f} ms "
              f"[target < 50 ms: {'met' if result.pct(99) < 0.05 else 'missed'}]")  # fmt: skip
    record(args, base=base, form=form_result, qr=qr, pin=pin, paced=paced)


def cpu_ms(result) -> float:
    """The server's CPU per operation (a look-up: one or two requests), in ms."""
    return result.cpu / result.done * 1000 if result.cpu and result.done else float("nan")


def record(args, *, base, form, qr, pin, paced) -> None:
    """The figures against their targets (issue 14's rows and the tracking page's own) for
    ``benchmarks.results``."""
    where = f"gunicorn {args.workers} {'sync' if args.threads == 1 else f'× {args.threads}'}, "
    where += f"{args.clients} clients"
    base_cpu = cpu_ms(base)
    results.record(f"GET /healthz (baseline; {where}): rate", base.rate, "req/s")
    results.record("GET /healthz (baseline): CPU per request", base_cpu, "ms CPU")
    results.record(
        "GET /tra-cuu/ (the form): CPU per request",
        cpu_ms(form),
        "ms CPU",
        target=1.5,
        note=f"{form.rate:,.0f} req/s",
    )
    results.record(
        "QR look-up GET /tra-cuu/t/<token>/: CPU ÷ /healthz CPU",
        cpu_ms(qr) / base_cpu if base_cpu else float("nan"),
        "× healthz",
        target=2.5,
        note=f"{cpu_ms(qr):.2f} ms CPU",
    )
    for label, result in (("QR look-up", qr), ("code + PIN", pin)):
        share = result.rate / base.rate * 100 if base.rate else 0.0
        note = f"{result.rate:,.0f} look-ups/s"
        if label == "QR look-up":
            results.record(
                f"{label}: rate, % of /healthz (issue 14)",
                share,
                "%",
                target=40,
                better="higher",
                note=note,
            )
        else:
            results.record(
                f"{label} (POST 303 + GET): CPU per look-up",
                cpu_ms(result),
                "ms CPU",
                target=4,
                note=note,
            )
        results.record(
            f"{label}: rate, % of /healthz (tracking)", share, "%", target=60, better="higher"
        )
        results.record(
            f"{label}: p99, closed loop", result.pct(99) * 1000, "ms", target=50,
            target_text="< 50 ms",
        )  # fmt: skip
    for label, result in zip(("QR look-up", "code + PIN"), paced, strict=False):
        results.record(
            f"{label}: p99 at {args.paced:g} look-ups/s",
            result.pct(99) * 1000,
            "ms",
            target=50,
            target_text="< 50 ms",
            note=f"p50 {result.pct(50) * 1000:.1f} ms",
        )


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"(run took {time.monotonic() - started:.0f} s)")
