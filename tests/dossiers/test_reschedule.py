"""The one-time rescheduling with apology (R-RES-1..4)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from dossiers import services
from dossiers.exceptions import (
    DossierAlreadyRescheduled,
    RescheduleNotAllowed,
    TransitionNotAllowed,
)
from dossiers.models import Reschedule
from portal.models import Notification
from tests.helpers import at

D = dt.date


def test_reschedule_sets_new_due_and_notifies_the_citizen_r_res_3(receive, officer, departments):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    reschedule = services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ xác minh của cơ quan khác",
        new_due_date=D(2026, 3, 12),
        responsible_department=departments["civil"],
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 12, 17)
    assert dossier.original_due_at == at(2026, 3, 9, 17)
    assert reschedule.original_due_at == at(2026, 3, 9, 17)
    assert dossier.events.filter(kind="rescheduled").count() == 1
    sent = Notification.objects.filter(dedupe_key__contains=":rescheduled:")
    assert {n.channel for n in sent} == {"email", "sms"}
    assert all("12/03/2026" in n.body and dossier.code in n.body for n in sent)


def test_second_reschedule_is_refused_r_res_2(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chậm",
        new_due_date=D(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    with pytest.raises(DossierAlreadyRescheduled) as info:
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chậm nữa",
            new_due_date=D(2026, 3, 20),
            actor=officer,
            at=at(2026, 3, 10, 10),
        )
    assert info.value.code == "already_rescheduled"
    with translation.override("en"):
        assert info.value.message == (
            "This dossier has already been rescheduled once; a second rescheduling is not allowed."
        )
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 12, 17)
    assert Reschedule.objects.count() == 1


def test_database_refuses_a_second_reschedule_row_r_res_2(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    first = services.dossier_reschedule(
        dossier=dossier,
        reason="Chậm",
        new_due_date=D(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reschedule.objects.create(
            dossier=dossier,
            reason="x",
            responsible_unit=dossier.unit,
            original_due_at=first.new_due_at,
            new_due_at=first.new_due_at + dt.timedelta(days=3),
            created_at=first.created_at,
            created_by=officer,
        )


@pytest.mark.parametrize(
    ("when", "allowed"),
    [
        (at(2026, 3, 6, 16, 59), True),  # Friday, the working day before Monday's due date
        (at(2026, 3, 6, 17, 30), False),  # Friday after closing counts as Monday
        (at(2026, 3, 7, 10), False),  # Saturday counts as Monday
        (at(2026, 3, 9, 8), False),  # on the due date itself
    ],
)
def test_reschedule_no_later_than_one_working_day_before_due_r_res_1(
    receive, officer, when, allowed
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    call = lambda: services.dossier_reschedule(  # noqa: E731
        dossier=dossier, reason="Chậm", new_due_date=D(2026, 3, 12), actor=officer, at=when
    )
    if allowed:
        call()
    else:
        with (
            translation.override("en"),
            pytest.raises(RescheduleNotAllowed, match=r"Too late|one working day"),
        ):
            call()
        assert not Reschedule.objects.exists()


def test_new_date_must_be_after_the_due_date_and_a_working_day(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    for bad in (D(2026, 3, 9), D(2026, 3, 5), D(2026, 3, 14)):  # due date, before, Saturday
        with pytest.raises(RescheduleNotAllowed):
            services.dossier_reschedule(
                dossier=dossier,
                reason="Chậm",
                new_due_date=bad,
                actor=officer,
                at=at(2026, 3, 4, 10),
            )
    assert not Reschedule.objects.exists()
    assert dossier.events.count() == 1


def test_completed_dossier_cannot_be_rescheduled(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 3, 9))
    with pytest.raises(TransitionNotAllowed):
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chậm",
            new_due_date=D(2026, 3, 12),
            actor=officer,
            at=at(2026, 3, 3, 10),
        )


def test_rescheduled_dossier_counts_as_late_even_if_done_by_new_date_r_res_4(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chậm",
        new_due_date=D(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 11, 10))
    dossier.refresh_from_db()
    assert (dossier.classification, dossier.points) == ("late", 0)


def test_receptionist_cannot_reschedule_r_unit_3(receive, alice):
    from portal.exceptions import PermissionDenied

    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(PermissionDenied):
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chậm",
            new_due_date=D(2026, 3, 12),
            actor=alice,
            at=at(2026, 3, 4, 10),
        )


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_someone_without_the_role_is_refused_before_learning_it_was_rescheduled_r_unit_3(
    request, receive, officer, who
):
    """The role is checked first: a receptionist of the unit (Alice) and an outsider
    (Charlie) are told they may not reschedule, not that the dossier already was."""
    from portal.exceptions import PermissionDenied

    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chậm",
        new_due_date=D(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )
    with pytest.raises(PermissionDenied) as info:
        services.dossier_reschedule(
            dossier=dossier,
            reason="Chậm nữa",
            new_due_date=D(2026, 3, 20),
            actor=request.getfixturevalue(who),
            at=at(2026, 3, 10, 10),
        )
    assert not isinstance(info.value, DossierAlreadyRescheduled)
    assert info.value.code == "permission_denied"
