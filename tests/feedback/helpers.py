"""Helpers shared by the feedback tests."""

from feedback.models import Attachment, Event, Extension, Item, Publication, Reply
from portal.models import AuditLog, Counter, Notification


def database_snapshot():
    """Row counts of everything a feedback write touches, and the counters, to show that a
    refused request changed nothing."""
    models = (Item, Event, Reply, Attachment, Extension, Publication, Notification, AuditLog)
    counters = {c.key: c.value for c in Counter.objects.all()}
    return {m.__name__: m.objects.count() for m in models} | {"counters": counters}


def item_state(item):
    fresh = Item.objects.get(pk=item.pk)
    return {f.name: getattr(fresh, f.attname) for f in Item._meta.concrete_fields}


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


SENDER = {
    "name": "Nguyễn Văn An",
    "phone": "0912 345 678",
    "email": "an.nguyen@example.test",
    "address": "12 Phúc Xá, Ba Đình, Hà Nội",
    "id_number": "001085012345",
}

BODY = "Cán bộ tiếp nhận hẹn trả kết quả nhưng đến nay chưa có kết quả."
