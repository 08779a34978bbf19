"""Dirty marking: a change marks its (unit, day) bucket after commit, without the lifecycle
importing reports; the beat task recomputes the marked buckets and clears them, giving the same
rows as a full rebuild; a mark that arrives while its bucket is computed is not lost."""

import datetime as dt

import time_machine

from reports import services
from reports.dirty import buckets_mark
from reports.models import (
    DirtyBucket,
    DossierDayStat,
    StateMark,
    SurveyDayStat,
    SurveyResponseDayStat,
)
from tests.helpers import at
from tests.reports.helpers import D, rebuild, stat_rows
from tests.surveys.helpers import enter_dataset


def dirty():
    return set(DirtyBucket.objects.values_list("unit_id", "day"))


def test_a_dossier_change_marks_its_bucket_after_commit(
    lifecycle, tree, django_capture_on_commit_callbacks
):
    a1 = tree["commune_a1"].pk
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            lifecycle.receive(when=at(2026, 3, 2, 9))
        assert dirty() == set()  # nothing before the commit
        for callback in callbacks:
            callback()
    assert dirty() == {(a1, D(2026, 3, 2))}


def test_a_back_dated_change_marks_its_day_and_today(
    lifecycle, tree, django_capture_on_commit_callbacks
):
    a1 = tree["commune_a1"].pk
    with (
        time_machine.travel(at(2026, 3, 12, 10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = lifecycle.receive(when=at(2026, 3, 2, 9))
        lifecycle.complete(dossier, at(2026, 3, 10, 10))
    assert dirty() == {(a1, D(2026, 3, 2)), (a1, D(2026, 3, 10)), (a1, D(2026, 3, 12))}


def test_a_survey_response_marks_the_day_it_was_answered(
    desks, clerk, tree, small_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enter_dataset(
            desk=desks["commune_a2"], actor=clerk, small_form=small_form,
            submitted_at=at(2026, 3, 18, 9),
        )  # fmt: skip
    assert dirty() == {(tree["commune_a2"].pk, D(2026, 3, 18))}


def flows():
    """The dossier rows without the overdue snapshot (days without an event are snapshotted by
    the beat's due-moment marks as they pass, and by the nightly rebuild)."""
    fields = [f for f in DossierDayStat.COUNTS if f != "overdue"]
    return sorted(
        row
        for row in DossierDayStat.objects.values_list("unit_id", "day", "channel", *fields)
        if any(row[3:])
    )


def test_recomputing_dirty_buckets_gives_the_rows_of_a_full_rebuild(
    lifecycle, tree, clerk, desks, small_form, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 4, 1, 8), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = lifecycle.receive()
            lifecycle.complete(first, at(2026, 3, 10, 10))
            lifecycle.receive("commune_b1", when=at(2026, 3, 3, 9), channel="online")
            enter_dataset(desk=desks["commune_a1"], actor=clerk, small_form=small_form)
        marked = DirtyBucket.objects.count()
        assert services.stats_recompute_dirty(now=at(2026, 4, 1, 8)) == marked
    assert DirtyBucket.objects.count() == 0
    incremental = flows(), stat_rows(SurveyResponseDayStat), stat_rows(SurveyDayStat)
    rebuild(date_from=D(2026, 3, 1), date_to=D(2026, 4, 1))
    assert (flows(), stat_rows(SurveyResponseDayStat), stat_rows(SurveyDayStat)) == incremental


def test_a_mark_that_arrives_during_the_recompute_stays_dirty(lifecycle, tree, monkeypatch):
    """The recompute clears a mark only if its token is the one it read."""
    a1 = tree["commune_a1"].pk
    buckets_mark([(a1, D(2026, 3, 2))])
    from reports import rollups

    real = rollups.recompute

    def recompute_then_mark_again(scope):
        written = real(scope)
        buckets_mark([(a1, D(2026, 3, 2))])  # a new change committed meanwhile
        return written

    monkeypatch.setattr(rollups, "recompute", recompute_then_mark_again)
    services.stats_recompute_dirty(now=at(2026, 3, 3, 8))
    assert dirty() == {(a1, D(2026, 3, 2))}


def test_dossiers_crossing_their_due_moment_mark_today(lifecycle, tree):
    """No event happens when a dossier becomes overdue: the beat marks its unit's bucket."""
    a1 = tree["commune_a1"].pk
    lifecycle.receive()  # due 9/3 17:00
    StateMark.objects.create(key=services.OVERDUE_MARK, at=at(2026, 3, 9, 16))
    assert services.stats_mark_overdue_crossings(now=at(2026, 3, 9, 16, 30)) == 0
    assert services.stats_mark_overdue_crossings(now=at(2026, 3, 9, 17, 30)) == 1
    assert dirty() == {(a1, D(2026, 3, 9))}
    DirtyBucket.objects.all().delete()
    # a new day: every unit with overdue dossiers gets today's snapshot
    assert services.stats_mark_overdue_crossings(now=at(2026, 3, 10, 0, 5)) == 1
    assert dirty() == {(a1, D(2026, 3, 10))}
    services.stats_recompute_dirty(now=at(2026, 3, 10, 0, 6))
    assert DossierDayStat.objects.get(unit_id=a1, day=D(2026, 3, 10)).overdue == 1


def test_marks_for_future_days_are_dropped(tree):
    buckets_mark([(tree["commune_a1"].pk, D(2026, 3, 2) + dt.timedelta(days=400))])
    services.stats_recompute_dirty(now=at(2026, 3, 3))
    assert dirty() == set()
