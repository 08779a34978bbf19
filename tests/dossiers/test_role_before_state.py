"""Every transition checks the actor's role before the dossier's state (R-UNIT-3, R-LIFE-1):
on a dossier whose status refuses the action, someone without a role at its unit hears
"no role here", never the dossier's status, while staff with the role hear the status."""

import datetime as dt

import pytest
from django.utils import translation

from dossiers import services
from dossiers.exceptions import TransitionNotAllowed
from dossiers.transitions import TRANSITIONS
from portal.exceptions import PermissionDenied
from tests.helpers import at

ITEMS = [{"name": "Tờ khai", "guidance": ""}]

# Each service with arguments it accepts; the dossier is returned (closed), so none applies.
CALLS = {
    "routed": (services.dossier_route, {}),
    "supplement_requested": (services.dossier_request_supplement, {"items": ITEMS}),
    "resubmitted": (services.dossier_resubmit, {}),
    "refused": (services.dossier_refuse, {"reason": "x", "legal_basis": "y"}),
    "completed": (services.dossier_complete, {}),
    "returned": (services.dossier_return, {}),
    "withdrawn": (services.dossier_withdraw, {"request_text": "Xin dừng"}),
    "rescheduled": (
        services.dossier_reschedule,
        {"reason": "Chậm", "new_due_date": dt.date(2026, 3, 20)},
    ),
}


def test_every_transition_of_the_table_has_a_service_here():
    assert set(CALLS) == set(TRANSITIONS) - {"received"}


@pytest.fixture
def returned(receive, officer, alice):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 3, 9))
    services.dossier_return(dossier=dossier, actor=alice, at=at(2026, 3, 3, 10))
    return dossier


@pytest.mark.parametrize("action", sorted(CALLS))
def test_an_outsider_is_refused_for_the_role_not_the_status_r_unit_3(returned, charlie, action):
    service, kwargs = CALLS[action]
    with pytest.raises(PermissionDenied):
        service(dossier=returned, actor=charlie, at=at(2026, 3, 4, 9), **kwargs)


@pytest.mark.parametrize("action", sorted(CALLS))
def test_staff_with_the_role_are_told_the_status_r_life_1(request, returned, action):
    service, kwargs = CALLS[action]
    role = TRANSITIONS[action].roles[0]
    actor = request.getfixturevalue({"receptionist": "alice", "officer": "officer"}[role])
    with translation.override("en"), pytest.raises(TransitionNotAllowed, match="Returned"):
        service(dossier=returned, actor=actor, at=at(2026, 3, 4, 9), **kwargs)
