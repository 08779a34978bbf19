"""An SMS gateway for the killed-worker test (tests/portal/test_worker_killed.py), used inside
a real Celery worker process: the first send writes the worker child's pid to a file and hangs,
so the test can kill that process mid-task; later sends are written to the same log, one line
per delivered message, so the test counts deliveries across processes."""

import os
import time
from pathlib import Path

from portal.sms import BaseSmsBackend


class HangOnceSmsBackend(BaseSmsBackend):
    def send(self, *, phone: str, text: str) -> None:
        folder = Path(os.environ["KILLABLE_SMS_DIR"])
        hung = folder / "hung.pid"
        if not hung.exists():
            hung.write_text(str(os.getpid()))
            time.sleep(120)  # killed here
        with (folder / "delivered.log").open("a") as log:
            log.write(f"{phone} {os.getpid()}\n")
