"""Returning a dossier invites its applicant to the survey through the outbox (R-SUR-2)."""

import datetime as dt

from django.utils import timezone

from dossiers import services as dossier_services
from portal.models import Notification
from surveys.models import Invitation


def _return_now(make_dossier, alice, officer, django_capture_on_commit_callbacks):
    now = timezone.now()
    dossier = make_dossier(returned=False, received_at=now - dt.timedelta(hours=3))
    dossier_services.dossier_complete(
        dossier=dossier, actor=officer, at=now - dt.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.dossier_return(
            dossier=dossier, actor=alice, at=now - dt.timedelta(hours=1)
        )
    return dossier


def test_returning_a_dossier_sends_a_survey_link_r_sur_2(
    make_dossier, alice, officer, django_capture_on_commit_callbacks
):
    dossier = _return_now(make_dossier, alice, officer, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(dossier=dossier)
    assert invitation.used_at is None and invitation.expires_at > timezone.now()
    messages = Notification.objects.filter(
        object_type="survey_invitation", object_id=str(invitation.pk), body__contains="/khao-sat/"
    )
    assert {m.channel for m in messages} == {"email", "sms"}


def test_a_return_back_filled_from_long_ago_sends_no_link_r_sur_2(
    make_dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(returned=True)  # returned in March 2026
    assert not Invitation.objects.filter(dossier=dossier).exists()
