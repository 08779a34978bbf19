"""Demo data for the dossier lifecycle: a procedure catalogue and about a year of dossiers.

Everything here is DEMO DATA: procedure names follow the national catalogue, but the codes,
times and fees are illustrative and must be checked against the National Public Service
Portal before real use. Dossiers are built in bulk by ``BulkWriter`` with the rule functions of
``dossiers.deadlines`` (codes, events, steps and classifications are what the services would
write: ``tests/dossiers/test_demo_bulk.py`` compares the two) with a seeded random generator:
the same seed on the same day gives the same data.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from dossiers import deadlines, selectors, services
from dossiers.models import (
    CLASSIFICATION_POINTS,
    OPEN_STATUSES,
    Classification,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    EventKind,
    Pause,
    Procedure,
    Refusal,
    RequiredDocument,
    Reschedule,
    Step,
    Withdrawal,
)
from dossiers.transitions import RESUMED, TRANSITIONS, UNCHANGED
from dossiers.validation import clean_applicant
from portal import codes
from portal.exceptions import DomainError
from portal.models import Counter, Department, Membership, Role, ServiceDesk, UnitLevel
from portal.working_calendar import DeskHours, get_calendar

# (code, name, field, level, time unit, time, fee VND, online level, documents)
PROCEDURES = [
    (
        "1.001193",
        "Đăng ký khai sinh",
        "Hộ tịch",
        "commune",
        "days",
        1,
        0,
        "full",
        ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
    ),
    (
        "1.000894",
        "Đăng ký kết hôn",
        "Hộ tịch",
        "commune",
        "days",
        5,
        0,
        "partial",
        ["Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"],
    ),
    (
        "1.000656",
        "Đăng ký khai tử",
        "Hộ tịch",
        "commune",
        "days",
        1,
        0,
        "full",
        ["Tờ khai đăng ký khai tử", "Giấy báo tử"],
    ),
    (
        "1.004873",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Hộ tịch",
        "commune",
        "days",
        3,
        0,
        "full",
        ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"],
    ),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính",
        "Chứng thực",
        "commune",
        "hours",
        4,
        2000,
        "none",
        ["Bản chính giấy tờ", "Bản sao cần chứng thực"],
    ),
    (
        "1.003583",
        "Xác nhận hợp đồng, giao dịch về đất đai",
        "Đất đai",
        "commune",
        "days",
        5,
        50000,
        "partial",
        ["Hợp đồng, giao dịch", "Giấy chứng nhận quyền sử dụng đất"],
    ),
    (
        "2.000575",
        "Đăng ký thành lập hộ kinh doanh",
        "Thành lập và hoạt động của hộ kinh doanh",
        "district",
        "days",
        3,
        100000,
        "full",
        ["Giấy đề nghị đăng ký hộ kinh doanh", "Bản sao giấy tờ pháp lý của chủ hộ"],
    ),
    (
        "1.009794",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Hoạt động xây dựng",
        "district",
        "days",
        15,
        75000,
        "partial",
        ["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế", "Giấy tờ về quyền sử dụng đất"],
    ),
    (
        "1.001210",
        "Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm",
        "An toàn thực phẩm",
        "district",
        "days",
        20,
        700000,
        "partial",
        ["Đơn đề nghị", "Bản thuyết minh cơ sở vật chất"],
    ),
    (
        "2.000488",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "Lý lịch tư pháp",
        "city",
        "days",
        10,
        200000,
        "full",
        ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp thẻ Căn cước"],
    ),
    (
        "1.002804",
        "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "Đường bộ",
        "city",
        "days",
        5,
        135000,
        "full",
        ["Đơn đề nghị đổi giấy phép lái xe", "Giấy khám sức khỏe"],
    ),
    (
        "2.001610",
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "Thành lập và phát triển doanh nghiệp",
        "city",
        "days",
        3,
        50000,
        "full",
        ["Giấy đề nghị đăng ký doanh nghiệp"],
    ),
]

FIRST_NAMES = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Thanh", "Hữu", "Xuân"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
DELAY_REASONS = [
    "Chờ kết quả xác minh của cơ quan liên quan",
    "Hồ sơ cần thẩm định thực địa",
    "Cán bộ thụ lý nghỉ ốm đột xuất",
]


def seed_procedures(*, desks) -> list[Procedure]:
    """Create or update the demo catalogue and offer each procedure at the desks of its level."""
    by_level = {}
    for desk in desks:
        by_level.setdefault(desk.unit.level, []).append(desk)
    result = []
    for code, name, field, level, unit, time, fee, online, documents in PROCEDURES:
        procedure, _created = Procedure.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "field": field,
                "level": level,
                "time_unit": unit,
                "processing_time": time,
                "fee_vnd": fee,
                "online_level": online,
                "return_modes": ["desk", "post"],
                "is_demo": True,
            },
        )
        if not procedure.documents.exists():
            RequiredDocument.objects.bulk_create(
                RequiredDocument(procedure=procedure, name=doc, order=i, original_required=i == 0)
                for i, doc in enumerate(documents)
            )
        procedure.desks.add(*by_level.get(level, []))
        result.append(procedure)
    return result


def _staff(desk, role):
    m = (
        Membership.objects.filter(unit=desk.unit, role=role)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return m.user if m else None


def _minutes(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _working_moment(rng, cal, day, hours: DeskHours):
    """A moment of ``day`` when the desk is open: the morning or the afternoon session, never
    the lunch break or after closing."""
    if hours.lunch_starts_at:
        morning = _minutes(hours.opens_at, hours.lunch_starts_at)
        afternoon = _minutes(hours.lunch_ends_at, hours.closes_at)
    else:
        morning, afternoon = _minutes(hours.opens_at, hours.closes_at), 0
    minute = rng.randint(0, morning + afternoon - 1)
    if minute < morning:
        return cal.at(day, hours.opens_at) + dt.timedelta(minutes=minute)
    return cal.at(day, hours.lunch_ends_at) + dt.timedelta(minutes=minute - morning)


def _in_desk_hours(cal, moment: dt.datetime, hours: DeskHours) -> dt.datetime:
    """Staff act while the desk is open: ``moment`` itself when it is (a working day, between
    opening and closing, outside the lunch break), else a few minutes after the desk next
    opens. Never earlier than ``moment``, so the order of a dossier's events is kept."""
    local = cal.local(moment)
    day, time = local.date(), local.time()
    settle = dt.timedelta(minutes=5 + moment.minute % 40)
    if cal.is_working_day(day):
        if time < hours.opens_at:
            return cal.at(day, hours.opens_at) + settle
        lunch = hours.lunch_starts_at
        if lunch and lunch <= time < hours.lunch_ends_at:
            return cal.at(day, hours.lunch_ends_at) + settle
        if time < hours.closes_at:
            return moment
    return cal.at(cal.next_working_day(day), hours.opens_at) + settle


