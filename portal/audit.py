"""The audit trail: one writer for every app (R-PRIV-1, DESIGN "an audit row for every state
change and every personal-data export")."""

from portal.models import AuditLog


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
