"""Default deadline rules and categories, and PostgreSQL triggers that refuse to update or
delete feedback events and replies (they are append-only, like dossier events).

The rules are a copy of ``feedback.deadlines.DEFAULT_RULES`` as of this migration (a migration
must not depend on code that changes later); ``rules_ensure_defaults`` restores them after a
flush."""

import datetime as dt

from django.db import migrations

COMMON = {"transfer_days": 5, "accept_counting": "working"}
RULES = [
    {
        "code": "feedback-2014",
        "kind": "feedback",
        "effective_from": dt.date(2014, 7, 1),
        "legal_basis": (
            "Nghị định 20/2008/NĐ-CP Điều 9 (chuyển trong 5 ngày làm việc); "
            "Luật Tiếp công dân 2013 Điều 28 (trả lời trong 10 ngày làm việc)"
        ),
        "verified": False,
        "identity_required": False,
        "reply_days": 10,
        "reply_days_extended": 20,
        "reply_counting": "working",
    },
    {
        "code": "suggestion-2014",
        "kind": "suggestion",
        "effective_from": dt.date(2014, 7, 1),
        "legal_basis": "Nghị định 61/2018/NĐ-CP Điều 29 (hộp thư góp ý, đánh giá)",
        "verified": True,
        "identity_required": False,
        "reply_days": None,
        "reply_counting": "working",
    },
    {
        "code": "conduct-2014",
        "kind": "conduct",
        "effective_from": dt.date(2014, 7, 1),
        "legal_basis": (
            "Nghị định 20/2008/NĐ-CP Điều 9.1.d(b); Nghị định 61/2018/NĐ-CP Điều 6, 8; "
            "Luật Tiếp công dân 2013 Điều 28"
        ),
        "verified": False,
        "identity_required": True,
        "reply_days": 10,
        "reply_days_extended": 20,
        "reply_counting": "working",
    },
    {
        "code": "complaint-2012",
        "kind": "complaint",
        "effective_from": dt.date(2012, 7, 1),
        "legal_basis": (
            "Luật Khiếu nại 2011 Điều 27, 28; Thông tư 07/2013/TT-TTCP Điều 5 "
            "(thụ lý trong 10 ngày làm việc)"
        ),
        "verified": True,
        "identity_required": True,
        "accept_days": 10,
        "reply_days": 30,
        "reply_days_extended": 45,
        "reply_days_remote": 45,
        "reply_days_remote_extended": 60,
        "reply_counting": "calendar",
    },
    {
        "code": "complaint-2026-07",
        "kind": "complaint",
        "effective_from": dt.date(2026, 7, 1),
        "legal_basis": (
            "Luật Khiếu nại 2011 Điều 28; Nghị định 124/2020/NĐ-CP Điều 16.1 sửa đổi bởi "
            "Nghị định 155/2026/NĐ-CP (thụ lý trong 7 ngày làm việc)"
        ),
        "verified": False,
        "identity_required": True,
        "accept_days": 7,
        "reply_days": 30,
        "reply_days_extended": 45,
        "reply_days_remote": 45,
        "reply_days_remote_extended": 60,
        "reply_counting": "calendar",
    },
    {
        "code": "denunciation-2019",
        "kind": "denunciation",
        "effective_from": dt.date(2019, 1, 1),
        "legal_basis": "Luật Tố cáo 2018 Điều 24.2 (chuyển trong 5 ngày làm việc), Điều 23, 25",
        "verified": True,
        "identity_required": True,
        "reply_days": None,
        "reply_counting": "working",
    },
]

CATEGORIES = [
    ("thu-tuc", "Thủ tục hành chính, quy định", 1),
    ("thoi-gian", "Thời gian giải quyết, trễ hẹn", 2),
    ("thai-do", "Thái độ, tác phong cán bộ", 3),
    ("phi-le-phi", "Phí, lệ phí, chi phí ngoài quy định", 4),
    ("truc-tuyen", "Dịch vụ công trực tuyến", 5),
    ("co-so-vat-chat", "Cơ sở vật chất tại Bộ phận một cửa", 6),
    ("ket-qua", "Kết quả giải quyết", 7),
    ("khac", "Khác", 99),
]

TRIGGER = """
CREATE OR REPLACE FUNCTION feedback_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'feedback events and replies are append-only (R-FB-2)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER feedback_event_no_update_delete
    BEFORE UPDATE OR DELETE ON feedback_event
    FOR EACH ROW EXECUTE FUNCTION feedback_append_only();
CREATE TRIGGER feedback_reply_no_update_delete
    BEFORE UPDATE OR DELETE ON feedback_reply
    FOR EACH ROW EXECUTE FUNCTION feedback_append_only();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS feedback_event_no_update_delete ON feedback_event;
DROP TRIGGER IF EXISTS feedback_reply_no_update_delete ON feedback_reply;
DROP FUNCTION IF EXISTS feedback_append_only();
"""


def add_reference_data(apps, schema_editor):
    DeadlineRule = apps.get_model("feedback", "DeadlineRule")
    Category = apps.get_model("feedback", "Category")
    for row in RULES:
        DeadlineRule.objects.update_or_create(code=row["code"], defaults={**COMMON, **row})
    for code, name, order in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [
        migrations.RunPython(add_reference_data, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
