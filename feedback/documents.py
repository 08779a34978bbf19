"""The reply letter (R-FB-2): a reply's text as an official letter, PDF.

The letter is rendered from the append-only ``Reply`` row whenever it is asked for (the row
never changes, so neither does the letter), through ``portal.pdf`` (the shipped fonts only, no
network). The layout is the one of the dossier forms (``dossiers/pdf/base.html``); the wording is
Vietnamese-only, like every official form. Callers check who may read it: staff through
``feedback.exports`` (audited), the sender through the tracking page (code and PIN).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from feedback.models import Item, Reply
from feedback.notifications import tracking_url
from feedback.tracking import tracking_link
from portal.pdf import qr_data_uri, render_pdf_template

KIND_VI = {
    "feedback": "phản ánh, kiến nghị",
    "suggestion": "góp ý",
    "conduct": "phản ánh về thái độ, tác phong của cán bộ",
    "complaint": "đơn khiếu nại",
    "denunciation": "đơn tố cáo",
}
CHANNEL_VI = {
    "web": "Cổng thông tin điện tử",
    "kiosk": "máy tra cứu tại Bộ phận một cửa",
    "hotline": "đường dây nóng",
    "letter": "đường bưu chính",
    "email": "thư điện tử",
    "in_person": "trực tiếp tại Bộ phận một cửa",
}


def _person(user) -> str:
    name = f"{user.last_name} {user.first_name}".strip() if user else ""
    return name or (user.get_username() if user else "")


def reply_letter_context(reply: Reply) -> dict:
    item = Item.objects.select_related("unit__parent").get(pk=reply.item_id)
    unit = reply.unit
    parent = unit.parent if unit.parent_id else None
    body = f"Ủy ban nhân dân {unit.name}"
    addressee_short = "Ông/Bà" if item.sender_name else "Quý Ông/Bà"
    return {
        "item": item,
        "reply": reply,
        "form": {"number": None, "circular": ""},
        "issuer_parent": f"Ủy ban nhân dân {parent.name}" if parent else "",
        "issuer": body,
        "body": body,
        "place": unit.name,
        "issued_at": reply.replied_at,
        "reply_number": f"{item.register_number}.{reply.number}/TL",
        "kind_vi": KIND_VI[item.kind],
        "channel_vi": CHANNEL_VI[item.channel],
        "addressee": f"Ông/Bà {item.sender_name}" if item.sender_name else "Người gửi",
        "addressee_short": addressee_short,
        "signer": _person(reply.replied_by),
        "reopen_days": settings.FEEDBACK_REOPEN_DAYS,
        "tracking_url": tracking_url(),
    }


def reply_letter_pdf(*, reply: Reply) -> bytes:
    """The reply letter of ``reply`` as PDF bytes (A4)."""
    return render_pdf_template(
        "feedback/pdf/reply_letter.html", reply_letter_context(reply), language="vi"
    )


def reply_letter_preview_pdf(
    *, item: Item, text: str, user, at: dt.datetime | None = None
) -> bytes:
    """The letter ``text`` would make if ``user`` answered ``item`` now, marked as a draft
    (the reply editor's preview). Nothing is saved; the text is escaped like a real answer."""
    draft = Reply(
        item_id=item.pk,
        number=item.replies.count() + 1,
        text=text,
        replied_at=at or timezone.now(),
        replied_by=user,
        unit=item.unit,
        on_time=True,
    )
    context = reply_letter_context(draft)
    context["preview"] = True
    return render_pdf_template("feedback/pdf/reply_letter.html", context, language="vi")


def receipt_context(item_id: int, pin: str | None) -> dict:
    item = Item.objects.select_related("intake_unit__parent", "desk", "received_by").get(pk=item_id)
    unit = item.intake_unit  # the receipt is the receiving unit's, wherever the item went
    parent = unit.parent if unit.parent_id else None
    return {
        "item": item,
        "form": {"number": None, "circular": ""},
        "issuer_parent": f"Ủy ban nhân dân {parent.name}" if parent else "",
        "issuer": f"Ủy ban nhân dân {unit.name}",
        "place": unit.name,
        "issued_at": item.received_at,
        "kind_vi": KIND_VI[item.kind],
        "channel_vi": CHANNEL_VI[item.channel],
        "receiver": _person(item.received_by) if item.received_by_id else "",
        "pin": pin,
        "tracking_url": tracking_url(),
        "qr": qr_data_uri(tracking_link(item)),
        "desk": item.desk,
    }


def receipt_pdf(*, item_id: int, pin: str | None = None) -> bytes:
    """The receipt of an item (A5): code, register number, deadline, where to track it and a
    QR link; the PIN on the first print only (``portal.session_pins``)."""
    return render_pdf_template(
        "feedback/pdf/receipt.html", receipt_context(item_id, pin), language="vi"
    )
