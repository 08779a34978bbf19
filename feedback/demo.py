"""Demo data for feedback and complaints: about a year of items at the demo desks.

DEMO DATA: senders, texts and answers are invented. The driver (``seed_feedback`` and
``_one_item``) draws every item and its actions with a seeded random generator and a fixed
"now" per run, so the same seed on the same day gives the same data, and hands each action to
a writer: by default ``_BulkWriter``, which builds the rows the services would write (codes,
register numbers, deadlines, events, audit rows, replies, extensions, publications) with the
rule functions of ``feedback.services`` and ``feedback.deadlines`` and writes them with
``bulk_create``, one transaction per unit; or ``_ServiceWriter`` (``through_services=True``),
which takes every action through ``feedback.services``. ``tests/feedback/test_demo_bulk.py``
checks that both give the same rows. Units that already have demo items are skipped, so a
second run adds nothing. Only units that exist today get items (the legacy tree has no staff
for new work).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.selectors import dossier_codes_recent
from feedback import services
from feedback.deadlines import counted_from, due_moment, rule_in_force
from feedback.models import (
    Category,
    DeadlineRule,
    Event,
    EventKind,
    Extension,
    Finding,
    Item,
    Kind,
    Publication,
    Reply,
    Status,
)
from feedback.validation import clean_line, clean_sender, clean_text
from portal import codes
from portal.exceptions import DomainError
from portal.models import AuditLog, Counter, Membership, Role
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
    *,
    desks,
    count: int = 300,
    days: int = 365,
    seed: int = 2026,
    now: dt.datetime | None = None,
    through_services: bool = False,
) -> int:
    """About ``count`` items over the last ``days`` days spread over the desks' units: every
    channel and kind, most answered (some late, some after an extension), some transferred
    (some late), some rejected, closed or published, the recent ones still open. Returns how
    many items were made.

    By default the rows are built in memory by ``_BulkWriter`` and written with
    ``bulk_create``, one transaction per unit (300 items: 1.4 s of CPU instead of 11 s through
    the services, docs/performance.md); ``through_services=True`` takes every action
    through ``feedback.services`` instead, each item in its own transaction. The draws are the
    same either way."""
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
    writer = _ServiceWriter() if through_services else _BulkWriter(cal=cal)
    for unit in units:
        others = [u for u in units if u.pk != unit.pk and u.tree_id == unit.tree_id]
        staff = {
            "receptionist": _staff(unit, Role.RECEPTIONIST),
            "officer": _staff(unit, Role.OFFICER),
            "leader": _staff(unit, Role.LEADER),
        }
        dossier_codes = dossier_codes_recent(unit=unit)
        hours = DeskHours.of(services._desk_of(unit))
        with writer.unit_transaction():
            for _n in range(per_unit):
                day = today - dt.timedelta(days=rng.randint(0, days))
                with writer.item_transaction():
                    _one_item(
                        writer,
                        rng,
                        cal,
                        unit,
                        hours,
                        staff,
                        others,
                        categories,
                        dossier_codes,
                        day,
                        now,
                    )
            made += writer.flush()
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


def _one_item(writer, rng, cal, unit, hours, staff, others, categories, dossier_codes, day, now):
    """One item and what happens to it, drawn in a fixed order (the same draws whichever
    writer takes the actions)."""
    received = _moment(rng, cal, day, hours)
    if received >= now:
        return None
    kind = _pick(rng, KINDS)
    channel = _pick(rng, CHANNELS)
    category_code, subject, body = rng.choice(TEXTS[kind])
    public = channel in ("web", "kiosk")
    item = writer.submit(
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
    writer.assign(item=item, actor=staff["receptionist"], assignee=handler, at=t)
    roll = rng.random()
    # some items go to another body, on time or late (R-FB-2: within 5 working days)
    if kind == Kind.DENUNCIATION or roll < 0.1:
        t = cal.at(
            cal.add_working_days(cal.local(t).date(), rng.choice([1, 2, 3, 4, 7])), dt.time(10)
        )
        if t >= now:
            return item
        if others and rng.random() < 0.6:
            writer.transfer(item=item, actor=handler, to_unit=rng.choice(others), at=t)
        else:
            writer.transfer(item=item, actor=handler, to_body="Thanh tra thành phố Hà Nội", at=t)
            t += dt.timedelta(days=rng.randint(1, 5))
            if t < now:
                writer.close(item=item, actor=handler, at=t)
        return item
    if roll < 0.14:
        t += dt.timedelta(days=rng.randint(1, 4))
        if t < now:
            writer.reject(
                item=item,
                actor=handler,
                at=t,
                reason="Nội dung không thuộc thẩm quyền giải quyết của đơn vị.",
            )
        return item
    t += dt.timedelta(hours=rng.randint(2, 30))
    if t >= now:
        return item
    writer.start(item=item, actor=handler, at=t)
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
        extension = writer.extend(
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
    writer.reply(item=item, actor=handler, at=answered, text=rng.choice(ANSWERS), finding=finding)
    t = answered + dt.timedelta(hours=rng.randint(2, 72))
    if t < now and rng.random() < 0.35 and kind != Kind.DENUNCIATION:
        writer.publish(item=item, actor=handler, at=t)
        t += dt.timedelta(minutes=10)
    if t < now and rng.random() < 0.5:
        writer.close(item=item, actor=handler, at=t)
    return item


class _ServiceWriter:
    """Every action through ``feedback.services`` (role checks, locks, outbox messages, the
    reports' announcements), each item in its own transaction: the reference the bulk rows
    are checked against."""

    def __init__(self):
        self.ids = []

    def unit_transaction(self):
        return contextlib.nullcontext()

    def item_transaction(self):
        return transaction.atomic()

    def submit(self, **kwargs):
        item, _pin = services.feedback_submit(**kwargs)
        self.ids.append(item.pk)
        return item

    def assign(self, **kwargs):
        services.feedback_assign(**kwargs)

    def transfer(self, **kwargs):
        services.feedback_transfer(**kwargs)

    def reject(self, **kwargs):
        services.feedback_reject(**kwargs)

    def start(self, *, item, **kwargs):
        services.feedback_start(item=item, **kwargs)
        item.refresh_from_db()

    def extend(self, **kwargs):
        return services.feedback_extend(**kwargs)

    def reply(self, **kwargs):
        services.feedback_reply(**kwargs)

    def publish(self, **kwargs):
        services.feedback_publish(**kwargs)

    def close(self, **kwargs):
        services.feedback_close(**kwargs)

    def flush(self) -> int:
        Item.objects.filter(pk__in=self.ids).update(is_demo=True)
        made, self.ids = len(self.ids), []
        return made


_DATETIME_FIELDS = [f.attname for f in Item._meta.fields if isinstance(f, models.DateTimeField)]


class _BulkWriter:
    """The rows ``_ServiceWriter`` would make, built in memory and written with
    ``bulk_create``: the item with its code and register number (counters continued from
    their stored values, upserted once per unit), its deadlines (``services._deadlines``,
    ``services._complaint_reply_due``, ``feedback.deadlines``: transfer R-FB-2, acceptance,
    answer, the extension), the status from ``services.TRANSITIONS``, one event per action
    with the services' data (on-time flags, late transfer, due moments as the services write
    them), the audit row ``_write`` adds for each, replies, the extension and the masked
    publication.

    Left out on purpose, what a demo does not need: the role checks and locks (the seed picks
    the staff and the order; the state table and the order of events are still checked), the
    messages to the fictitious senders (no outbox rows), the reports' ``feedback_changed``
    announcements (the reports' seed rebuilds the whole history right after) and, on
    PostgreSQL, the change-history rows (``portal.history``: items and publications keep
    updates only, and a row inserted in its final state is no update; through the services
    each state change leaves one, stamped with the seed's wall-clock time)."""

    def __init__(self, *, cal):
        self.cal = cal
        self.counters: dict[str, int] = {}
        self._places: dict[int, tuple] = {}
        self._rules: list[DeadlineRule] | None = None
        self._dossiers: dict[tuple, object] = {}
        self._reset()

    def _reset(self):
        self.items, self.events, self.audits = [], [], []
        self.replies, self.extensions, self.publications = [], [], []
        self._last_at: dict[int, dt.datetime] = {}
        self._last_reply: dict[int, Reply] = {}

    def unit_transaction(self):
        return transaction.atomic()

    def item_transaction(self):
        return contextlib.nullcontext()

    # --- what the services ask the database, asked once -----------------------------------
    def _next(self, key: str) -> int:
        """``codes.counter_next`` on the in-memory counters, read once from their rows."""
        if key not in self.counters:
            row = Counter.objects.filter(key=key).values_list("value", flat=True).first()
            self.counters[key] = row or 0
        self.counters[key] += 1
        return self.counters[key]

    def _place(self, unit) -> tuple:
        """The unit's desk (``services._desk_of``) and remote-area flag (``_is_remote``)."""
        if unit.pk not in self._places:
            self._places[unit.pk] = (services._desk_of(unit), services._is_remote(unit))
        return self._places[unit.pk]

    def _rule(self, kind, day):
        """``rule_in_force`` from the rules read once: the latest of the kind in force on
        ``day``; without one, the function itself (which restores the defaults or refuses)."""
        if self._rules is None:
            self._rules = list(DeadlineRule.objects.order_by("-effective_from"))
        for rule in self._rules:
            if rule.kind == kind and rule.effective_from <= day:
                return rule
        return rule_in_force(kind=kind, day=day)

    def _dossier(self, *, unit, actor, code):
        if (unit.pk, code) not in self._dossiers:
            self._dossiers[unit.pk, code] = services._dossier_link(
                unit=unit, actor=actor, dossier=None, code=code
            )
        return self._dossiers[unit.pk, code]

    # --- services._lock, _check, _check_time and _write on the in-memory rows --------------
    @staticmethod
    def _reload(item: Item) -> None:
        """Moments as the services read them back after ``_lock`` (in UTC): the event data
        they write show it."""
        for name in _DATETIME_FIELDS:
            value = getattr(item, name)
            if value is not None:
                setattr(item, name, value.astimezone(dt.UTC))

    def _row(self, item: Item, action: str, at: dt.datetime) -> services.Transition:
        self._reload(item)
        for row in services.TRANSITIONS:
            if row.action == action and item.kind in row.kinds and item.status in row.sources:
                break
        else:
            raise DomainError(f"demo: {action} of a {item.kind} that is {item.status}")
        if services._handed_out(item) and action not in (
            EventKind.CLOSED,
            EventKind.PUBLISHED,
            EventKind.UNPUBLISHED,
        ):
            raise DomainError(f"demo: {action} of an item handed out")
        last = self._last_at.get(id(item))
        if last is not None and at < last:
            raise DomainError("demo: an action dated before the item's last event")
        return row

    def _write(self, item, row, *, actor, at, changes=None, note="", data=None, save=True):
        before = item.status if save else ""
        where = item.unit
        for field, value in (changes or {}).items():
            setattr(item, field, value)
        if row.target is not None:
            item.status = row.target
        item.due_at = item.current_due()
        event = Event(
            item=item,
            kind=row.action,
            at=at,
            actor=actor,
            unit=where,
            from_status=before,
            to_status=item.status,
            note=note,
            is_public=row.action in services.PUBLIC_EVENTS,
            data=data or {},
        )
        self.events.append(event)
        audit = AuditLog(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=f"feedback.{row.action}",
            object_type=Item._meta.label_lower,
            unit=where,
            data={"from": before, "to": item.status},
        )
        self.audits.append((event, audit))
        self._last_at[id(item)] = max(at, self._last_at.get(id(item), at))
        return event

    # --- the actions ----------------------------------------------------------------------
    def submit(
        self,
        *,
        unit,
        kind,
        channel,
        body,
        subject,
        sender,
        actor,
        category,
        dossier_code,
        staff_member,
        received_at,
    ) -> Item:
        """``services._submit`` for what the demo gives (no attachments, no desk chosen)."""
        cal = self.cal
        local = cal.local(received_at)
        if not unit.is_valid_on(local.date()):
            raise DomainError(f"demo: {unit} does not exist on {local:%d/%m/%Y}")
        rule = self._rule(kind, local.date())
        person = clean_sender(sender, identity_required=services._identity_required(kind, rule))
        text = clean_text(body, field="body", label=_("the content"))
        subject = clean_line(subject, field="subject", label=_("the subject"), max_chars=200)
        dossier_code = clean_line(
            dossier_code, field="dossier_code", label=_("the dossier code"), max_chars=40
        ).upper()
        if category is not None and not category.is_active:
            raise DomainError("demo: an inactive category")
        dossier = self._dossier(unit=unit, actor=actor, code=dossier_code)
        code_prefix = f"PA-{unit.code}-{local:%y}"
        sequence = self._next(f"feedback:code:{code_prefix}")
        if sequence > 99999:
            raise DomainError(_("The unit has used all 99,999 tracking numbers of the year."))
        code = f"{code_prefix}-{sequence:05d}"
        register_number = self._next(f"feedback:register:{unit.pk}:{local.year}")
        desk, remote = self._place(unit)
        item = services.item_as_received(
            unit=unit,
            desk=desk,
            remote=remote,
            rule=rule,
            cal=cal,
            code=code,
            pin=codes.pin_new(),
            register_number=register_number,
            kind=kind,
            channel=channel,
            category=category,
            subject=subject,
            text=text,
            external_code="",
            person=person,
            dossier=dossier,
            dossier_code=dossier_code,
            staff_member=staff_member,
            staff_description="",
            received_at=received_at,
            actor=actor,
            is_demo=True,
        )
        self.items.append(item)
        row = next(r for r in services.TRANSITIONS if r.action == EventKind.RECEIVED)
        data = services.received_event_data(item)
        self._write(item, row, actor=actor, at=received_at, save=False, data=data)
        return item

    def assign(self, *, item, actor, assignee, at):
        row = self._row(item, EventKind.ASSIGNED, at)
        if services._about(item, assignee):
            raise DomainError("demo: assigned to the staff member it is about")
        self._write(
            item,
            row,
            actor=actor,
            at=at,
            changes={"assigned_to": assignee},
            data={"assignee": assignee.pk, "unit": item.unit.name},
        )

    def transfer(self, *, item, actor, at, to_unit=None, to_body=""):
        cal = self.cal
        row = self._row(item, EventKind.TRANSFERRED, at)
        to_body = clean_line(to_body, field="to_body", label=_("the body"), max_chars=300)
        if to_unit is not None and not to_unit.is_valid_on(cal.local(at).date()):
            raise DomainError(f"demo: {to_unit} does not exist on that date")
        transfer_due = item.transfer_due_at
        late = at > transfer_due
        changes = {
            "transferred_at": at,
            "transferred_to_unit": to_unit,
            "transferred_to_body": "" if to_unit else to_body,
            "transfer_late": item.transfer_late or late,
            "assigned_to": None,
        }
        if to_unit is not None:
            desk, remote = self._place(to_unit)
            hours = DeskHours.of(desk)
            changes.update(
                services._deadlines(
                    kind=item.kind,
                    rule=item.rule,
                    start=counted_from(received_at=at, hours=hours, cal=cal),
                    hours=hours,
                    cal=cal,
                    remote=remote,
                    extended=any(x.item is item for x in self.extensions),
                )
            )
            changes.update(unit=to_unit, desk=desk, is_remote_area=remote, accepted_at=None)
        self._write(
            item,
            row,
            actor=actor,
            at=at,
            changes=changes,
            data={
                "to_unit": to_unit.name if to_unit else "",
                "to_body": changes["transferred_to_body"],
                "late": late,
                "transfer_due_at": transfer_due.isoformat(),
                "on_time": not late,
            },
        )

    def reject(self, *, item, actor, at, reason):
        row = self._row(item, EventKind.REJECTED, at)
        reason = services._reason(reason)
        on_time = services.item_on_time_at(item_due=item.due_at, at=at)
        self._write(
            item,
            row,
            actor=actor,
            at=at,
            changes={"rejected_reason": reason, "closed_at": at},
            note=reason,
            data={"on_time": on_time},
        )

    def start(self, *, item, actor, at):
        row = self._row(item, EventKind.STARTED, at)
        changes, data = {}, {}
        if item.kind == Kind.COMPLAINT:
            due = services._complaint_reply_due(
                item,
                accepted_at=at,
                cal=self.cal,
                extended=any(x.item is item for x in self.extensions),
            )
            changes.update(accepted_at=at, reply_due_at=due, original_reply_due_at=due)
            data.update(
                accepted_on_time=item.accept_due_at is None or at <= item.accept_due_at,
                reply_due_at=due.isoformat() if due else None,
            )
        if item.assigned_to_id is None and not services._about(item, actor):
            changes["assigned_to"] = actor
        self._write(item, row, actor=actor, at=at, changes=changes, data=data)
        self._reload(item)  # the driver reads the answer deadline back, as after a refresh

    def extend(self, *, item, actor, at, reason) -> Extension:
        if any(x.item is item for x in self.extensions):
            raise DomainError("demo: a second extension")
        row = self._row(item, EventKind.EXTENDED, at)
        reason = services._reason(reason)
        extended_days = item.rule.reply_days_for(remote=item.is_remote_area, extended=True)
        if extended_days is None:
            raise DomainError("demo: no extension for this kind")
        if item.due_at is not None and at > item.due_at:
            raise DomainError("demo: extended after the deadline")
        if item.kind == Kind.COMPLAINT:
            new_due = (
                services._complaint_reply_due(
                    item, accepted_at=item.accepted_at, cal=self.cal, extended=True
                )
                if item.accepted_at
                else None
            )
        else:
            new_due = due_moment(
                start=item.counted_from,
                days=extended_days,
                counting=item.rule.reply_counting,
                hours=DeskHours.of(item.desk),
                cal=self.cal,
            )
        extension = Extension(
            item=item,
            reason=reason,
            extended_at=at,
            extended_by=actor,
            previous_due_at=item.reply_due_at,
            new_due_at=new_due,
        )
        self.extensions.append(extension)
        self._write(
            item,
            row,
            actor=actor,
            at=at,
            changes={"reply_due_at": new_due} if new_due is not None else {},
            note=reason,
            data={
                "previous_due_at": extension.previous_due_at.isoformat()
                if extension.previous_due_at
                else None,
                "new_due_at": new_due.isoformat() if new_due else None,
            },
        )
        return extension

    def reply(self, *, item, actor, at, text, finding):
        row = self._row(item, EventKind.REPLIED, at)
        text = clean_text(text, field="text", label=_("the answer"))
        if finding and finding not in Finding.values:
            raise DomainError("demo: unknown finding")
        on_time = services.item_on_time_at(item_due=item.reply_due_at, at=at)
        last = self._last_reply.get(id(item))
        reply = Reply(
            item=item,
            number=(last.number if last else 0) + 1,
            text=text,
            finding=finding,
            replied_at=at,
            replied_by=actor,
            unit=item.unit,
            on_time=on_time,
        )
        self.replies.append(reply)
        self._last_reply[id(item)] = reply
        self._write(
            item,
            row,
            actor=actor,
            at=at,
            changes={"replied_at": at, "answered_on_time": on_time, "finding": finding},
            data={"reply": reply.number, "on_time": on_time, "finding": finding},
        )

    def publish(self, *, item, actor, at):
        row = self._row(item, EventKind.PUBLISHED, at)
        defaults = services.publication_defaults_with(item, self._last_reply.get(id(item)))
        if defaults is None:
            raise DomainError("demo: publishing an item without an answer")
        title = clean_line(
            defaults["title"], field="title", label=_("the title"), max_chars=200, required=True
        )
        question = clean_text(
            defaults["question"], field="question", label=_("the published question")
        )
        answer = clean_text(defaults["answer"], field="answer", label=_("the published answer"))
        publication = Publication(
            item=item,
            title=services.masked_for_publication(item, title)[:200],
            question=services.masked_for_publication(item, question),
            answer=services.masked_for_publication(item, answer),
            published_at=at,
            published_by=actor,
            is_active=True,
        )
        self.publications.append(publication)
        event = self._write(item, row, actor=actor, at=at)
        event._demo_publication = publication  # its id goes into the data once written

    def close(self, *, item, actor, at):
        row = self._row(item, EventKind.CLOSED, at)
        if item.status == Status.TRANSFERRED and not services._handed_out(item):
            raise DomainError("demo: closing an item another unit handles")
        self._write(item, row, actor=actor, at=at, changes={"closed_at": at})

    # --- writing --------------------------------------------------------------------------
    def flush(self) -> int:
        """Write the unit's rows: a few ``INSERT``s per table, then the counters."""
        Item.objects.bulk_create(self.items, batch_size=500)
        for model, rows in (
            (Reply, self.replies),
            (Extension, self.extensions),
            (Publication, self.publications),
        ):
            model.objects.bulk_create(rows, batch_size=500)
        for event in self.events:
            publication = getattr(event, "_demo_publication", None)
            if publication is not None:
                event.data = {"publication": publication.pk}
        Event.objects.bulk_create(self.events, batch_size=500)
        audits = []
        for event, audit in self.audits:
            audit.object_id = str(event.item.pk)
            audit.data["event"] = event.pk
            audits.append(audit)
        AuditLog.objects.bulk_create(audits, batch_size=500)
        Counter.objects.bulk_create(
            [Counter(key=key, value=value) for key, value in self.counters.items()],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value"],
        )
        made = len(self.items)
        self._reset()
        return made
