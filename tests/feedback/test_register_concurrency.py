"""Tracking codes and intake register numbers under concurrency: no gaps, no duplicates, on
real PostgreSQL (the counter is one upsert in the submission's transaction)."""

import contextlib
import threading

import pytest
from django.db import connection

from feedback import services
from feedback.exceptions import InvalidSender
from feedback.models import DeadlineRule, Item
from portal.models import Role
from tests.factories import DeskFactory, MembershipFactory, UnitFactory, UserFactory
from tests.helpers import at

THREADS = 10
PER_THREAD = 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rules", ["in the table", "flushed"])
def test_parallel_submissions_get_gapless_unique_numbers_r_fb_2(rules):
    if rules == "flushed":  # as after a test that flushes the database: made again on first use
        DeadlineRule.objects.all().delete()
    unit = UnitFactory(code="00001")
    DeskFactory(unit=unit)
    clerk = UserFactory(username="clerk")
    MembershipFactory(user=clerk, unit=unit, role=Role.RECEPTIONIST)
    start = threading.Barrier(THREADS)
    errors = []

    def work(n):
        try:
            start.wait()
            for i in range(PER_THREAD):
                failing = i == 1 and n % 3 == 0  # some submissions are refused and roll back
                with contextlib.suppress(InvalidSender):
                    services.feedback_submit(
                        unit=unit,
                        kind="complaint",
                        channel="letter",
                        body="Nội dung",
                        sender={} if failing else {"name": "Lê C", "phone": "0912345678"},
                        actor=clerk,
                        received_at=at(2026, 3, 2, 9),
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = THREADS * PER_THREAD - len([n for n in range(THREADS) if n % 3 == 0])
    codes = sorted(Item.objects.values_list("code", flat=True))
    assert codes == [f"PA-00001-26-{n:05d}" for n in range(1, expected + 1)]
    numbers = sorted(Item.objects.values_list("register_number", flat=True))
    assert numbers == list(range(1, expected + 1))