def seed_dossiers(
    *,
    desks,
    count: int = 1500,
    days: int = 365,
    seed: int = 2026,
    now: dt.datetime | None = None,
    progress=None,
    through_services: bool = False,
) -> int:
    """About ``count`` dossiers over the last ``days`` days spread over the desks, each desk
    with its own early / on-time / late mix, supplements, refusals and some apologies.
    Skips desks that already have demo dossiers (so a second run adds nothing).

    By default the rows are built in memory by ``BulkWriter`` (the same deadline and
    classification functions of ``dossiers.deadlines`` the services call, the same event data)
    and written with ``bulk_create``, one desk per transaction: about 30 times less CPU than
    calling the services for each action, which made ``make run`` take minutes.
    ``through_services=True`` takes every action through ``dossiers.services`` instead; the
    test ``tests/dossiers/test_demo_bulk.py`` checks that both give the same rows."""
    now = now or timezone.now()
    rng = random.Random(seed)
    cal = get_calendar()
    desks = [d for d in desks if not Dossier.objects.filter(desk=d, is_demo=True).exists()]
    if not desks:
        return 0
    made = 0
    per_desk = max(1, count // len(desks))
    rule_sets = _RuleSets()
    for desk_index, desk in enumerate(sorted(desks, key=lambda d: d.unit.path)):
        receptionist, officer = _staff(desk, Role.RECEPTIONIST), _staff(desk, Role.OFFICER)
        procedures = list(
            desk.procedures.filter(is_active=True).prefetch_related("documents").order_by("pk")
        )
        departments = list(Department.objects.filter(desk=desk, is_active=True).order_by("pk"))
        if not (receptionist and officer and procedures and desk.unit.agency_code):
            continue
        profile = {  # each desk its own performance, so rankings differ
            "late": rng.choice([0.01, 0.02, 0.04, 0.07, 0.12]),
            "early": rng.uniform(0.35, 0.8),
            "supplement": rng.uniform(0.03, 0.12),
            "refuse": rng.uniform(0.005, 0.03),
            "withdraw": 0.005,
            "apology": rng.uniform(0.2, 0.7),
        }
        hours = DeskHours.of(desk)
        # A unit that has ended (a legacy district) gets the year before its end, so both
        # trees have history and no dossier is received at a unit that no longer exists.
        end = now
        if desk.unit.valid_to is not None:
            end = min(now, cal.at(desk.unit.valid_to, hours.closes_at))
        writer = ServiceWriter() if through_services else BulkWriter(cal=cal, rule_sets=rule_sets)
        with transaction.atomic():
            for _n in range(per_desk):
                day = (end - dt.timedelta(days=rng.randint(0, days))).date()
                if not cal.is_working_day(day):
                    day = cal.next_working_day(day)
                received = _working_moment(rng, cal, day, hours)
                if received >= end:
                    continue
                _one_dossier(
                    writer,
                    rng,
                    cal,
                    desk,
                    hours,
                    procedures,
                    departments,
                    receptionist,
                    officer,
                    received,
                    now,
                    profile,
                )
            made += writer.flush()
        if progress:
            progress(desk_index + 1, len(desks), made)
    return made


def _name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(FIRST_NAMES)}"


