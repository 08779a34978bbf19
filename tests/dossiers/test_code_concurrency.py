"""Dossier codes under concurrency: no gaps, no duplicates (R-LIFE-2), on real PostgreSQL."""

import contextlib
import threading

import pytest
from django.db import connection

from dossiers import services
from dossiers.models import Dossier
from portal.models import Role
from tests.dossiers.helpers import APPLICANT
from tests.factories import (
    DeskFactory,
    MembershipFactory,
    ProcedureFactory,
    UnitFactory,
    UserFactory,
)
from tests.helpers import at

THREADS = 12
PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_parallel_receipts_get_gapless_unique_codes_r_life_2():
    unit = UnitFactory(code="00001", agency_code="000.01.01.H26")
    desk = DeskFactory(unit=unit)
    procedure = ProcedureFactory(offered_at=[desk])
    clerk = UserFactory(username="clerk")
    MembershipFactory(user=clerk, unit=unit, role=Role.RECEPTIONIST)
    start = threading.Barrier(THREADS)
    errors = []

    def work(n):
        try:
            start.wait()
            for i in range(PER_THREAD):
                failing = i == 2 and n % 3 == 0  # some receipts fail and roll back
                applicant = {"name": "X", "phone": "1"} if failing else dict(APPLICANT)
                with contextlib.suppress(services.InvalidApplicant):
                    services.dossier_receive(
                        desk=desk,
                        procedure=procedure,
                        applicant=applicant,
                        actor=clerk,
                        received_at=at(2026, 3, 2, 9),
                    )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    failed = len([n for n in range(THREADS) if n % 3 == 0])
    expected = THREADS * PER_THREAD - failed
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == expected
    assert codes == [f"000.01.01.H26-260302-{n:04d}" for n in range(1, expected + 1)]
    logs = sorted(Dossier.objects.values_list("log_number", flat=True))
    assert logs == list(range(1, expected + 1))
