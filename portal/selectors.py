"""Reads of the core app shared by pages, the API, reports and other apps.

Unit scoping (R-UNIT-3) lives here so that no caller can forget it: a role at a unit covers
that unit, and its descendants only when the membership says so.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal import request_memo
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


def _memberships_in_force(*, user, on: date) -> tuple[Membership, ...]:
    """``active_memberships`` as a tuple, read once per request (``portal.request_memo``)."""
    return request_memo.remembered(
        ("memberships", user.pk, on), lambda: tuple(active_memberships(user=user, on=on))
    )


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
    if not user.is_authenticated:
        return Q(pk__in=[])
    roles = None if roles is None else set(roles)
    q = Q(pk__in=[])  # matches nothing
    for m in _memberships_in_force(user=user, on=on or _today()):
        if roles is not None and m.role not in roles:
            continue
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
    if request_memo.active():  # the memberships of this request, already read: no query
        paths = set(unit.ancestors_and_self_paths())
        roles = None if roles is None else set(roles)
        return any(
            (roles is None or m.role in roles)
            and (m.unit_id == unit.pk or (m.covers_descendants and m.unit.path in paths))
            for m in _memberships_in_force(user=user, on=on)
        )
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
    if not user.is_authenticated:
        return set()
    return {m.role for m in _memberships_in_force(user=user, on=_today())}


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


# --- administration by unit admins (R-UNIT-3) --------------------------------------------
def administers(*, user, unit) -> bool:
    """Whether ``user`` may configure ``unit``: an admin role there, or at an ancestor with
    ``covers_descendants``; superusers everywhere."""
    return user_can_see_unit(user=user, unit=unit, roles=[Role.ADMIN])


def administers_with_descendants(*, user, unit) -> bool:
    """Whether ``user``'s admin scope includes ``unit`` and every unit under it: an admin role
    covering descendants at the unit or an ancestor (what granting a role that covers
    descendants, or ending one, asks for). Superusers everywhere."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        in_force_q(_today()),
        user=user,
        role=Role.ADMIN,
        covers_descendants=True,
        unit__path__in=unit.ancestors_and_self_paths(),
    ).exists()


def administered_units(*, user) -> QuerySet[AdministrativeUnit]:
    """Units the user may configure (an admin role, with its descendants when granted so)."""
    return visible_units(user=user, roles=[Role.ADMIN]).order_by("path")


def admin_root_units(*, user) -> list[AdministrativeUnit]:
    """The units of the user's own admin roles, where the administration pages start (every
    unit for a superuser would be the whole country: the top units of each tree instead)."""
    if user.is_authenticated and user.is_superuser:
        return list(
            AdministrativeUnit.objects.filter(parent__isnull=True)
            .select_related("tree")
            .order_by("path")
        )
    return [m.unit for m in active_memberships(user=user, roles=[Role.ADMIN])]


def unit_admins_left(*, unit, excluding_membership=None, excluding_user=None) -> bool:
    """Whether someone other than what is excluded still holds an active admin role covering
    ``unit`` (there, or at an ancestor with ``covers_descendants``), on an active account:
    a unit is never left without an administrator by its own admins (superusers aside)."""
    qs = Membership.objects.filter(
        in_force_q(_today()),
        Q(unit_id=unit.pk)
        | Q(covers_descendants=True, unit__path__in=unit.ancestors_and_self_paths()),
        role=Role.ADMIN,
        user__is_active=True,
    )
    if excluding_membership is not None:
        qs = qs.exclude(pk=excluding_membership.pk)
    if excluding_user is not None:
        qs = qs.exclude(user=excluding_user)
    return qs.exists()


def sets_the_calendar(*, user) -> bool:
    """Whether ``user`` may change the working calendar (R-DUE-1): the calendar is one for the
    whole deployment, so only an admin of a unit at ``PORTAL_CALENDAR_LEVEL`` (the city or
    province, by default) may, and superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    level = getattr(settings, "PORTAL_CALENDAR_LEVEL", "city")
    return active_memberships(user=user, roles=[Role.ADMIN]).filter(unit__level=level).exists()


def unit_memberships(*, unit) -> QuerySet[Membership]:
    """The roles held at ``unit`` today, with their people and departments, for its admins."""
    return (
        Membership.objects.filter(in_force_q(_today()), unit=unit)
        .select_related("user", "department", "department__desk")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