class ServiceWriter:
    """Every action through ``dossiers.services`` (role checks, locks, outbox, signals)."""

    def __init__(self):
        self.ids = []

    def receive(self, **kwargs):
        with transaction.atomic():
            dossier, _pin = services.dossier_receive(**kwargs)
        self.ids.append(dossier.pk)
        return dossier

    def route(self, **kwargs):
        services.dossier_route(**kwargs)

    def refuse(self, **kwargs):
        services.dossier_refuse(**kwargs)

    def withdraw(self, **kwargs):
        services.dossier_withdraw(**kwargs)

    def request_supplement(self, **kwargs):
        services.dossier_request_supplement(**kwargs)

    def resubmit(self, *, dossier, **kwargs):
        services.dossier_resubmit(dossier=dossier, **kwargs)
        dossier.refresh_from_db()

    def reschedule(self, **kwargs):
        services.dossier_reschedule(**kwargs)

    def complete(self, **kwargs):
        services.dossier_complete(**kwargs)

    def return_(self, **kwargs):
        services.dossier_return(**kwargs)

    def flush(self) -> int:
        Dossier.objects.filter(pk__in=self.ids).update(is_demo=True)
        return len(self.ids)


class _RuleSets:
    """``selectors.rule_set_on`` once per day."""

    def __init__(self):
        self.by_day = {}

    def on(self, day):
        if day not in self.by_day:
            self.by_day[day] = selectors.rule_set_on(day)
        return self.by_day[day]


