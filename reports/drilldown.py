"""The rows behind every figure (R-IND-5): for a unit (with its descendants) and a period, the
dossiers, supplement requests, survey responses or feedback events and items a figure counts.
Their count equals the figure (tests/reports/test_drilldown_counts.py,
tests/reports/test_complaint_figures.py).

They start from the apps' scoped selectors (``dossiers.selectors.dossiers_visible``,
``surveys.selectors.responses_filtered``, ``feedback.selectors.items_visible``), so nobody sees
rows outside their units: a commune leader sees their siblings' figures in a ranking but not
the dossiers behind them. The counting rules are the apps' own (``dossiers.selectors``'
``FLOW_FIGURES`` and overdue snapshot, ``feedback.selectors``' handling events and overdue
snapshot), the same the rollups use.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from feedback import selectors as feedback_selectors
from portal.models import AdministrativeUnit
from reports import days as days_mod
from reports.exceptions import UnknownIndicator
from reports.figures import ONLINE, snapshot_day
from reports.periods import Period
from reports.selectors import require_visible
from surveys.selectors import responses_filtered, responses_with_answer

# The dossier figures with a list; ``received_online`` is ``received`` on the online channel,
# ``early_or_on_time`` the numerator of the on-time rate (early + on time).
DOSSIER_FIGURES = (
    *(f for f in dossier_selectors.FLOW_FIGURES if f != "supplement_requests"),
    "received_online",
    "early_or_on_time",
)
# Complaint figures (``reports.figures.Figures``) → ``feedback.selectors.HANDLING_FIGURES``;
# ``complaints_overdue`` is the snapshot.
COMPLAINT_FIGURES = {
    "complaints_received": "received",
    "complaints_answered": "answered",
    "complaints_answered_in_time": "answered_in_time",
}
FIGURES = (
    *DOSSIER_FIGURES,
    "overdue",
    "supplement_requests",
    *COMPLAINT_FIGURES,
    "complaints_overdue",
)


def _bounds(period: Period):
    return days_mod.day_start(period.start), days_mod.day_end(period.end)


def dossiers_behind(
    *, user, unit, period: Period, figure: str, channel: str | None = None, now=None
) -> QuerySet:
    """The dossiers behind a dossier figure of ``reports.selectors.indicator_values``: received,
    received_online, completed, early, on_time, early_or_on_time, late, refused, apologies,
    withdrawn, or overdue (the snapshot of the period's last day, or now). ``channel`` narrows to one
    reception channel (the rollups keep it). For supplement requests (a dossier may have two)
    use ``supplement_requests_behind``."""
    require_visible(user=user, unit=unit)
    if figure not in (*DOSSIER_FIGURES, "overdue"):
        raise UnknownIndicator(_("No list of dossiers behind “%(name)s”.") % {"name": figure[:40]})
    qs = dossier_selectors.dossiers_visible(user=user).filter(unit__path__startswith=unit.path)
    if figure == "received_online":
        figure, channel = "received", ONLINE
    if channel:
        qs = qs.filter(channel=channel)
    if figure == "overdue":
        day = snapshot_day(period, now)
        if day < period.start:
            return qs.none()
        moment = days_mod.snapshot_moment(day, now)
        return dossier_selectors.dossiers_overdue_at(qs, day=day, moment=moment).order_by(
            "due_at", "pk"
        )
    if figure == "early_or_on_time":
        (kind, early), (_kind, on_time) = (
            dossier_selectors.FLOW_FIGURES["early"],
            dossier_selectors.FLOW_FIGURES["on_time"],
        )
        extra = {"classification__in": [early["classification"], on_time["classification"]]}
    else:
        kind, extra = dossier_selectors.FLOW_FIGURES[figure]
    start, end = _bounds(period)
    return dossier_selectors.dossiers_with_event(
        qs.filter(**extra), kind=kind, start=start, end=end
    ).order_by("received_at", "pk")


def supplement_requests_behind(
    *, user, unit, period: Period, channel: str | None = None
) -> QuerySet:
    """The supplement requests behind that figure: one event per request, with its dossier."""
    require_visible(user=user, unit=unit)
    dossiers = dossier_selectors.dossiers_visible(user=user).filter(
        unit__path__startswith=unit.path
    )
    if channel:
        dossiers = dossiers.filter(channel=channel)
    start, end = _bounds(period)
    return dossier_selectors.supplement_request_events(dossiers=dossiers, start=start, end=end)


def responses_behind(
    *,
    user,
    unit,
    period: Period,
    form_code: str | None = None,
    criterion_code: str | None = None,
    answer: str = "any",
) -> QuerySet:
    """The survey responses behind a satisfaction figure: all responses of the unit in the
    period (the sample size), or those whose answer to a criterion is ``answer`` ("valid": the
    index's denominator, "satisfied": its numerator, "na", "blank" or a value)."""
    require_visible(user=user, unit=unit)
    qs = responses_filtered(
        user=user, unit=unit, date_from=period.start, date_to=period.end, form_code=form_code
    )
    if criterion_code:
        qs = responses_with_answer(qs, criterion_code=criterion_code, answer=answer)
    return qs.order_by("submitted_at", "pk")


def feedback_behind(*, user, unit, period: Period, figure: str, now=None) -> QuerySet:
    """The feedback rows behind a complaint figure, within what the user may see
    (``feedback.selectors.items_visible``): for ``complaints_received``, ``_answered`` and
    ``_answered_in_time`` one event per count (receipt or answer, with its item: an item
    answered twice counts twice), at units under ``unit``; for ``complaints_overdue`` the items
    of the period's last day's snapshot (or now) in the charge of a unit under ``unit`` then.
    ``feedback_item(row)`` gives the item of either kind of row."""
    require_visible(user=user, unit=unit)
    if figure not in (*COMPLAINT_FIGURES, "complaints_overdue"):
        raise UnknownIndicator(_("No list of feedback behind “%(name)s”.") % {"name": figure[:40]})
    items = feedback_selectors.items_visible(user=user)
    if figure == "complaints_overdue":
        day = snapshot_day(period, now)
        if day < period.start:
            return items.none()
        moment = days_mod.snapshot_moment(day, now)
        return feedback_selectors.items_overdue_at(
            items, day=day, moment=moment, path=unit.path
        ).order_by("due_at", "pk")
    start, end = _bounds(period)
    units = AdministrativeUnit.objects.filter(path__startswith=unit.path).values("pk")
    return feedback_selectors.items_with_event(
        items, figure=COMPLAINT_FIGURES[figure], start=start, end=end, units=units
    )


def feedback_item(row):
    """The item of a row of ``feedback_behind`` (an event with its item, or an item)."""
    return getattr(row, "item", row)
