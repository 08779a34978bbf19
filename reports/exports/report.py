"""The PDF report of a unit for a month, a quarter or a year (issue 11): the indicators with
their targets (R-IND-8), the ranking of the units below it (R-IND-3), the dashboards' charts,
the Circular 01 evaluation (R-IND-6), the Decision 766 index (R-IND-7) and the late dossiers
(a summary by procedure instead of the list above ``REPORTS_PDF_LATE_ROWS_MAX`` rows).

Built from the same scoped selectors as the pages, as the user who asked for it (a job runs as
its owner), rendered by WeasyPrint with the shipped fonts (``portal.pdf``). Applicants' names
are not printed: the late dossiers show their codes, procedures and dates.
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import drilldown, selectors
from reports.evaluations import circular01, rules
from reports.evaluations import selectors as evaluation_selectors
from reports.models import Indicator
from reports.periods import Period
from reports.rankings import COMPOSITE


def late_rows_max() -> int:
    return int(getattr(settings, "REPORTS_PDF_LATE_ROWS_MAX", 1000))


def chart_svgs(*, user, unit, period: Period) -> list[dict]:
    """The dashboards' server-rendered SVG trend charts (``reports.dashboard.trend_charts``,
    drawn by ``reports.charts``), the same SVG the page shows, as
    ``[{"title": ..., "svg": <safe SVG markup>}]`` for ``templates/reports/pdf/unit_report.html``."""
    from reports.dashboard import trend_charts

    drawn = trend_charts(user=user, unit=unit, period=period)
    return [
        {
            "title": _("On-time rate, satisfaction and complaints answered in time by month"),
            "svg": drawn["rates"],
        },
        {"title": _("Dossiers received by month"), "svg": drawn["received"]},
    ]


def late_dossiers(*, user, unit, period: Period, limit: int, now=None) -> dict:
    """The late dossiers of the period: the list when there are at most ``limit``, otherwise a
    summary (counts by procedure and by desk, the 20 largest) read with two grouped queries,
    never the list."""
    qs = drilldown.dossiers_behind(user=user, unit=unit, period=period, figure="late", now=now)
    count = qs.count()
    out = {"count": count, "limit": limit, "rows": [], "by_procedure": [], "by_desk": []}
    if count <= limit:
        out["rows"] = list(
            qs.values(
                "code",
                "received_at",
                "due_at",
                "completed_at",
                procedure_name=F("procedure__name"),
                desk_name=F("desk__name"),
            )
        )
        return out
    base = qs.order_by()
    out["by_procedure"] = list(
        base.values(procedure_code=F("procedure__code"), procedure_name=F("procedure__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "procedure_code")[:20]
    )
    out["by_desk"] = list(
        base.values(desk_name=F("desk__name"), unit_name=F("unit__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "desk_name")[:20]
    )
    return out


def report_context(
    *,
    user,
    unit,
    period: Period,
    now: dt.datetime | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> dict:
    """Everything the report template prints. ``progress(percent, step)`` is told as each part
    is read (the job stores it)."""
    now = now or timezone.now()

    def step(percent, label):
        if progress is not None:
            progress(percent, label)

    step(5, "indicators")
    indicators = selectors.indicator_values(user=user, unit=unit, period=period, now=now)
    step(15, "ranking")
    ranking = selectors.ranking_table(user=user, unit=unit, period=period, now=now)
    step(25, "evaluation")
    try:
        c01 = evaluation_selectors.circular01_page(user=user, unit=unit, period=period, now=now)
    except circular01.NoRuleSet:
        c01 = None
    step(35, "index766")
    i766 = evaluation_selectors.index766_page(user=user, unit=unit, period=period, now=now)
    step(45, "late")
    late = late_dossiers(user=user, unit=unit, period=period, limit=late_rows_max(), now=now)
    step(55, "charts")
    charts = chart_svgs(user=user, unit=unit, period=period)
    keys = ranking.indicators
    labels = {**dict(Indicator.choices), COMPOSITE: _("Composite score")}
    return {
        "ranking_headers": [labels[k] for k in keys],
        "ranking_cells": [
            {"row": row, "cells": [(row.values.get(k), row.ranks.get(k)) for k in keys]}
            for row in ranking.ordered()
        ],
        "c01_numbers": rules.AGENCY_INDICES,
        "c01_rows": [
            {"ev": ev, "values": [ev.index(n).value for n in rules.AGENCY_INDICES]}
            for ev in ((c01.own, *c01.children) if c01 else ())
        ],
        "c01_staff_numbers": rules.OFFICIAL_INDICES,
        "c01_staff_rows": [
            {"ev": ev, "values": [ev.index(n).value for n in rules.OFFICIAL_INDICES]}
            for ev in (c01.staff if c01 else ())
        ],
        "unit": unit,
        "period": period,
        "generated_at": now,
        "generated_by": user,
        "indicators": indicators,
        "ranking": ranking,
        "circular01": c01,
        "index766": i766,
        "late": late,
        "charts": charts,
    }


def render_report(context: dict, *, language: str = "vi") -> bytes:
    from portal.pdf import render_pdf_template  # WeasyPrint loads only when a PDF is made

    return render_pdf_template("reports/pdf/unit_report.html", context, language=language)
