"""Inviting the applicant of a returned dossier (R-SUR-2): a signed single-use link, stored only
as a hash, sent through the outbox and printable as a QR code."""

import datetime as dt
import hashlib

import pytest

from portal.models import Notification
from surveys import selectors, services
from surveys.exceptions import AlreadyAnswered, InvitationNotAllowed, SurveyLinkInvalid
from surveys.models import Invitation
from tests.helpers import at
from tests.surveys.helpers import by_id, db_state

INVITED_AT = at(2026, 3, 5, 11)


def test_invitation_returns_a_token_and_stores_only_its_hash_r_sur_2(returned_dossier):
    token = services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    invitation = Invitation.objects.get(dossier=returned_dossier)
    assert len(token) > 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(v) for v in Invitation.objects.values_list().get())
    assert token not in stored
    assert selectors.invitation_resolve(token, at=INVITED_AT) == invitation


def test_invitation_expires_after_the_configured_days(returned_dossier, settings):
    settings.SURVEY_INVITATION_DAYS = 10
    services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    invitation = Invitation.objects.get(dossier=returned_dossier)
    assert invitation.expires_at == INVITED_AT + dt.timedelta(days=10)


def test_default_expiry_is_thirty_days(returned_dossier):
    services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    assert Invitation.objects.get().expires_at == INVITED_AT + dt.timedelta(days=30)


def test_invitation_url_points_to_the_public_survey_page(settings):
    settings.PORTAL_PUBLIC_URL = "https://motcua.example.vn/"
    assert services.invitation_url("abc.def") == "https://motcua.example.vn/khao-sat/abc.def/"


def test_invitation_is_sent_by_email_and_sms_through_the_outbox_r_sur_2(returned_dossier):
    token = services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    sent = Notification.objects.filter(object_type="survey_invitation")
    assert {n.channel: n.recipient for n in sent} == {
        "email": "binh.tran@example.test",
        "sms": "0987654321",
    }
    assert all(services.invitation_url(token) in n.body for n in sent)
    assert all(returned_dossier.code in n.body for n in sent)
    assert all("mức độ hài lòng" in n.body for n in sent)  # Vietnamese, the citizens' language


def test_slip_channel_sends_nothing(returned_dossier):
    services.invitation_create(dossier=returned_dossier, channel="slip", at=INVITED_AT)
    assert not Notification.objects.filter(object_type="survey_invitation").exists()
    assert Invitation.objects.get().channel == "slip"


def test_second_call_rotates_the_token_and_resends_r_sur_2(returned_dossier):
    """Decision: one invitation per dossier; a second call issues a fresh token, the first
    stops working, the expiry restarts and the new link is sent (deduplicated per dossier and
    token generation)."""
    first = services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    later = INVITED_AT + dt.timedelta(days=20)
    second = services.invitation_create(dossier=returned_dossier, at=later)
    assert first != second
    assert Invitation.objects.count() == 1
    invitation = Invitation.objects.get()
    assert invitation.generation == 2
    assert invitation.expires_at == later + dt.timedelta(days=30)
    with pytest.raises(SurveyLinkInvalid) as info:
        selectors.invitation_resolve(first, at=later)
    assert info.value.code == "forged"
    assert selectors.invitation_resolve(second, at=later) == invitation
    bodies = list(
        Notification.objects.filter(object_type="survey_invitation", channel="sms").values_list(
            "body", flat=True
        )
    )
    assert len(bodies) == 2
    assert any(services.invitation_url(second) in b for b in bodies)


def test_dossier_not_returned_cannot_be_invited(make_dossier):
    dossier = make_dossier(returned=False)
    before = db_state()
    with pytest.raises(InvitationNotAllowed):
        services.invitation_create(dossier=dossier, at=INVITED_AT)
    assert db_state() == before


def test_answered_dossier_cannot_be_invited_again_r_sur_2(returned_dossier, small_form):
    token = services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    services.response_submit_by_token(
        token=token, answers=by_id(small_form.c, {"x1": 5}), at=INVITED_AT
    )
    before = db_state()
    with pytest.raises(AlreadyAnswered):
        services.invitation_create(dossier=returned_dossier, at=INVITED_AT)
    assert db_state() == before
