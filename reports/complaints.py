"""THE HOOK FOR COMPLAINT FIGURES (R-IND-2): received, answered in time, overdue.

The ``feedback`` app is built on another branch and is not here yet, so ``complaint_rows``
returns nothing and the ``ComplaintDayStat`` columns stay ZERO. After merging feedback, the lead
plugs its selectors in here (and only here): return one row per (unit, day) for the given days
and units, computed with one grouped query, e.g. received by ``received_at``, answered in time
by the reply moment against the reply deadline, and overdue as a snapshot (open past the
deadline at ``days.snapshot_moment(day)``). A receiver on feedback's event model marking
``reports.dirty.buckets_mark`` then keeps the buckets fresh, as for dossiers.
"""

import datetime as dt


def complaint_rows(
    *, days: list[dt.date], unit_ids=None, path: str | None = None, now=None
) -> dict[tuple[int, dt.date], dict[str, int]]:
    """{(unit id, day): {"received": n, "answered_in_time": n, "overdue": n}} for the days
    (and units: ``unit_ids`` or a unit subtree by ``path``). Empty until feedback lands."""
    return {}
