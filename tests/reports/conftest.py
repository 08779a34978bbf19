"""A small, hand-computable dataset for the reports, made through the real services so the real
events fire (R-IND-1, R-RES-4, R-SUR-3).

    City ─┬─ District A ─┬─ Commune A1 (desk, agency 000.01.01.H26)
          │              └─ Commune A2 (desk, agency 000.01.02.H26)
          └─ District B ─── Commune B1 (desk, agency 000.02.01.H26)

A 5-working-day procedure is offered at the three desks. ``clerk`` is a superuser, so one
actor can do every step at every unit; permissions are tested with Alice, Bob and Charlie.
Dossiers received on Monday 2 March 2026 at 09:00 are due on Monday 9 March at 17:00.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from dossiers import services as dossier_services
from dossiers.models import Dossier, RuleSet
from reports import services
from tests.conftest import at
from tests.factories import DeskFactory, ProcedureFactory, UserFactory

D = dt.date
APPLICANT = {
    "name": "Nguyễn Văn An",
    "id_number": "001085012345",
    "phone": "0912 345 678",
    "email": "an.nguyen@example.test",
    "address": "12 Phúc Xá, Ba Đình, Hà Nội",
}


@pytest.fixture
def rule_set(db):
    rule_set, _ = RuleSet.objects.get_or_create(
        code="nd118-2025",
        defaults={
            "name": "Nghị định 118/2025/NĐ-CP",
            "legal_basis": "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP",
            "effective_from": dt.date(2025, 7, 1),
        },
    )
    return rule_set


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


def rebuild(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31), unit=None, now=None):
    """Rebuild the rollups of March 2026 as seen on 1 April 2026."""
    return services.stats_recompute_range(
        date_from=date_from, date_to=date_to, unit=unit, now=now or at(2026, 4, 1, 8)
    )
