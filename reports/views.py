"""Dashboard pages for commune, district and city leaders (R-IND-1..5, R-IND-8), mounted at
/bao-cao/ (namespace ``reports``) by ``portal/urls.py``.

- ``dashboard_home``: the units the user may open (straight to the dashboard with only one);
- ``dashboard``: one unit over one period, from the rollups (``reports.dashboard``);
- ``figure_list``: the rows behind one figure (R-IND-5), paginated, scoped to the user's units:
  their count is the figure.

A unit the user may not see is a 404, as in the API (a commune leader sees their siblings'
figures in the ranking, not their dashboards or rows).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.exceptions import PermissionDenied
from portal.http import no_store
from portal.models import AdministrativeUnit
from portal.selectors import active_memberships, visible_units
from reports import dashboard as board
from reports import drilldown, periods
from reports.cache import cache_page, cached_page, dashboard_key, page_cache_seconds
from reports.exceptions import InvalidPeriod, UnknownIndicator
from reports.forms import PeriodForm

LIST_PAGE_SIZE = 50
BODY_MARK = "@@reports-dashboard-body@@"  # plain text: autoescaping leaves it alone


def _unit(request, unit_id) -> AdministrativeUnit:
    unit = visible_units(user=request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit among yours."))
    return unit


def default_period(unit, today) -> periods.Period:
    """The last complete quarter (leaders compare quarters, Circular 01/2018 evaluates them; a
    month is often under the ranking's minimum sample), or for a unit that no longer exists (a
    legacy district after 30 June 2025) its last quarter, for one that does not exist yet its
    first. The current period is one click away (Next period)."""
    if unit.valid_to and unit.valid_to < today:
        day = unit.valid_to
    elif unit.valid_from and unit.valid_from > today:
        day = unit.valid_from
    else:
        current = periods.quarter(today.year, (today.month - 1) // 3 + 1)
        return current.previous()
    return periods.quarter(day.year, (day.month - 1) // 3 + 1)


def _period(request, unit):
    """(period, form, error) from ``?period=`` (links) or the picker's fields."""
    today = timezone.localdate()
    error = ""
    if "kind" in request.GET:
        form = PeriodForm(request.GET, today=today)  # bound: needed now
        if form.is_valid():
            try:
                period = form.period()
                return period, _form_for(period, today), ""
            except InvalidPeriod as exc:
                error = str(exc)
        else:
            error = _("Choose a period.")
    elif request.GET.get("period"):
        try:
            period = periods.parse_period(request.GET["period"])
            return period, _form_for(period, today), ""
        except InvalidPeriod as exc:
            error = str(exc)
    period = default_period(unit, today)
    return period, _form_for(period, today), error


def _form_for(period, today):
    """The picker showing ``period``, made only if a page is rendered (not for a cached one)."""
    return SimpleLazyObject(lambda: PeriodForm.for_period(period, today=today))


def _top_units(user) -> list[AdministrativeUnit]:
    """The units the user holds a role at, without those another of their roles covers; a
    superuser without roles gets the root of every tree."""
    units = {m.unit.pk: m for m in active_memberships(user=user)}
    if not units and user.is_superuser:
        return list(
            AdministrativeUnit.objects.filter(parent__isnull=True)
            .select_related("tree")
            .order_by("-tree__valid_from", "path")
        )
    covering = [m.unit.path for m in units.values() if m.covers_descendants]
    top = [
        m.unit
        for m in units.values()
        if not any(m.unit.path.startswith(p) and m.unit.path != p for p in covering)
    ]
    return sorted(top, key=lambda u: (u.tree.valid_from is not None, u.path))


@login_required
@require_GET
def dashboard_home(request):
    units = _top_units(request.user)
    if len(units) == 1:
        return redirect("reports:unit", unit_id=units[0].pk)
    return render(request, "reports/choose.html", {"units": units})


