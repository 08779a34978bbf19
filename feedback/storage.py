"""Where attachments are kept: never under ``MEDIA_ROOT`` (which the demo serves at /media/)
nor with the static files, but in a private folder (``FEEDBACK_FILES_ROOT``) that no URL
reaches; staff download them through a view that checks their unit (R-PRIV-1).

A deployment with an object store names it in ``STORAGES["feedback"]`` (e.g. a private S3
bucket) and that storage is used instead.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A file-system storage rooted at ``FEEDBACK_FILES_ROOT``, read at each use (so a test
    can point it elsewhere), with no public URL."""

    @property
    def base_location(self):
        return os.fspath(settings.FEEDBACK_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Feedback attachments have no public URL; serve them through a view.")


_private = PrivateFileSystemStorage()


def private_storage():
    """The storage of attachments (a callable, so migrations do not freeze the choice)."""
    if "feedback" in settings.STORAGES:
        return storages["feedback"]
    return _private
