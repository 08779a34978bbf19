"""Who sees an export job: its owner, and the administrators of the unit it is about (a role
``admin`` at that unit, or at a unit above it that covers its descendants). Nobody else, not
even the unit's leaders: a file may hold personal data (R-PRIV-1)."""

from django.db.models import Q, QuerySet

from portal.models import Role
from portal.permissions import has_role
from portal.selectors import unit_scope_q
from reports.exports.models import ExportJob


def jobs_visible(*, user) -> QuerySet[ExportJob]:
    if not user.is_authenticated:
        return ExportJob.objects.none()
    scope = Q(owner=user) | unit_scope_q(user=user, roles=[Role.ADMIN], prefix="unit__")
    return ExportJob.objects.filter(scope).select_related("owner", "unit").order_by("-created_at")


def job_for(*, user, pk) -> ExportJob:
    """One visible job; ``ExportJob.DoesNotExist`` for another's job, the same as a missing one."""
    return jobs_visible(user=user).get(pk=pk)


def is_unit_admin(*, user, job: ExportJob) -> bool:
    return has_role(user=user, unit=job.unit, roles=[Role.ADMIN])
