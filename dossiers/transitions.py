"""The dossier lifecycle as one table (R-LIFE-1).

Each row says which action (named by the event it writes), from which statuses, to which
status, and who may take it at the dossier's unit (R-UNIT-3). The services follow it through
one writer (``dossiers.services._transition``); the staff pages offer an action only when its
row allows it (``dossiers.views.allowed_actions``); ``docs/architecture.md`` shows it.

Adding a transition: an ``EventKind``, one row here, and a service that passes its own checks
and data to the writer.
"""

from dataclasses import dataclass

from dossiers.models import OPEN_STATUSES, EventKind
from dossiers.models import DossierStatus as S
from portal.models import Role

# Two targets that are not one fixed status:
UNCHANGED = "unchanged"  # the status stays as it is (rescheduling moves the due date only)
RESUMED = "resumed"  # back to the status the dossier had when the supplement was requested


@dataclass(frozen=True)
class Transition:
    action: str  # an EventKind: the event the transition writes
    from_statuses: tuple[str, ...]  # empty for the receipt, which creates the dossier
    to_status: str  # a DossierStatus, UNCHANGED or RESUMED
    roles: tuple[str, ...]  # any one of them at the dossier's unit


# Who, by role at the dossier's unit (the receptionist works at the desk).
_RECEPTIONIST = (Role.RECEPTIONIST,)
_RECEPTIONIST_OFFICER = (Role.RECEPTIONIST, Role.OFFICER)
_OFFICER_LEADER = (Role.OFFICER, Role.LEADER)
_ALL_THREE = (Role.RECEPTIONIST, Role.OFFICER, Role.LEADER)
_IN_HAND = (S.RECEIVED, S.IN_PROCESS)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(EventKind.RECEIVED, (), S.RECEIVED, _RECEPTIONIST),
        Transition(EventKind.ROUTED, _IN_HAND, S.IN_PROCESS, _RECEPTIONIST_OFFICER),
        Transition(EventKind.SUPPLEMENT_REQUESTED, _IN_HAND, S.WAITING_SUPPLEMENT, _ALL_THREE),
        Transition(EventKind.RESUBMITTED, (S.WAITING_SUPPLEMENT,), RESUMED, _RECEPTIONIST_OFFICER),
        Transition(EventKind.COMPLETED, _IN_HAND, S.RESULT_READY, _OFFICER_LEADER),
        Transition(EventKind.RETURNED, (S.RESULT_READY,), S.RETURNED, _RECEPTIONIST_OFFICER),
        Transition(EventKind.REFUSED, OPEN_STATUSES, S.REFUSED, _ALL_THREE),
        Transition(EventKind.WITHDRAWN, OPEN_STATUSES, S.WITHDRAWN, _RECEPTIONIST_OFFICER),
        Transition(EventKind.RESCHEDULED, OPEN_STATUSES, UNCHANGED, _OFFICER_LEADER),
    )
}
