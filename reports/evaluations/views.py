"""Pages of the official evaluations (R-IND-6, R-IND-7, R-FB-4): the Circular 01/2018 evaluation
of a unit, its children and its officials; the Decision 766 index with the rank among siblings;
the monthly scorecards; the entry forms of the figures the portal cannot compute; the dossiers
behind an index. Thin: every read goes through ``reports.evaluations.selectors`` (scoped), every
write through ``reports.evaluations.services`` (audited)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.exceptions import DomainError, PermissionDenied
from portal.http import no_store
from portal.selectors import visible_units
from reports.evaluations import circular01, rules, selectors, services
from reports.evaluations.forms import EntryForm, entry_initial
from reports.evaluations.models import EvaluationEntry, Index766Entry, Index766Item
from reports.evaluations.scorecards import staff_of_unit
from reports.periods import month, parse_period


def _units(user):
    return list(visible_units(user=user).order_by("path"))


def _query(request, *, default_period: str):
    """The unit (one the user may see; the first one by default) and the period of the page,
    with an error message for a bad period (the default is used then)."""
    units = _units(request.user)
    if not units:
        raise PermissionDenied(_("You have no role at any unit."))
    unit = units[0]
    wanted = request.GET.get("unit") or request.POST.get("unit")
    if wanted:
        unit = next((u for u in units if str(u.pk) == str(wanted)), None)
        if unit is None:
            raise Http404
    text = request.GET.get("period") or request.POST.get("period") or default_period
    error = ""
    try:
        period = parse_period(text)
    except DomainError as exc:
        error = str(exc)
        text = default_period
        period = parse_period(default_period)
    return units, unit, period, text, error


def _quarter_default() -> str:
    return selectors.default_quarter(timezone.localdate())


def _month_default() -> str:
    """The month that ended last."""
    first = timezone.localdate().replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def _export_links(table: str, **params) -> dict:
    """The CSV and XLSX links of a table with the page's parameters."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return {
        fmt: f"{reverse('exports:table', kwargs={'table': table, 'fmt': fmt})}?{query}"
        for fmt in ("csv", "xlsx")
    }


def _forbidden(request, exc):
    return no_store(
        render(request, "reports/evaluations/forbidden.html", {"message": str(exc)}, status=403)
    )


@login_required
@require_GET
def circular01_page(request):
    try:
        units, unit, period, text, error = _query(request, default_period=_quarter_default())
        page = selectors.circular01_page(user=request.user, unit=unit, period=period)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except circular01.NoRuleSet:
        page = None
        error = error or _("Circular 01/2018 was not in force at the end of this period.")
    params = {"unit": unit.pk, "period": str(period)}
    return no_store(
        render(
            request,
            "reports/evaluations/circular01.html",
            {
                "units": units,
                "unit": unit,
                "period": period,
                "period_text": text,
                "error": error,
                "page": page,
                "numbers": rules.AGENCY_INDICES,
                "staff_numbers": rules.OFFICIAL_INDICES,
                "drilldown": selectors.DRILLDOWN_INDICES,
                "exports": _export_links("circular01", **params),
                "staff_exports": _export_links("circular01_staff", **params),
                "query": urlencode(params),
            },
        )
    )