@login_required
@require_GET
def dashboard(request, unit_id):
    """A unit's dashboard. The page's body is built lazily and kept, compressed, in the shared
    page cache (``reports.cache``): while the rollups version stays the same, a second look
    renders nothing and reads no rollup. A page with a period error is never cached."""
    unit = _unit(request, unit_id)
    period, form, error = _period(request, unit)
    sort = request.GET.get("sort", "")
    sort = sort if sort in board.RANKED else ""
    heat = request.GET.get("heat", "")
    heat = heat if heat in board.HEAT_CHOICES else ""
    form_code = request.GET.get("form", "")[:40]
    page = SimpleLazyObject(
        lambda: board.build(
            user=request.user, unit=unit, period=period, sort=sort, heat=heat, form=form_code
        )
    )
    keep = {"sort": sort, "heat": heat}
    context = {
        "unit": unit,
        "period": period,
        "previous_period": period.previous(),
        "page": page,
        "period_form": form,
        "period_error": error,
        "sort": sort,
        "heat_param": heat,
        "previous_url": board.dashboard_url(unit, period.previous(), **keep),
        "next_url": board.dashboard_url(unit, period.following(), **keep),
    }
    seconds = 0 if error else page_cache_seconds()
    key = ""
    if seconds:
        options = {"sort": sort, "heat": heat, "form": form_code}
        key = dashboard_key(user=request.user, unit=unit, period=period, options=options)
    body = cached_page(key) if key else None
    if body is None:
        html = render_to_string("reports/partials/dashboard_page.html", context, request=request)
        body = html.encode()
        if key:
            cache_page(key, body, seconds)
    # The layout around the body (header with this request's CSRF token, menu, footer) is
    # rendered for every request; the body joins it as bytes, never decoded again.
    frame = render_to_string(
        "reports/dashboard.html", {"unit": unit, "body": BODY_MARK}, request=request
    )
    head, _mark, tail = frame.partition(BODY_MARK)
    response = HttpResponse(b"".join((head.encode(), body, tail.encode())))
    if error:
        response.status_code = 400
    return response


@login_required
@require_GET
def figure_list(request, unit_id, figure):
    """The rows behind a figure of the dashboard of ``unit`` over ``?period=`` (R-IND-5)."""
    unit = _unit(request, unit_id)
    period, _form, error = _period(request, unit)
    if error:
        raise Http404(error)
    user = request.user
    kind = "dossiers"
    try:
        if figure in drilldown.DOSSIER_FIGURES or figure == "overdue":
            rows = drilldown.dossiers_behind(
                user=user, unit=unit, period=period, figure=figure,
                channel=request.GET.get("channel") or None,
            ).select_related("procedure", "unit")  # fmt: skip
        elif figure == "supplement_requests":
            kind = "events"
            rows = drilldown.supplement_requests_behind(user=user, unit=unit, period=period)
            rows = rows.select_related("dossier__procedure", "dossier__unit")
        elif figure == "responses":
            kind = "responses"
            rows = drilldown.responses_behind(
                user=user,
                unit=unit,
                period=period,
                form_code=request.GET.get("form") or None,
                criterion_code=request.GET.get("criterion") or None,
                answer=request.GET.get("answer") or "any",
            )
        elif figure in drilldown.COMPLAINT_FIGURES or figure == "complaints_overdue":
            kind = "feedback_items" if figure == "complaints_overdue" else "feedback_events"
            rows = drilldown.feedback_behind(user=user, unit=unit, period=period, figure=figure)
        else:
            raise Http404(_("No list behind this figure."))
    except (UnknownIndicator, ValueError) as exc:
        raise Http404(str(exc)) from exc
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["period"] = str(period)
    response = render(
        request,
        "reports/list.html",
        {
            "unit": unit,
            "period": period,
            "figure": figure,
            "label": board.figure_label(figure),
            "snapshot": figure in board.SNAPSHOTS,
            "kind": kind,
            "page": page,
            "query": query.urlencode(),
            "criterion": request.GET.get("criterion", ""),
            "answer": request.GET.get("answer", ""),
            "form_code": request.GET.get("form", ""),
            "channel": request.GET.get("channel", ""),
            "back_url": board.dashboard_url(unit, period),
        },
    )
    return no_store(response)  # lists of dossiers and feedback: personal data nearby
