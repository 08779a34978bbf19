"""Role checks used by services (R-UNIT-3): a service refuses an actor without the role at the
dossier's unit, whoever calls it (page, API, admin action or task)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from portal import selectors
from portal.exceptions import PermissionDenied


def has_role(*, user, unit, roles: Iterable[str]) -> bool:
    if user.is_superuser:
        return True
    return selectors.user_can_see_unit(user=user, unit=unit, roles=roles)


def require_role(*, user, unit, roles: Iterable[str]) -> None:
    if not has_role(user=user, unit=unit, roles=roles):
        raise PermissionDenied(_("You do not have a role at this unit that allows this action."))