class BulkWriter:
    """The rows the services would write, built in memory and written with ``bulk_create``.

    Each method does what its service does to the rows (``services._transition`` and
    ``services._steps_follow``: the status from ``TRANSITIONS``, the steps closed and
    classified, the pause resumed, the open step moved with the due moment, the event with
    the same data), asking ``dossiers.deadlines`` for every date and classification. What it
    leaves out is what a demo does not need: role checks and locks (the seed picks the staff
    and the order), notifications to the fictitious applicants (no outbox rows, no survey
    invitation on return: the surveys' seed makes its own), and the report marks (the
    reports' seed rebuilds the whole history after)."""

    def __init__(self, *, cal, rule_sets):
        self.cal = cal
        self.rule_sets = rule_sets
        self.counters: dict[str, int] = {}
        self.dossiers, self.documents, self.events = [], [], []
        self.steps, self.pauses, self.other = [], [], []
        self._steps: dict[int, list] = {}
        self._pause: dict[int, Pause] = {}

    def _next(self, key: str) -> int:
        if key not in self.counters:
            row = Counter.objects.filter(key=key).values_list("value", flat=True).first()
            self.counters[key] = row or 0
        self.counters[key] += 1
        return self.counters[key]

    def _event(self, dossier, *, kind, actor, at, from_status, note="", data=None):
        self.events.append(
            DossierEvent(
                dossier=dossier,
                kind=kind,
                at=at,
                actor=actor,
                unit=dossier.unit,
                from_status=from_status,
                to_status=dossier.status,
                note=note,
                data=data or {},
                is_public=True,
            )
        )

    def _step(self, dossier, **fields):
        step = Step(dossier=dossier, **fields)
        self._steps[id(dossier)].append(step)
        self.steps.append(step)

    def _open_step(self, dossier):
        steps = [s for s in self._steps[id(dossier)] if s.finished_at is None]
        return max(steps, key=lambda s: s.number) if steps else None

    def receive(
        self, *, desk, procedure, actor, received_at, applicant, documents, channel
    ) -> Dossier:
        cal = self.cal
        person = clean_applicant(applicant)
        local = cal.local(received_at)
        rule_set = self.rule_sets.on(local.date())
        agency = desk.unit.agency_code
        sequence = self._next(f"code:{agency}:{local:%y%m%d}")
        code = f"{agency}-{local:%y%m%d}-{sequence:04d}"
        due_at = deadlines.due_moment(
            procedure.processing_time,
            time_unit=procedure.time_unit,
            start=received_at,
            desk=desk,
            cal=cal,
        )
        dossier = Dossier(
            code=code,
            unit=desk.unit,
            desk=desk,
            procedure=procedure,
            rule_set=rule_set,
            log_year=local.year,
            log_number=self._next(f"log:{desk.pk}:{local.year}"),
            applicant_kind=person["kind"],
            applicant_name=person["name"],
            applicant_id_number=person["id_number"],
            applicant_phone=person["phone"],
            applicant_email=person["email"],
            applicant_address=person["address"],
            channel=channel,
            return_mode=Procedure.ReturnMode.DESK,
            sets_count=1,
            time_unit=procedure.time_unit,
            processing_time=procedure.processing_time,
            received_at=received_at,
            due_at=due_at,
            original_due_at=due_at,
            status=TRANSITIONS[EventKind.RECEIVED].to_status,
            current_holder=actor,
            pin_hash=codes.pin_hash(code=code, pin=codes.pin_new()),
            received_by=actor,
            is_demo=True,
        )
        self.dossiers.append(dossier)
        self._steps[id(dossier)] = []
        self.documents.extend(
            DossierDocument(
                dossier=dossier,
                name=d["name"],
                is_original=bool(d.get("is_original")),
                quantity=int(d.get("quantity") or 1),
            )
            for d in documents
        )
        self._step(
            dossier,
            number=1,
            department=None,
            handed_by=actor,
            received_by=actor,
            handed_at=received_at,
            due_at=deadlines.desk_step_due(
                received_at=received_at, desk=desk, rule_set=rule_set, channel=channel, cal=cal
            ),
        )
        self._event(
            dossier,
            kind=EventKind.RECEIVED,
            actor=actor,
            at=received_at,
            from_status="",
            data={"due_at": due_at.isoformat()},
        )
        # What the services read back from the database, in UTC (the later events' data show it).
        dossier.due_at = dossier.original_due_at = due_at.astimezone(dt.UTC)
        return dossier

    def _transition(
        self, dossier, kind, *, actor, at, fields=None, status=None, next_step=None, **event
    ):
        """``services._transition`` and ``services._steps_follow`` on the in-memory rows."""
        transition = TRANSITIONS[kind]
        fields = fields or {}
        before = dossier.status
        if dossier.status not in transition.from_statuses:
            raise DomainError(f"demo: {kind} from {before}")
        if transition.to_status == UNCHANGED:
            after = before
        elif transition.to_status == RESUMED:
            after = status
        else:
            after = transition.to_status
        closing = before in OPEN_STATUSES and after not in OPEN_STATUSES
        if next_step is not None or closing:
            current = self._open_step(dossier)
            if current is not None:
                current.finished_at = at
                current.classification = deadlines.classify(
                    finished_at=at, due_at=current.due_at, cal=self.cal
                )
            if next_step is not None:
                self._step(
                    dossier,
                    number=(current.number + 1) if current else 1,
                    handed_by=actor,
                    handed_at=at,
                    **next_step,
                )
        if closing and before == DossierStatus.WAITING_SUPPLEMENT:
            pause = self._pause.get(id(dossier))
            if pause is not None and pause.resumed_at is None:
                pause.resumed_at = at
        old_due = dossier.due_at
        new_due = fields.get("due_at", old_due)
        if new_due != old_due:
            step = self._open_step(dossier)
            if step is not None and step.due_at >= old_due:
                step.due_at = new_due
        dossier.status = after
        self._event(dossier, kind=kind, actor=actor, at=at, from_status=before, **event)
        for name, value in fields.items():
            if isinstance(value, dt.datetime):
                value = value.astimezone(dt.UTC)  # as read back from the database
            setattr(dossier, name, value)

    def route(self, *, dossier, actor, at, to_department):
        step_due = deadlines.step_due(dossier=dossier, step_days=None, at=at, cal=self.cal)
        self._transition(
            dossier,
            EventKind.ROUTED,
            actor=actor,
            at=at,
            fields={"current_department": to_department, "current_holder": None},
            next_step={"department": to_department, "due_at": step_due, "received_by": None},
            data={
                "to_department": to_department.name if to_department else "",
                "step_due_at": step_due.isoformat(),
            },
        )

    def refuse(self, *, dossier, actor, at, reason, legal_basis):
        if not deadlines.refusal_in_time(dossier=dossier, at=at):
            raise DomainError("demo: refusal too late")
        self.other.append(
            Refusal(
                dossier=dossier,
                reason=reason,
                legal_basis=legal_basis,
                refused_at=at,
                refused_by=actor,
            )
        )
        self._transition(
            dossier,
            EventKind.REFUSED,
            actor=actor,
            at=at,
            fields={"closed_at": at},
            note=reason,
            data={"legal_basis": legal_basis},
        )

    def withdraw(self, *, dossier, actor, at, request_text):
        self.other.append(
            Withdrawal(
                dossier=dossier, request_text=request_text, withdrawn_at=at, recorded_by=actor
            )
        )
        self._transition(
            dossier,
            EventKind.WITHDRAWN,
            actor=actor,
            at=at,
            fields={"closed_at": at},
            note=request_text,
        )

    def request_supplement(self, *, dossier, actor, at, items):
        cal = self.cal
        missing = [{"name": i["name"].strip(), "guidance": i["guidance"].strip()} for i in items]
        remaining_days, remaining_seconds = deadlines.time_left(dossier=dossier, at=at, cal=cal)
        pause = Pause(
            dossier=dossier,
            requested_at=at,
            requested_by=actor,
            allowed_by=None,
            items=missing,
            status_before=dossier.status,
            is_late_request=deadlines.supplement_request_is_late(
                dossier=dossier, since=dossier.received_at, at=at, cal=cal
            ),
            remaining_days=remaining_days,
            remaining_seconds=remaining_seconds,
        )
        self._pause[id(dossier)] = pause
        self.pauses.append(pause)
        self._transition(
            dossier,
            EventKind.SUPPLEMENT_REQUESTED,
            actor=actor,
            at=at,
            fields={"supplement_count": dossier.supplement_count + 1},
            data={"items": missing, "late_request": pause.is_late_request},
        )

    def resubmit(self, *, dossier, actor, at):
        pause = self._pause[id(dossier)]
        pause.resumed_at = at
        clock = deadlines.supplement_clock(dossier)
        new_due = deadlines.due_after_supplement(
            dossier=dossier, pause=pause, at=at, clock=clock, cal=self.cal
        )
        self._transition(
            dossier,
            EventKind.RESUBMITTED,
            actor=actor,
            at=at,
            status=pause.status_before,
            fields={"due_at": new_due},
            data={"due_at": new_due.isoformat(), "clock": clock},
        )

    def reschedule(self, *, dossier, actor, at, reason, new_due_date):
        cal = self.cal
        if not deadlines.reschedule_deadline_ok(dossier=dossier, at=at, cal=cal):
            raise DomainError("demo: too late to reschedule")
        new_due = deadlines.end_of_working_day(new_due_date, desk=dossier.desk, cal=cal)
        reschedule = Reschedule(
            dossier=dossier,
            reason=reason,
            responsible_department=None,
            responsible_unit=dossier.unit,
            original_due_at=dossier.due_at,
            new_due_at=new_due,
            created_at=at,
            created_by=actor,
        )
        self.other.append(reschedule)
        dossier._demo_rescheduled = True
        self._transition(
            dossier,
            EventKind.RESCHEDULED,
            actor=actor,
            at=at,
            fields={"due_at": new_due},
            note=reason,
            data={
                "original_due_at": reschedule.original_due_at.isoformat(),
                "new_due_at": new_due.isoformat(),
            },
        )

    def complete(self, *, dossier, actor, at):
        if getattr(dossier, "_demo_rescheduled", False):  # R-RES-4
            classification = Classification.LATE
        else:
            classification = deadlines.classify(finished_at=at, due_at=dossier.due_at, cal=self.cal)
        self._transition(
            dossier,
            EventKind.COMPLETED,
            actor=actor,
            at=at,
            fields={
                "completed_at": at,
                "classification": classification,
                "points": CLASSIFICATION_POINTS[classification],
                "current_department": None,
            },
            data={"classification": classification},
        )

    def return_(self, *, dossier, actor, at):
        way = dossier.return_mode
        self._transition(
            dossier,
            EventKind.RETURNED,
            actor=actor,
            at=at,
            fields={"returned_at": at, "closed_at": at, "return_mode": way},
            data={"mode": way},
        )

    def flush(self) -> int:
        """Write the desk's rows: a few ``INSERT``s per table, then the counters."""
        Dossier.objects.bulk_create(self.dossiers, batch_size=500)
        for model, rows in (
            (DossierDocument, self.documents),
            (Step, self.steps),
            (Pause, self.pauses),
            (DossierEvent, self.events),
        ):
            model.objects.bulk_create(rows, batch_size=500)
        for model in (Refusal, Withdrawal, Reschedule):
            model.objects.bulk_create([r for r in self.other if isinstance(r, model)])
        Counter.objects.bulk_create(
            [Counter(key=key, value=value) for key, value in self.counters.items()],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value"],
        )
        return len(self.dossiers)


