"""Writing to and sending from the notification outbox."""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import sms
from portal.models import Notification

MAX_ATTEMPTS = 5
logger = logging.getLogger(__name__)


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    dedupe_key: str,
    subject: str = "",
    object_type: str = "",
    object_id: str = "",
) -> Notification | None:
    """Add a message to the outbox inside the caller's transaction and send it after commit.
    Returns None when a message with the same ``dedupe_key`` exists already."""
    if not recipient:
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                channel=channel,
                recipient=recipient,
                subject=subject[:200],
                body=body,
                dedupe_key=dedupe_key,
                object_type=object_type,
                object_id=str(object_id),
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _dispatch(note.pk))
    return note


def _dispatch(notification_id: int) -> None:
    """Hand a message to the workers; if that fails it stays pending for ``flush_outbox``."""
    from portal.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception:  # a broker outage must not fail the request that made the change
        logger.warning("notification %s left pending for the next outbox flush", notification_id)


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
