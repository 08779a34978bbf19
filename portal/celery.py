"""Celery application. Workers: ``celery -A portal worker``; schedules: ``celery -A portal beat``."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _history_context_enter(**kwargs):
    """The change history names the task that made a change (``portal/history.py``)."""
    from portal.history import task_context_enter

    task_context_enter(**kwargs)


@task_postrun.connect
def _history_context_exit(**kwargs):
    from portal.history import task_context_exit

    task_context_exit(**kwargs)
