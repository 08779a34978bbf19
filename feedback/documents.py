"""The reply letter (R-FB-2): a reply's text as an official letter, PDF.

The letter is rendered from the append-only ``Reply`` row whenever it is asked for (the row
never changes, so neither does the letter), through ``portal.pdf`` (the shipped fonts only, no
network). The layout is the one of the dossier forms (``dossiers/pdf/base.html``); the wording is
Vietnamese-only, like every official form. Callers check who may read it: staff through
``feedback.exports`` (audited), the sender through the tracking page (code and PIN).
"""

from __future__ import annotations

from django.conf import settings

from feedback.models import Item, Reply
from feedback.notifications import tracking_url
from portal.pdf import render_pdf_template

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
