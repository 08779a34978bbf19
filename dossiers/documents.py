"""Printable documents of a dossier (R-LIFE-5, R-RES-3): one function per form, each returning
the PDF as bytes.

Forms of Circular 01/2018/TT-VPCP (numbered 01–06) and Circular 03/2025/TT-VPCP (01–07, adding
the stop notice); a dossier's form numbers follow the rule set it was received under, the log's
the regulation in force on its last day. Slips and letters are A5, the dossier log A4 landscape.

Rendering never touches the network (``portal.pdf``, shared with the surveys' documents): fonts
are the project's own (``static/fonts``, Liberation Serif, metric-compatible with Times New Roman
and complete for Vietnamese), the QR code is an inline data URI, and the URL fetcher refuses
anything but those fonts and ``data:`` URIs.

These functions do not check permissions: callers pass a dossier (or desk) they already fetched
through the unit-scoped selectors. Each loads what its form shows in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers import deadlines
from dossiers.models import Dossier, Pause, RuleSet, Step
from dossiers.selectors import dossier_log_entries
from dossiers.tracking.tokens import tracking_url
from portal.exceptions import DomainError
from portal.http import public_url
from portal.models import ServiceDesk
from portal.pdf import (  # noqa: F401 - fonts_dir and LocalFetcher are part of this module's API
    FONT_FILE,
    LocalFetcher,
    fonts_dir,
    qr_data_uri,
    render_pdf_template,
)

# Form numbers per edition: Circular 01/2018/TT-VPCP Annex (forms 01–06) and Circular
# 03/2025/TT-VPCP Annex I (01 receipt, 02 supplement, 03 refusal, 04 apology, 05 stop notice,
# 06 process control slip, 07 log). The 2018 texts have no stop notice.
CIRCULAR_2025_FROM = dt.date(2025, 7, 1)  # Decree 118/2025 in force; rule set nd118-2025
EDITIONS = {
    2018: {
        "circular": "Thông tư số 01/2018/TT-VPCP",
        "forms": {
            "receipt": "01",
            "supplement": "02",
            "refusal": "03",
            "apology": "04",
            "control": "05",
            "log": "06",
        },
    },
    2025: {
        "circular": "Thông tư số 03/2025/TT-VPCP",
        "forms": {
            "receipt": "01",
            "supplement": "02",
            "refusal": "03",
            "apology": "04",
            "stop": "05",
            "control": "06",
            "log": "07",
        },
    },
}

# The forms are Vietnamese-only (see templates/dossiers/pdf/base.html), so are these labels.
RETURN_MODES = {
    "desk": "Tại Bộ phận một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến, qua Cổng Dịch vụ công",
}
CLASSIFICATIONS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
TIME_UNITS = {"days": "ngày làm việc", "hours": "giờ làm việc"}
STATUS_NOTES = {
    "received": "Đã tiếp nhận",
    "in_process": "Đang giải quyết",
    "waiting_supplement": "Chờ bổ sung hồ sơ",
    "result_ready": "Đã có kết quả",
    "returned": "Đã trả kết quả",
    "refused": "Từ chối giải quyết",
    "withdrawn": "Dừng giải quyết theo đề nghị",
}
UNIT_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Quận ",
    "Huyện ",
    "Thị xã ",
    "Thị trấn ",
    "Phường ",
    "Xã ",
    "Đặc khu ",
)


class DocumentNotAvailable(DomainError):
    """The dossier has no such document (e.g. a refusal slip for a dossier never refused)."""

    status_code = 404
    code = "document_not_available"


# --- rendering ------------------------------------------------------------------------------
def render_pdf(template: str, context: dict) -> bytes:
    """Render a template of ``templates/dossiers/pdf/`` to PDF bytes, in Vietnamese."""
    return render_pdf_template(f"dossiers/pdf/{template}", context, language="vi")


# --- helpers --------------------------------------------------------------------------------
def edition_on(day: dt.date) -> dict:
    return EDITIONS[2025 if day >= CIRCULAR_2025_FROM else 2018]


def form(kind: str, day: dt.date) -> dict:
    """The form number (or ``None``) and the circular that defines it."""
    edition = edition_on(day)
    number = edition["forms"].get(kind)
    return {"number": number, "circular": edition["circular"] if number else ""}


def person_name(user) -> str:
    """A staff member's name in Vietnamese order (family name first)."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def place_name(unit) -> str:
    """'Phường Phúc Xá' → 'Phúc Xá', for the place-and-date line."""
    for prefix in UNIT_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def body_name(unit) -> str:
    """The people's committee of a unit: 'Ủy ban nhân dân Phường Phúc Xá'."""
    return f"Ủy ban nhân dân {unit.name}" if unit else ""


