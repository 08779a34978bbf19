"""Pages of the exports: the list of one's export jobs with their progress (polled with htmx),
a new PDF report, cancel, the checked and audited download, and the CSV/XLSX of every table
(CSV streamed, XLSX written in constant memory; a dossier list as XLSX goes through a job)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import DomainError, PermissionDenied
from portal.http import no_store
from portal.selectors import visible_units
from reports.evaluations.selectors import default_quarter
from reports.exports import selectors, services, tables, writers
from reports.exports.models import ExportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


def _job(request, pk) -> ExportJob:
    """A job the user may see; another's job is a 404, the same as a missing one."""
    try:
        return selectors.job_for(user=request.user, pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request):
    units = visible_units(user=request.user).order_by("path")
    errors = {}
    form = {
        "unit": request.POST.get("unit") or request.GET.get("unit") or "",
        "period": request.POST.get("period")
        or request.GET.get("period")
        or default_quarter(timezone.localdate()),
    }
    if request.method == "POST":
        try:
            job = services.export_job_create(
                owner=request.user,
                kind=ExportJob.Kind.REPORT,
                fmt=ExportJob.Format.PDF,
                params={"unit": form["unit"], "period": form["period"]},
                language=translation.get_language(),
            )
        except DomainError as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()} or {
                "general": [str(exc)]
            }
        else:
            messages.success(
                request, _("The report “%(title)s” is being made.") % {"title": job.title}
            )
            return redirect("exports:list")
    jobs = Paginator(selectors.jobs_visible(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    response = render(
        request,
        "reports/exports/list.html",
        {"jobs": jobs, "units": units, "form": form, "errors": errors},
        status=400 if errors else 200,
    )
    return no_store(response)


@login_required
@require_GET
def export_progress(request, pk):
    """One job's row, polled by htmx every two seconds while it is queued or running."""
    job = _job(request, pk)
    return no_store(render(request, "reports/exports/_job_row.html", {"job": job}))


@login_required
@require_POST
def export_cancel(request, pk):
    job = _job(request, pk)
    try:
        job = services.export_job_cancel(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(
            request, _("The export “%(title)s” is being cancelled.") % {"title": job.title}
        )
    if request.htmx:
        job.refresh_from_db()
        return no_store(render(request, "reports/exports/_job_row.html", {"job": job}))
    return redirect("exports:list")


@login_required
@require_GET
def export_download(request, pk):
    """The finished file, through this view only: the job must be the user's (or their unit's,
    for an administrator), finished and not expired; every download is audited."""
    job = _job(request, pk)
    try:
        handle = services.export_file_open(job=job, user=request.user)
    except services.ExportExpired as exc:
        return no_store(
            render(
                request, "reports/exports/gone.html", {"job": job, "message": str(exc)}, status=410
            )
        )
    except services.ExportNotReady as exc:
        return no_store(
            HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.download_name or f"export.{job.fmt}",
        content_type=CONTENT_TYPES.get(job.fmt, "application/octet-stream"),
    )
    return no_store(response)


@login_required
@require_GET
def table_export(request, table: str, fmt: str):
    """A table as CSV (streamed) or XLSX (small tables here, dossier lists through a job). The
    parameters are those of the page it comes from: ``unit``, ``period`` and the table's own."""
    if fmt not in ("csv", "xlsx") or table not in tables.TABLES:
        raise Http404
    params = dict(request.GET.items())
    if fmt == "xlsx" and table in tables.LARGE:
        try:
            job = services.export_job_create(
                owner=request.user,
                kind=ExportJob.Kind.TABLE,
                fmt=ExportJob.Format.XLSX,
                table=table,
                params=params,
                language=translation.get_language(),
            )
        except PermissionDenied as exc:
            return no_store(HttpResponse(str(exc), status=403, content_type="text/plain"))
        except DomainError as exc:
            return no_store(HttpResponse(str(exc), status=400, content_type="text/plain"))
        messages.success(request, _("The file “%(title)s” is being made.") % {"title": job.title})
        return redirect("exports:list")
    try:
        built = tables.build(table, user=request.user, params=params)
    except PermissionDenied as exc:
        return no_store(HttpResponse(str(exc), status=403, content_type="text/plain"))
    except DomainError as exc:
        return no_store(HttpResponse(str(exc), status=400, content_type="text/plain"))
    services.audit_direct_export(
        user=request.user,
        table=built,
        fmt=fmt,
        params=params,
        unit=tables.parse(user=request.user, params=params).unit,
    )
    filename = f"{built.filename}.{fmt}"
    if fmt == "csv" and built.copy_query is not None:  # PostgreSQL writes the rows itself
        response = StreamingHttpResponse(
            writers.copy_csv_chunks(built.headers, built.copy_query),
            content_type=CONTENT_TYPES["csv"],
        )
    elif fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in writers.csv_chunks(built.headers, built.rows)),
            content_type=CONTENT_TYPES["csv"],
        )
    else:
        response = HttpResponse(
            writers.xlsx_bytes(built.headers, built.rows, title=built.title), content_type=XLSX
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)
