"""The audit trail: one writer for every app (R-PRIV-1, DESIGN "an audit row for every state
change and every personal-data export")."""

from portal.models import AuditLog

# The actions that hand personal data out of the portal (prints, downloads, exports): R-PRIV-1
# asks that each is logged. The admin's audit log filters on them ("Exports and prints");
# tests/portal/test_exports_audited.py checks that every print and file answer writes one.
PERSONAL_DATA_EXPORT_ACTIONS = (
    "dossier.document_export",
    "dossier_log.export",
    "intake.guidance_export",
    "feedback.receipt.print",
    "feedback.reply_letter.print",
    "feedback.reply_letter.preview",
    "feedback.attachment.download",
    "survey_invitation.printed",
    "export.streamed",
    "export.downloaded",
    "export.personal_data_written",
)


def audit_log_write(
    *, actor, action: str, instance=None, object_type: str = "", object_id="", unit=None, data=None
) -> AuditLog:
    """Append one audit row. Call it inside the transaction of the change it records, so the
    row and the change are written or lost together. An anonymous actor (a citizen on a public
    page, a task) is stored as no one."""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or instance.pk
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        unit=unit,
        data=data or {},
    )