def dmy(moment: dt.datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%d/%m/%Y")


def _dossier(dossier: Dossier, *related: str) -> Dossier:
    """The dossier again, with what every form shows, in one query."""
    return Dossier.objects.select_related(
        "desk", "unit__parent", "procedure", "rule_set", "received_by", *related
    ).get(pk=dossier.pk)


def _base(dossier: Dossier, kind: str, issued_at: dt.datetime, *, by_desk=True) -> dict:
    unit = dossier.unit
    if by_desk:
        issuer_parent, issuer = body_name(unit), dossier.desk.name
    else:
        issuer_parent, issuer = body_name(unit.parent), body_name(unit)
    return {
        "dossier": dossier,
        "desk": dossier.desk,
        "unit": unit,
        "form": form(kind, dossier.rule_set.effective_from),
        "issuer_parent": issuer_parent,
        "issuer": issuer,
        "place": place_name(unit),
        "issued_at": issued_at,
        "body": body_name(unit),
        "applicant_title": "Ông/Bà"
        if dossier.applicant_kind == Dossier.ApplicantKind.PERSON
        else "",
        "time_unit": TIME_UNITS.get(dossier.time_unit, dossier.time_unit),
        "portal_url": public_url("/").rstrip("/"),
        "tracking_lookup_url": public_url(reverse("tracking:lookup")),
    }


# --- the forms ------------------------------------------------------------------------------
def receipt_slip_pdf(*, dossier: Dossier, pin: str | None = None) -> bytes:
    """Receipt and appointment slip (form 01, R-LIFE-5): code, applicant, documents received,
    times, way of return, log entry, signatures, the desk's contacts and a QR code to the
    tracking page. The PIN is printed only when given (at intake; it is stored hashed)."""
    dossier = _dossier(dossier)
    context = _base(dossier, "receipt", dossier.received_at)
    context.update(
        documents=list(dossier.documents.all()),
        pin=pin,
        qr=qr_data_uri(tracking_url(dossier)),
        return_mode=RETURN_MODES.get(dossier.return_mode, dossier.return_mode),
        receiver=person_name(dossier.received_by),
    )
    return render_pdf("receipt_slip.html", context)


def process_control_slip_pdf(*, dossier: Dossier) -> bytes:
    """Process control slip (form 05 of 2018, 06 of 2025, R-LIFE-3): one row per handover,
    with blank rows left for handovers still to come, signed by hand."""
    dossier = _dossier(dossier)
    steps = list(
        Step.objects.filter(dossier=dossier)
        .select_related("department", "handed_by", "received_by")
        .order_by("number")
    )
    desk_name = dossier.desk.name
    rows = []
    previous = None
    for step in steps:
        holder = step.department.name if step.department else desk_name
        if previous is None:
            giver = dossier.applicant_name
        else:
            giver = previous.department.name if previous.department else desk_name
        rows.append(
            {
                "number": step.number,
                "from": giver,
                "from_person": "" if previous is None else person_name(step.handed_by),
                "to": holder,
                "to_person": person_name(step.received_by),
                "at": step.handed_at,
                "due_at": step.due_at,
                "result": CLASSIFICATIONS.get(step.classification, ""),
                "note": step.note,
            }
        )
        previous = step
    departments = []
    for step in steps:
        if step.department and step.department.name not in departments:
            departments.append(step.department.name)
    context = _base(dossier, "control", dossier.received_at)
    context.update(
        rows=rows,
        blank_rows=range(max(0, 6 - len(rows))),
        lead=departments[0] if departments else "",
        cooperating=", ".join(departments[1:]),
    )
    return render_pdf("process_control_slip.html", context)


def supplement_request_pdf(*, dossier: Dossier, pause: Pause) -> bytes:
    """Request to supplement the dossier (form 02, R-LIFE-4): every item needed at once, each
    with its guidance, and whom to ask."""
    if pause.dossier_id != dossier.pk:
        raise ValueError("The supplement request belongs to another dossier.")
    dossier = _dossier(dossier)
    pause = Pause.objects.select_related("requested_by").get(pk=pause.pk)
    context = _base(dossier, "supplement", pause.requested_at)
    context.update(
        applicant={
            "name": dossier.applicant_name,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
        },
        procedure=dossier.procedure,
        pause=pause,
        items=pause.items,
        guide=person_name(pause.requested_by),
        clock_restarts=deadlines.supplement_clock(dossier) == RuleSet.SupplementClock.RESTART,
    )
    return render_pdf("supplement_request.html", context)


def guidance_pdf(
    *, desk: ServiceDesk, procedure, applicant: dict, items: list[dict], guide, issued_at=None
) -> bytes:
    """Form 02 printed at intake for a dossier that is not complete and so is not received: the
    documents still needed, each with guidance, and whom to ask. No dossier exists (no code, no
    date of receipt, no clock); the form in force today is used."""
    issued_at = issued_at or timezone.now()
    desk = ServiceDesk.objects.select_related("unit__parent").get(pk=desk.pk)
    unit = desk.unit
    context = {
        "dossier": None,
        "desk": desk,
        "unit": unit,
        "form": form("supplement", timezone.localdate(issued_at)),
        "issuer_parent": body_name(unit),
        "issuer": desk.name,
        "place": place_name(unit),
        "issued_at": issued_at,
        "applicant": applicant,
        "applicant_title": "Ông/Bà" if applicant.get("kind", "person") == "person" else "",
        "procedure": procedure,
        "pause": None,
        "items": items,
        "guide": person_name(guide),
    }
    return render_pdf("supplement_request.html", context)


def refusal_slip_pdf(*, dossier: Dossier) -> bytes:
    """Refusal slip (form 03, R-LIFE-4): the reasons and their legal basis."""
    dossier = _dossier(dossier, "refusal__refused_by")
    refusal = getattr(dossier, "refusal", None)
    if refusal is None:
        raise DocumentNotAvailable(_("This dossier has not been refused."))
    context = _base(dossier, "refusal", refusal.refused_at)
    context.update(refusal=refusal, signer=person_name(refusal.refused_by))
    return render_pdf("refusal_slip.html", context)


def apology_letter_pdf(*, dossier: Dossier) -> bytes:
    """Apology and new appointment (form 04, R-RES-3): addressee, date received, code,
    original due date, reason for the delay, the apology, the new date, the responsible unit
    and department, recipients, and the signature block of the head of the body."""
    dossier = _dossier(
        dossier, "reschedule__responsible_department", "reschedule__responsible_unit"
    )
    reschedule = getattr(dossier, "reschedule", None)
    if reschedule is None:
        raise DocumentNotAvailable(_("This dossier has not been rescheduled."))
    context = _base(dossier, "apology", reschedule.created_at, by_desk=False)
    responsible = [
        reschedule.responsible_department.name if reschedule.responsible_department else "",
        body_name(reschedule.responsible_unit),
    ]
    context.update(
        reschedule=reschedule,
        responsible=", ".join(r for r in responsible if r),
    )
    return render_pdf("apology_letter.html", context)


def stop_notice_pdf(*, dossier: Dossier) -> bytes:
    """Notice that processing stopped at the applicant's request (Circular 03/2025 form 05)."""
    dossier = _dossier(dossier, "withdrawal__recorded_by")
    withdrawal = getattr(dossier, "withdrawal", None)
    if withdrawal is None:
        raise DocumentNotAvailable(
            _("This dossier has not been stopped at the applicant's request.")
        )
    context = _base(dossier, "stop", withdrawal.withdrawn_at)
    context.update(withdrawal=withdrawal, signer=person_name(withdrawal.recorded_by))
    return render_pdf("stop_notice.html", context)


def dossier_log_pdf(*, desk: ServiceDesk, date_from: dt.date, date_to: dt.date) -> bytes:
    """The dossier log of a desk over a date range (form 06 of 2018, 07 of 2025), A4
    landscape, in a fixed number of queries whatever the number of rows."""
    if date_to < date_from:
        raise DomainError(_("The end date is before the start date."))
    desk = ServiceDesk.objects.select_related("unit").get(pk=desk.pk)
    rows = []
    for d in dossier_log_entries(desk=desk, date_from=date_from, date_to=date_to):
        steps = d.department_steps
        notes = []
        reschedule = getattr(d, "reschedule", None)
        if reschedule is not None:
            notes.append(
                f"Đã xin lỗi, hẹn lại từ {dmy(reschedule.original_due_at)} "
                f"sang {dmy(reschedule.new_due_at)}"
            )
        if d.classification == "late" and reschedule is not None:
            # R-RES-4: late because it was rescheduled, whatever the date of the result.
            notes.append("Quá hạn (hồ sơ đã hẹn lại được tính là quá hạn)")
        elif d.classification:
            notes.append(CLASSIFICATIONS[d.classification])
        elif d.status != "returned":
            notes.append(STATUS_NOTES.get(d.status, d.status))
        refusal = getattr(d, "refusal", None)
        if refusal is not None:
            notes.append(refusal.reason)
        rows.append(
            {
                "dossier": d,
                "contact": ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
                "lead": steps[0].department.name if steps else "",
                "sent_at": steps[0].handed_at if steps else None,
                "notes": "; ".join(notes),
            }
        )
    context = {
        "desk": desk,
        "unit": desk.unit,
        "form": form("log", date_to),
        "issuer_parent": body_name(desk.unit),
        "issuer": desk.name,
        "place": place_name(desk.unit),
        "issued_at": timezone.now(),
        "date_from": date_from,
        "date_to": date_to,
        "rows": rows,
    }
    return render_pdf("dossier_log.html", context)
