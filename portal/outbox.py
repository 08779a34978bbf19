"""Writing to and sending from the notification outbox."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal import sms
from portal.models import Notification

MAX_ATTEMPTS = 5
logger = logging.getLogger(__name__)


def notifications_enqueue(*, messages: list[dict]) -> list[int]:
    """Add messages to the outbox inside the caller's transaction, in one statement, and hand
    them to the workers once after commit. Each message is a dict with ``channel``,
    ``recipient``, ``body``, ``dedupe_key`` and optionally ``subject``, ``object_type``,
    ``object_id``. Messages without a recipient are skipped; a ``dedupe_key`` already in the
    outbox is not queued again. Returns the ids of the messages queued now."""
    rows = [
        Notification(
            channel=m["channel"],
            recipient=m["recipient"],
            subject=m.get("subject", "")[:200],
            body=m["body"],
            dedupe_key=m["dedupe_key"],
            object_type=m.get("object_type", ""),
            object_id=str(m.get("object_id", "")),
        )
        for m in messages
        if m.get("recipient")
    ]
    if not rows:
        return []
    keys = [r.dedupe_key for r in rows]
    before = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(dedupe_key__in=set(keys) - before, status="pending")
        .order_by("id")
        .values_list("id", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: _dispatch(ids))
    return ids


def notify_contact(
    *,
    email: str,
    phone: str,
    subject: str,
    body: str,
    dedupe_prefix: str,
    object_type: str,
    object_id,
) -> list[int]:
    """The same message to a citizen's email and phone, whichever they gave; deduplicated
    per channel as ``{dedupe_prefix}:{channel}``."""
    return notifications_enqueue(
        messages=[
            {
                "channel": channel,
                "recipient": recipient,
                "subject": subject,
                "body": body,
                "dedupe_key": f"{dedupe_prefix}:{channel}",
                "object_type": object_type,
                "object_id": object_id,
            }
            for channel, recipient in (
                (Notification.Channel.EMAIL, email),
                (Notification.Channel.SMS, phone),
            )
        ]
    )


def notification_enqueue(**message) -> int | None:
    """One message (see ``notifications_enqueue``); its id, or None when not queued."""
    ids = notifications_enqueue(messages=[message])
    return ids[0] if ids else None


def _dispatch(ids: list[int]) -> None:
    """Hand messages to the workers after commit, without waiting on the broker (short
    timeouts, no retry: ``portal.broker.publish``); if that fails they stay pending and the
    next ``flush_outbox`` (every minute) queues them. The outbox row is the promise."""
    from portal import broker
    from portal.tasks import send_notifications

    try:
        sent = broker.publish(send_notifications, args=(ids,))
    except Exception:  # an eager run's error, too, must not fail the request that made the change
        logger.exception("notifications %s left pending for the next outbox flush", ids)
        return
    if not sent:
        logger.warning("notifications %s left pending for the next outbox flush", ids)


def notification_send(*, notification_id: int) -> bool:
    """Send one message unless it was sent already. The row lock keeps two workers from sending
    it at once; an error leaves it pending for a retry and re-raises."""
    error = None
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if note is None:
            return False
        note.attempts += 1
        try:
            if note.channel == Notification.Channel.EMAIL:
                send_mail(note.subject, note.body, None, [note.recipient])
            else:
                sms.get_backend().send(phone=note.recipient, text=note.body)
        except Exception as exc:  # the gateway's own errors vary; all mean "try again later"
            error = exc
            note.last_error = str(exc)[:500]
            if note.attempts >= MAX_ATTEMPTS:
                note.status = Notification.Status.FAILED
            note.save(update_fields=["attempts", "last_error", "status"])
        else:
            note.status = Notification.Status.SENT
            note.sent_at = timezone.now()
            note.save(update_fields=["attempts", "status", "sent_at"])
    if error is not None:
        raise error
    return True


def pending_notification_ids(*, limit: int = 500) -> list[int]:
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
