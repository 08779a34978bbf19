"""What staff take out of the portal: reply letters and attachments. Each writes an audit row
(R-PRIV-1: every export of personal data is logged). Callers pass objects they fetched through
the unit-scoped selectors."""

from __future__ import annotations

from feedback.documents import reply_letter_pdf
from feedback.models import Attachment, Reply
from portal.audit import audit_log_write


def reply_letter_export(*, reply: Reply, user) -> bytes:
    pdf = reply_letter_pdf(reply=reply)
    audit_log_write(
        actor=user,
        action="feedback.reply_letter.print",
        object_type="feedback.item",
        object_id=reply.item_id,
        unit=reply.unit,
        data={"reply": reply.number},
    )
    return pdf


def attachment_export(*, attachment: Attachment, user):
    """The stored file, opened for reading (the caller closes it), after an audit row."""
    audit_log_write(
        actor=user,
        action="feedback.attachment.download",
        object_type="feedback.item",
        object_id=attachment.item_id,
        data={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return attachment.file.open("rb")
