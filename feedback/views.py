"""Public pages of feedback and complaints, no account needed (R-FB-1, R-FB-3, R-PRIV-1), under
``/phan-anh/`` (Vietnamese: "feedback"):

- ``/phan-anh/``: the form (``feedback:submit``); ``/phan-anh/da-gui/<id>/`` the confirmation
  with the code and the PIN (shown once) and ``.../bien-nhan.pdf`` the printable receipt;
- ``/phan-anh/tra-cuu/``: tracking by code and PIN (``feedback:track``) or by the QR link of
  the receipt (``/phan-anh/tra-cuu/t/<token>/``), the written answers and their letters, and
  the dispute of an answer within the window;
- ``/phan-anh/cong-khai/``: the published answers, masked, with search and paging
  (``feedback:published``).

Every write is one service call (``feedback.services``), every read a selector or the
tracking module's public view (``feedback.tracking.public_view``, which cannot reach the
sender's phone, address or ID number). The new PIN waits in the session of the browser that
filed the item (``portal.session_pins``) and never goes into a URL. Tracking works like the
dossiers' (``dossiers/tracking/views.py``): after a successful look-up a short-lived signed
cookie holds the item's id and the browser is sent (303) to ``/phan-anh/tra-cuu/ket-qua/``, a
URL without code, PIN or id; an unknown code and a wrong PIN give the same answer; look-ups are
limited per client IP and, on failure, per code (``feedback.limits``, shared with the API).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from feedback import documents, limits, selectors, services, tracking
from feedback.forms import (
    DisputeForm,
    SubmitForm,
    TrackingForm,
    errors_onto,
    first_error,
    mark_errors,
)
from feedback.models import Channel, Status
from portal.exceptions import DomainError
from portal.http import no_store, pdf_response
from portal.public_pages import SignedCookie, private, see_other
from portal.session_pins import SessionPins
from portal.strict_input import id_or_none

PUBLISHED_PAGE_SIZE = 20
UNIT_MATCHES = 50
# The new PIN of an item filed from this browser: shown once on the confirmation page, printed
# once on the receipt; the confirmation and the receipt (without PIN) stay open to this browser
# for SUBMITTED_SECONDS.
SUBMITTED_SECONDS = 30 * 60
SUBMITTED = SessionPins("feedback.submitted", ttl=SUBMITTED_SECONDS)

RESULT_SECONDS = 15 * 60
RETRY_SECONDS = 60
RESULT = SignedCookie(
    "phan_anh", "feedback.tracking_views.phan_anh", RESULT_SECONDS, path_name="feedback:track"
)
RETRY = SignedCookie(
    "phan_anh_lai", "feedback.tracking_views.phan_anh_lai", RETRY_SECONDS, "feedback:track"
)

STATUS_TONES = {
    Status.TRANSFERRED: "warn",
    Status.ANSWERED: "ok",
    Status.CLOSED: "muted",
    Status.REJECTED: "err",
}


# --- the form ------------------------------------------------------------------------------
def _too_many(request, limit=None):
    response = private(render(request, "feedback/rate_limited.html", status=429))
    if limit is not None and limit.retry_after > 0:
        response["Retry-After"] = str(limit.retry_after)
    return no_store(response)


def unit_matches(query: str, *, keep=None) -> list:
    """Units taking feedback whose name contains ``query`` (case and accents ignored, at most
    ``UNIT_MATCHES``); ``keep`` (the chosen one, an id) always stays. All of them without a
    query."""
    if not (query or "").strip():
        return list(selectors.units_taking_feedback())
    found = list(selectors.units_taking_feedback(q=query)[:UNIT_MATCHES])
    keep = id_or_none(keep)
    if keep is not None and all(u.pk != keep for u in found):
        found = [*selectors.units_taking_feedback().filter(pk=keep), *found]
    return found


def _submit_page(request, form, *, unit_query="", focus=None, files_refused=False, status=200):
    if focus is None:
        focus = first_error(form) or ("kind" if form.is_bound else None)
    mark_errors(form, autofocus=focus)
    chosen = form["unit"].value()
    context = {
        "form": form,
        "units": unit_matches(unit_query, keep=chosen),
        "chosen_unit": str(chosen or ""),
        "unit_query": unit_query,
        "focus": focus,
        "files_refused": files_refused,
        "text_max": settings.FEEDBACK_TEXT_MAX_CHARS,
        "identity_kinds": services.identity_required_kinds(),
    }
    return no_store(render(request, "feedback/submit.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    """The citizens' form. A refused submission keeps nothing (the service deletes any file
    it stored) and comes back with the text as typed and each error next to its field."""
    if request.method == "GET":
        initial = {}
        if (unit_id := id_or_none(request.GET.get("don_vi"))) is not None:
            initial["unit"] = unit_id
        return _submit_page(request, SubmitForm(initial=initial))
    data = request.POST
    unit_query = data.get("unit_q", "")
    if "find_unit" in data or (not data.get("unit") and unit_query.strip()):
        # Without JavaScript, "Find" (or Enter in the search box) narrows the unit list: the
        # same page with what was typed, no error yet, nothing saved.
        form = SubmitForm(initial=data.dict())
        return _submit_page(request, form, unit_query=unit_query, focus="unit")
    limit = limits.submit(request)
    if limit.limited:
        return _too_many(request, limit)
    form = SubmitForm(data, request.FILES)
    if form.is_valid():
        try:
            item, pin = services.feedback_submit(
                actor=None,
                channel=Channel.WEB,
                unit=form.cleaned_data["unit"],
                **form.item_kwargs(),
            )
        except DomainError as error:
            errors_onto(form, error)
        else:
            SUBMITTED.keep(request, item.pk, pin)
            return see_other(reverse("feedback:submitted", args=[item.pk]))
    return _submit_page(
        request,
        form,
        unit_query=unit_query,
        files_refused=bool(request.FILES.getlist("attachments")),
        status=400,
    )


@require_GET
def unit_options(request):
    """htmx: the units matching ``q`` as <option>s (the chosen one stays)."""
    return render(
        request,
        "feedback/partials/unit_options.html",
        {
            "units": unit_matches(request.GET.get("q", ""), keep=request.GET.get("unit")),
            "chosen_unit": request.GET.get("unit", ""),
        },
    )


def _submitted_view(request, pk):
    if not SUBMITTED.holds(request, pk):
        raise Http404
    view = tracking.public_view(item_id=pk)
    if view is None:
        raise Http404
    return view


@never_cache
@require_GET
def submitted(request, pk):
    """The confirmation: the code, and the PIN the first time only (R-PRIV-1)."""
    view = _submitted_view(request, pk)
    pin = SUBMITTED.show(request, pk)
    context = {"item": view, "pin": pin, "tone": STATUS_TONES.get(view.status, "")}
    return no_store(private(render(request, "feedback/submitted.html", context)))


@never_cache
@require_GET
def receipt(request, pk):
    """The printable receipt (PDF) of an item filed from this browser: with the PIN on the
    first print only."""
    view = _submitted_view(request, pk)
    pin = SUBMITTED.pop(request, pk)
    return pdf_response(
        documents.receipt_pdf(item_id=view.id, pin=pin), f"bien-nhan-{view.code}.pdf"
    )


# --- tracking ------------------------------------------------------------------------------
NOT_FOUND_MESSAGE = gettext_lazy(
    "No item matches this code and PIN. Check both on your receipt and try again."
)


def _lookup_page(request, form, *, not_found=False, status=200):
    return private(
        render(
            request,
            "feedback/track.html",
            {"form": form, "not_found": not_found, "not_found_message": NOT_FOUND_MESSAGE},
            status=status,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """GET: the form (after a failed try, once, with the message and the code as typed).
    POST: check, then 303 to the result, or 303 back here."""
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if not form.is_valid():
            limit = limits.tracking(request)
            if limit.limited:
                return _too_many(request, limit)
            return _lookup_page(request, form, status=400)
        code, pin = form.cleaned_data["code"], form.cleaned_data["pin"]
        attempt = limits.pin_attempt(request, code)
        if attempt.limited:
            return _too_many(request, attempt)
        item = tracking.item_by_code_and_pin(code=code, pin=pin)
        if item is not None:
            limits.pin_right(attempt)
            response = see_other(reverse("feedback:track_result"))
            RESULT.set(response, str(item.pk))
            RETRY.drop(response)
            return response
        response = see_other(reverse("feedback:track"))
        RETRY.set(response, code)  # the code as typed, for the next page; never the PIN
        return response
    retry = RETRY.read(request)
    if retry is not None:
        response = _lookup_page(request, TrackingForm(initial={"code": retry}), not_found=True)
    else:
        response = _lookup_page(request, TrackingForm())
    if RETRY.present(request):
        RETRY.drop(response)  # the message shows once
    return response


def _result_item_id(request) -> int | None:
    return id_or_none(RESULT.read(request))


def _result_page(request, view, *, dispute_form=None, status=200):
    if dispute_form is None and view.can_dispute:
        dispute_form = DisputeForm()
    if dispute_form is not None:
        mark_errors(dispute_form, autofocus=first_error(dispute_form))
    context = {
        "item": view,
        "tone": STATUS_TONES.get(view.status, ""),
        "dispute_form": dispute_form,
        "reopen_days": settings.FEEDBACK_REOPEN_DAYS,
    }
    return private(render(request, "feedback/track_result.html", context, status=status))


@never_cache
@require_GET
def track_result(request):
    item_id = _result_item_id(request)
    view = tracking.public_view(item_id=item_id) if item_id else None
    if view is None:
        response = redirect("feedback:track")
        if RESULT.present(request):
            RESULT.drop(response)
        return response
    return _result_page(request, view)


@never_cache
@require_POST
def track_forget(request):
    """Finish: forget the result now (a shared computer, a kiosk at the desk)."""
    response = see_other(reverse("feedback:track"))
    RESULT.drop(response)
    return response


@never_cache
@require_GET
def track_token(request, token):
    """The QR link of the receipt: the signed token is the credential. It opens the result
    like a code and PIN would (the cookie), so the token stays out of the later pages."""
    limit = limits.tracking(request)
    if limit.limited:
        return _too_many(request, limit)
    item_id = tracking.item_id_from_token(token)
    if item_id is None or tracking.public_view(item_id=item_id) is None:
        return _lookup_page(request, TrackingForm(), not_found=True, status=404)
    response = see_other(reverse("feedback:track_result"))
    RESULT.set(response, str(item_id))
    return response


@never_cache
@require_GET
def track_letter(request, number):
    """The reply letter (PDF) of an answer, for the sender who looked the item up."""
    item_id = _result_item_id(request)
    if item_id is None:
        return redirect("feedback:track")
    limit = limits.tracking(request)
    if limit.limited:
        return _too_many(request, limit)
    reply = tracking.reply_for_sender(item_id=item_id, number=number)
    if reply is None:
        raise Http404
    pdf = documents.reply_letter_pdf(reply=reply)
    code = tracking.public_view(item_id=item_id).code
    return pdf_response(pdf, f"{code}-tra-loi-{reply.number}.pdf")


@never_cache
@require_POST
def dispute(request):
    """The sender disputes the answer within the window: the item is reopened
    (``feedback_dispute``). The PIN is asked again (the page may have been opened by the QR
    link, or left open on a shared screen); a wrong PIN counts against the code's limit."""
    item_id = _result_item_id(request)
    view = tracking.public_view(item_id=item_id) if item_id else None
    if view is None:
        return redirect("feedback:track")
    form = DisputeForm(request.POST)
    if not form.is_valid():
        limit = limits.tracking(request)
        if limit.limited:
            return _too_many(request, limit)
        return _result_page(request, view, dispute_form=form, status=400)
    attempt = limits.pin_attempt(request, view.code)
    if attempt.limited:
        return _too_many(request, attempt)
    try:
        services.feedback_dispute(
            code=view.code, pin=form.cleaned_data["pin"], reason=form.cleaned_data["reason"]
        )
    except tracking.TrackingNotFound:
        form.add_error("pin", _("This PIN does not match the item."))
        return _result_page(request, view, dispute_form=form, status=400)
    except DomainError as error:
        limits.pin_right(attempt)  # the PIN was right; the window or the state said no
        errors_onto(form, error)
        fresh = tracking.public_view(item_id=view.id)
        return _result_page(request, fresh, dispute_form=form, status=error.status_code)
    limits.pin_right(attempt)
    messages.success(
        request,
        _("Your disagreement has been recorded; the item is being handled again."),
    )
    return see_other(reverse("feedback:track_result"))


# --- published answers (R-FB-3) ------------------------------------------------------------
@require_GET
def published(request):
    query = (request.GET.get("q") or "").strip()[:100]
    rows = selectors.published_list(q=query)
    page = Paginator(rows, PUBLISHED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/published.html", {"page": page, "query": query})


@require_GET
def published_detail(request, pk):
    publication = selectors.published_item(pk=pk)
    if publication is None:
        raise Http404
    return render(request, "feedback/published_detail.html", {"publication": publication})
