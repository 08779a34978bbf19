"""The rows behind every figure (R-IND-5): for a unit (with its descendants) and a period, the
dossiers, supplement requests or survey responses a figure counts. Their count equals the
figure (tests/reports/test_drilldown_counts.py).

They start from the apps' scoped selectors (``dossiers.selectors.dossiers_visible``,
``surveys.selectors.responses_filtered``), so nobody sees rows outside their units: a commune
leader sees their siblings' figures in a ranking but not the dossiers behind them.

Queries written here because the apps have no such selector yet (the lead may move them into
``dossiers.selectors``): ``dossiers_with_event`` (dossiers with an event of a kind in a period)
and ``dossiers_overdue_at`` (the overdue-in-process snapshot at a moment, the same SQL as the
rollups').
"""

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from dossiers.models import Classification, Dossier, DossierEvent, EventKind
from dossiers.selectors import dossiers_visible
from reports import days as days_mod
from reports.exceptions import UnknownIndicator
from reports.figures import ONLINE, snapshot_day
from reports.periods import Period
from reports.rollups import overdue_sql
from reports.selectors import require_visible
from surveys.models import Response
from surveys.selectors import responses_filtered, responses_with_answer

K = EventKind
# figure → (event kind, extra filter on the dossier)
DOSSIER_FIGURES = {
    "received": (K.RECEIVED, {}),
    "received_online": (K.RECEIVED, {"channel": ONLINE}),
    "completed": (K.COMPLETED, {}),
    "early": (K.COMPLETED, {"classification": Classification.EARLY}),
    "on_time": (K.COMPLETED, {"classification": Classification.ON_TIME}),
    "late": (K.COMPLETED, {"classification": Classification.LATE}),
    "refused": (K.REFUSED, {}),
    "apologies": (K.RESCHEDULED, {}),
    "withdrawn": (K.WITHDRAWN, {}),
}
FIGURES = (*DOSSIER_FIGURES, "overdue", "supplement_requests")


def _events_in(period: Period, kind: str):
    return DossierEvent.objects.filter(
        kind=kind,
        at__gte=days_mod.day_start(period.start),
        at__lt=days_mod.day_end(period.end),
    )


def dossiers_with_event(queryset: QuerySet[Dossier], *, kind: str, period: Period):
    """The dossiers of ``queryset`` with an event of ``kind`` on a local day of the period."""
    return queryset.filter(Exists(_events_in(period, kind).filter(dossier=OuterRef("pk"))))


def dossiers_overdue_at(queryset: QuerySet[Dossier], *, day: dt.date, moment: dt.datetime):
    """The dossiers of ``queryset`` overdue in process at ``moment`` (day ``day``'s snapshot)."""
    sql, params = overdue_sql(select="d.id", moments=[(day, moment)])
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are parameters


def dossiers_behind(
    *, user, unit, period: Period, figure: str, channel: str | None = None, now=None
) -> QuerySet[Dossier]:
    """The dossiers behind a dossier figure of ``reports.selectors.indicator_values``: received,
    received_online, completed, early, on_time, late, refused, apologies, withdrawn, or
    overdue (the snapshot of the period's last day, or now). ``channel`` narrows to one
    reception channel (the rollups keep it). For supplement requests (a dossier may have two)
    use ``supplement_requests_behind``."""
    require_visible(user=user, unit=unit)
    qs = dossiers_visible(user=user).filter(unit__path__startswith=unit.path)
    if channel:
        qs = qs.filter(channel=channel)
    if figure == "overdue":
        day = snapshot_day(period, now)
        if day < period.start:
            return qs.none()
        return dossiers_overdue_at(qs, day=day, moment=days_mod.snapshot_moment(day, now)).order_by(
            "due_at", "pk"
        )
    if figure not in DOSSIER_FIGURES:
        raise UnknownIndicator(_("No list of dossiers behind “%(name)s”.") % {"name": figure[:40]})
    kind, extra = DOSSIER_FIGURES[figure]
    return dossiers_with_event(qs.filter(**extra), kind=kind, period=period).order_by(
        "received_at", "pk"
    )


def supplement_requests_behind(
    *, user, unit, period: Period, channel: str | None = None
) -> QuerySet[DossierEvent]:
    """The supplement requests behind that figure: one event per request, with its dossier."""
    require_visible(user=user, unit=unit)
    dossiers = dossiers_visible(user=user).filter(unit__path__startswith=unit.path)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    return (
        _events_in(period, K.SUPPLEMENT_REQUESTED)
        .filter(dossier__in=dossiers.values("pk"))
        .select_related("dossier")
        .order_by("at", "pk")
    )


def responses_behind(
    *,
    user,
    unit,
    period: Period,
    form_code: str | None = None,
    criterion_code: str | None = None,
    answer: str = "any",
) -> QuerySet[Response]:
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
