"""The ``make test`` preflight names the service it cannot reach and how to start it."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "check_services.py"


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def run_preflight(**env):
    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_preflight_passes_when_both_services_answer():
    result = run_preflight(
        DATABASE_URL=os.environ.get("DATABASE_URL", ""), REDIS_URL=settings.REDIS_URL
    )
    assert result.returncode == 0, result.stderr
    assert "ok: PostgreSQL" in result.stdout
    assert "ok: Redis" in result.stdout


def test_preflight_names_unreachable_redis_and_how_to_start_it():
    result = run_preflight(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    assert result.returncode == 1
    assert "Redis is not reachable" in result.stderr
    assert "redis-server --daemonize yes" in result.stderr
    assert "docker compose up -d redis" in result.stderr
    assert "PostgreSQL is not reachable" not in result.stderr


def test_preflight_names_unreachable_postgres_and_hides_the_password():
    url = f"postgres://motcua:s3cret-pw@127.0.0.1:{closed_port()}/motcua"
    result = run_preflight(DATABASE_URL=url)
    assert result.returncode == 1
    assert "PostgreSQL is not reachable" in result.stderr
    assert "pg_ctlcluster --skip-systemctl-redirect 15 main start" in result.stderr
    assert "s3cret-pw" not in result.stderr
    assert "motcua:***@" in result.stderr
