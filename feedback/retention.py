"""Retention of senders' personal data (R-PRIV-1, Law on Personal Data Protection 2025).

Once an item has been finished for ``PORTAL_PERSONAL_DATA_RETENTION_DAYS`` (closed or rejected:
from ``closed_at``; answered and never closed: from ``replied_at``), the sender's name, phone,
email, address and ID number are blanked, the attached files are deleted with their rows, and the
recipients of the messages sent about the item are blanked. Codes, kinds, units, dates, deadlines,
findings and the published (already masked) answers stay for statistics and the public record.
The content and the reply letters stay too: they are the case file (append-only, FEEDBACK_LAW.md
§2, row 8); a sender who wrote personal data into the content is not anonymised by this.
The same setting as for dossiers (``dossiers.services.dossiers_anonymise_expired``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dossiers.services import ANONYMISED_NAME
from feedback.models import Attachment, Item, Status
from portal.audit import audit_log_write
from portal.models import Notification


def _expired(cutoff: dt.datetime) -> Q:
    return Q(status__in=(Status.CLOSED, Status.REJECTED), closed_at__lt=cutoff) | Q(
        status=Status.ANSWERED, replied_at__lt=cutoff
    )


def _still_personal() -> Q:
    return (
        (~Q(sender_name="") & ~Q(sender_name=ANONYMISED_NAME))
        | ~Q(sender_phone="")
        | ~Q(sender_email="")
        | ~Q(sender_address="")
        | ~Q(sender_id_number="")
        | Q(has_files=True)
    )


def items_anonymise_expired(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Blank the personal data of one batch of expired items; returns how many. Idempotent:
    an item already blanked is not counted again. Files are deleted after the commit, so a
    rolled-back batch never loses one."""
    days = settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS
    if not days:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        ids = list(
            Item.objects.annotate(has_files=Exists(Attachment.objects.filter(item=OuterRef("pk"))))
            .filter(_expired(cutoff))
            .filter(_still_personal())
            .order_by("pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return 0
        Item.objects.filter(pk__in=ids).exclude(sender_name="").update(sender_name=ANONYMISED_NAME)
        Item.objects.filter(pk__in=ids).update(
            sender_phone="", sender_email="", sender_address="", sender_id_number=""
        )
        files = list(Attachment.objects.filter(item_id__in=ids).values_list("file", flat=True))
        Attachment.objects.filter(item_id__in=ids).delete()
        Notification.objects.filter(
            object_type="feedback", object_id__in=[str(i) for i in ids]
        ).update(recipient="")
        audit_log_write(
            actor=None,
            action="feedback.anonymise",
            object_type="feedback.item",
            object_id=f"{ids[0]}..{ids[-1]}",
            data={"count": len(ids), "files": len(files), "retention_days": days},
        )
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files if name])
    return len(ids)
