"""Staff pages of the dossier lifecycle: work queues, intake, the dossier with its actions, and
the printable forms.

Views only read through ``dossiers.selectors`` (scoped to the user's units, so a dossier
elsewhere is a 404) and write through ``dossiers.services``; every rule, including who may do
what, is checked there. An action is offered only when the lifecycle table
(``dossiers.transitions.TRANSITIONS``) and the user's role at the dossier's unit allow it; a
refused action comes back as the service's translated message.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from dossiers import exports, selectors, services
from dossiers.exceptions import (
    IncompleteDossier,
    IncompleteOverrideNotAllowed,
    InvalidApplicant,
    ProcedureNotOffered,
)
from dossiers.forms import (
    APPLICANT_FIELDS,
    CompleteForm,
    DossierFilterForm,
    DossierLogForm,
    IntakeForm,
    RefuseForm,
    RescheduleForm,
    ResubmitForm,
    ReturnForm,
    RouteForm,
    SupplementForm,
    WithdrawForm,
    checklist_rows,
    document_guidance,
    documents_received,
    extra_document,
    mark_errors,
)
from dossiers.models import Dossier, DossierStatus, EventKind, Procedure
from dossiers.validation import clean_applicant
from portal.exceptions import DomainError, PermissionDenied
from portal.http import no_store, pdf_response
from portal.models import Role, ServiceDesk
from portal.search import fold_accents
from portal.selectors import administers, desks_visible
from portal.session_pins import SessionPins
from portal.strict_input import id_or_none

PAGE_SIZE = 25


# --- work queues ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Queue:
    name: str
    label: Any
    select: Any  # selector(user=...) -> QuerySet[Dossier]
    hint: Any = ""
    counted: bool = True


QUEUES = [
    Queue("mine", _("Mine"), selectors.held_by_user),
    Queue("desk", _("At the desk"), selectors.at_the_desk),
    Queue(
        "due_soon",
        _("Due soon"),
        selectors.due_within_one_working_day,
        _("Due before the end of the next working day: the last day to reschedule is today."),
    ),
    Queue("overdue", _("Overdue"), selectors.overdue_in_process),
    Queue("waiting", _("Waiting for supplement"), selectors.waiting_for_supplement),
    Queue("all", _("All"), selectors.dossiers_visible, counted=False),
]
QUEUES_BY_NAME = {q.name: q for q in QUEUES}


@login_required
@require_GET
def dossier_list(request):
    user = request.user
    queue = QUEUES_BY_NAME.get(request.GET.get("tab", ""), QUEUES[0])
    search = DossierFilterForm(
        request.GET or None, procedures=selectors.procedures_for_user(user=user)
    )
    rows = selectors.dossiers_filtered(
        queue.select(user=user).select_related("current_holder"), **search.filters()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for dossier in page:
        dossier.overdue = (
            dossier.status in (DossierStatus.RECEIVED, DossierStatus.IN_PROCESS)
            and dossier.due_at < now
        )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("tab", None)
    tabs = [
        {
            "name": q.name,
            "label": q.label,
            "hint": q.hint,
            "count": q.select(user=user).count() if q.counted else None,
            "current": q is queue,
        }
        for q in QUEUES
    ]
    desks = desks_visible(user=user)
    today = timezone.localdate()
    log_form = DossierLogForm(
        desks=desks, initial={"date_from": today.replace(day=1), "date_to": today}
    )
    return render(
        request,
        "dossiers/list.html",
        {
            "queue": queue,
            "tabs": tabs,
            "search": search,
            "page": page,
            "filter_query": params.urlencode(),
            "log_form": log_form,
            "has_desks": desks.exists(),
            "can_receive": desks_visible(user=user, roles=[Role.RECEPTIONIST]).exists(),
        },
    )


# --- intake -----------------------------------------------------------------------------------
# The PIN of a new dossier is stored only as a keyed hash (portal.codes), so it exists in
# clear just once: in the return value of ``dossier_receive``. It must reach the receipt slip
# without ever going into a URL (R-PRIV-1), and the intake POST must end in a redirect (a
# reload must not receive the dossier twice). So the PIN waits in the staff member's own
# server-side session, keyed by dossier id, for RECEIPT_PIN_TTL seconds: the "received" page
# shows it once, and the receipt slip view pops it (one print with the PIN; later prints of the
# slip carry no PIN). An expired or printed PIN is gone for good; the applicant asks the desk
# for a new slip only through a new intake.
# The helper lives in portal (feedback keeps its new PINs the same way).
RECEIPT_PIN_TTL = 10 * 60
RECEIPT_PINS = SessionPins("dossiers.receipt_pins", ttl=RECEIPT_PIN_TTL)


def receipt_pin_keep(request, dossier: Dossier, pin: str) -> None:
    RECEIPT_PINS.keep(request, dossier.pk, pin)


def receipt_pin_show(request, dossier: Dossier) -> str | None:
    """The PIN for the "received" page, the first time only."""
    return RECEIPT_PINS.show(request, dossier.pk)


def receipt_pin_pop(request, dossier: Dossier) -> str | None:
    """The PIN for printing the receipt slip, once; ``None`` afterwards."""
    return RECEIPT_PINS.pop(request, dossier.pk)


def _intake_desks(user) -> list:
    return list(desks_visible(user=user, roles=[Role.RECEPTIONIST]))


def _pick_desk(desks: list, raw):
    """The desk asked for (must be one of the user's), else the first (the only one, mostly)."""
    if raw in (None, ""):
        return desks[0]
    for desk in desks:
        if str(desk.pk) == str(raw):
            return desk
    raise Http404


def _matching(procedures: list, query: str, keep=None) -> list:
    """Procedures whose code or name contains every word of ``query``, without accents;
    ``keep`` (the chosen one) always stays in the list."""
    words = fold_accents(query or "").split()
    if not words:
        return procedures
    return [
        p
        for p in procedures
        if p == keep or all(w in fold_accents(f"{p.code} {p.name}") for w in words)
    ]


def _find(procedures: list, raw):
    for procedure in procedures:
        if str(procedure.pk) == str(raw or ""):
            return procedure
    return None


@login_required
def intake(request):
    desks = _intake_desks(request.user)
    if not desks:
        return render(request, "dossiers/intake_unavailable.html", status=403)
    data = request.POST if request.method == "POST" else None
    desk = _pick_desk(desks, (data or request.GET).get("desk"))
    procedures = list(selectors.procedures_at_desk(desk=desk))
    page = {"desks": desks, "desk": desk, "procedures": procedures, "query": ""}
    if data is None:
        chosen = procedures[0] if len(procedures) == 1 else None
        form = IntakeForm(initial={"desk": desk.pk})
        return _render_intake(request, page, form, chosen, checklist_rows(chosen), {})
    page["query"] = data.get("q", "")
    if not data.get("procedure") and page["query"].strip():
        # Without JavaScript, Enter in the search box posts the form: narrow the list and keep
        # what was typed, with no error yet and nothing saved.
        form = IntakeForm(initial={**data.dict(), "desk": desk.pk})
        return _render_intake(request, page, form, None, [], data, focus="procedure")

    chosen = _find(procedures, data.get("procedure"))
    rows = checklist_rows(chosen, data)
    docs, checklist_errors = documents_received(rows, extra_document(data))
    form = IntakeForm(data, initial={"desk": desk.pk})
    incomplete = None
    if not form.is_valid():
        # Show the applicant's mistakes in the same round trip as the form's own.
        try:
            clean_applicant(form.applicant_raw())
        except ValidationError as exc:
            form.add_applicant_errors(exc.message_dict)
    elif not checklist_errors:
        cleaned = form.cleaned_data
        override, override_error = _leader_override(request, data)
        try:
            if override_error:
                raise IncompleteDossier(override_error)
            dossier, pin = services.dossier_receive(
                desk=desk,
                procedure=cleaned["procedure"],
                applicant=form.applicant(),
                actor=request.user,
                documents=docs,
                channel=cleaned["channel"],
                return_mode=cleaned["return_mode"],
                sets_count=cleaned["sets_count"],
                incomplete_override=override,
            )
        except InvalidApplicant as exc:
            form.add_applicant_errors(exc.fields)
        except ProcedureNotOffered as exc:
            form.add_error("procedure", exc.message)
        except (IncompleteDossier, IncompleteOverrideNotAllowed) as exc:
            incomplete = _incomplete_panel(chosen, docs, data, exc, override_error)
        except PermissionDenied as exc:
            messages.error(request, exc.message)
            return redirect("dossiers:list")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            receipt_pin_keep(request, dossier, pin)
            return redirect("dossiers:received", pk=dossier.pk)
    return _render_intake(
        request,
        page,
        form,
        chosen,
        rows,
        data,
        checklist_errors=checklist_errors,
        incomplete=incomplete,
        status=400,
    )


# A dossier whose required documents are not all handed in is not received (R-LIFE-4: the desk
# guides the applicant with form 02 instead). The page offers that print, and, for a documented
# exception, a leader of the unit who types their own user name and password at the desk and a
# reason: the service checks the leader's role and records the exception.
LEADER_CHECK_FAILED = _(
    "The leader's user name or password is not right, so the exception was not recorded."
)


def _leader_override(request, data):
    """The leader's exception posted with the intake form, authenticated here (the leader is
    at the desk): ``(IncompleteOverride or None, error message or "")``."""
    if data.get("override") != "1":
        return None, ""
    leader = authenticate(
        request,
        username=data.get("override_username", "").strip(),
        password=data.get("override_password", ""),
    )
    if leader is None:
        return None, LEADER_CHECK_FAILED
    return services.IncompleteOverride(leader=leader, reason=data.get("override_reason", "")), ""


def _incomplete_panel(chosen, docs, data, error, override_error) -> dict:
    missing = error.fields.get("documents") or services.documents_missing(
        procedure=chosen, documents=docs
    )
    return {
        "missing": missing,
        "message": error.message,
        "override_open": data.get("override") == "1",
        "override_error": error.message if data.get("override") == "1" else "",
        "reason": data.get("override_reason", ""),
        "username": data.get("override_username", ""),
    }


def _render_intake(
    request,
    page,
    form,
    chosen,
    rows,
    data,
    *,
    focus=None,
    checklist_errors=(),
    incomplete=None,
    status=200,
):
    """The intake page: the procedure list narrowed by the search (the chosen one stays), the
    focus on the first wrong field, else on ``focus``, else on the search box."""
    if focus is None:
        focus = next((name for name in form.fields if form.errors.get(name)), "q")
    mark_errors(form, autofocus=focus)
    context = {
        **page,
        "procedures": _matching(page["procedures"], page["query"], keep=chosen),
        "form": form,
        "chosen": chosen,
        "rows": rows,
        "extra": extra_document(data),
        "checklist_errors": checklist_errors,
        "incomplete": incomplete,
        "focus": focus,
    }
    return render(request, "dossiers/intake.html", context, status=status)


@login_required
@require_POST
def guidance_pdf(request):
    """Form 02 for the applicant at the desk whose dossier is not complete (posted from the
    intake form, its ``Print the guidance`` button): the required documents not ticked, with
    guidance. Nothing is received or stored but the audit row of the print."""
    desks = _intake_desks(request.user)
    if not desks:
        raise Http404
    data = request.POST
    desk = _pick_desk(desks, data.get("desk"))
    chosen = _find(list(selectors.procedures_at_desk(desk=desk)), data.get("procedure"))
    if chosen is None:
        raise Http404
    docs, _errors = documents_received(checklist_rows(chosen, data), extra_document(data))
    missing = set(services.documents_missing(procedure=chosen, documents=docs))
    items = [
        {"name": doc.name, "guidance": document_guidance(doc)}
        for doc in chosen.documents.all()
        if doc.name in missing
    ]
    applicant = {name: data.get(field, "").strip() for name, field in APPLICANT_FIELDS.items()}
    pdf = exports.guidance_export(
        desk=desk, procedure=chosen, applicant=applicant, items=items, user=request.user
    )
    return pdf_response(pdf, f"phieu-huong-dan-{chosen.code}.pdf")


@login_required
@require_GET
def procedure_options(request):
    """htmx: the desk's procedures matching ``q`` as <option>s; when the chosen one drops out
    of the list the first match is chosen and its checklist is swapped in out of band."""
    desks = _intake_desks(request.user)
    if not desks:
        raise Http404
    desk = _pick_desk(desks, request.GET.get("desk"))
    procedures = list(selectors.procedures_at_desk(desk=desk))
    chosen = _find(procedures, request.GET.get("procedure"))
    matches = _matching(procedures, request.GET.get("q", ""), keep=chosen)
    swap_checklist = chosen is None or chosen not in matches
    if swap_checklist:
        chosen = matches[0] if matches else None
    return render(
        request,
        "dossiers/partials/procedure_options.html",
        {
            "procedures": matches,
            "chosen": chosen,
            "oob_checklist": swap_checklist,
            "rows": checklist_rows(chosen),
            "extra": extra_document(),
        },
    )


@login_required
@require_GET
def intake_documents(request):
    """htmx: the document checklist of the chosen procedure."""
    desks = _intake_desks(request.user)
    if not desks:
        raise Http404
    desk = _pick_desk(desks, request.GET.get("desk"))
    chosen = _find(list(selectors.procedures_at_desk(desk=desk)), request.GET.get("procedure"))
    return render(
        request,
        "dossiers/partials/documents_checklist.html",
        {"chosen": chosen, "rows": checklist_rows(chosen), "extra": extra_document()},
    )


def _visible(user, pk) -> Dossier:
    try:
        return selectors.dossiers_visible(user=user).get(pk=pk)
    except Dossier.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def received(request, pk):
    dossier = _visible(request.user, pk)
    pin = receipt_pin_show(request, dossier)
    response = render(request, "dossiers/received.html", {"dossier": dossier, "pin": pin})
    return no_store(response)  # the PIN must not stay in any cache


# --- the dossier and its actions -------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    name: str
    kind: str
    label: Any
    form: type
    service: Any
    done: Any


ACTIONS = [
    Action(
        "route",
        EventKind.ROUTED,
        _("Hand over"),
        RouteForm,
        services.dossier_route,
        _("The dossier has been handed over."),
    ),
    Action(
        "supplement",
        EventKind.SUPPLEMENT_REQUESTED,
        _("Request a supplement"),
        SupplementForm,
        services.dossier_request_supplement,
        _("The supplement request has been recorded; print it for the applicant."),
    ),
    Action(
        "resubmit",
        EventKind.RESUBMITTED,
        _("Record the supplement received"),
        ResubmitForm,
        services.dossier_resubmit,
        _("The supplement has been recorded and the clock runs again."),
    ),
    Action(
        "complete",
        EventKind.COMPLETED,
        _("Mark the result ready"),
        CompleteForm,
        services.dossier_complete,
        _("The result is ready to be returned."),
    ),
    Action(
        "return",
        EventKind.RETURNED,
        _("Return the result"),
        ReturnForm,
        services.dossier_return,
        _("The return of the result has been recorded."),
    ),
    Action(
        "reschedule",
        EventKind.RESCHEDULED,
        _("Reschedule with an apology"),
        RescheduleForm,
        services.dossier_reschedule,
        _("The new appointment has been recorded; print the apology letter."),
    ),
    Action(
        "refuse",
        EventKind.REFUSED,
        _("Refuse"),
        RefuseForm,
        services.dossier_refuse,
        _("The dossier has been refused; print the refusal slip."),
    ),
    Action(
        "withdraw",
        EventKind.WITHDRAWN,
        _("Stop at the applicant's request"),
        WithdrawForm,
        services.dossier_withdraw,
        _("Processing has stopped; print the stop notice."),
    ),
]
ACTIONS_BY_NAME = {a.name: a for a in ACTIONS}


def allowed_actions(*, dossier: Dossier, user) -> list[Action]:
    """The actions the lifecycle table, the user's role at the dossier's unit and the
    services' own preconditions allow now (``services.actions_open``)."""
    open_now = set(services.actions_open(dossier=dossier, user=user))
    return [action for action in ACTIONS if action.kind in open_now]


def _detail(user, pk) -> Dossier:
    try:
        return selectors.dossier_detail(user=user, pk=pk)
    except Dossier.DoesNotExist as exc:
        raise Http404 from exc


def _render_detail(request, dossier, *, bound=None, status=200):
    departments = selectors.departments_of_unit(unit=dossier.unit)
    panels = []
    offered = allowed_actions(dossier=dossier, user=request.user)
    if bound is not None and bound.prefix not in {a.name for a in offered}:
        # A refused POST of an action no longer open (the page was stale, or the action was
        # posted by hand): its form comes back with what was typed, next to the message.
        offered = [a for a in ACTIONS if a in offered or a.name == bound.prefix]
    for action in offered:
        if bound is not None and bound.prefix == action.name:
            form, is_open = bound, True
            first_error = next((name for name in form.fields if name in form.errors), None)
            mark_errors(form, autofocus=first_error)
        else:
            form = action.form(dossier=dossier, departments=departments, prefix=action.name)
            is_open = False
        panels.append({"action": action, "form": form, "open": is_open})
    events = list(dossier.events.all())
    steps = list(dossier.steps.all())
    pauses = list(dossier.pauses.all())
    context = {
        "dossier": dossier,
        "events": events,
        "steps": steps,
        "pauses": pauses,
        "documents": list(dossier.documents.all()),
        "refusal": getattr(dossier, "refusal", None),
        "withdrawal": getattr(dossier, "withdrawal", None),
        "reschedule": getattr(dossier, "reschedule", None),
        "panels": panels,
        "now": timezone.now(),
        "log_day": timezone.localdate(dossier.received_at).isoformat(),
    }
    return render(request, "dossiers/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    return _render_detail(request, _detail(request.user, pk))


@login_required
@require_POST
def act(request, pk, action):
    action = ACTIONS_BY_NAME.get(action)
    if action is None:
        raise Http404
    dossier = _detail(request.user, pk)
    departments = selectors.departments_of_unit(unit=dossier.unit)
    form = action.form(request.POST, dossier=dossier, departments=departments, prefix=action.name)
    if isinstance(form, SupplementForm) and "add_row" in request.POST:
        form.add_row()  # without JavaScript: the same page with one more row, nothing saved
        return _render_detail(request, dossier, bound=form)
    if not form.is_valid():
        return _render_detail(request, dossier, bound=form, status=400)
    try:
        action.service(dossier=dossier, actor=request.user, **form.service_kwargs())
    except PermissionDenied as exc:
        messages.error(request, exc.message)
        return _render_detail(request, dossier, status=exc.status_code)
    except DomainError as exc:
        if action in allowed_actions(dossier=dossier, user=request.user):
            form.add_error(None, exc.message)
        else:  # the form is not on the page any more (e.g. the status changed meanwhile)
            messages.error(request, exc.message)
        return _render_detail(request, dossier, bound=form, status=exc.status_code)
    messages.success(request, action.done)
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
@require_GET
def supplement_row(request):
    """htmx: one more empty row of the supplement request."""
    return render(
        request,
        "dossiers/partials/supplement_row.html",
        {"row": {}, "prefix": "supplement", "autofocus": True},
    )


# --- printable forms -------------------------------------------------------------------------
# The name a printed document is downloaded under (followed by the dossier's code), by kind.
DOCUMENT_FILENAMES = {
    "receipt": "giay-tiep-nhan",
    "control-slip": "phieu-kiem-soat",
    "supplement-request": "phieu-yeu-cau-bo-sung",
    "refusal": "phieu-tu-choi",
    "apology": "phieu-xin-loi",
    "stop-notice": "thong-bao-dung",
}


@login_required
@require_GET
def document_pdf(request, pk, kind):
    """One of the dossier's documents (``kind`` comes from the URL pattern: receipt_pdf,
    control_slip_pdf, ...), through ``exports`` so that the print is audited (R-PRIV-1); a
    document the dossier does not have is a 404. The receipt slip's first print after intake
    carries the PIN (see RECEIPT_PINS); the supplement request is the latest one (the one the
    applicant is answering)."""
    dossier = _visible(request.user, pk)
    pin = receipt_pin_pop(request, dossier) if kind == "receipt" else None
    try:
        data = exports.dossier_document_export(
            dossier=dossier, kind=kind, user=request.user, pin=pin
        )
    except DomainError as exc:
        if exc.status_code == 404:  # DocumentNotAvailable
            raise Http404(exc.message) from exc
        raise
    return pdf_response(data, f"{DOCUMENT_FILENAMES[kind]}-{dossier.code}.pdf")


@login_required
@require_GET
def log_pdf(request):
    """The desk's dossier log for a date range; the desk must be one of the user's units'."""
    form = DossierLogForm(request.GET or None, desks=desks_visible(user=request.user))
    if not form.is_valid():
        return render(request, "dossiers/log_form.html", {"log_form": form}, status=400)
    data = form.cleaned_data
    pdf = exports.dossier_log_export(
        desk=data["desk"], date_from=data["date_from"], date_to=data["date_to"], user=request.user
    )
    name = f"so-theo-doi-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}.pdf"
    return pdf_response(pdf, name)


# --- what a desk offers (administration, R-UNIT-2) ----------------------------------------
@login_required
def desk_procedures(request, pk):
    """The procedures of the national catalogue offered at a desk, for an administrator of its
    unit: those of the unit's level, and any offered already, ticked or not; saved through
    ``services.desk_procedures_set`` (scope checked and audited there)."""
    desk = get_object_or_404(ServiceDesk.objects.select_related("unit"), pk=pk)
    if not administers(user=request.user, unit=desk.unit):
        raise Http404
    offered = set(desk.procedures.values_list("pk", flat=True))
    choices = list(
        Procedure.objects.filter(is_active=True)
        .filter(Q(level=desk.unit.level) | Q(pk__in=offered))
        .order_by("field", "name")
    )
    status = 200
    if request.method == "POST":
        chosen = {id_or_none(v) for v in request.POST.getlist("procedure")} - {None}
        try:
            change = services.desk_procedures_set(
                desk=desk, procedures=[p for p in choices if p.pk in chosen], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = error.status_code
        else:
            messages.success(
                request,
                _("Saved: %(added)d procedures added, %(removed)d removed.")
                % {"added": len(change["added"]), "removed": len(change["removed"])},
            )
            return redirect("dossiers:desk_procedures", pk=desk.pk)
    return render(
        request,
        "dossiers/desk_procedures.html",
        {"desk": desk, "procedures": choices, "offered": offered},
        status=status,
    )
