"""Checking uploaded files before anything is stored (pages and API share this).

Never trust a file's name or the type the browser sends: the content is sniffed (``puremagic``)
and must be a PDF, a JPEG or a PNG. Photos are decoded and re-encoded with Pillow, which drops
their EXIF block (location, camera, time) and any data hidden after the image; the orientation
the camera recorded is applied first, so the photo still looks right. PDFs are kept as sent
(staff open them, the public never sees them). Empty files, files over
``FEEDBACK_ATTACHMENT_MAX_BYTES``, more than ``FEEDBACK_ATTACHMENTS_MAX_COUNT`` files or more than
``FEEDBACK_ATTACHMENTS_MAX_TOTAL_BYTES`` together are refused with a translated message under
the field ``attachments``.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from feedback.exceptions import InvalidAttachment

FIELD = "attachments"
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
# Pillow refuses images above this many pixels (a "decompression bomb" in a small file).
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanFile:
    """A checked file, ready to store: its bytes (re-encoded for photos), sniffed type, a safe
    name to show and the SHA-256 of what is stored."""

    content: bytes
    content_type: str
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _refuse(message: str):
    raise InvalidAttachment(message, fields={FIELD: [message]})


def _sniff(head: bytes) -> str | None:
    """The type the content says it is, among those accepted; ``None`` for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    mime = (matches[0].mime_type or "").lower() if matches else ""
    return mime if mime in (JPEG, PNG) else None


def _safe_name(name: str, content_type: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip() or "tep"
    stem = "".join(c for c in os.path.splitext(base)[0] if c.isprintable())[:100] or "tep"
    return stem + EXTENSIONS[content_type]


def _reencode(data: bytes, content_type: str, label: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    _refuse(_("“%(name)s” is too large an image.") % {"name": label})
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if content_type == JPEG:
                    if image.mode not in ("RGB", "L"):
                        image = image.convert("RGB")
                    image.save(out, format="JPEG", quality=88, optimize=True)
                else:
                    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        image = image.convert("RGBA")
                    image.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError):
        _refuse(_("“%(name)s” is not a readable image.") % {"name": label})
    except Image.DecompressionBombWarning:
        _refuse(_("“%(name)s” is too large an image.") % {"name": label})
    raise AssertionError("unreachable")  # pragma: no cover


def _read(upload) -> bytes:
    """All the bytes of an uploaded file (Django ``UploadedFile``, a ``File`` or raw bytes),
    reading at most one byte past the limit."""
    if isinstance(upload, bytes):
        return upload
    limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limit + 1)


def attachment_clean(upload, *, name: str | None = None) -> CleanFile:
    """One uploaded file checked and cleaned, or ``InvalidAttachment``."""
    label = os.path.basename(name or getattr(upload, "name", "") or "") or _("the file")
    limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        _refuse(
            _("“%(name)s” is larger than %(limit)s.")
            % {"name": label, "limit": filesizeformat(limit)}
        )
    data = _read(upload)
    if not data:
        _refuse(_("“%(name)s” is empty.") % {"name": label})
    if len(data) > limit:
        _refuse(
            _("“%(name)s” is larger than %(limit)s.")
            % {"name": label, "limit": filesizeformat(limit)}
        )
    content_type = _sniff(data[:4096])
    if content_type is None:
        _refuse(
            _("“%(name)s” is not a PDF, JPEG or PNG file (its content was checked, not its name).")
            % {"name": label}
        )
    if content_type in (JPEG, PNG):
        data = _reencode(data, content_type, label)
    elif b"%%EOF" not in data[-2048:]:
        _refuse(_("“%(name)s” is not a complete PDF file.") % {"name": label})
    return CleanFile(
        content=data,
        content_type=content_type,
        original_name=_safe_name(label, content_type),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def attachments_clean(uploads) -> list[CleanFile]:
    """Every uploaded file checked, with the count and total size limits; the first refusal
    raises ``InvalidAttachment`` and nothing is kept."""
    uploads = list(uploads or [])
    most = settings.FEEDBACK_ATTACHMENTS_MAX_COUNT
    if len(uploads) > most:
        _refuse(
            _("At most %(most)d files can be attached (%(count)d were sent).")
            % {"most": most, "count": len(uploads)}
        )
    cleaned = [attachment_clean(u) for u in uploads]
    total_limit = settings.FEEDBACK_ATTACHMENTS_MAX_TOTAL_BYTES
    if sum(f.size for f in cleaned) > total_limit:
        _refuse(
            _("The files together are larger than %(limit)s.")
            % {"limit": filesizeformat(total_limit)}
        )
    return cleaned
