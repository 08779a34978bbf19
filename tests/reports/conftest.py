"""A small, hand-computable dataset for the reports, made through the real services so the real
events fire (R-IND-1, R-RES-4, R-SUR-3).

    City ─┬─ District A ─┬─ Commune A1 (desk, agency 000.01.01.H26)
          │              └─ Commune A2 (desk, agency 000.01.02.H26)
          └─ District B ─── Commune B1 (desk, agency 000.02.01.H26)

A 5-working-day procedure is offered at the three desks. ``clerk`` is a superuser, so one
actor can do every step at every unit; permissions are tested with Alice, Bob and Charlie.
Dossiers received on Monday 2 March 2026 at 09:00 are due on Monday 9 March at 17:00.
"""

from types import SimpleNamespace

import pytest

from dossiers import services as dossier_services
from dossiers.models import Dossier, RuleSet
from reports.models import Target
from tests.dossiers.helpers import APPLICANT
from tests.factories import DeskFactory, ProcedureFactory, UserFactory
from tests.helpers import at
from tests.reports.helpers import D


@pytest.fixture
def rule_set(db):
    """The 2025 rule set (reference data, restored after a flush by post_migrate)."""
    return RuleSet.objects.get(code="nd118-2025")


@pytest.fixture
def clerk(db):
    user = UserFactory(username="clerk")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def desks(tree, rule_set):
    made = {}
    for key, agency in (
        ("commune_a1", "000.01.01.H26"),
        ("commune_a2", "000.01.02.H26"),
        ("commune_b1", "000.02.01.H26"),
    ):
        unit = tree[key]
        unit.agency_code = agency
        unit.save()
        made[key] = DeskFactory(unit=unit)
    return made


@pytest.fixture
def procedure(desks):
    return ProcedureFactory(processing_time=5, offered_at=list(desks.values()))


@pytest.fixture
def lifecycle(desks, procedure, clerk):
    """Steps of the real lifecycle with the superuser clerk: ``receive(unit_key, when, channel)``
    then ``complete``, ``refuse``, ``withdraw``, ``supplement``, ``resubmit``, ``reschedule``
    (``new_due_date``), each taking the dossier and a moment."""

    def receive(unit_key="commune_a1", when=None, channel=Dossier.Channel.DESK):
        dossier, _pin = dossier_services.dossier_receive(
            desk=desks[unit_key],
            procedure=procedure,
            applicant=dict(APPLICANT),
            actor=clerk,
            channel=channel,
            received_at=when or at(2026, 3, 2, 9),
        )
        return dossier

    def complete(dossier, when):
        return dossier_services.dossier_complete(dossier=dossier, actor=clerk, at=when)

    def refuse(dossier, when):
        return dossier_services.dossier_refuse(
            dossier=dossier, reason="Không đủ điều kiện", legal_basis="Điều 5", actor=clerk, at=when
        )

    def withdraw(dossier, when):
        return dossier_services.dossier_withdraw(
            dossier=dossier, request_text="Xin rút hồ sơ", actor=clerk, at=when
        )

    def supplement(dossier, when):
        return dossier_services.dossier_request_supplement(
            dossier=dossier, items=[{"name": "Bản sao CCCD"}], actor=clerk, at=when
        )

    def resubmit(dossier, when):
        return dossier_services.dossier_resubmit(dossier=dossier, actor=clerk, at=when)

    def reschedule(dossier, when, new_due_date):
        return dossier_services.dossier_reschedule(
            dossier=dossier, reason="Chờ xác minh", new_due_date=new_due_date, actor=clerk, at=when
        )

    return SimpleNamespace(
        receive=receive,
        complete=complete,
        refuse=refuse,
        withdraw=withdraw,
        supplement=supplement,
        resubmit=resubmit,
        reschedule=reschedule,
    )


