"""Printing a dossier's documents, each print logged: slips and letters carry the applicant's
personal data, and R-PRIV-1 asks that exports of personal data are logged. Pages and the API
both come here, so neither can forget the audit row."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_log_write

DOCUMENT_KINDS = {
    "receipt": _("Receipt and appointment slip"),
    "control-slip": _("Process control slip"),
    "supplement-request": _("The latest supplement request"),
    "refusal": _("Refusal slip"),
    "apology": _("Apology and new appointment"),
    "stop-notice": _("Stop notice"),
}


def _render(dossier, kind: str, pin: str | None) -> bytes:
    from dossiers import documents  # WeasyPrint loads only when a PDF is asked for

    if kind == "receipt":
        return documents.receipt_slip_pdf(dossier=dossier, pin=pin)
    if kind == "control-slip":
        return documents.process_control_slip_pdf(dossier=dossier)
    if kind == "supplement-request":
        pause = dossier.pauses.order_by("-requested_at", "-id").first()
        if pause is None:
            raise documents.DocumentNotAvailable(
                _("No supplement has been requested for this dossier.")
            )
        return documents.supplement_request_pdf(dossier=dossier, pause=pause)
    if kind == "refusal":
        return documents.refusal_slip_pdf(dossier=dossier)
    if kind == "apology":
        return documents.apology_letter_pdf(dossier=dossier)
    if kind == "stop-notice":
        return documents.stop_notice_pdf(dossier=dossier)
    raise Http404


def dossier_document_export(*, dossier, kind: str, user, pin: str | None = None) -> bytes:
    """The PDF of one of a dossier's documents, for a user who may see the dossier (the caller
    fetched it through a scoped selector); writes an audit row."""
    if kind not in DOCUMENT_KINDS:
        raise Http404
    pdf = _render(dossier, kind, pin)
    audit_log_write(
        actor=user,
        action="dossier.document_export",
        instance=dossier,
        unit=dossier.unit,
        data={"kind": kind},  # never the PIN
    )
    return pdf


def dossier_log_export(*, desk, date_from, date_to, user) -> bytes:
    """The desk's dossier log (form 06, A4) for a date range; writes an audit row."""
    from dossiers import documents

    pdf = documents.dossier_log_pdf(desk=desk, date_from=date_from, date_to=date_to)
    audit_log_write(
        actor=user,
        action="dossier_log.export",
        instance=desk,
        unit=desk.unit,
        data={"from": date_from.isoformat(), "to": date_to.isoformat()},
    )
    return pdf


def guidance_export(*, desk, procedure, applicant: dict, items: list[dict], user) -> bytes:
    """Form 02 for an applicant whose dossier is not complete (not received, so no dossier);
    it names the applicant, so the print is audited like a dossier's documents."""
    from dossiers import documents

    pdf = documents.guidance_pdf(
        desk=desk, procedure=procedure, applicant=applicant, items=items, guide=user
    )
    audit_log_write(
        actor=user,
        action="intake.guidance_export",
        instance=desk,
        unit=desk.unit,
        data={"procedure": procedure.pk, "items": [i["name"] for i in items]},
    )
    return pdf
