"""Reactions to signals: other apps' (a returned dossier) and Django's (``post_migrate``)."""

import datetime as dt
import logging

from django.apps import apps as global_apps
from django.db import transaction
from django.utils import timezone

from portal.exceptions import DomainError
from surveys import seeding, services

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


def sipas_form_after_migrate(sender, *, using, apps=global_apps, **kwargs):
    """R-SUR-1: the default SIPAS form exists after ``migrate`` (and again after ``flush``,
    which sends no ``apps``), made with the models of the migrated state. Nothing to do while
    the surveys' tables are not there (e.g. ``migrate surveys zero``)."""
    try:
        apps.get_model("surveys", "SurveyForm")
    except LookupError:
        return
    seeding.sipas_form_ensure(apps=apps, using=using)