@pytest.fixture
def march(lifecycle):
    """The hand-computed month (March 2026; dossiers due 5 working days after receipt):

    Commune A1 (8 received, 3 online):
      d1 received 2/3, completed 4/3 ............................ early
      d2 received 2/3, completed 9/3 10:00 (due 9/3 17:00) ........ on time
      d3 received 2/3, completed 10/3 ............................ late; overdue at the end of 9/3
      d4 online, received 2/3, apology 5/3 (new date 12/3), completed 11/3: late (R-RES-4)
      d5 received 3/3, supplement requested 4/3, back 6/3 (due 13/3), completed 16/3: late;
         overdue at the ends of 13, 14 and 15/3
      d6 received 3/3, refused 4/3
      d7 online, received 3/3, withdrawn 5/3
      d8 online, received 4/3 (due 11/3), still open: overdue every day from 11/3
    Commune A2: e1 received 2/3 completed 3/3 (early); e2 online received 2/3 completed 9/3
      (on time).
    Commune B1: f1 received 2/3, completed 10/3 (late).
    """
    lc = lifecycle
    made = {}
    made["d1"] = lc.receive()
    lc.complete(made["d1"], at(2026, 3, 4, 10))
    made["d2"] = lc.receive()
    lc.complete(made["d2"], at(2026, 3, 9, 10))
    made["d3"] = lc.receive()
    lc.complete(made["d3"], at(2026, 3, 10, 10))
    made["d4"] = lc.receive(channel="online")
    lc.reschedule(made["d4"], at(2026, 3, 5, 10), D(2026, 3, 12))
    lc.complete(made["d4"], at(2026, 3, 11, 10))
    made["d5"] = lc.receive(when=at(2026, 3, 3, 9))
    lc.supplement(made["d5"], at(2026, 3, 4, 10))
    lc.resubmit(made["d5"], at(2026, 3, 6, 10))
    lc.complete(made["d5"], at(2026, 3, 16, 10))
    made["d6"] = lc.receive(when=at(2026, 3, 3, 9))
    lc.refuse(made["d6"], at(2026, 3, 4, 10))
    made["d7"] = lc.receive(when=at(2026, 3, 3, 9), channel="online")
    lc.withdraw(made["d7"], at(2026, 3, 5, 10))
    made["d8"] = lc.receive(when=at(2026, 3, 4, 9), channel="online")
    made["e1"] = lc.receive("commune_a2")
    lc.complete(made["e1"], at(2026, 3, 3, 10))
    made["e2"] = lc.receive("commune_a2", channel="online")
    lc.complete(made["e2"], at(2026, 3, 9, 10))
    made["f1"] = lc.receive("commune_b1")
    lc.complete(made["f1"], at(2026, 3, 10, 10))
    return made


@pytest.fixture
def default_targets(db):
    """The default targets and weights: reference data (migration 0002, restored after every
    migrate and flush by ``reports.reference_data``)."""
    return Target.objects.filter(unit=None)


@pytest.fixture
def complaints(desks, clerk, tree):
    """The hand-computed complaints of March 2026 (feedback on a rule: 10 working days to
    answer; no holiday in March), entered by the superuser clerk:

    Commune A1:
      c1 received 2/3 (due 16/3), answered 5/3 ............................ in time
      c2 received 2/2 (due 23/2, Tết skipped), answered 3/3 ................ late;
         overdue from the end of 23/2 to the end of 2/3
      c3 received 9/2 (due 2/3 17:00), never answered .............. overdue from 2/3
      c4 received 2/3, transferred to Commune A2 on 11/3 (due there 25/3), not answered:
         overdue at A2 from the end of 25/3; never overdue at A1
    Commune A2:
      c5 received 3/3, answered 4/3 ....................................... in time

    March: A1 received 2 (c1, c4), answered 2 (c1, c2), in time 1, overdue on 31/3: 1 (c3);
    A2 received 1 (c5; c4's receipt is A1's), answered 1, in time 1, overdue on 31/3: 1 (c4).
    """
    from feedback import services as feedback_services
    from tests.feedback.helpers import BODY, SENDER

    def submit(unit_key, when):
        item, _pin = feedback_services.feedback_submit(
            unit=tree[unit_key],
            kind="feedback",
            channel="hotline",
            body=BODY,
            sender=dict(SENDER),
            actor=clerk,
            received_at=when,
        )
        return item

    def reply(item, when):
        feedback_services.feedback_reply(item=item, actor=clerk, text="Trả lời", at=when)

    made = {}
    made["c1"] = submit("commune_a1", at(2026, 3, 2, 9))
    reply(made["c1"], at(2026, 3, 5, 9))
    made["c2"] = submit("commune_a1", at(2026, 2, 2, 9))
    reply(made["c2"], at(2026, 3, 3, 9))
    made["c3"] = submit("commune_a1", at(2026, 2, 9, 9))
    made["c4"] = submit("commune_a1", at(2026, 3, 2, 9))
    feedback_services.feedback_transfer(
        item=made["c4"], actor=clerk, to_unit=tree["commune_a2"], at=at(2026, 3, 11, 9)
    )
    made["c5"] = submit("commune_a2", at(2026, 3, 3, 9))
    reply(made["c5"], at(2026, 3, 4, 9))
    return made
