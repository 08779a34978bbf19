"""A first run (issue 14, Deliver 4): ``make run`` from a fresh clone to the first page.

Clones this checkout's committed HEAD (``git clone <root> <tmp>``; uncommitted changes are not
in it) into a temporary folder, runs ``make run PORT=<spare port>`` there (its own ``.venv``
from uv's cache, a new SQLite file, migrations, the demo seed, the demo server) and polls
``http://127.0.0.1:<port>/`` until it answers 200. Prints each line of make's output stamped
with the seconds since the start (not the indented ones: uv's list of packages, the seed's
progress and its accounts), the phases between the Makefile's ``==>`` lines, and the
total; then stops the server (its process group) and removes the clone. Target: ≤ 60 s.

    .venv/bin/python -m benchmarks.first_run            # about a minute, plus the clone

The environment passes through (``UV_PYTHON_DOWNLOADS=never`` too), without a virtualenv's
or make's variables and without ``DATABASE_URL`` (the demo uses its own SQLite file). Nothing
but 127.0.0.1 is contacted. With ``BENCH_RESULTS`` set the figure is recorded for
``benchmarks.results``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import harness, results

TARGET_S = 60
# The Makefile's run target: each phase starts at its "==>" line (the first at the start).
PHASES = [
    ("uv sync", None),
    ("migrate", "==> database"),
    ("seed", "==> demo data"),
    ("server start", "==> Open"),
]
DROPPED = ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DATABASE_URL", "BENCH_RESULTS")


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--timeout", type=float, default=600, help="give up after this many seconds (600)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path printed)")
    return parser.parse_args()


def answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/")
        return conn.getresponse().status == 200
    except OSError:
        return False


def phases(lines: list[tuple[float, str]], total: float) -> list[tuple[str, float]]:
    """(phase, seconds) from the stamped lines: each phase runs from its marker line (the
    first from 0) to the next phase's marker; the last to ``total``. A phase whose marker
    never came is left out."""
    starts = []
    for name, marker in PHASES:
        if marker is None:
            starts.append((name, 0.0))
            continue
        stamp = next((at for at, line in lines if line.startswith(marker)), None)
        if stamp is not None:
            starts.append((name, stamp))
    ends = [at for _name, at in starts[1:]] + [total]
    return [(name, end - at) for (name, at), end in zip(starts, ends, strict=True)]


def main() -> int:
    args = parse()
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    folder = Path(tempfile.mkdtemp(prefix="bench-first-run-"))
    clone = folder / "portal"
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=harness.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", str(harness.ROOT), str(clone)], check=True, env=env)
    port = harness.free_port()
    print(f"first run: make run PORT={port} in a fresh clone of {head} ({clone})")
    print(f"machine before: {harness.machine()}", flush=True)
    lines: list[tuple[float, str]] = []
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def read():
        for line in process.stdout:
            at = time.monotonic() - started
            lines.append((at, line.rstrip()))
            if not line.startswith(("  ", " + ")):  # not uv's packages, the seed's progress
                print(f"  [{at:6.1f} s] {line.rstrip()}", flush=True)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    took = None
    try:
        while time.monotonic() - started < args.timeout:
            if answers(port):
                took = time.monotonic() - started
                break
            if process.poll() is not None:
                break
            time.sleep(0.25)
    finally:
        machine = harness.machine()
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(5)
        if args.keep:
            print(f"clone kept: {clone}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"machine at the first page: {machine}")
    if took is None:
        why = f"make exited with {process.returncode}" if process.returncode else "timed out"
        print(f"the first page did not answer ({why} after {time.monotonic() - started:.0f} s)")
        results.record(
            "make run from a fresh clone to the first page", float("inf"), "s", target=TARGET_S,
            note=f"no answer: {why}",
        )  # fmt: skip
        return 1
    split = phases(lines, took)
    print(", ".join(f"{name} {seconds:.1f} s" for name, seconds in split))
    verdict = "met" if took <= TARGET_S else "MISSED"
    print(f"first page after {took:.1f} s (target ≤ {TARGET_S} s: {verdict})")
    results.record(
        "make run from a fresh clone to the first page",
        took,
        "s",
        target=TARGET_S,
        note=", ".join(f"{name} {seconds:.0f} s" for name, seconds in split)
        + f"; {machine.split(',', 1)[1].strip()}",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
