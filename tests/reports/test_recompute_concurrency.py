"""One recompute per range at a time, on real PostgreSQL: two rebuilds of the same range started
together from two connections → one does the work, the other is refused clearly; the rows are
those of a single run."""

import threading

import pytest
from django.db import connection

from reports import rollups, services
from reports.exceptions import RecomputeAlreadyRunning
from reports.models import DossierDayStat, RecomputeRun
from tests.helpers import at
from tests.reports.helpers import D


@pytest.mark.django_db(transaction=True)
def test_the_same_range_started_twice_runs_once(lifecycle, monkeypatch):
    dossier = lifecycle.receive()
    lifecycle.complete(dossier, at(2026, 3, 10, 10))
    start = threading.Barrier(2)
    inside = threading.Event()
    release = threading.Event()
    real = rollups.recompute

    def slow(scope):
        inside.set()
        release.wait(10)  # hold the range while the other thread tries
        return real(scope)

    monkeypatch.setattr(rollups, "recompute", slow)
    results = []

    def work():
        try:
            start.wait()
            run = services.stats_recompute_range(
                date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), now=at(2026, 4, 1)
            )
            results.append(("done", run.pk))
        except RecomputeAlreadyRunning as exc:
            results.append(("refused", exc.code))
            release.set()
        except Exception as exc:  # pragma: no cover - reported below
            results.append(("error", repr(exc)))
            release.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(r[0] for r in results) == ["done", "refused"], results
    assert RecomputeRun.objects.count() == 1
    assert RecomputeRun.objects.get().status == "done"
    rows = DossierDayStat.objects.filter(day=D(2026, 3, 10))
    assert [(r.completed, r.late) for r in rows] == [(1, 1)]


@pytest.mark.django_db(transaction=True)
def test_a_bucket_recompute_waits_for_the_day_s_lock(lifecycle, tree):
    """Two transactions overwriting the same day never interleave: the second waits, and the
    unique (unit, day, channel) rows come out once."""
    lifecycle.receive()
    errors = []

    def work():
        try:
            services.stats_recompute_days(days=[D(2026, 3, 2)], now=at(2026, 4, 1))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert DossierDayStat.objects.filter(day=D(2026, 3, 2)).count() == 1
