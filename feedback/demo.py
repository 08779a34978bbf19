"""Demo data for feedback and complaints: about a year of items at the demo desks.

DEMO DATA: senders, texts and answers are invented. Items are made through the real services
(codes, register numbers, deadlines, events, replies, publications are exactly what production
would hold) with a seeded random generator and a fixed "now" per run, so the same seed on the
same day gives the same data. Units that already have demo items are skipped, so a second run
adds nothing. Only units that exist today get items (the legacy tree has no staff for new work).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from dossiers.selectors import dossier_codes_recent
from feedback import services
from feedback.models import Category, Finding, Item, Kind
from portal.models import Membership, Role
from portal.working_calendar import DeskHours, get_calendar

KINDS = [
    (Kind.FEEDBACK, 40),
    (Kind.SUGGESTION, 20),
    (Kind.CONDUCT, 15),
    (Kind.COMPLAINT, 15),
    (Kind.DENUNCIATION, 10),
]
CHANNELS = [
    ("web", 40),
    ("kiosk", 15),
    ("hotline", 20),
    ("letter", 10),
    ("email", 10),
    ("in_person", 5),
]
TEXTS = {
    Kind.FEEDBACK: [
        (
            "thoi-gian",
            "Hồ sơ trễ hẹn",
            "Hồ sơ của tôi đã quá ngày hẹn trả kết quả nhưng chưa được "
            "thông báo lý do. Đề nghị Bộ phận một cửa kiểm tra và trả lời.",
        ),
        (
            "thu-tuc",
            "Thành phần hồ sơ",
            "Cán bộ yêu cầu nộp thêm bản sao giấy tờ không có trong "
            "danh mục thủ tục đã công khai. Đề nghị hướng dẫn rõ thành phần hồ sơ.",
        ),
        (
            "truc-tuyen",
            "Dịch vụ công trực tuyến",
            "Tôi không nộp được hồ sơ trực tuyến vì trang "
            "báo lỗi khi tải tệp đính kèm. Đề nghị khắc phục.",
        ),
    ],
    Kind.SUGGESTION: [
        (
            "co-so-vat-chat",
            "Ghế chờ",
            "Đề nghị bố trí thêm ghế chờ và quạt tại khu vực tiếp nhận hồ sơ vào buổi sáng.",
        ),
        (
            "truc-tuyen",
            "Nhắn tin khi có kết quả",
            "Đề nghị gửi tin nhắn khi hồ sơ có kết quả để người dân không phải đến hỏi nhiều lần.",
        ),
        ("khac", "Giờ làm việc", "Đề nghị mở cửa tiếp nhận hồ sơ vào sáng thứ Bảy."),
    ],
    Kind.CONDUCT: [
        (
            "thai-do",
            "Thái độ cán bộ",
            "Cán bộ tại quầy số 2 trả lời thiếu tôn trọng khi tôi hỏi "
            "về thời hạn giải quyết hồ sơ.",
        ),
        (
            "phi-le-phi",
            "Chi phí ngoài quy định",
            "Tôi được gợi ý nộp thêm tiền để hồ sơ được giải quyết nhanh hơn. Đề nghị làm rõ.",
        ),
    ],
    Kind.COMPLAINT: [
        (
            "ket-qua",
            "Khiếu nại quyết định",
            "Tôi khiếu nại việc từ chối giải quyết hồ sơ đăng ký "
            "hộ kinh doanh vì lý do từ chối không đúng quy định.",
        ),
        (
            "ket-qua",
            "Khiếu nại kết quả",
            "Tôi khiếu nại kết quả xác nhận hợp đồng giao dịch đất "
            "đai vì thông tin diện tích ghi không đúng.",
        ),
    ],
    Kind.DENUNCIATION: [
        (
            "phi-le-phi",
            "Tố cáo nhận tiền",
            "Tôi tố cáo việc một người tự xưng là cán bộ nhận tiền "
            "để làm nhanh hồ sơ cấp giấy chứng nhận.",
        ),
    ],
}
ANSWERS = [
    "Qua kiểm tra, nội dung phản ánh là đúng. Đơn vị đã chấn chỉnh và xin lỗi ông/bà.",
    "Qua kiểm tra, hồ sơ đã được giải quyết đúng quy định; thông tin chi tiết như sau.",
    "Đơn vị tiếp thu ý kiến và sẽ bố trí thực hiện trong quý tới.",
    "Nội dung khiếu nại có cơ sở một phần; đơn vị đã điều chỉnh kết quả giải quyết.",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phong"]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _staff(unit, role):
    m = (
        Membership.objects.filter(unit=unit, role=role)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return m.user if m else None


def _moment(rng, cal, day, hours: DeskHours):
    moment = cal.at(day, hours.opens_at) + dt.timedelta(minutes=rng.randint(0, 9 * 60))
    return moment


def seed_feedback(
    *, desks, count: int = 300, days: int = 365, seed: int = 2026, now: dt.datetime | None = None
) -> int:
    """About ``count`` items over the last ``days`` days spread over the desks' units: every
    channel and kind, most answered (some late, some after an extension), some transferred
    (some late), some rejected, closed or published, the recent ones still open. Returns how
    many items were made."""
    now = now or timezone.now()
    rng = random.Random(seed)
    cal = get_calendar()
    today = cal.local(now).date()
    units = []
    for desk in sorted(desks, key=lambda d: d.unit.path):
        unit = desk.unit
        if unit in units or not unit.is_valid_on(today):
            continue
        if Item.objects.filter(intake_unit=unit, is_demo=True).exists():
            continue
        if _staff(unit, Role.RECEPTIONIST) and _staff(unit, Role.OFFICER):
            units.append(unit)
    if not units:
        return 0
    categories = {c.code: c for c in Category.objects.all()}
    per_unit = max(1, count // len(units))
    made = 0
    for unit in units:
        others = [u for u in units if u.pk != unit.pk and u.tree_id == unit.tree_id]
        staff = {
            "receptionist": _staff(unit, Role.RECEPTIONIST),
            "officer": _staff(unit, Role.OFFICER),
            "leader": _staff(unit, Role.LEADER),
        }
        dossier_codes = dossier_codes_recent(unit=unit)
        ids = []
        for _n in range(per_unit):
            day = today - dt.timedelta(days=rng.randint(0, days))
            item = _one_item(rng, cal, unit, staff, others, categories, dossier_codes, day, now)
            if item is not None:
                ids.append(item.pk)
        Item.objects.filter(pk__in=ids).update(is_demo=True)
        made += len(ids)
    return made


def _sender(rng, kind):
    anonymous = kind in (Kind.FEEDBACK, Kind.SUGGESTION) and rng.random() < 0.3
    if anonymous:
        return {}
    return {
        "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        "address": f"{rng.randint(1, 200)} phố {rng.choice(GIVEN)}",
        "id_number": f"0{rng.randint(10**10, 10**11 - 1)}" if rng.random() < 0.5 else "",
    }


@transaction.atomic
def _one_item(rng, cal, unit, staff, others, categories, dossier_codes, day, now):
    desk = unit.desks.filter(is_active=True).order_by("pk").first()
    hours = DeskHours.of(desk)
    received = _moment(rng, cal, day, hours)
    if received >= now:
        return None
    kind = _pick(rng, KINDS)
    channel = _pick(rng, CHANNELS)
    category_code, subject, body = rng.choice(TEXTS[kind])
    public = channel in ("web", "kiosk")
    item, _pin = services.feedback_submit(
        unit=unit,
        kind=kind,
        channel=channel,
        body=body,
        subject=subject,
        sender=_sender(rng, kind),
        actor=None if public else staff["receptionist"],
        category=categories.get(category_code),
        dossier_code=rng.choice(dossier_codes) if dossier_codes and rng.random() < 0.3 else "",
        staff_member=staff["officer"] if kind == Kind.CONDUCT and rng.random() < 0.5 else None,
        received_at=received,
    )
    # a complaint about the officer goes to the leader (never to the person it is about)
    handler = staff["leader"] if item.staff_member_id == staff["officer"].pk else staff["officer"]
    if handler is None:
        return item
    t = received + dt.timedelta(hours=rng.randint(1, 6))
    if t >= now:
        return item
    services.feedback_assign(item=item, actor=staff["receptionist"], assignee=handler, at=t)
    roll = rng.random()
    # some items go to another body, on time or late (R-FB-2: within 5 working days)
    if kind == Kind.DENUNCIATION or roll < 0.1:
        t = cal.at(
            cal.add_working_days(cal.local(t).date(), rng.choice([1, 2, 3, 4, 7])), dt.time(10)
        )
        if t >= now:
            return item
        if others and rng.random() < 0.6:
            services.feedback_transfer(item=item, actor=handler, to_unit=rng.choice(others), at=t)
        else:
            services.feedback_transfer(
                item=item, actor=handler, to_body="Thanh tra thành phố Hà Nội", at=t
            )
            t += dt.timedelta(days=rng.randint(1, 5))
            if t < now:
                services.feedback_close(item=item, actor=handler, at=t)
        return item
    if roll < 0.14:
        t += dt.timedelta(days=rng.randint(1, 4))
        if t < now:
            services.feedback_reject(
                item=item,
                actor=handler,
                at=t,
                reason="Nội dung không thuộc thẩm quyền giải quyết của đơn vị.",
            )
        return item
    t += dt.timedelta(hours=rng.randint(2, 30))
    if t >= now:
        return item
    services.feedback_start(item=item, actor=handler, at=t)
    item.refresh_from_db()
    if item.reply_due_at is None:  # a suggestion: answered when convenient, or not at all
        if rng.random() < 0.5:
            return item
        due = t + dt.timedelta(days=10)
    else:
        due = item.reply_due_at
    if rng.random() < 0.15 and item.rule.reply_days_extended:
        t += dt.timedelta(hours=rng.randint(1, 48))
        if t >= min(now, due):
            return item
        extension = services.feedback_extend(
            item=item, actor=handler, at=t, reason="Vụ việc phức tạp, cần xác minh tại nhiều nơi."
        )
        due = extension.new_due_at or due
    span = max((due - t).total_seconds(), 3600)
    if rng.random() < 0.1:  # late
        answered = due + dt.timedelta(hours=rng.randint(4, 24 * 8))
    else:
        answered = t + dt.timedelta(seconds=rng.uniform(0.2, 0.95) * span)
    if answered >= now:
        return item
    finding = ""
    if kind in (Kind.CONDUCT, Kind.COMPLAINT):
        finding = rng.choice([Finding.FOUNDED, Finding.PARTLY, Finding.UNFOUNDED])
    services.feedback_reply(
        item=item, actor=handler, at=answered, text=rng.choice(ANSWERS), finding=finding
    )
    t = answered + dt.timedelta(hours=rng.randint(2, 72))
    if t < now and rng.random() < 0.35 and kind != Kind.DENUNCIATION:
        services.feedback_publish(item=item, actor=handler, at=t)
        t += dt.timedelta(minutes=10)
    if t < now and rng.random() < 0.5:
        services.feedback_close(item=item, actor=handler, at=t)
    return item
