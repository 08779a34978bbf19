"""Range rebuilds: idempotent (run twice → same rows), restart-safe (a run that died resumes
after its last committed chunk), progress stored and printed, one unit's subtree alone."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from reports import rollups, services
from reports.exceptions import InvalidRange
from reports.models import DossierDayStat, RecomputeRun, SurveyDayStat
from tests.helpers import at
from tests.reports.helpers import D, rebuild, stat_rows
from tests.surveys.helpers import enter_dataset


def everything():
    return stat_rows(DossierDayStat), stat_rows(SurveyDayStat)


def test_running_a_rebuild_twice_gives_the_same_rows(march, desks, clerk, small_form):
    enter_dataset(desk=desks["commune_a1"], actor=clerk, small_form=small_form)
    rebuild()
    first = everything()
    assert first[0] and first[1]
    rebuild()
    assert everything() == first
    assert RecomputeRun.objects.filter(status="done").count() == 2


def test_a_rebuild_that_died_resumes_after_its_last_chunk(march, settings, monkeypatch):
    settings.REPORTS_RECOMPUTE_CHUNK_DAYS = 7
    rebuild()
    expected = everything()
    DossierDayStat.objects.all().delete()
    real, calls = rollups.recompute, []

    def dies_on_the_third_chunk(scope):
        calls.append(scope.days[0])
        if len(calls) == 3:
            raise RuntimeError("worker lost")
        return real(scope)

    monkeypatch.setattr(rollups, "recompute", dies_on_the_third_chunk)
    with pytest.raises(RuntimeError):
        rebuild()
    run = RecomputeRun.objects.get(status="failed")
    assert (run.done_days, run.last_day_done, run.total_days) == (14, D(2026, 3, 14), 31)
    monkeypatch.setattr(rollups, "recompute", real)
    calls.clear()
    resumed = rebuild()
    assert resumed.pk == run.pk and resumed.status == "done" and resumed.done_days == 31
    assert everything() == expected


def test_a_rebuild_of_one_unit_leaves_the_others_alone(march, tree):
    rebuild()
    b1_rows = list(DossierDayStat.objects.filter(unit=tree["commune_b1"]).values_list("pk"))
    DossierDayStat.objects.filter(unit__path__startswith=tree["district_a"].path).delete()
    rebuild(unit=tree["district_a"])
    assert list(DossierDayStat.objects.filter(unit=tree["commune_b1"]).values_list("pk")) == b1_rows
    assert DossierDayStat.objects.filter(unit=tree["commune_a1"]).exists()


def test_days_after_today_are_left_out(march):
    run = services.stats_recompute_range(
        date_from=D(2026, 3, 1), date_to=D(2026, 12, 31), now=at(2026, 3, 10, 12)
    )
    assert run.total_days == 10
    assert not DossierDayStat.objects.filter(day__gt=D(2026, 3, 10)).exists()


def test_a_range_that_ends_before_it_starts_is_refused():
    with translation.override("en"), pytest.raises(InvalidRange, match="must not be after"):
        services.stats_recompute_range(date_from=D(2026, 3, 2), date_to=D(2026, 3, 1))


def test_the_command_prints_a_progress_bar_and_stores_the_progress(march, tree, settings):
    settings.REPORTS_RECOMPUTE_CHUNK_DAYS = 10
    out, err = StringIO(), StringIO()
    call_command(
        "recompute_stats", "--from", "2026-03-01", "--to", "2026-03-31", "--unit", "001",
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "31/31" in err.getvalue() and "10/31" in err.getvalue()
    run = RecomputeRun.objects.get()
    assert (run.unit, run.status, run.percent) == (tree["district_a"], "done", 100.0)
    assert DossierDayStat.objects.filter(unit=tree["commune_a1"]).exists()
    assert not DossierDayStat.objects.filter(unit=tree["commune_b1"]).exists()


def test_the_command_refuses_bad_input_clearly(db):
    with translation.override("en"):
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("recompute_stats", "--from", "2026-3-1", "--to", "2026-03-31")
        with pytest.raises(CommandError, match="No unit"):
            call_command(
                "recompute_stats", "--from", "2026-03-01", "--to", "2026-03-31", "--unit", "x"
            )
        with pytest.raises(CommandError, match="must not be after"):
            call_command("recompute_stats", "--from", "2026-03-02", "--to", "2026-03-01")


def test_the_nightly_rebuild_covers_the_current_and_previous_month(march):
    run = services.stats_rebuild_recent(now=at(2026, 4, 2, 1, 15))
    assert (run.date_from, run.date_to) == (D(2026, 3, 1), D(2026, 4, 2))
    assert services.recent_range(months=3, now=at(2026, 1, 15)) == (D(2025, 11, 1), D(2026, 1, 15))
