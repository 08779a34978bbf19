"""Deadlines of feedback items (R-FB-2, R-DUE-1..3, ``../shared/FEEDBACK_LAW.md`` §4.2–4.3).

The numbers live in ``DeadlineRule`` rows, one per kind and effective date; an item keeps the
rule of its kind in force on its receipt date. This module finds that rule and turns "N days
from a moment" into a due moment:

- the day of receipt is not counted, and a receipt after the desk's closing hour or on a day
  off counts from the next working day (R-DUE-3);
- working days skip weekends, holidays and days off of the working calendar (R-DUE-1, R-DUE-2);
- calendar days count every day; when the last one is not a working day the period ends on
  the next working day (Civil Code 2015 Art. 148.5);
- the due moment is the desk's closing hour on the due date (R-DUE-4).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from feedback.models import DayCounting, DeadlineRule, Kind
from portal.exceptions import DomainError
from portal.working_calendar import DeskHours, WorkingCalendar

# The portal's defaults, also written by migration 0002. Sources and what is unconfirmed:
# docs/feedback.md and FEEDBACK_LAW.md. Numbers that are portal choices, not law, are
# ``verified=False``.
DEFAULT_RULES = [
    {
        "code": "feedback-2014",
        "kind": Kind.FEEDBACK,
        "effective_from": dt.date(2014, 7, 1),
        "legal_basis": (
            "Nghị định 20/2008/NĐ-CP Điều 9 (chuyển trong 5 ngày làm việc); "
            "Luật Tiếp công dân 2013 Điều 28 (trả lời trong 10 ngày làm việc)"
        ),
        "verified": False,
        "notes": (
            "Decree 20/2008 sets no reply deadline; 10 working days is the Law on Citizen "
            "Reception's answer time, used until the province sets its own. The extension to "
            "20 working days is a portal default."
        ),
        "identity_required": False,
        "transfer_days": 5,
        "reply_days": 10,
        "reply_days_extended": 20,
        "reply_counting": DayCounting.WORKING,
    },
    {
        "code": "suggestion-2014",
        "kind": Kind.SUGGESTION,
        "effective_from": dt.date(2014, 7, 1),
        "legal_basis": "Nghị định 61/2018/NĐ-CP Điều 29 (hộp thư góp ý, đánh giá)",
        "verified": True,
        "notes": "Suggestions (góp ý) have no reply deadline (FEEDBACK_LAW.md §4.1).",
        "identity_required": False,
        "transfer_days": 5,
        "reply_days": None,
        "reply_counting": DayCounting.WORKING,
    },
    {
        "code": "conduct-2014",
        "kind": Kind.CONDUCT,
        "effective_from": dt.date(2014, 7, 1),
        "legal_basis": (
            "Nghị định 20/2008/NĐ-CP Điều 9.1.d(b); Nghị định 61/2018/NĐ-CP Điều 6, 8; "
            "Luật Tiếp công dân 2013 Điều 28"
        ),
        "verified": False,
        "notes": (
            "Feedback on staff conduct: answered within 10 working days (Law on Citizen "
            "Reception Art. 28), extension to 20 a portal default; the sender's identity is "
            "required so the staff member's side can be heard."
        ),
        "identity_required": True,
        "transfer_days": 5,
        "reply_days": 10,
        "reply_days_extended": 20,
        "reply_counting": DayCounting.WORKING,
    },
    {
        "code": "complaint-2012",
        "kind": Kind.COMPLAINT,
        "effective_from": dt.date(2012, 7, 1),
        "legal_basis": (
            "Luật Khiếu nại 2011 Điều 27, 28; Thông tư 07/2013/TT-TTCP Điều 5 "
            "(thụ lý trong 10 ngày làm việc)"
        ),
        "verified": True,
        "notes": (
            "Settlement 30 days from acceptance, 45 if complex; remote areas 45 / 60. The law "
            "says only “days”: counted as calendar days until confirmed (FEEDBACK_LAW.md §4.3)."
        ),
        "identity_required": True,
        "transfer_days": 5,
        "accept_days": 10,
        "accept_counting": DayCounting.WORKING,
        "reply_days": 30,
        "reply_days_extended": 45,
        "reply_days_remote": 45,
        "reply_days_remote_extended": 60,
        "reply_counting": DayCounting.CALENDAR,
    },
    {
        "code": "complaint-2026-07",
        "kind": Kind.COMPLAINT,
        "effective_from": dt.date(2026, 7, 1),
        "legal_basis": (
            "Luật Khiếu nại 2011 Điều 28; Nghị định 124/2020/NĐ-CP Điều 16.1 sửa đổi bởi "
            "Nghị định 155/2026/NĐ-CP (thụ lý trong 7 ngày làm việc)"
        ),
        "verified": False,
        "notes": (
            "Acceptance within 7 working days from 1 July 2026 comes from one OCR transcription "
            "of Decree 155/2026 (FEEDBACK_LAW.md §3 item 4): check it against the official text."
        ),
        "identity_required": True,
        "transfer_days": 5,
        "accept_days": 7,
        "accept_counting": DayCounting.WORKING,
        "reply_days": 30,
        "reply_days_extended": 45,
        "reply_days_remote": 45,
        "reply_days_remote_extended": 60,
        "reply_counting": DayCounting.CALENDAR,
    },
    {
        "code": "denunciation-2019",
        "kind": Kind.DENUNCIATION,
        "effective_from": dt.date(2019, 1, 1),
        "legal_basis": "Luật Tố cáo 2018 Điều 24.2 (chuyển trong 5 ngày làm việc), Điều 23, 25",
        "verified": True,
        "notes": "Denunciations are only routed: no answer here, transfer within 5 working days.",
        "identity_required": True,
        "transfer_days": 5,
        "reply_days": None,
        "reply_counting": DayCounting.WORKING,
    },
]


def rules_ensure_defaults() -> None:
    """The default rules (also written by migration 0002), recreated when no rule matches,
    e.g. after a database flush, so reference data cannot silently go missing."""
    for row in DEFAULT_RULES:
        DeadlineRule.objects.get_or_create(code=row["code"], defaults=row)


def _latest(kind: str, day: dt.date) -> DeadlineRule | None:
    return (
        DeadlineRule.objects.filter(kind=kind, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def rule_in_force(*, kind: str, day: dt.date) -> DeadlineRule:
    """The rule of ``kind`` in force on ``day`` (an item's receipt date)."""
    rule = _latest(kind, day)
    if rule is None:
        if not DeadlineRule.objects.filter(kind=kind).exists():
            rules_ensure_defaults()  # idempotent: concurrent callers end with the same rows
        # Read again either way: another transaction may have committed the defaults between
        # the two reads above (seen in CI: parallel submissions after a database flush).
        rule = _latest(kind, day)
    if rule is None:
        raise DomainError(
            _("No deadline rule for “%(kind)s” is in force on %(day)s.")
            % {"kind": Kind(kind).label, "day": day.strftime("%d/%m/%Y")}
        )
    return rule


def counted_from(*, received_at: dt.datetime, hours: DeskHours, cal: WorkingCalendar) -> dt.date:
    """R-DUE-3: the day an item counts as received (a late or day-off receipt: the next
    working day). Deadlines count from the day after it."""
    return cal.effective_receipt_date(received_at, hours)


def due_date(*, start: dt.date, days: int, counting: str, cal: WorkingCalendar) -> dt.date:
    """The last day of a period of ``days`` counted after ``start`` (not counting ``start``)."""
    if counting == DayCounting.WORKING:
        return cal.add_working_days(start, days)
    day = start + dt.timedelta(days=days)
    if not cal.is_working_day(day):  # Civil Code Art. 148.5
        day = cal.next_working_day(day)
    return day


def due_moment(
    *, start: dt.date, days: int | None, counting: str, hours: DeskHours, cal: WorkingCalendar
) -> dt.datetime | None:
    """The end of the desk's working day on the due date (R-DUE-4); ``None`` without a
    number of days (no such deadline)."""
    if days is None:
        return None
    return cal.at(due_date(start=start, days=days, counting=counting, cal=cal), hours.closes_at)
