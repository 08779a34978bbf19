"""A worker killed mid-task (the OOM killer, a redeploy's SIGKILL): the task runs again to
completion and the message goes out once (issue 13, docs/security.md "Redis and other faults").

A real ``celery worker`` process (prefork, one child) takes the task from a Redis of the
test's own; its child hangs inside the SMS gateway call and is killed with SIGKILL. The task
is late-acknowledged and rejected back to the queue when its worker is lost
(``acks_late`` + ``reject_on_worker_lost``), so the new child runs it again; the outbox row's
status and lock keep the second run from sending twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from portal import broker
from portal.models import Notification
from portal.tasks import send_notification, send_notifications
from tests.redis_outage import OwnRedis, pointed_at

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """Start a worker on a Redis of its own; yields (the Redis, the worker, the SMS folder)."""
    own = OwnRedis().start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": own.url,
        "PORTAL_SMS_BACKEND": "tests.portal.killable_sms.HangOnceSmsBackend",
        "KILLABLE_SMS_DIR": str(tmp_path),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "default",
         "--pool=prefork", "--concurrency=1", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=INFO", "-n", f"killed-{own.port}@%h"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one below
    )  # fmt: skip
    try:
        with pointed_at(own):
            yield own, process, tmp_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        own.stop()


def test_tasks_that_may_run_again_are_acked_late_and_requeued_on_worker_loss():
    for task in (send_notification, send_notifications):
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True), task.name


def test_worker_killed_mid_send_runs_the_task_again_without_duplicates(worker):
    _own, process, folder = worker
    note = Notification.objects.create(
        channel=Notification.Channel.SMS,
        recipient="0912345678",
        body="Hồ sơ đã có kết quả.",
        dedupe_key="killed-worker-test:sms",
    )

    assert broker.publish(send_notifications, args=([note.pk],))
    hung = _wait_for(
        lambda: (folder / "hung.pid").exists() and (folder / "hung.pid").read_text(),
        90,
        "the worker to start the task (see worker.log)",
    )
    child = int(hung)
    assert child != process.pid  # the pool child, not the main process
    os.kill(child, signal.SIGKILL)

    delivered = folder / "delivered.log"
    lines = _wait_for(
        lambda: delivered.exists() and delivered.read_text().splitlines(),
        60,
        "the task to run again in a new child (see worker.log)",
    )
    time.sleep(2)  # a duplicate would show up by now
    lines = delivered.read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("0912345678 ")
    assert int(lines[0].split()[1]) != child  # delivered by the replacement child
    note.refresh_from_db()
    assert (note.status, note.attempts) == (Notification.Status.SENT, 1)
    assert process.poll() is None  # the worker itself lived on
    assert "WorkerLostError" in (folder / "worker.log").read_text()
