"""Demo data for the dossier lifecycle: a procedure catalogue and about a year of dossiers.

Everything here is DEMO DATA: procedure names follow the national catalogue, but the codes,
times and fees are illustrative and must be checked against the National Public Service
Portal before real use. Dossiers are made through the real services (so codes, events, steps
and classifications are exactly what production would hold) with a seeded random generator:
the same seed on the same day gives the same data.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from dossiers import deadlines, services
from dossiers.models import Dossier, Procedure, RequiredDocument
from portal.models import Department, Membership, Role, ServiceDesk, UnitLevel
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
) -> int:
    """About ``count`` dossiers over the last ``days`` days spread over the desks, each desk
    with its own early / on-time / late mix, supplements, refusals and some apologies.
    Skips desks that already have demo dossiers (so a second run adds nothing)."""
    now = now or timezone.now()
    rng = random.Random(seed)
    cal = get_calendar()
    desks = [d for d in desks if not Dossier.objects.filter(desk=d, is_demo=True).exists()]
    if not desks:
        return 0
    made = 0
    per_desk = max(1, count // len(desks))
    for desk_index, desk in enumerate(sorted(desks, key=lambda d: d.unit.path)):
        receptionist, officer = _staff(desk, Role.RECEPTIONIST), _staff(desk, Role.OFFICER)
        procedures = list(desk.procedures.filter(is_active=True))
        departments = list(Department.objects.filter(desk=desk, is_active=True))
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
        ids = []
        for _n in range(per_desk):
            day = (end - dt.timedelta(days=rng.randint(0, days))).date()
            if not cal.is_working_day(day):
                day = cal.next_working_day(day)
            received = _working_moment(rng, cal, day, hours)
            if received >= end:
                continue
            dossier = _one_dossier(
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
            ids.append(dossier.pk)
        Dossier.objects.filter(pk__in=ids).update(is_demo=True)
        made += len(ids)
        if progress:
            progress(desk_index + 1, len(desks), made)
    return made


def _name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(FIRST_NAMES)}"


@transaction.atomic
def _one_dossier(
    rng, cal, desk, hours, procedures, departments, receptionist, officer, received, now, profile
):
    procedure = rng.choice(procedures)
    phone = f"09{rng.randint(10_000_000, 99_999_999)}"
    dossier, _pin = services.dossier_receive(
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
    services.dossier_route(
        dossier=dossier,
        actor=receptionist,
        at=t,
        to_department=rng.choice(departments) if departments else None,
    )
    roll = rng.random()
    if roll < profile["refuse"]:
        t = open_at(t + dt.timedelta(hours=rng.randint(2, 20)))
        if t < now and t <= dossier.due_at:
            services.dossier_refuse(
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
            services.dossier_withdraw(
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
        services.dossier_request_supplement(
            dossier=dossier,
            actor=officer,
            at=t,
            items=[{"name": "Bản sao giấy tờ tùy thân có chứng thực", "guidance": "Bản sao"}],
        )
        t = open_at(t + dt.timedelta(days=rng.randint(1, 7)))
        if t >= now:
            return dossier
        services.dossier_resubmit(dossier=dossier, actor=receptionist, at=t)
        dossier.refresh_from_db()
    due = dossier.due_at
    outcome = rng.random()
    if outcome < profile["late"]:
        if rng.random() < profile["apology"] and dossier.time_unit == "days":
            # apologise a few working days ahead, while it is still allowed (R-RES-1)
            when = open_at(t + dt.timedelta(minutes=30))
            new_day = cal.add_working_days(cal.local(due).date(), rng.randint(2, 5))
            if when < now and deadlines.reschedule_deadline_ok(dossier=dossier, at=when, cal=cal):
                services.dossier_reschedule(
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
    services.dossier_complete(dossier=dossier, actor=officer, at=done)
    returned = open_at(done + dt.timedelta(hours=rng.randint(1, 72)))
    if returned < now:
        services.dossier_return(dossier=dossier, actor=receptionist, at=returned)
    return dossier


def demo_desks():
    return list(
        ServiceDesk.objects.filter(is_active=True)
        .select_related("unit")
        .filter(unit__level__in=[UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.CITY])
    )
