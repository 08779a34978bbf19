"""Scoped reads of the evaluations for pages, the API and exports (R-IND-6, R-IND-7, R-FB-4).

Scope: anyone with a role at a unit, or covering it from above, sees the unit's evaluations
(``reports.selectors.require_visible``, a ``PermissionDenied`` otherwise). Officials' figures
(Circular 01 bands, scorecards) are seen by the unit's **leaders and administrators**; any
other official sees only their own. The dossiers behind an index come from
``dossiers.selectors.dossiers_visible``, so nobody lists rows outside their units.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dossiers.selectors import dossiers_acted_on_by, dossiers_visible, dossiers_with_step_closed_by
from portal.exceptions import PermissionDenied
from portal.models import Role
from portal.permissions import has_role
from reports.evaluations import circular01, index766, scorecards
from reports.evaluations.sources import (
    bounds,
    completed_in,
    index7_case,
    points_case,
    step_points_subquery,
)
from reports.periods import Period
from reports.selectors import require_visible

LEAD_ROLES = (Role.LEADER, Role.ADMIN)
DRILLDOWN_INDICES = (1, 2, 5, 7, 9)


def can_see_staff(*, user, unit) -> bool:
    """Leaders and administrators of the unit (or covering it) see every official's figures."""
    return has_role(user=user, unit=unit, roles=LEAD_ROLES)


def can_enter(*, user, unit) -> bool:
    return has_role(user=user, unit=unit, roles=LEAD_ROLES)


def _children(unit, period: Period) -> list:
    return list(unit.children.filter(period.in_force_q()).order_by("name", "pk"))


def _staff_for(*, user, unit, period: Period) -> list:
    people = scorecards.staff_of_unit(unit=unit, period=period)
    if can_see_staff(user=user, unit=unit):
        return people
    return [p for p in people if p.pk == user.pk]


@dataclass
class Circular01Page:
    unit: object
    period: Period
    own: circular01.Evaluation
    children: list = field(default_factory=list)
    staff: list = field(default_factory=list)
    sees_all_staff: bool = False
    can_enter: bool = False


def circular01_page(*, user, unit, period: Period, now=None) -> Circular01Page:
    """The unit's own evaluation, its children's side by side, and its officials' (all of them
    for a leader or an administrator, else the user's own). Raises ``circular01.NoRuleSet``
    when the Circular was not in force at the period's end."""
    require_visible(user=user, unit=unit)
    children = _children(unit, period)
    evs = circular01.evaluate_units([unit, *children], period=period, now=now)
    people = _staff_for(user=user, unit=unit, period=period)
    staff = circular01.evaluate_staff(unit, people, period=period, now=now) if people else {}
    return Circular01Page(
        unit=unit,
        period=period,
        own=evs[unit.pk],
        children=[evs[c.pk] for c in children],
        staff=[staff[p.pk] for p in people],
        sees_all_staff=can_see_staff(user=user, unit=unit),
        can_enter=can_enter(user=user, unit=unit),
    )


@dataclass
class Index766Page:
    unit: object
    period: Period
    profile: object
    profiles: list
    result: index766.Index766Result | None
    siblings: list = field(default_factory=list)
    children: list = field(default_factory=list)
    can_enter: bool = False


def index766_page(*, user, unit, period: Period, profile_code: str | None = None, now=None):
    """The unit's Decision 766 score with its rank among its siblings, and its children ranked.
    ``profile_code`` chooses another reading; ``profile`` is None before the Decision."""
    from reports.evaluations.models import Index766Profile

    require_visible(user=user, unit=unit)
    profile = index766.profile_for(period, profile_code)
    profiles = list(Index766Profile.objects.order_by("-is_active", "-effective_from", "code"))
    if profile is None:
        return Index766Page(unit, period, None, profiles, None)
    siblings = index766.evaluate_siblings(unit, period=period, profile=profile, now=now)
    children = index766.evaluate_children(unit, period=period, profile=profile, now=now)
    ordered = sorted(siblings.values(), key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return Index766Page(
        unit=unit,
        period=period,
        profile=profile,
        profiles=profiles,
        result=siblings[unit.pk],
        siblings=ordered,
        children=sorted(
            children.values(), key=lambda r: (r.rank is None, r.rank or 0, r.unit.name)
        ),
        can_enter=can_enter(user=user, unit=unit),
    )


def scorecards_page(*, user, unit, period: Period, now=None) -> list:
    """The scorecards of the unit's officials (a leader or administrator) or the user's own."""
    require_visible(user=user, unit=unit)
    people = _staff_for(user=user, unit=unit, period=period)
    if not people:
        return []
    return scorecards.scorecards(unit=unit, users=people, period=period, now=now)


def staff_member(*, user, unit, period: Period, staff_id) -> object:
    """An official of the unit the user may see the figures of, or ``PermissionDenied``."""
    for person in _staff_for(user=user, unit=unit, period=period):
        if str(person.pk) == str(staff_id):
            return person
    raise PermissionDenied(_("You may see only your own figures at this unit."))


def evaluation_dossiers(*, user, unit, period: Period, index: int, staff=None) -> QuerySet:
    """The dossiers behind a Circular 01 index of ``unit`` (its own desks) or of an official at
    it (R-IND-5), each annotated with ``index_points`` (2/1/0; index 2: the dossier's step
    score; index 5: the number of department steps; index 9: none)."""
    require_visible(user=user, unit=unit)
    if index not in DRILLDOWN_INDICES:
        raise PermissionDenied(_("This index has no list of dossiers."))
    if staff is not None and staff.pk != user.pk and not can_see_staff(user=user, unit=unit):
        raise PermissionDenied(_("You may see only your own figures at this unit."))
    rule_set = circular01.rule_set_for(period)
    qs = dossiers_visible(user=user).filter(unit=unit)
    if index == 9:
        start, end = bounds(period)
        return qs.filter(channel="online", received_at__gte=start, received_at__lt=end).order_by(
            "received_at", "pk"
        )
    qs = qs.filter(completed_in(period))
    if staff is not None and index in (1, 7):
        qs = dossiers_acted_on_by(qs, user=staff)
    if index == 1:
        qs = qs.annotate(index_points=points_case())
    elif index == 7:
        qs = qs.annotate(index_points=index7_case(staff))
    elif index == 2:
        aggregation = rule_set.step_aggregation if rule_set else "worst"
        qs = qs.annotate(index_points=step_points_subquery(aggregation)).filter(
            index_points__isnull=False
        )
        if staff is not None:
            qs = dossiers_with_step_closed_by(qs, user=staff)
    elif index == 5:
        qs = qs.annotate(index_points=Count("steps", filter=Q(steps__department__isnull=False)))
    return qs.order_by("completed_at", "pk")


def default_quarter(today: dt.date) -> str:
    """The quarter that ended last (the one to file), as text: ``2026-Q1``."""
    q = (today.month - 1) // 3 + 1
    year, q = (today.year, q - 1) if q > 1 else (today.year - 1, 4)
    return f"{year}-Q{q}"
