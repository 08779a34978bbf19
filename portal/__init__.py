"""The portal project and its core app: units, desks, staff roles, the working calendar."""

from .celery import app as celery_app

__all__ = ("celery_app",)
