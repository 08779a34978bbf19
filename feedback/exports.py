"""What staff take out of the portal: reply letters (and their previews), receipts and
attachments. Each writes an audit row
(R-PRIV-1: every export of personal data is logged). Callers pass objects they fetched through
the unit-scoped selectors."""

from __future__ import annotations

from feedback.documents import receipt_pdf, reply_letter_pdf, reply_letter_preview_pdf
from feedback.models import Attachment, Item, Reply
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


def reply_letter_preview_export(*, item: Item, text: str, user) -> bytes:
    """The draft letter of an answer being written (nothing saved but the audit row: the
    letter carries the sender's name and address)."""
    pdf = reply_letter_preview_pdf(item=item, text=text, user=user)
    audit_log_write(
        actor=user,
        action="feedback.reply_letter.preview",
        object_type="feedback.item",
        object_id=item.pk,
        unit=item.unit,
    )
    return pdf


def receipt_export(*, item: Item, user, pin: str | None = None) -> bytes:
    """The receipt of an item entered by staff (the PIN on the first print only)."""
    pdf = receipt_pdf(item_id=item.pk, pin=pin)
    audit_log_write(
        actor=user,
        action="feedback.receipt.print",
        object_type="feedback.item",
        object_id=item.pk,
        unit=item.intake_unit,
        data={"with_pin": pin is not None},
    )
    return pdf
