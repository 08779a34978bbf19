"""What both benchmarks share: a fresh database, a minimal seed, a gunicorn server on a spare
port of 127.0.0.1, parallel HTTP clients and the figures they print."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"


def bench_env(**extra) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    env["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    env.update({k: str(v) for k, v in extra.items()})
    return env


def fresh_database(env: dict[str, str]) -> str:
    """Drop and create the benchmark database, then migrate it. Refuses a database whose name
    does not say "bench", so a wrong URL cannot wipe real data."""
    import psycopg

    url = urlsplit(env["BENCH_DATABASE_URL"])
    name = url.path.lstrip("/")
    if "bench" not in name or not name.replace("_", "").isalnum():
        sys.exit(f"refusing to recreate database {name!r}: its name must contain 'bench'")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return name


def purge_redis(env: dict[str, str]) -> None:
    """Remove what a run leaves in Redis: the cache keys (prefix ``bench``) and the task queue
    ``bench`` (no worker runs; the messages only measured the hand-off)."""
    import redis

    client = redis.Redis.from_url(env["BENCH_REDIS_URL"])
    keys = [
        *client.scan_iter(match="bench:*", count=1000),
        *client.scan_iter(match="_kombu.binding*.bench", count=1000),
        b"bench",
    ]
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: env[k] for k in ("BENCH_DATABASE_URL", "BENCH_REDIS_URL")})
    os.environ["DJANGO_SETTINGS_MODULE"] = env["DJANGO_SETTINGS_MODULE"]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass
class Seed:
    desk_ids: list[int]
    procedure_id: int
    user_id: int
    token: str

    def desk_for(self, client: int) -> int:
        return self.desk_ids[client % len(self.desk_ids)]


def seed_minimal(*, agencies: int = 1) -> Seed:
    """``agencies`` communes, each with its agency identifier (``000.00.99.H99``, then
    ``000.00.98.H99``…) and desk, a receptionist of all of them with an API token, and a
    5-working-day procedure offered at every desk."""
    from django.contrib.auth import get_user_model

    from dossiers.models import Procedure
    from portal.models import AdministrativeUnit, Membership, Role, ServiceDesk, UnitLevel, UnitTree
    from portal.services import api_token_create

    tree = UnitTree.objects.create(code="bench", name="Bench tree", levels=2)
    province = AdministrativeUnit.objects.create(
        tree=tree, level=UnitLevel.CITY, code="99", name="Tỉnh Thử nghiệm"
    )
    procedure = Procedure.objects.create(
        code="9.999999", name="Đăng ký khai sinh", field="Hộ tịch", level="commune",
        processing_time=5,
    )  # fmt: skip
    user = get_user_model().objects.create_user(username="bench-clerk", password=None)
    desks = []
    for n in range(agencies):
        commune = AdministrativeUnit.objects.create(
            tree=tree,
            parent=province,
            level=UnitLevel.COMMUNE,
            code=f"{99999 - n:05d}",
            name=f"Xã Thử nghiệm {n + 1}",
            agency_code=f"000.00.{99 - n:02d}.H99",
        )
        desk = ServiceDesk.objects.create(
            unit=commune, name=f"Bộ phận một cửa Xã Thử nghiệm {n + 1}", phone="0240000000"
        )
        procedure.desks.add(desk)
        Membership.objects.create(user=user, unit=commune, role=Role.RECEPTIONIST)
        desks.append(desk.pk)
    _token, key = api_token_create(user=user, actor=None)
    return Seed(desks, procedure.pk, user.pk, key)


def web_workers() -> int:
    """gunicorn.conf.py's sizing: ``WEB_WORKERS``, else one sync worker per usable core plus
    one."""
    if os.environ.get("WEB_WORKERS"):
        return int(os.environ["WEB_WORKERS"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    host: str
    port: int
    pgid: int

    def cpu(self) -> float:
        return group_cpu(self.pgid)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, threads: int, timeout: float = 120):
    """gunicorn on a spare port of 127.0.0.1 in a process group of its own; yields a
    ``Server``; stopped on exit. ``timeout``: seconds to the first 200 of ``/healthz`` (at
    load 6 on 2 cores, 25 s for three workers importing the project at once)."""
    port = free_port()
    args = [
        str(GUNICORN), "portal.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--threads", str(threads),
        "--backlog", "256",
        "--log-level", "warning",
        # gunicorn 27 listens on a control socket at one path per user by default
        # (~/.gunicorn/gunicorn.ctl): a second server (another benchmark on the machine) takes it
        # over, and a "shutdown" sent there stops whichever server holds it. None needed here.
        "--no-control-socket",
    ]  # fmt: skip
    process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("gunicorn did not start (see its output above)")
            time.sleep(0.2)
        yield Server("127.0.0.1", port, process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# The CSRF token of a page's form (the public form, the sign-in page).
FORM_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class HttpClient:
    """One keep-alive HTTP connection with its own cookies (a browser's, for one client)."""

    def __init__(self, host, port, cookies=None):
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies = dict(cookies or {})

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response, payload


@dataclass
class Result:
    name: str
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    cpu: float | None = None  # CPU seconds of the measured side (None: not measured)

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0

    def pct(self, p: float) -> float:
        return percentile(self.latencies, p)

    def line(self, unit: str = "req/s") -> str:
        cpu = f"  cpu={self.cpu / self.done * 1000:5.2f} ms/op" if self.cpu and self.done else ""
        return (
            f"{self.name:<30} {self.rate:8.1f} {unit}  n={self.done:<6} errors={self.errors:<3} "
            f"p50={self.pct(50) * 1000:6.1f} ms  p99={self.pct(99) * 1000:6.1f} ms{cpu}"
        )


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[max(0, min(98, round(p) - 1))]


def run_clients(
    name, *, clients: int, duration: float, max_ops: int, make_worker, rate: float = 0
) -> Result:
    """``clients`` threads each call ``op()`` (from ``make_worker(index)``) until ``duration``
    seconds have passed or ``max_ops`` operations were started; ``op`` returns None when it
    succeeded or a short error text.

    Without ``rate`` each client starts its next operation as soon as the last one ends (a
    closed loop: it measures capacity, and at saturation latency is mostly queueing, about
    clients ÷ throughput). With ``rate`` (operations per second, all clients together) each
    operation has a scheduled start and its latency counts from that moment, so a server that
    falls behind is charged for the wait (no coordinated omission)."""
    result = Result(name)
    lock = threading.Lock()
    started = 0
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    interval = clients / rate if rate else 0.0

    def loop(index):
        nonlocal started
        op = make_worker(index)
        start_line.wait()
        scheduled = time.perf_counter() + (index * interval / clients if rate else 0)
        while time.monotonic() < stop_at[0]:
            with lock:
                if started >= max_ops:
                    return
                started += 1
            if rate:
                pause = scheduled - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                begin = scheduled
                scheduled += interval
            else:
                begin = time.perf_counter()
            try:
                error = op()
            except Exception as exc:  # a client error counts, it does not stop the run
                error = f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - begin
            with lock:
                if error is None:
                    result.latencies.append(took)
                else:
                    result.errors += 1
                    if len(result.error_samples) < 3:
                        result.error_samples.append(error)

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    cpu_before = time.process_time()
    stop_at[0] = began + duration
    start_line.wait()
    for thread in threads:
        thread.join(duration + 30)
    result.elapsed = time.monotonic() - began
    result.cpu = time.process_time() - cpu_before
    return result


def run_in_processes(name, *, processes: int, clients: int, duration, max_ops, make_worker):
    """``run_clients`` in ``processes`` forked processes (clients and operations shared out),
    so the clients are not held to one core by Python's GIL. Each child opens its own
    database connections; the figures are merged."""
    if processes <= 1:
        return run_clients(
            name, clients=clients, duration=duration, max_ops=max_ops, make_worker=make_worker
        )
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share a connection across fork
    context = multiprocessing.get_context("fork")
    pipes, children = [], []
    for index in range(processes):
        share = clients // processes + (1 if index < clients % processes else 0)
        ops = max_ops // processes + (1 if index < max_ops % processes else 0)
        receiver, sender = context.Pipe(duplex=False)

        def child(sender=sender, share=share, ops=ops):
            part = run_clients(
                name, clients=share, duration=duration, max_ops=ops, make_worker=make_worker
            )
            connections.close_all()
            sender.send((part.elapsed, part.latencies, part.errors, part.error_samples, part.cpu))

        process = context.Process(target=child)
        process.start()
        pipes.append(receiver)
        children.append(process)
    result = Result(name, cpu=0.0)
    for receiver in pipes:
        elapsed, latencies, errors, samples, cpu = receiver.recv()
        result.cpu += cpu
        result.elapsed = max(result.elapsed, elapsed)
        result.latencies += latencies
        result.errors += errors
        result.error_samples += samples[: 3 - len(result.error_samples)]
    for process in children:
        process.join()
    return result


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group, read
    from /proc (Linux): the gunicorn master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine() -> str:
    cores = os.cpu_count()
    try:
        load = " load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = ""
    return f"{cores} cores,{load}"
