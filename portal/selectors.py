"""Reads of the core app shared by pages, the API, reports and other apps.

Unit scoping (R-UNIT-3) lives here so that no caller can forget it: a role at a unit covers
that unit, and its descendants only when the membership says so.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.models import AdministrativeUnit, Membership, Role, ServiceDesk


def _today():
    return timezone.localdate()


def in_force_q(
    on: date, *, prefix: str = "", start: str = "valid_from", end: str = "valid_to"
) -> Q:
    """A ``Q`` for rows in force on the day ``on``: started on or before it (or with no start)
    and not ended before it (or with no end). ``prefix`` reaches a related model
    (``"unit__"``); ``end=None`` for tables that only have a start, such as rule sets."""
    q = Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": on})
    if end is not None:
        q &= Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": on})
    return q


def active_memberships(
    *, user, on: date | None = None, roles: Iterable[str] | None = None
) -> QuerySet[Membership]:
    """The user's memberships in force on ``on`` (today by default).

    The unit itself may have ended (a legacy district after 1 July 2025): a role there still
    lets its holder see that unit's history."""
    on = on or _today()
    if not user.is_authenticated:
        return Membership.objects.none()
    qs = (
        Membership.objects.filter(user=user)
        .filter(in_force_q(on))
        .select_related("unit", "unit__tree", "department")
    )
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.order_by("unit__path", "role")


def unit_scope_q(
    *, user, roles: Iterable[str] | None = None, prefix: str = "", on: date | None = None
) -> Q:
    """A ``Q`` that limits a queryset to the units the user may see.

    ``prefix`` is the lookup path from the queried model to its unit (e.g. ``"unit__"`` for a
    model with a ``unit`` foreign key, ``""`` for units themselves). Superusers see everything;
    a user without memberships sees nothing.
    """
    if user.is_authenticated and user.is_superuser:
        return Q()
    q = Q(pk__in=[])  # matches nothing
    for m in active_memberships(user=user, on=on, roles=roles):
        if m.covers_descendants:
            q |= Q(**{f"{prefix}path__startswith": m.unit.path})
        else:
            q |= Q(**{f"{prefix}pk": m.unit_id})
    return q


def visible_units(
    *, user, roles: Iterable[str] | None = None, on: date | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units the user may see (with the given roles, or any role)."""
    return AdministrativeUnit.objects.filter(
        unit_scope_q(user=user, roles=roles, on=on)
    ).select_related("tree", "parent")


def user_can_see_unit(
    *, user, unit: AdministrativeUnit, roles: Iterable[str] | None = None
) -> bool:
    """Whether the user holds a role (one of ``roles``) at the unit, or at an ancestor with
    ``covers_descendants``: the same rule as ``unit_scope_q``, in one EXISTS query (services
    ask it on every action)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    on = _today()
    qs = Membership.objects.filter(
        in_force_q(on),
        Q(unit_id=unit.pk)
        | Q(covers_descendants=True, unit__path__in=unit.ancestors_and_self_paths()),
        user=user,
    )
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.exists()


def user_roles(*, user) -> set[str]:
    """The set of roles the user holds anywhere today (for navigation)."""
    if user.is_authenticated and user.is_superuser:
        return set(Role.values)
    return set(active_memberships(user=user).values_list("role", flat=True))


def unit_children(
    *, unit: AdministrativeUnit, on: date | None = None
) -> QuerySet[AdministrativeUnit]:
    """Direct children of a unit that exist on ``on`` (today by default)."""
    on = on or _today()
    return unit.children.filter(in_force_q(on))


def desks_visible(
    *, user, roles: Iterable[str] | None = None, include_inactive: bool = False
) -> QuerySet[ServiceDesk]:
    """Service desks of the units the user may see with ``roles`` (any role if None), in unit
    and name order. Only active desks unless ``include_inactive``: a closed desk still owns its
    history (survey answers, dossiers), so filters over past data ask for it too."""
    qs = ServiceDesk.objects.filter(unit_scope_q(user=user, roles=roles, prefix="unit__"))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("unit").order_by("unit__path", "name")