@login_required
@require_GET
def index766_page(request):
    try:
        units, unit, period, text, error = _query(request, default_period=_quarter_default())
        page = selectors.index766_page(
            user=request.user,
            unit=unit,
            period=period,
            profile_code=request.GET.get("profile") or None,
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    params = {"unit": unit.pk, "period": str(period), "profile": request.GET.get("profile")}
    return no_store(
        render(
            request,
            "reports/evaluations/index766.html",
            {
                "units": units,
                "unit": unit,
                "period": period,
                "period_text": text,
                "error": error,
                "page": page,
                "exports": _export_links("index766", **params),
                "ranking_exports": _export_links("index766_ranking", **params),
                "query": urlencode({"unit": unit.pk, "period": str(period)}),
            },
        )
    )


@login_required
@require_GET
def scorecards_page(request):
    try:
        units, unit, period, text, error = _query(request, default_period=_month_default())
        if period.kind != "month":
            error = error or _("A scorecard is monthly: showing the period's first month.")
            period = month(period.start.year, period.start.month)
            text = str(period)
        cards = selectors.scorecards_page(user=request.user, unit=unit, period=period)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    params = {"unit": unit.pk, "period": str(period)}
    return no_store(
        render(
            request,
            "reports/evaluations/scorecards.html",
            {
                "units": units,
                "unit": unit,
                "period": period,
                "period_text": text,
                "error": error,
                "cards": cards,
                "sees_all": selectors.can_see_staff(user=request.user, unit=unit),
                "exports": _export_links("scorecards", **params),
            },
        )
    )


@login_required
@require_GET
def dossiers_page(request):
    """The dossiers behind an index (R-IND-5), with the points each scored."""
    try:
        _units, unit, period, _text, error = _query(request, default_period=_quarter_default())
        try:
            index = int(request.GET.get("index", ""))
        except ValueError:
            raise Http404 from None
        staff = None
        if request.GET.get("staff"):
            staff = selectors.staff_member(
                user=request.user, unit=unit, period=period, staff_id=request.GET["staff"]
            )
        rows = selectors.evaluation_dossiers(
            user=request.user, unit=unit, period=period, index=index, staff=staff
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    params = {
        "unit": unit.pk,
        "period": str(period),
        "index": index,
        "staff": staff.pk if staff else "",
    }
    return no_store(
        render(
            request,
            "reports/evaluations/dossiers.html",
            {
                "unit": unit,
                "period": period,
                "index": index,
                "label": rules.INDEX_LABELS[index],
                "staff": staff,
                "page": page,
                "exports": _export_links("evaluation_dossiers", **params),
                "query": urlencode(params),
                "error": error,
            },
        )
    )


def _entry_scope(request, *, default_period):
    units, unit, period, text, error = _query(request, default_period=default_period)
    if not selectors.can_enter(user=request.user, unit=unit):
        raise PermissionDenied(_("Only a leader or an administrator of the unit enters figures."))
    return units, unit, period, text, error


@login_required
@require_http_methods(["GET", "POST"])
def entry_page(request):
    """Circular 01 figures of a unit (or one of its officials) for a period: indices 3, 4, 6."""
    try:
        units, unit, period, text, error = _entry_scope(request, default_period=_quarter_default())
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    people = staff_of_unit(unit=unit, period=period)
    staff_id = request.POST.get("staff") or request.GET.get("staff") or ""
    staff = next((p for p in people if str(p.pk) == staff_id), None)
    existing = (
        EvaluationEntry.objects.filter(
            unit=unit, staff=staff, period_start=period.start, period_end=period.end
        )
        .select_related("entered_by", "updated_by")
        .first()
    )
    status = 200
    if request.method == "POST" and not error:
        form = EntryForm(request.POST, for_staff=staff is not None)
        if form.is_valid():
            try:
                services.evaluation_entry_save(
                    unit=unit, period=period, staff=staff, values=form.values(), actor=request.user
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, _("The figures were saved."))
                query = urlencode({"unit": unit.pk, "period": str(period), "staff": staff_id})
                return redirect(f"{reverse('evaluations:entries')}?{query}")
        else:
            status = 400
    else:
        form = EntryForm(initial=entry_initial(existing), for_staff=staff is not None)
    return no_store(
        render(
            request,
            "reports/evaluations/entry_form.html",
            {
                "units": units,
                "unit": unit,
                "period": period,
                "period_text": text,
                "error": error,
                "form": form,
                "people": people,
                "staff": staff,
                "existing": existing,
            },
            status=status,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry766_page(request):
    """The Decision 766 sub-items a unit enters for a period (numerator and denominator)."""
    from reports.evaluations import index766

    try:
        units, unit, period, text, error = _entry_scope(request, default_period=_quarter_default())
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    profile = index766.profile_for(period, request.GET.get("profile") or None)
    items = (
        [i for i in profile.items.all() if i.source == Index766Item.Source.ENTERED]
        if profile
        else []
    )
    existing = {
        e.code: e
        for e in Index766Entry.objects.filter(
            unit=unit, period_start=period.start, period_end=period.end
        ).select_related("entered_by", "updated_by")
    }
    errors: dict = {}
    status = 200
    if request.method == "POST" and profile and not error:
        values = {
            i.code: (
                request.POST.get(f"{i.code}-numerator", "").strip(),
                request.POST.get(f"{i.code}-denominator", "").strip(),
                request.POST.get(f"{i.code}-note", ""),
            )
            for i in items
        }
        try:
            changed = services.index766_entries_save(
                unit=unit,
                period=period,
                values=values,
                actor=request.user,
                allowed_codes={i.code for i in items},
            )
        except DomainError as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
            errors.setdefault("general", [str(exc)])
            status = 400
        else:
            messages.success(request, _("%(n)d sub-indicators were saved.") % {"n": changed})
            query = urlencode({"unit": unit.pk, "period": str(period)})
            return redirect(f"{reverse('evaluations:entries766')}?{query}")
    rows = []
    for item in items:
        entry = existing.get(item.code)
        rows.append(
            {
                "item": item,
                "entry": entry,
                "numerator": request.POST.get(f"{item.code}-numerator")
                if request.method == "POST"
                else (entry.numerator if entry else ""),
                "denominator": request.POST.get(f"{item.code}-denominator")
                if request.method == "POST"
                else (entry.denominator if entry else ""),
                "note": request.POST.get(f"{item.code}-note")
                if request.method == "POST"
                else (entry.note if entry else ""),
                "errors": errors.get(f"{item.code}-numerator", [])
                + errors.get(f"{item.code}-denominator", [])
                + errors.get(item.code, []),
            }
        )
    return no_store(
        render(
            request,
            "reports/evaluations/entry766_form.html",
            {
                "units": units,
                "unit": unit,
                "period": period,
                "period_text": text,
                "error": error,
                "profile": profile,
                "rows": rows,
                "errors": errors,
            },
            status=status,
        )
    )
