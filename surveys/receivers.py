"""Reactions to other apps' signals."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from portal.exceptions import DomainError
from surveys import services

logger = logging.getLogger(__name__)


def invite_on_return(sender, *, dossier, at, **kwargs):
    """R-SUR-2: the applicant of a returned dossier gets a single-use survey link by email or
    SMS through the outbox. A return recorded too long ago (its link would already have
    expired, e.g. back-filled history) gets none."""
    if at < timezone.now() - dt.timedelta(days=services.invitation_days()):
        return
    try:
        with transaction.atomic():
            services.invitation_create(dossier=dossier, send=True, at=at)
    except DomainError as exc:  # e.g. already answered at the desk's kiosk
        logger.info("no survey invitation for dossier %s: %s", dossier.pk, exc.code)