def _one_dossier(
    writer,
    rng,
    cal,
    desk,
    hours,
    procedures,
    departments,
    receptionist,
    officer,
    received,
    now,
    profile,
):
    procedure = rng.choice(procedures)
    phone = f"09{rng.randint(10_000_000, 99_999_999)}"
    dossier = writer.receive(
        desk=desk,
        procedure=procedure,
        actor=receptionist,
        received_at=received,
        applicant={
            "name": _name(rng),
            "id_number": f"0{rng.randint(10**10, 10**11 - 1)}",
            "phone": phone,
            "address": f"{rng.randint(1, 200)} {desk.unit.name}",
        },
        documents=[
            {"name": d.name, "is_original": d.original_required} for d in procedure.documents.all()
        ],
        channel=rng.choices(["desk", "online", "post"], weights=[60, 35, 5])[0],
    )

    def open_at(moment):
        return _in_desk_hours(cal, moment, hours)

    t = open_at(received + dt.timedelta(minutes=rng.randint(20, 180)))
    if t >= now:
        return dossier
    writer.route(
        dossier=dossier,
        actor=receptionist,
        at=t,
        to_department=rng.choice(departments) if departments else None,
    )
    roll = rng.random()
    if roll < profile["refuse"]:
        t = open_at(t + dt.timedelta(hours=rng.randint(2, 20)))
        if t < now and t <= dossier.due_at:
            writer.refuse(
                dossier=dossier,
                actor=officer,
                at=t,
                reason="Hồ sơ không thuộc thẩm quyền giải quyết",
                legal_basis="Khoản 2 Điều 19 Nghị định 61/2018/NĐ-CP",
            )
        return dossier
    if roll < profile["refuse"] + profile["withdraw"]:
        t = open_at(t + dt.timedelta(hours=rng.randint(2, 20)))
        if t < now:
            writer.withdraw(
                dossier=dossier,
                actor=receptionist,
                at=t,
                request_text="Công dân xin dừng giải quyết hồ sơ",
            )
        return dossier
    if rng.random() < profile["supplement"]:
        t = open_at(t + dt.timedelta(hours=rng.randint(1, 30)))
        if t >= now:
            return dossier
        writer.request_supplement(
            dossier=dossier,
            actor=officer,
            at=t,
            items=[{"name": "Bản sao giấy tờ tùy thân có chứng thực", "guidance": "Bản sao"}],
        )
        t = open_at(t + dt.timedelta(days=rng.randint(1, 7)))
        if t >= now:
            return dossier
        writer.resubmit(dossier=dossier, actor=receptionist, at=t)
    due = dossier.due_at
    outcome = rng.random()
    if outcome < profile["late"]:
        if rng.random() < profile["apology"] and dossier.time_unit == "days":
            # apologise a few working days ahead, while it is still allowed (R-RES-1)
            when = open_at(t + dt.timedelta(minutes=30))
            new_day = cal.add_working_days(cal.local(due).date(), rng.randint(2, 5))
            if when < now and deadlines.reschedule_deadline_ok(dossier=dossier, at=when, cal=cal):
                writer.reschedule(
                    dossier=dossier,
                    actor=officer,
                    at=when,
                    reason=rng.choice(DELAY_REASONS),
                    new_due_date=new_day,
                )
                t = max(t, when)
                due = cal.at(new_day, hours.closes_at)
        done = due + dt.timedelta(hours=rng.randint(16, 24 * 6))
    elif outcome < profile["late"] + profile["early"] * (1 - profile["late"]):
        span = max((due - t).total_seconds(), 3600)
        done = t + dt.timedelta(seconds=rng.uniform(0.1, 0.7) * span)
        if cal.local(done).date() >= cal.local(due).date():
            done = cal.at(cal.local(due).date(), hours.opens_at) + dt.timedelta(hours=1)
    else:
        done = cal.at(cal.local(due).date(), hours.opens_at) + dt.timedelta(
            minutes=rng.randint(30, 420)
        )
    done = open_at(max(done, t + dt.timedelta(minutes=5)))
    if done >= now:
        return dossier
    writer.complete(dossier=dossier, actor=officer, at=done)
    returned = open_at(done + dt.timedelta(hours=rng.randint(1, 72)))
    if returned < now:
        writer.return_(dossier=dossier, actor=receptionist, at=returned)
    return dossier


def demo_desks():
    return list(
        ServiceDesk.objects.filter(is_active=True)
        .select_related("unit")
        .filter(unit__level__in=[UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.CITY])
    )
