"""Staff print a survey invitation to hand over with a dossier's result (R-SUR-2): only with a
role at the dossier's unit, sending nothing, recorded in the audit log; the printed token
replaces the link sent earlier."""

import pytest

from portal.exceptions import PermissionDenied
from portal.models import AuditLog
from surveys import selectors, services
from surveys.exceptions import SurveyLinkInvalid
from surveys.models import Invitation
from tests.helpers import at
from tests.surveys.helpers import db_state


def test_printing_issues_a_working_slip_token_and_writes_an_audit_row_r_sur_2(
    returned_dossier, alice
):
    sent = services.invitation_create(dossier=returned_dossier, send=False)

    printed = services.invitation_print(dossier=returned_dossier, actor=alice)

    invitation = Invitation.objects.get()
    assert selectors.invitation_resolve(printed) == invitation
    assert invitation.channel == "slip" and invitation.generation == 2
    with pytest.raises(SurveyLinkInvalid):
        selectors.invitation_resolve(sent)  # the earlier link stops working
    audit = AuditLog.objects.get(action="survey_invitation.printed")
    assert (audit.actor, audit.unit, audit.data["dossier"]) == (
        alice,
        returned_dossier.unit,
        returned_dossier.code,
    )


def test_printing_sends_no_message(returned_dossier, alice):
    before = db_state()["notifications"]

    services.invitation_print(dossier=returned_dossier, actor=alice, at=at(2026, 3, 9))

    assert db_state()["notifications"] == before


def test_an_outsider_cannot_print_an_invitation(returned_dossier, charlie):
    before = db_state()

    with pytest.raises(PermissionDenied):
        services.invitation_print(dossier=returned_dossier, actor=charlie)

    assert db_state() == before


def test_the_district_leader_covering_the_commune_can_print(returned_dossier, bob):
    token = services.invitation_print(dossier=returned_dossier, actor=bob)

    assert selectors.invitation_resolve(token).dossier == returned_dossier
