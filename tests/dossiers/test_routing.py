"""Handovers between desk and departments, with per-step deadlines (R-LIFE-3, R-DUE-6)."""

import pytest
from django.utils import translation

from dossiers import services
from dossiers.exceptions import TransitionNotAllowed
from portal.exceptions import PermissionDenied
from tests.factories import DepartmentFactory
from tests.helpers import at


def test_paper_dossier_before_cutoff_goes_to_department_same_day_r_life_3(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 14, 59))
    assert dossier.steps.get().due_at == at(2026, 3, 2, 17, 0)


def test_paper_dossier_after_cutoff_goes_next_morning_r_life_3(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 6, 15, 30))  # Friday after 15:00
    assert dossier.steps.get().due_at == at(2026, 3, 9, 11, 30)  # Monday morning


def test_desk_cutoff_setting_overrides_the_rule_set_r_life_3(receive, desk):
    import datetime as dt

    desk.paper_handover_cutoff = dt.time(16, 0)
    desk.save()
    dossier, _pin = receive(received_at=at(2026, 3, 2, 15, 30))
    assert dossier.steps.get().due_at == at(2026, 3, 2, 17, 0)


def test_handover_records_sender_time_and_step_deadline_r_life_3(
    receive, alice, officer, departments
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier,
        actor=alice,
        to_department=departments["civil"],
        step_days=3,
        at=at(2026, 3, 2, 10),
    )
    services.dossier_route(
        dossier=dossier, actor=officer, to_department=departments["land"], at=at(2026, 3, 6, 10)
    )
    desk_step, civil, land = dossier.steps.order_by("number")
    assert (desk_step.finished_at, desk_step.classification) == (at(2026, 3, 2, 10), "on_time")
    assert civil.handed_by == alice and civil.due_at == at(2026, 3, 5, 17, 0)
    assert civil.classification == "late"  # handed on Friday, step deadline Thursday
    assert land.due_at == dossier.due_at and land.finished_at is None
    dossier.refresh_from_db()
    assert dossier.status == "in_process" and dossier.current_department == departments["land"]


def test_each_step_is_classified_early_on_time_late_r_due_6(receive, alice, officer, departments):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_route(
        dossier=dossier,
        actor=alice,
        to_department=departments["civil"],
        step_days=3,
        at=at(2026, 3, 2, 10),
    )
    services.dossier_route(
        dossier=dossier,
        actor=officer,
        to_department=departments["land"],
        step_days=2,
        at=at(2026, 3, 3, 10),
    )
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 5, 16))
    assert [s.classification for s in dossier.steps.order_by("number")] == [
        "on_time",
        "early",
        "on_time",
    ]


def test_route_to_another_units_department_is_refused(receive, alice, tree):
    dossier, _pin = receive()
    foreign = DepartmentFactory(desk__unit=tree["commune_b1"])
    with translation.override("en"), pytest.raises(Exception, match="another unit"):
        services.dossier_route(dossier=dossier, actor=alice, to_department=foreign)
    assert dossier.steps.count() == 1


def test_outsider_cannot_route_r_unit_3(receive, charlie, departments):
    dossier, _pin = receive()
    with pytest.raises(PermissionDenied):
        services.dossier_route(dossier=dossier, actor=charlie, to_department=departments["civil"])


def test_returned_dossier_cannot_be_routed_r_life_1(receive, alice, officer, departments):
    dossier, _pin = receive()
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 3))
    services.dossier_return(dossier=dossier, actor=alice, at=at(2026, 3, 3, 10))
    with pytest.raises(TransitionNotAllowed):
        services.dossier_route(
            dossier=dossier, actor=alice, to_department=departments["civil"], at=at(2026, 3, 4)
        )
    assert dossier.events.count() == 3
