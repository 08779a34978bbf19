"""Without a beat task (the demo run), ``REPORTS_RECOMPUTE_ON_COMMIT`` recomputes a change's
buckets right after its commit."""

from reports.models import DirtyBucket, DossierDayStat
from tests.helpers import at


def test_a_change_is_in_the_rollups_right_after_its_commit(
    lifecycle, tree, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_RECOMPUTE_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        dossier = lifecycle.receive(when=at(2026, 3, 2, 9))
        lifecycle.complete(dossier, at(2026, 3, 4, 10))
    rows = DossierDayStat.objects.filter(unit=tree["commune_a1"]).order_by("day")
    assert [(r.day.day, r.received, r.completed, r.early) for r in rows] == [
        (2, 1, 0, 0),
        (4, 0, 1, 1),
    ]
    assert not DirtyBucket.objects.exists()
