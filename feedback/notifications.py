"""Messages to the sender, written to the outbox in the transaction of the change and sent
after it commits (``portal.outbox``): on receipt, transfer, extension, rejection and answer.

Texts are Vietnamese, the language of the citizens served. They carry the tracking code, never
the PIN; each is deduplicated per item and event, so a retried request never sends it twice.
An anonymous sender (no phone, no email) gets nothing.
"""

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from portal.models import Notification
from portal.outbox import notifications_enqueue


def _send(item, event: str, subject: str, body: str, *, sms: str | None = None) -> list[int]:
    """The message by email and SMS, whichever the sender gave; ``sms`` replaces a long body
    in the text message."""
    prefix = f"feedback:{item.pk}:{event}"
    return notifications_enqueue(
        messages=[
            {
                "channel": channel,
                "recipient": recipient,
                "subject": subject,
                "body": text,
                "dedupe_key": f"{prefix}:{channel}",
                "object_type": "feedback",
                "object_id": item.pk,
            }
            for channel, recipient, text in (
                (Notification.Channel.EMAIL, item.sender_email, body),
                (Notification.Channel.SMS, item.sender_phone, sms or body),
            )
        ]
    )


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y")


def tracking_url() -> str:
    return f"{settings.PORTAL_PUBLIC_URL.rstrip('/')}/phan-anh/tra-cuu/"


def item_received(item) -> None:
    with translation.override("vi"):
        due = (
            _(" It will be answered by %(due)s.") % {"due": _day(item.reply_due_at)}
            if item.reply_due_at
            else ""
        )
        _send(
            item,
            "received",
            _("Your feedback %(code)s was received") % {"code": item.code},
            _(
                "Your %(kind)s was received under code %(code)s.%(due)s Track it at %(url)s "
                "with the PIN you were given."
            )
            % {
                "kind": item.get_kind_display().lower(),
                "code": item.code,
                "due": due,
                "url": tracking_url(),
            },
        )


def item_transferred(item, event_id: int) -> None:
    with translation.override("vi"):
        to = item.transferred_to_unit.name if item.transferred_to_unit else item.transferred_to_body
        _send(
            item,
            f"transferred:{event_id}",
            _("Your feedback %(code)s was transferred") % {"code": item.code},
            _(
                "Your %(kind)s %(code)s is handled by %(to)s, the competent body, to which it "
                "was transferred on %(day)s."
            )
            % {
                "kind": item.get_kind_display().lower(),
                "code": item.code,
                "to": to,
                "day": _day(item.transferred_at),
            },
        )


def item_extended(item, extension) -> None:
    with translation.override("vi"):
        new = (
            _(" New deadline: %(due)s.") % {"due": _day(extension.new_due_at)}
            if extension.new_due_at
            else ""
        )
        _send(
            item,
            "extended",
            _("More time is needed for %(code)s") % {"code": item.code},
            _("The answer to %(code)s needs more time. Reason: %(reason)s.%(new)s")
            % {"code": item.code, "reason": extension.reason, "new": new},
        )


def item_rejected(item) -> None:
    with translation.override("vi"):
        _send(
            item,
            "rejected",
            _("Your feedback %(code)s cannot be handled here") % {"code": item.code},
            _("Your %(kind)s %(code)s cannot be handled here. Reason: %(reason)s")
            % {
                "kind": item.get_kind_display().lower(),
                "code": item.code,
                "reason": item.rejected_reason,
            },
        )


def item_answered(item, reply) -> None:
    with translation.override("vi"):
        _send(
            item,
            f"reply:{reply.number}",
            _("Answer to your feedback %(code)s") % {"code": item.code},
            _(
                "Answer to %(code)s from %(unit)s:\n\n%(text)s\n\nThe signed letter can be "
                "read at %(url)s with your code and PIN."
            )
            % {
                "code": item.code,
                "unit": reply.unit.name,
                "text": reply.text,
                "url": tracking_url(),
            },
            sms=_(
                "%(unit)s has answered %(code)s in writing. Read the answer at %(url)s with your "
                "code and PIN."
            )
            % {"code": item.code, "unit": reply.unit.name, "url": tracking_url()},
        )
