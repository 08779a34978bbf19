"""What the sender may look up with the tracking code and PIN (R-FB-1, R-PRIV-1).

The same rules as the dossiers' tracking page (``dossiers.tracking``): an unknown code and a
wrong PIN give the same answer after the same work (one query and one keyed hash each), and the
public view is a plain dataclass built from named columns, so a template or serializer cannot
reach the sender's phone, address or ID number, nor staff notes, by mistake. It shows the
status in plain words, the dates, where the item went and the written answers (addressed to the
sender, who holds the PIN); the sender's name masked; the timeline as kinds and times only.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import OPEN_STATUSES, Event, EventKind, Item, Kind, Reply, Status
from feedback.notifications import tracking_url
from feedback.services import PUBLIC_EVENTS
from portal import codes
from portal.exceptions import DomainError

_NO_ITEM_HASH = "0" * 64

STATUS_WORDING = {
    Status.RECEIVED: _("Your item has been logged; it will be assigned to an officer shortly."),
    Status.ASSIGNED: _("An officer has been assigned to your item."),
    Status.IN_PROGRESS: _("Your item is being handled."),
    Status.TRANSFERRED: _(
        "Your item was transferred to the competent body, which handles it from now on."
    ),
    Status.ANSWERED: _(
        "A written answer has been given (below). If you disagree, you may dispute it."
    ),
    Status.CLOSED: _("Your item is closed."),
    Status.REJECTED: _("Your item cannot be handled here; the reason is given below."),
}


class TrackingNotFound(DomainError):
    """One answer for an unknown code and a wrong PIN."""

    code = "not_found"
    status_code = 404
    default_message = _("No item matches this code and PIN. Check both and try again.")


def normalise_code(code: str) -> str:
    """Codes are typed by hand: surrounding spaces and letter case do not matter (and one
    rate-limit bucket per code follows from it)."""
    return (code or "").strip().upper()


# --- the QR link on the receipt ----------------------------------------------------------
# Like the dossiers' (``dossiers/tracking/tokens.py``): the link carries the item's id signed
# with the secret key and a timestamp, nothing else (no code, no PIN, no name: R-PRIV-1). It is
# a bearer link, as the receipt it is printed on also carries the PIN.
QR_SALT = "feedback.tracking"  # never change it: printed receipts carry links signed with it


def make_tracking_token(item) -> str:
    return signing.dumps(int(item.pk), salt=QR_SALT, compress=False)


def item_id_from_token(token: str) -> int | None:
    """The item id in a valid, unexpired token (``TRACKING_TOKEN_MAX_AGE_DAYS``), else None."""
    try:
        value = signing.loads(
            token,
            salt=QR_SALT,
            max_age=dt.timedelta(days=settings.TRACKING_TOKEN_MAX_AGE_DAYS),
        )
    except signing.BadSignature:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def tracking_link(item) -> str:
    """The public address the QR code of the item's receipt points to."""
    return f"{tracking_url()}t/{make_tracking_token(item)}/"


def item_by_code_and_pin(*, code: str, pin: str) -> Item | None:
    """The item with this code when the PIN matches, else ``None`` (the same for an unknown
    code and a wrong PIN, after the same work)."""
    code = normalise_code(code)
    item = Item.objects.filter(code=code).only("pk", "code", "pin_hash").first()
    if item is None:
        hmac.compare_digest(_NO_ITEM_HASH, codes.pin_hash(code=code, pin=(pin or "").strip()))
        return None
    return item if codes.pin_matches(stored_hash=item.pin_hash, code=code, pin=pin or "") else None


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicReply:
    number: int
    text: str
    replied_at: dt.datetime
    unit: str


@dataclass(frozen=True)
class PublicItem:
    """Everything the sender's tracking page shows, and nothing else."""

    id: int
    code: str
    kind: str
    kind_label: str
    sender: str
    status: str
    status_label: str
    status_wording: str
    is_overdue: bool
    received_at: dt.datetime
    reply_due_at: dt.datetime | None
    unit: str
    transferred_to: str
    rejected_reason: str
    can_dispute: bool
    replies: list[PublicReply] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


_COLUMNS = (
    "pk",
    "code",
    "kind",
    "sender_name",
    "status",
    "received_at",
    "reply_due_at",
    "due_at",
    "replied_at",
    "unit__name",
    "transferred_to_unit__name",
    "transferred_to_body",
    "rejected_reason",
)


def public_view(*, item_id: int, now: dt.datetime | None = None) -> PublicItem | None:
    """The sender's view of an item, or ``None``: three queries (the item, its replies, its
    public events)."""
    row = Item.objects.filter(pk=item_id).values(*_COLUMNS).first()
    if row is None:
        return None
    now = now or timezone.now()
    from feedback.services import within_reopen_window

    status = Status(row["status"])
    replies = Reply.objects.filter(item_id=item_id).order_by("number")
    events = (
        Event.objects.filter(item_id=item_id, kind__in=PUBLIC_EVENTS)
        .order_by("at", "id")
        .values_list("kind", "at")
    )
    probe = Item(replied_at=row["replied_at"])
    return PublicItem(
        id=row["pk"],
        code=row["code"],
        kind=row["kind"],
        kind_label=str(Kind(row["kind"]).label),
        sender=Item(sender_name=row["sender_name"]).masked_sender_name,
        status=status,
        status_label=str(status.label),
        status_wording=str(STATUS_WORDING[status]),
        is_overdue=status in OPEN_STATUSES and row["due_at"] is not None and row["due_at"] < now,
        received_at=row["received_at"],
        reply_due_at=row["reply_due_at"],
        unit=row["unit__name"],
        transferred_to=row["transferred_to_unit__name"] or row["transferred_to_body"] or "",
        rejected_reason=row["rejected_reason"] if status == Status.REJECTED else "",
        can_dispute=status in (Status.ANSWERED, Status.CLOSED)
        and row["kind"] != Kind.DENUNCIATION
        and within_reopen_window(probe, now),
        replies=[
            PublicReply(number=r.number, text=r.text, replied_at=r.replied_at, unit=r.unit.name)
            for r in replies.select_related("unit")
        ],
        timeline=[TimelineEntry(label=str(EventKind(k).label), at=at) for k, at in events],
    )


def reply_for_sender(*, item_id: int, number: int) -> Reply | None:
    """A reply of the item (found by code and PIN first), for the sender to download its
    letter (``feedback.documents.reply_letter_pdf``)."""
    return (
        Reply.objects.select_related("unit", "replied_by")
        .filter(item_id=item_id, number=number)
        .first()
    )
