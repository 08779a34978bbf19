"""What the public tracking page may find and show (R-LIFE-5, R-PRIV-1, R-RES-3).

Anyone holding a receipt slip can look a dossier up, by its code and PIN or through the QR
link (a signed token, see ``dossiers.tracking.tokens``). The page is public, so it shows only what the
slip already says plus the progress of the dossier:

- the status in plain words, the procedure, the desk and its contacts, the dates received and
  due, and after a rescheduling the apology with its reason and new date (R-RES-3: the reason is
  written for the citizen, it is the text of the apology letter and of the SMS already sent);
- the applicant's name masked (``Nguyễn Văn An`` → ``N***** V** An``, R-PRIV-1); never the ID
  number, phone, e-mail or address;
- a timeline of the public events as *kind and time only*. Event notes are free text written by
  staff (a refusal's reasoning, a handover remark, the applicant's own request to stop) and may
  name people or quote ID numbers; event data holds department names and internal deadlines;
  actors are staff members. None of these is read from the database here, so none can leak.

An unknown code and a wrong PIN give the same answer, after the same work: one query and one
keyed hash each (``pin_hash`` is computed even when no dossier has the code).
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers import selectors, services
from dossiers.models import OPEN_STATUSES, Dossier, DossierEvent, DossierStatus, EventKind
from dossiers.tracking.tokens import read_tracking_token
from portal import codes

# Compared against when no dossier has the code, so both failures cost one HMAC.
_NO_DOSSIER_HASH = "0" * 64

# The status in the citizen's words (the model's labels are the staff's words).
STATUS_WORDING = {
    DossierStatus.RECEIVED: _(
        "The desk has logged your dossier; it goes to the department in charge shortly."
    ),
    DossierStatus.IN_PROCESS: _("The department in charge is working on your dossier."),
    DossierStatus.WAITING_SUPPLEMENT: _(
        "Waiting for you to supplement the dossier: the desk has told you what is missing. "
        "Processing resumes when the complete dossier is received."
    ),
    DossierStatus.RESULT_READY: _("The result is ready: collect it as agreed on your slip."),
    DossierStatus.RETURNED: _("The result has been handed over; the dossier is closed."),
    DossierStatus.REFUSED: _(
        "The dossier was refused. The refusal slip states the reason and its legal basis; "
        "contact the desk if you have questions."
    ),
    DossierStatus.WITHDRAWN: _("Processing was stopped at the applicant's request."),
}

# Short labels for the status badge, by tone (CSS modifier).
STATUS_TONE = {
    DossierStatus.RECEIVED: "info",
    DossierStatus.IN_PROCESS: "info",
    DossierStatus.WAITING_SUPPLEMENT: "warn",
    DossierStatus.RESULT_READY: "ok",
    DossierStatus.RETURNED: "ok",
    DossierStatus.REFUSED: "err",
    DossierStatus.WITHDRAWN: "muted",
}


def normalise_code(code: str) -> str:
    """Codes are typed by hand: ignore surrounding spaces and letter case, as the selector
    does, so ``000.01.01.h26-…`` and ``000.01.01.H26-…`` share one rate-limit bucket."""
    return (code or "").strip().upper()


def dossier_by_code_and_pin(*, code: str, pin: str) -> Dossier | None:
    """The dossier with this code when the PIN matches, else ``None`` (the same for an
    unknown code and a wrong PIN, after the same work)."""
    dossier = selectors.dossier_for_pin_check(code=code)
    if dossier is None:
        hmac.compare_digest(
            _NO_DOSSIER_HASH, codes.pin_hash(code=normalise_code(code), pin=(pin or "").strip())
        )
        return None
    return dossier if services.pin_matches(dossier=dossier, pin=pin or "") else None


def dossier_id_from_token(*, token: str) -> int | None:
    """The dossier id of a QR link, or ``None`` when the token is changed, forged, malformed
    or older than ``TRACKING_TOKEN_MAX_AGE_DAYS`` (one answer for all of them). No query."""
    max_age = dt.timedelta(days=settings.TRACKING_TOKEN_MAX_AGE_DAYS)
    try:
        return read_tracking_token(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    at: dt.datetime


@dataclass(frozen=True)
class PublicReschedule:
    reason: str
    original_due_at: dt.datetime
    new_due_at: dt.datetime


@dataclass(frozen=True)
class PublicDossier:
    """Everything the public page shows, and nothing else: the template gets this, not the
    model, so it cannot reach the applicant's phone, ID number or address by mistake."""

    code: str
    applicant: str
    procedure: str
    status: str
    status_label: str
    status_wording: str
    status_tone: str
    is_overdue: bool
    received_at: dt.datetime
    due_at: dt.datetime
    completed_at: dt.datetime | None
    unit: str
    desk_name: str
    desk_address: str
    desk_phone: str
    desk_email: str
    desk_hours: str
    reschedule: PublicReschedule | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)


# The only columns the public page reads: of the applicant's data, the name alone (masked
# before it leaves this module); never the ID number, phone, e-mail or address.
_PUBLIC_COLUMNS = (
    "code",
    "applicant_name",
    "status",
    "received_at",
    "due_at",
    "completed_at",
    "procedure__name",
    "unit__name",
    "desk__name",
    "desk__address",
    "desk__phone",
    "desk__email",
    "desk__opening_hours",
    "reschedule__reason",
    "reschedule__original_due_at",
    "reschedule__new_due_at",
)


def public_view(*, dossier_id, now=None) -> PublicDossier | None:
    """The public face of a dossier, or ``None`` when there is no such dossier. Two queries:
    the dossier with its procedure, unit, desk and rescheduling in one row, then the public
    events (the tracking page is the portal's busiest public page)."""
    row = Dossier.objects.filter(pk=dossier_id).values(*_PUBLIC_COLUMNS).first()
    if row is None:
        return None
    now = now or timezone.now()
    events = (
        DossierEvent.objects.filter(dossier_id=dossier_id, is_public=True)
        .order_by("at", "id")
        .values_list("kind", "at")
    )
    status = DossierStatus(row["status"])
    reschedule = None
    if row["reschedule__new_due_at"] is not None:
        reschedule = PublicReschedule(
            reason=row["reschedule__reason"],
            original_due_at=row["reschedule__original_due_at"],
            new_due_at=row["reschedule__new_due_at"],
        )
    return PublicDossier(
        code=row["code"],
        applicant=Dossier(applicant_name=row["applicant_name"]).masked_applicant_name,
        procedure=row["procedure__name"],
        status=status,
        status_label=status.label,
        status_wording=STATUS_WORDING[status],
        status_tone=STATUS_TONE[status],
        is_overdue=status in OPEN_STATUSES and row["due_at"] < now,
        received_at=row["received_at"],
        due_at=row["due_at"],
        completed_at=row["completed_at"],
        unit=row["unit__name"],
        desk_name=row["desk__name"],
        desk_address=row["desk__address"],
        desk_phone=row["desk__phone"],
        desk_email=row["desk__email"],
        desk_hours=row["desk__opening_hours"],
        reschedule=reschedule,
        timeline=[TimelineEntry(label=EventKind(kind).label, at=at) for kind, at in events],
    )
