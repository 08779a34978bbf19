"""Staff pages of feedback and complaints (R-FB-1..4, R-UNIT-3, R-PRIV-1), under
``/phan-anh/quan-ly/``: the work queues, the keyboard-first entry of hotline calls, letters,
emails and visits, the item with its timeline and the actions allowed now, the reply editor
with a PDF preview of the letter, publishing with the masked preview, and downloads of reply
letters, receipts and attachments (audited, ``feedback.exports``).

Views read through ``feedback.selectors`` (scoped to the user's units: an item elsewhere is a
404) and write through ``feedback.services``; every rule, including who may do what, is checked
there. An action is offered only when ``services.actions_allowed`` lists it; a refused action
comes back as the service's translated message next to the field it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import exports, selectors, services
from feedback.exceptions import InvalidText
from feedback.forms import (
    AssignForm,
    ClassifyForm,
    EntryForm,
    FilterForm,
    NoteForm,
    PublishForm,
    ReasonForm,
    ReplyForm,
    TransferForm,
    errors_onto,
    first_error,
    mark_errors,
)
from feedback.models import EventKind, Extension, Item, Kind, Publication
from feedback.validation import clean_text
from portal.exceptions import DomainError, PermissionDenied
from portal.http import no_store, pdf_response
from portal.public_pages import see_other
from portal.selectors import visible_units
from portal.session_pins import SessionPins

PAGE_SIZE = 25
TRANSFER_MATCHES = 50
E = EventKind
# The PIN of an item staff entered waits in their session (portal.session_pins): the "entered"
# page shows it once (to read out on the phone), the first receipt print carries it.
ENTRY_PINS = SessionPins("feedback.entry_pins", ttl=10 * 60)


# --- work queues -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Queue:
    name: str
    label: Any
    select: Any  # selector(user=...) -> QuerySet[Item]
    hint: Any = ""
    counted: bool = True


QUEUES = [
    Queue(
        "due_soon",
        gettext_lazy("Due soon"),
        selectors.due_soon,
        gettext_lazy("Due before the end of the next working day."),
    ),
    Queue("overdue", gettext_lazy("Overdue"), selectors.overdue),
    Queue(
        "unassigned",
        gettext_lazy("Unassigned"),
        selectors.unassigned,
        gettext_lazy("Open items nobody has been given yet, new or transferred in."),
    ),
    Queue(
        "transferred",
        gettext_lazy("Transferred"),
        selectors.transferred,
        gettext_lazy("Received from another unit, or sent on by yours."),
    ),
    Queue("mine", gettext_lazy("Mine"), selectors.assigned_to_user),
    Queue("all", gettext_lazy("All"), selectors.items_visible, counted=False),
]
QUEUES_BY_NAME = {q.name: q for q in QUEUES}


def _staff_units(user):
    return visible_units(user=user, roles=services.STAFF)


@login_required
@require_GET
def queue(request):
    user = request.user
    current = QUEUES_BY_NAME.get(request.GET.get("tab", ""), QUEUES[0])
    search = FilterForm(request.GET or None)
    now = timezone.now()
    rows = selectors.with_overdue_flag(
        selectors.items_filtered(current.select(user=user), **search.filters()), now=now
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("tab", None)
    tabs = [
        {
            "name": q.name,
            "label": q.label,
            "hint": q.hint,
            "count": q.select(user=user).count() if q.counted else None,
            "current": q is current,
        }
        for q in QUEUES
    ]
    return render(
        request,
        "feedback/staff/queue.html",
        {
            "queue": current,
            "tabs": tabs,
            "search": search,
            "page": page,
            "filter_query": params.urlencode(),
            "can_enter": _staff_units(user).exists(),
        },
    )


# --- entry of calls, letters, emails, visits -------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def entry(request):
    units = _staff_units(request.user)
    if not units.exists():
        return render(request, "feedback/staff/no_role.html", status=403)
    if request.method == "GET":
        form = EntryForm(units=units, initial={"unit": units.first()})
        return _entry_page(request, form)
    form = EntryForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        try:
            item, pin = services.feedback_submit(actor=request.user, **form.item_kwargs())
        except PermissionDenied as error:
            messages.error(request, error.message)
            return redirect("feedback:queue")
        except DomainError as error:
            errors_onto(form, error)
        else:
            ENTRY_PINS.keep(request, item.pk, pin)
            return see_other(reverse("feedback:entered", args=[item.pk]))
    return _entry_page(
        request, form, files_refused=bool(request.FILES.getlist("attachments")), status=400
    )


def _entry_page(request, form, *, files_refused=False, status=200):
    focus = first_error(form) or "channel"
    mark_errors(form, autofocus=focus)
    context = {
        "form": form,
        "single_unit": form.fields["unit"].queryset.count() == 1,
        "files_refused": files_refused,
    }
    return render(request, "feedback/staff/entry.html", context, status=status)


def _visible(user, pk) -> Item:
    try:
        return selectors.items_visible(user=user).get(pk=pk)
    except Item.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def entered(request, pk):
    item = _visible(request.user, pk)
    pin = ENTRY_PINS.show(request, pk)
    response = render(request, "feedback/staff/entered.html", {"item": item, "pin": pin})
    return no_store(response)  # the PIN must not stay in any cache


@login_required
@require_GET
def entry_receipt(request, pk):
    """The receipt for the sender (to mail with a letter's answer of receipt, or read out):
    the first print after entry carries the PIN; audited (R-PRIV-1)."""
    item = _visible(request.user, pk)
    pin = ENTRY_PINS.pop(request, pk)
    pdf = exports.receipt_export(item=item, user=request.user, pin=pin)
    return pdf_response(pdf, f"bien-nhan-{item.code}.pdf")


# --- the item and its actions ----------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    name: str
    kind: str
    label: Any
    form: type
    service: Any
    done: Any
    danger: bool = False


ACTIONS = [
    Action(
        "classify",
        E.CLASSIFIED,
        gettext_lazy("Classify"),
        ClassifyForm,
        services.feedback_classify,
        gettext_lazy("The classification has been recorded."),
    ),
    Action(
        "assign",
        E.ASSIGNED,
        gettext_lazy("Assign"),
        AssignForm,
        services.feedback_assign,
        gettext_lazy("The item has been assigned."),
    ),
    Action(
        "start",
        E.STARTED,
        gettext_lazy("Start handling"),
        NoteForm,
        services.feedback_start,
        gettext_lazy("Handling has started."),
    ),
    Action(
        "transfer",
        E.TRANSFERRED,
        gettext_lazy("Transfer to the competent body"),
        TransferForm,
        services.feedback_transfer,
        gettext_lazy("The item has been transferred; the sender is told."),
    ),
    Action(
        "extend",
        E.EXTENDED,
        gettext_lazy("Extend the deadline"),
        ReasonForm,
        services.feedback_extend,
        gettext_lazy("The deadline has been extended; the sender is told."),
    ),
    Action(
        "reply",
        E.REPLIED,
        gettext_lazy("Answer in writing"),
        ReplyForm,
        services.feedback_reply,
        gettext_lazy("The answer has been recorded and sent to the sender."),
    ),
    Action(
        "reject",
        E.REJECTED,
        gettext_lazy("Reject as out of scope"),
        ReasonForm,
        services.feedback_reject,
        gettext_lazy("The item has been rejected; the sender is told the reason."),
        danger=True,
    ),
    Action(
        "reopen",
        E.REOPENED,
        gettext_lazy("Reopen"),
        ReasonForm,
        services.feedback_reopen,
        gettext_lazy("The item has been reopened."),
    ),
    Action(
        "close",
        E.CLOSED,
        gettext_lazy("Close"),
        NoteForm,
        services.feedback_close,
        gettext_lazy("The item has been closed."),
    ),
    Action(
        "publish",
        E.PUBLISHED,
        gettext_lazy("Publish anonymised"),
        PublishForm,
        services.feedback_publish,
        gettext_lazy("The answer has been published without personal data."),
    ),
    Action(
        "unpublish",
        E.UNPUBLISHED,
        gettext_lazy("Withdraw the publication"),
        NoteForm,
        services.feedback_unpublish,
        gettext_lazy("The publication has been withdrawn."),
        danger=True,
    ),
]
ACTIONS_BY_NAME = {a.name: a for a in ACTIONS}


def allowed_actions(*, item, user) -> list[Action]:
    """The actions the transition table and the user's role allow now, in the table's order."""
    allowed = set(services.actions_allowed(item=item, user=user))
    return [a for a in ACTIONS if a.kind in allowed]


def _label(action: Action, item) -> Any:
    if action.name == "start" and item.kind == Kind.COMPLAINT:
        return gettext_lazy("Accept the complaint")
    return action.label


def _detail(user, pk) -> Item:
    try:
        return selectors.item_detail(user=user, pk=pk)
    except Item.DoesNotExist as exc:
        raise Http404 from exc


def _transfer_targets(item, query=""):
    return list(
        selectors.transfer_targets(item=item, q=query).select_related("parent")[:TRANSFER_MATCHES]
    )


def _render_detail(request, item, *, bound=None, status=200, extra=None):
    panels = []
    for action in allowed_actions(item=item, user=request.user):
        if bound is not None and bound.prefix == action.name:
            form, is_open = bound, True
            mark_errors(form, autofocus=first_error(form))
        else:
            form = action.form(item=item, prefix=action.name)
            is_open = False
        panel = {"action": action, "label": _label(action, item), "form": form, "open": is_open}
        if action.name == "transfer":
            query = (extra or {}).get("transfer_query", "")
            panel["targets"] = _transfer_targets(item, query)
            panel["query"] = query
            panel["chosen"] = str(form["to_unit"].value() or "")
        panels.append(panel)
    publication = _one(item, "publication")
    context = {
        "item": item,
        "events": list(item.events.all()),
        "replies": list(item.replies.all()),
        "attachments": list(item.attachments.all()),
        "extension": _one(item, "extension"),
        "publication": publication if publication and publication.is_active else None,
        "panels": panels,
        "now": timezone.now(),
        "is_overdue": selectors.with_overdue_flag(Item.objects.filter(pk=item.pk))
        .values_list("is_overdue", flat=True)
        .first(),
        **(extra or {}),
    }
    return render(request, "feedback/staff/detail.html", context, status=status)


def _one(item, relation):
    try:
        return getattr(item, relation)
    except (Extension.DoesNotExist, Publication.DoesNotExist):
        return None


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
    item = _detail(request.user, pk)
    form = action.form(request.POST, item=item, prefix=action.name)
    if action.name == "transfer" and _narrowing(request.POST, action.name):
        # Without JavaScript, "Find" narrows the list of units: nothing is saved.
        narrowed = TransferForm(
            item=item, prefix=action.name, initial=_unprefixed(request.POST, action.name)
        )
        query = request.POST.get(f"{action.name}-q", "")
        return _render_detail(request, item, bound=narrowed, extra={"transfer_query": query})
    if action.name == "publish" and "preview" in request.POST:
        return _publish_preview(request, item, form)
    if not form.is_valid():
        return _render_detail(request, item, bound=form, status=400)
    try:
        action.service(item=item, actor=request.user, **form.service_kwargs())
    except PermissionDenied as error:
        messages.error(request, error.message)
        return _render_detail(request, item, status=error.status_code)
    except DomainError as error:
        if action in allowed_actions(item=item, user=request.user):
            errors_onto(form, error)
        else:  # the form is not on the page any more (e.g. the status changed meanwhile)
            messages.error(request, error.message)
        return _render_detail(request, item, bound=form, status=error.status_code)
    messages.success(request, action.done)
    return redirect("feedback:detail", pk=item.pk)


def _narrowing(data, prefix) -> bool:
    """The transfer form was sent to narrow the unit list ("Find", or Enter in the search box
    with nothing chosen yet), not to transfer."""
    if "find" in data:
        return True
    chosen = data.get(f"{prefix}-to_unit") or data.get(f"{prefix}-to_body", "").strip()
    return not chosen and bool(data.get(f"{prefix}-q", "").strip())


def _unprefixed(data, prefix):
    start = f"{prefix}-"
    return {k.removeprefix(start): v for k, v in data.items() if k.startswith(start)}


def _publish_preview(request, item, form):
    """The texts as they would be published: masked (R-FB-3). Nothing is saved."""
    if not form.is_valid():
        return _render_detail(request, item, bound=form, status=400)
    data = form.cleaned_data
    preview = {
        key: services.masked_for_publication(item, data[key] or "")
        for key in ("title", "question", "answer")
    }
    return _render_detail(request, item, bound=form, extra={"publish_preview": preview})


@login_required
@require_GET
def transfer_options(request, pk):
    """htmx: the units matching ``q`` an item can be transferred to, as <option>s."""
    item = _visible(request.user, pk)
    return render(
        request,
        "feedback/staff/partials/transfer_options.html",
        {
            "targets": _transfer_targets(
                item, request.GET.get("transfer-q", request.GET.get("q", ""))
            ),
            "chosen": request.GET.get("transfer-to_unit", ""),
        },
    )


@login_required
@require_POST
def letter_preview(request, pk):
    """The reply letter the answer being written would make (PDF, marked as a draft), for
    those who may answer the item now. Nothing is saved but the audit row."""
    item = _visible(request.user, pk)
    if E.REPLIED not in services.actions_allowed(item=item, user=request.user):
        raise Http404
    try:
        text = clean_text(request.POST.get("reply-text", ""), field="text", label=_("the answer"))
    except InvalidText as error:
        return render(
            request,
            "feedback/staff/preview_refused.html",
            {"item": item, "message": error.fields.get("text", [error.message])[0]},
            status=400,
        )
    pdf = exports.reply_letter_preview_export(item=item, text=text, user=request.user)
    return pdf_response(pdf, f"{item.code}-du-thao-tra-loi.pdf")


@login_required
@require_GET
def letter(request, pk, number):
    item = _visible(request.user, pk)
    reply = selectors.reply_of(item=item, number=number)
    if reply is None:
        raise Http404
    pdf = exports.reply_letter_export(reply=reply, user=request.user)
    return pdf_response(pdf, f"{item.code}-tra-loi-{reply.number}.pdf")


@login_required
@require_GET
def attachment(request, pk, attachment_id):
    """An attachment, to staff of the item's units only; every download is audited."""
    item = _visible(request.user, pk)
    found = selectors.attachment_of(item=item, pk=attachment_id)
    if found is None:
        raise Http404
    handle = exports.attachment_export(attachment=found, user=request.user)
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    return no_store(response)
