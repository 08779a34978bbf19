"""Where export files are kept: a private folder (``REPORTS_EXPORTS_ROOT``), never under
``MEDIA_ROOT`` or the static files, so no URL reaches them; they are served only through the
checked, audited download view. A deployment with an object store names it in
``STORAGES["exports"]`` (e.g. a private bucket) and that storage is used instead."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateExportStorage(FileSystemStorage):
    """A file-system storage rooted at ``REPORTS_EXPORTS_ROOT`` (read at each use, so a test
    can point it elsewhere), with no public URL."""

    @property
    def base_location(self):
        return os.fspath(settings.REPORTS_EXPORTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Export files have no public URL; serve them through the download view.")


_private = PrivateExportStorage()


def export_storage():
    if "exports" in settings.STORAGES:
        return storages["exports"]
    return _private
