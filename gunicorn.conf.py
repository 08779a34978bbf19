"""gunicorn's settings for the web process (read from the working directory: the image's
/app and a checkout's root). Command-line flags still win, as the benchmarks use them.

Sync workers, one request at a time each: the portal's requests are CPU-bound Python, so
threads in one process only queue on the GIL (docs/performance.md: 3 sync workers did better
than 4 workers × 4 threads on 2 cores). One worker per core plus one to cover a worker
waiting on PostgreSQL or Redis; ``WEB_WORKERS`` overrides it. Cores are those this process
may use (a container's CPU set), not the host's.
"""

import os


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


worker_class = "sync"
workers = int(os.environ.get("WEB_WORKERS") or _cores() + 1)
