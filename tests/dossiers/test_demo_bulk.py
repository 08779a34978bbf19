"""The demo's bulk writer builds the rows the services would write (issue 14, Deliver 4): the
same seed through ``dossiers.services`` and through ``BulkWriter`` gives the same dossiers,
codes, due moments, classifications (R-DUE-3..6, R-RES-4), steps, pauses and events."""

from django.db import transaction

from dossiers import demo
from dossiers.models import Dossier
from portal.models import Counter
from tests.factories import DepartmentFactory
from tests.helpers import at

DOSSIER_FIELDS = (
    "code",
    "log_year",
    "log_number",
    "procedure_id",
    "rule_set_id",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "channel",
    "return_mode",
    "time_unit",
    "processing_time",
    "received_at",
    "due_at",
    "original_due_at",
    "status",
    "current_department_id",
    "current_holder_id",
    "completed_at",
    "classification",
    "points",
    "returned_at",
    "closed_at",
    "supplement_count",
    "received_by_id",
    "is_demo",
)


def _snapshot():
    rows = []
    for d in Dossier.objects.order_by("code").prefetch_related(
        "events", "steps", "pauses", "documents"
    ):
        rows.append(
            {
                "dossier": {f: getattr(d, f) for f in DOSSIER_FIELDS},
                "events": [
                    (
                        e.kind,
                        e.at,
                        e.actor_id,
                        e.unit_id,
                        e.from_status,
                        e.to_status,
                        e.note,
                        e.data,
                    )
                    for e in sorted(d.events.all(), key=lambda e: e.pk)
                ],
                "steps": [
                    (
                        s.number,
                        s.department_id,
                        s.handed_by_id,
                        s.received_by_id,
                        s.handed_at,
                        s.due_at,
                        s.finished_at,
                        s.classification,
                    )
                    for s in sorted(d.steps.all(), key=lambda s: s.number)
                ],
                "pauses": [
                    (
                        p.requested_at,
                        p.items,
                        p.status_before,
                        p.remaining_days,
                        p.remaining_seconds,
                        p.is_late_request,
                        p.resumed_at,
                    )
                    for p in d.pauses.all()
                ],
                "documents": sorted((x.name, x.is_original, x.quantity) for x in d.documents.all()),
                "refusal": getattr(getattr(d, "refusal", None), "refused_at", None)
                if hasattr(d, "refusal")
                else None,
                "reschedule": (d.reschedule.original_due_at, d.reschedule.new_due_at)
                if hasattr(d, "reschedule")
                else None,
                "withdrawal": d.withdrawal.withdrawn_at if hasattr(d, "withdrawal") else None,
            }
        )
    counters = dict(Counter.objects.values_list("key", "value"))
    return rows, counters


class _Rollback(Exception):
    pass


def test_bulk_demo_rows_match_the_services_r_due_6_r_res_4(desk, alice, officer):
    DepartmentFactory(desk=desk)
    DepartmentFactory(desk=desk)
    demo.seed_procedures(desks=[desk])
    now = at(2026, 11, 20, 12)
    # A high share of lates, supplements and refusals so every branch is taken.
    kwargs = {"desks": [desk], "count": 200, "days": 200, "now": now, "seed": 7}

    try:
        with transaction.atomic():
            made = demo.seed_dossiers(through_services=True, **kwargs)
            by_services = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert Dossier.objects.count() == 0

    assert demo.seed_dossiers(**kwargs) == made
    by_bulk = _snapshot()

    assert made > 150
    rows = by_services[0]
    kinds = {e[0] for row in rows for e in row["events"]}
    assert {"received", "routed", "completed", "returned", "supplement_requested"} <= kinds
    assert any(row["reschedule"] for row in rows) and any(row["refusal"] for row in rows)
    assert len(by_bulk[0]) == len(rows)
    for bulk_row, service_row in zip(by_bulk[0], rows, strict=True):
        for key, value in service_row.items():
            assert bulk_row[key] == value, (service_row["dossier"]["code"], key)
    assert by_bulk[1] == by_services[1]
