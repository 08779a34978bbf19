"""Pages of the satisfaction surveys (R-SUR-1..3, R-IND-5).

Public pages, no account: the citizen's answer page behind the signed link or QR code
(``/khao-sat/<token>/``) and the kiosk at a desk (``/khao-sat/kiosk/``). Staff pages
(``/khao-sat/quan-ly/...``, ``/khao-sat/nhap-phieu/``): responses, indices with the answers
behind each figure, paper and phone entry, kiosk devices, printed invitations and blank forms.

Every write goes through ``surveys.services`` and every read through ``surveys.selectors``
(scoped to the user's units); these views only read the request, call one of them and show the
result or the service's translated error next to the field it names. Public POSTs are
rate-limited (``SURVEY_RATE_PER_IP`` per client address, ``SURVEY_RATE_PER_KIOSK`` per kiosk)
before anything is read from the database.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dossiers.selectors import dossier_visible_by_code, procedures_at_desk
from portal import selectors as portal_selectors
from portal import throttling
from portal.codes import short_code_normalise
from portal.exceptions import DomainError, PermissionDenied
from portal.http import pdf_response
from portal.pdf import qr_data_uri
from portal.strict_input import parse_int, query_id
from surveys import documents, forms, kiosk_setup, selectors, services
from surveys.exceptions import (
    AlreadyAnswered,
    DuplicatePaperSerial,
    FormNotAvailable,
    InvalidAnswers,
    KioskDeviceInvalid,
    SurveyLinkInvalid,
)
from surveys.indices import indices_for
from surveys.models import NOT_APPLICABLE, Response, SurveyForm

PAGE_SIZE = 25
KIOSK_THANKS_SECONDS = 8


# --- rate limits ----------------------------------------------------------------------------
def _ip_limited(request) -> bool:
    return throttling.hit(
        throttling.ip_counter("surveys.public", request, settings.SURVEY_RATE_PER_IP)
    ).limited


def _too_many(request, *, template="surveys/rate_limited.html"):
    return render(request, template, status=429)


# --- the citizen's page (R-SUR-2) -----------------------------------------------------------
def _link_invalid(request):
    """One page for forged, expired and used links (nothing is learnt by probing)."""
    return render(
        request, "surveys/link_invalid.html", {"message": SurveyLinkInvalid().message}, status=404
    )


def _sheet_context(form, *, values=None, errors=None, procedures=None, paper=False) -> dict:
    structure = selectors.survey_form_structure(form=form)
    return forms.sheet_layout(
        structure,
        language=translation.get_language(),
        values=values,
        errors=errors,
        procedures=procedures,
        paper=paper,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The form behind a survey link or QR code: answered once, without an account."""
    by_qr = (request.POST if request.method == "POST" else request.GET).get("qr") == "1"
    channel = Response.Channel.QR if by_qr else Response.Channel.LINK
    return _answer_page(
        request,
        resolve=lambda: selectors.invitation_resolve(token),
        submit=lambda **kwargs: services.response_submit_by_token(
            token=token, channel=channel, **kwargs
        ),
        by_qr=by_qr,
    )


def _answer_page(request, *, resolve, submit, by_qr=False, answered=None):
    """The survey of one invitation, reached by its link or by its short code: ``resolve()``
    finds the invitation (or raises ``SurveyLinkInvalid``), ``submit(**sheet)`` answers it;
    ``answered(response)`` adjusts the redirect to the thanks page."""
    if request.method == "POST" and _ip_limited(request):
        return _too_many(request)
    try:
        invitation = resolve()
    except SurveyLinkInvalid:
        return _link_invalid(request)
    values, errors, error_message, status = {}, {}, "", 200
    if request.method == "POST":
        sheet = forms.sheet_from_post(request.POST)
        try:
            submit(form=forms.posted_form(sheet), **sheet.service_kwargs())
        except (SurveyLinkInvalid, AlreadyAnswered):
            return _link_invalid(request)
        except (InvalidAnswers, FormNotAvailable) as error:
            values, errors, error_message, status = (
                sheet.values,
                forms.error_fields(error),
                error.message,
                400,
            )
        else:
            response = redirect("surveys:thanks")
            if answered is not None:
                answered(response)
            return response
    dossier = invitation.dossier
    if selectors.dossier_answered(dossier=dossier):  # e.g. on paper at the desk meanwhile
        return _link_invalid(request)
    form = selectors.survey_form_for(unit=dossier.unit)
    if form is None:
        return render(request, "surveys/unavailable.html", status=404)
    context = _sheet_context(form, values=values, errors=errors)
    context.update(
        dossier=dossier,
        desk=dossier.desk,
        procedure_name=dossier.procedure.name,
        error_message=error_message,
        by_qr=by_qr,
    )
    return render(request, "surveys/answer.html", context, status=status)


def thanks(request):
    return render(request, "surveys/thanks.html")


# --- the short code typed at the front door (R-SUR-2) ---------------------------------------
# The code on the invitation (10 characters) is equivalent to its link. After a good code the
# browser gets it in a signed, short-lived, HttpOnly cookie and is sent (303) to the form at
# /khao-sat/ma/phieu/, a URL without the code: Back and Refresh never post the code again, and
# the code lands in no history, log or Referer. Every try counts against the per-address limit
# (SURVEY_CODE_RATE_PER_IP), as the tracking look-up does; an unknown, used or expired code all
# give the same answer.
CODE_COOKIE = "khao_sat_ma"
CODE_SECONDS = 2 * 3600
CODE_SALT = "surveys.views.short_code"


def _code_cookie_path() -> str:
    return reverse("surveys:code")


def _code_from_cookie(request) -> str:
    return request.get_signed_cookie(CODE_COOKIE, default="", salt=CODE_SALT, max_age=CODE_SECONDS)


def _forget_code(response):
    response.delete_cookie(CODE_COOKIE, path=_code_cookie_path(), samesite="Lax")
    return response


def _code_limited(request) -> bool:
    return throttling.hit(
        throttling.ip_counter("surveys.code", request, settings.SURVEY_CODE_RATE_PER_IP)
    ).limited


def _private(response):
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def code_entry(request):
    """GET: the box for the survey code. POST (also from the front door): check it, then 303
    to the form; a wrong code comes back here with one message whatever the reason."""
    typed, error = "", ""
    if request.method == "POST":
        if _code_limited(request):
            return _too_many(request)
        typed = request.POST.get("code", "")[:40]
        try:
            selectors.invitation_resolve_code(typed)
        except SurveyLinkInvalid:
            error = _(
                "This code cannot be used. Check it on your invitation; it may have expired or "
                "been used already. Ask the service desk for a new one."
            )
        else:
            response = redirect("surveys:answer_by_code")
            response.status_code = 303
            response.set_signed_cookie(
                CODE_COOKIE,
                short_code_normalise(typed),
                salt=CODE_SALT,
                max_age=CODE_SECONDS,
                path=_code_cookie_path(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return _private(response)
    return _private(
        render(
            request,
            "surveys/code.html",
            {"typed": typed, "error": error},
            status=400 if error else 200,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer_by_code(request):
    """The survey of the invitation whose code was typed (kept in the cookie): the same page
    and rules as the link's; answering forgets the code."""
    code = _code_from_cookie(request)
    if not code:
        return redirect("surveys:code")
    response = _answer_page(
        request,
        resolve=lambda: selectors.invitation_resolve_code(code),
        submit=lambda **kwargs: services.response_submit_by_code(code=code, **kwargs),
        answered=_forget_code,
    )
    return _private(response)


# --- the kiosk at a desk (R-SUR-2) ----------------------------------------------------------
def _kiosk_language(request) -> str:
    """A kiosk's language is chosen per visitor (``?lang=en``) and falls back to Vietnamese
    after each answer, so the next walk-in starts in the default language."""
    language = request.POST.get("lang") or request.GET.get("lang") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _kiosk_invalid(request, error):
    return render(request, "surveys/kiosk/invalid.html", {"message": error.message}, status=403)


def _kiosk_device(request):
    token = request.COOKIES.get(kiosk_setup.COOKIE_NAME, "")
    return token, selectors.kiosk_device_resolve(token)


def _kiosk_page(request, language):
    try:
        token, device = _kiosk_device(request)
    except KioskDeviceInvalid as error:
        return _kiosk_invalid(request, error)
    values, errors, error_message, status = {}, {}, "", 200
    if request.method == "POST":
        if throttling.hit(
            throttling.Counter("surveys.kiosk", str(device.pk), settings.SURVEY_RATE_PER_KIOSK)
        ).limited:
            return _too_many(request, template="surveys/kiosk/rate_limited.html")
        sheet = forms.sheet_from_post(request.POST)
        try:
            services.response_submit_kiosk(
                device_token=token, form=forms.posted_form(sheet), **sheet.service_kwargs()
            )
        except KioskDeviceInvalid as error:
            return _kiosk_invalid(request, error)
        except (InvalidAnswers, FormNotAvailable) as error:
            values, errors, error_message, status = (
                sheet.values,
                forms.error_fields(error),
                error.message,
                400,
            )
        else:
            return redirect("surveys:kiosk_thanks")
    form = selectors.survey_form_for(unit=device.desk.unit)
    if form is None:
        return render(request, "surveys/kiosk/unavailable.html", status=404)
    context = _sheet_context(
        form, values=values, errors=errors, procedures=procedures_at_desk(desk=device.desk)
    )
    context.update(
        device=device,
        desk=device.desk,
        error_message=error_message,
        language=language,
        idle_seconds=int(getattr(settings, "SURVEY_KIOSK_IDLE_SECONDS", 90)),
    )
    return render(request, "surveys/kiosk/form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """A blank anonymous form for walk-in citizens, for the desk of the device in the cookie."""
    language = _kiosk_language(request)
    with translation.override(language):
        response = _kiosk_page(request, language)
    response.headers["Content-Language"] = language
    return response


@never_cache
def kiosk_thanks(request):
    try:
        _token, device = _kiosk_device(request)
    except KioskDeviceInvalid as error:
        return _kiosk_invalid(request, error)
    with translation.override(settings.LANGUAGE_CODE):
        return render(
            request,
            "surveys/kiosk/thanks.html",
            {"return_seconds": KIOSK_THANKS_SECONDS, "desk": device.desk},
        )


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_setup_page(request, code):
    """Opened once on the tablet: stores the device token in an HttpOnly cookie, so that it
    never appears in a URL again (see ``surveys.kiosk_setup``)."""
    if request.method == "POST":
        if _ip_limited(request):
            return _too_many(request)
        token = kiosk_setup.setup_code_consume(code)
        try:
            device = selectors.kiosk_device_resolve(token or "")
        except KioskDeviceInvalid:
            return render(request, "surveys/kiosk/setup_invalid.html", status=404)
        response = redirect("surveys:kiosk")
        response.set_cookie(
            kiosk_setup.COOKIE_NAME,
            token,
            max_age=kiosk_setup.COOKIE_MAX_AGE,
            path=reverse("surveys:kiosk"),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        messages.success(
            request,
            _("This tablet is now the kiosk “%(name)s” of %(desk)s.")
            % {"name": device.name, "desk": device.desk.name},
        )
        return response
    if not kiosk_setup.setup_code_peek(code):
        return render(request, "surveys/kiosk/setup_invalid.html", status=404)
    return render(request, "surveys/kiosk/setup.html")


# --- staff pages ----------------------------------------------------------------------------
def staff_required(view):
    """Signed in and holding a role at some unit; what they see is scoped by the selectors."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not portal_selectors.user_roles(user=request.user):
            return render(request, "surveys/staff/no_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def responses(request):
    """Responses of the user's units, by desk, period, channel and form, newest first."""
    filters = forms.ResponseFilterForm(request.GET, user=request.user)
    page = None
    if filters.is_valid():
        qs = selectors.responses_filtered(user=request.user, **filters.filters()).select_related(
            "kiosk_device"
        )
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/staff/responses.html",
        {"filters": filters, "page": page, "query": filters.query() if page else ""},
        status=200 if page is not None else 400,
    )


@staff_required
def response_detail(request, pk):
    response = get_object_or_404(
        selectors.responses_visible(user=request.user).select_related("kiosk_device", "entered_by"),
        pk=pk,
    )
    answers = response.answers.select_related("criterion__area").order_by(
        "criterion__area__order", "criterion__area_id", "criterion__order", "criterion_id"
    )
    extras = response.extra_answers.select_related("question").order_by("question__order")
    return render(
        request,
        "surveys/staff/response_detail.html",
        {"response": response, "answers": answers, "extras": extras},
    )


@staff_required
def indices(request):
    """Criterion, area and overall indices of a unit or desk over a period (R-SUR-3), each
    linked to the answers behind it (R-IND-5); small samples are flagged, never hidden."""
    filters = forms.ResponseFilterForm(request.GET, user=request.user)
    result, forms_present, query = None, [], ""
    if filters.is_valid():
        narrowed = filters.filters()
        chosen = narrowed.pop("form_code")
        qs = selectors.responses_filtered(user=request.user, **narrowed)
        forms_present = list(
            qs.order_by().values("form__code").annotate(n=Count("id")).order_by("-n", "form__code")
        )
        code = chosen or (forms_present[0]["form__code"] if forms_present else None)
        if code:
            result = indices_for(responses_queryset=qs, form_code=code)
        query = filters.query(form=code)
    return render(
        request,
        "surveys/staff/indices.html",
        {
            "filters": filters,
            "result": result,
            "forms_present": forms_present,
            "query": query,
            "levels": _levels(result),
            "legend": _legend(result),
        },
        status=200 if filters.is_valid() else 400,
    )


def _levels(result):
    if result is None or not result.areas or not result.areas[0].criteria:
        return []
    return list(result.areas[0].criteria[0].distribution)


def _legend(result):
    """The labels of the scale's values for the table heading, from the newest version."""
    if result is None:
        return []
    latest = SurveyForm.objects.filter(code=result.form_code).order_by("-version").first()
    if latest is None:
        return []
    options = forms.scale_options(latest, translation.get_language())
    return [o for o in options if o["number"] and o["label"]]


def _answer_value(raw: str):
    """``value`` of the answers page: any, na, blank or a number on the scale."""
    if raw in ("", "any"):
        return "any"
    if raw == NOT_APPLICABLE:
        return NOT_APPLICABLE
    if raw == "blank":
        return None
    return parse_int(raw)  # ASCII digits only: "²" is a ValueError, not a crash


@staff_required
def answers(request):
    """The answers behind a figure of the indices page (R-IND-5): one criterion or several
    (an area), all values or one value, over the same responses as the figure."""
    filters = forms.ResponseFilterForm(request.GET, user=request.user)
    codes = [c for c in request.GET.getlist("criterion") if c][:50]
    try:
        value = _answer_value(request.GET.get("value", "any"))
    except ValueError:
        value, codes = "any", []
    if not codes or not filters.is_valid():
        return render(
            request,
            "surveys/staff/answers.html",
            {"filters": filters, "page": None, "bad_request": True},
            status=400,
        )
    qs = selectors.responses_filtered(user=request.user, **filters.filters())
    behind = None
    for code in codes:
        part = selectors.answers_behind(responses_queryset=qs, criterion_code=code, value=value)
        behind = part if behind is None else behind | part
    behind = behind.select_related("criterion__area__form", "response__dossier").order_by(
        "response__submitted_at", "response_id", "criterion__area__order", "criterion__order"
    )
    page = Paginator(behind, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/staff/answers.html",
        {
            "filters": filters,
            "page": page,
            "codes": codes,
            "value": request.GET.get("value", "any"),
            "query": filters.query(criterion=codes, value=request.GET.get("value", "any")),
            "responses_query": filters.query(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def paper_entry(request):
    """Fast keyboard entry of a batch of paper sheets, or of phone interviews (R-SUR-2)."""
    source = request.POST if request.method == "POST" else request.GET
    batch = forms.PaperBatchForm(source, user=request.user)
    context = {"batch": batch, "sheet": None}
    if not batch.is_valid():
        return render(
            request,
            "surveys/staff/paper_entry.html",
            context,
            status=400 if request.method == "POST" else 200,
        )
    desk = batch.cleaned_data["desk"]
    channel = batch.cleaned_data["channel"]
    form = batch.cleaned_data["form"] or selectors.survey_form_for(
        unit=desk.unit, on=batch.cleaned_data["date"]
    )
    values, errors, error_message, status = {}, {}, "", 200
    if request.method == "POST":
        sheet = forms.sheet_from_post(request.POST)
        try:
            shown = forms.posted_form(sheet) or form
            if shown is not None:
                sheet.answers = forms.paper_answers(sheet.answers, scale=shown.scale)
            saved = _enter_sheet(request, batch=batch, sheet=sheet, form=shown)
        except DuplicatePaperSerial as error:
            errors, error_message, status = {"serial": [error.message]}, error.message, 409
        except (InvalidAnswers, FormNotAvailable) as error:
            errors, error_message, status = forms.error_fields(error), error.message, 400
        except DomainError as error:  # no role at the desk's unit
            error_message, status = error.message, error.status_code
        else:
            messages.success(request, saved)
            query = batch_query(batch, next_serial=forms.next_serial(sheet.values.get("serial")))
            return redirect(f"{reverse('surveys:paper_entry')}?{query}")
        values = sheet.values
    elif request.GET.get("next"):
        values = {"serial": request.GET["next"]}
    if form is not None:
        context["sheet"] = _sheet_context(
            form,
            values=values,
            errors=errors,
            procedures=procedures_at_desk(desk=desk),
            paper=True,
        )
    context.update(
        desk=desk,
        channel=channel,
        form=form,
        values=values,
        errors=errors,
        error_message=error_message,
        blank_form_query=f"form={form.pk}&desk={desk.pk}" if form else "",
    )
    return render(request, "surveys/staff/paper_entry.html", context, status=status)


def batch_query(batch, *, next_serial="") -> str:
    data = batch.cleaned_data
    params = {
        "desk": data["desk"].pk,
        "channel": data["channel"],
        "date": data["date"].isoformat(),
    }
    if data.get("form"):
        params["form"] = data["form"].pk
    if next_serial:
        params["next"] = next_serial
    return urlencode(params)


def _enter_sheet(request, *, batch, sheet, form) -> str:
    data = batch.cleaned_data
    common = {
        "actor": request.user,
        "form": form,
        "submitted_at": batch.submitted_at(),
        **sheet.service_kwargs(),
    }
    if data["channel"] == Response.Channel.PAPER:
        serial = request.POST.get("serial", "")
        services.response_enter_paper(desk=data["desk"], serial=serial, **common)
        return _("Paper form %(serial)s saved.") % {"serial": serial.strip()}
    code = request.POST.get("dossier_code", "").strip()
    dossier = None
    if code:
        dossier = dossier_visible_by_code(user=request.user, code=code)
        if dossier is None:
            message = _("No dossier with this code at your units.")
            raise InvalidAnswers(
                message, code="unknown_dossier", fields={"dossier_code": [message]}
            )
    services.response_enter_phone(desk=data["desk"], dossier=dossier, **common)
    if dossier is not None:
        return _("Phone interview about dossier %(code)s saved.") % {"code": dossier.code}
    return _("Phone interview saved.")


@staff_required
@require_http_methods(["GET", "POST"])
def kiosks(request):
    """Kiosk tablets of the user's desks; leaders and administrators register and revoke them
    and get a one-time setup link for the tablet."""
    manageable = portal_selectors.desks_visible(user=request.user, roles=services.KIOSK_ADMIN_ROLES)
    register = forms.KioskRegisterForm(request.POST or None, desks=manageable)
    status = 200
    if request.method == "POST":
        if register.is_valid():
            try:
                device, token = services.kiosk_device_register(
                    desk=register.cleaned_data["desk"],
                    name=register.cleaned_data["name"],
                    actor=request.user,
                )
            except DomainError as error:
                register.add_error(None, error.message)
                status = error.status_code
            else:
                code = kiosk_setup.setup_code_create(device_token=token)
                request.session["kiosk_setup"] = {"code": code, "device": device.pk}
                return redirect("surveys:kiosks")
        else:
            status = 400
    setup = None
    pending = request.session.pop("kiosk_setup", None)
    if pending:
        url = request.build_absolute_uri(reverse("surveys:kiosk_setup", args=[pending["code"]]))
        device = selectors.kiosk_devices_visible(user=request.user).filter(pk=pending["device"])
        setup = {
            "url": url,
            "qr": qr_data_uri(url),
            "device": device.first(),
            "minutes": kiosk_setup.SETUP_MINUTES,
        }
    devices = selectors.kiosk_devices_visible(user=request.user).order_by(
        "desk__unit__path", "desk__name", "name"
    )
    manageable_ids = set(manageable.values_list("pk", flat=True))
    return render(
        request,
        "surveys/staff/kiosks.html",
        {
            "register": register,
            "can_register": bool(manageable_ids),
            "manageable_ids": manageable_ids,
            "devices": devices,
            "setup": setup,
        },
        status=status,
    )


@staff_required
@require_POST
def kiosk_revoke(request, pk):
    device = get_object_or_404(selectors.kiosk_devices_visible(user=request.user), pk=pk)
    try:
        services.kiosk_device_revoke(device=device, actor=request.user)
    except PermissionDenied as error:
        # A refused write answers 403, not a redirect (the permissions matrix, issue 13).
        return render(request, "surveys/staff/refused.html", {"message": error.message}, status=403)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The kiosk “%(name)s” is switched off.") % {"name": device.name}
        )
    return redirect("surveys:kiosks")


@staff_required
@require_http_methods(["GET", "POST"])
def invitations(request):
    """Print a survey invitation (QR code and short link) for a returned dossier, to hand over
    with the result."""
    lookup = forms.DossierCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if lookup.is_valid():
            code = lookup.cleaned_data["code"]
            dossier = dossier_visible_by_code(user=request.user, code=code)
            if dossier is None:
                lookup.add_error("code", _("No dossier with this code at your units."))
                status = 404
            else:
                try:
                    token = services.invitation_print(dossier=dossier, actor=request.user)
                except DomainError as error:
                    lookup.add_error("code", error.message)
                    status = error.status_code
                else:
                    pdf = documents.invitation_pdf(dossier=dossier, token=token)
                    return pdf_response(pdf, f"thu-moi-khao-sat-{dossier.code}.pdf")
        else:
            status = 400
    returned = selectors.dossiers_to_invite(user=request.user)[:20]
    return render(
        request,
        "surveys/staff/invitations.html",
        {"lookup": lookup, "returned": returned},
        status=status,
    )


@staff_required
def blank_form(request):
    """The printable blank form (A4) of a form version, or of the form in use at a desk."""
    desk = None
    desk_id, form_id = query_id(request.GET, "desk"), query_id(request.GET, "form")
    if desk_id is not None:
        desk = get_object_or_404(portal_selectors.desks_visible(user=request.user), pk=desk_id)
    form = None
    if form_id is not None:
        form = get_object_or_404(SurveyForm, pk=form_id, is_published=True)
    elif desk is not None:
        form = selectors.survey_form_for(unit=desk.unit)
    if form is None:
        return render(request, "surveys/staff/no_form.html", status=404)
    language = request.GET.get("lang", "vi")
    if language not in dict(settings.LANGUAGES):
        language = "vi"
    pdf = documents.blank_form_pdf(form=form, desk=desk, language=language)
    return pdf_response(pdf, f"phieu-khao-sat-{form.code}-v{form.version}.pdf")


# --- survey forms, for unit administrators (R-SUR-1, R-UNIT-3) ------------------------------
@staff_required
@require_http_methods(["GET", "POST"])
def survey_forms(request):
    """The form in use at each unit the user administers, with a new version made from it for
    that unit; the drafts the user may publish; every version, for reference. Writes through
    ``survey_form_new_version`` and ``survey_form_publish`` (scope checked and audited)."""
    user = request.user
    managed = [
        u
        for u in portal_selectors.admin_root_units(user=user)
        if services.manages_forms_of(user=user, unit=u)
    ]
    if request.method == "POST":
        form = get_object_or_404(SurveyForm, pk=query_id(request.POST, "form") or 0)
        try:
            if request.POST.get("action") == "publish":
                services.survey_form_publish(form=form, actor=user)
                messages.success(request, _("The form version is published and in use from today."))
            else:
                unit = get_object_or_404(
                    portal_selectors.administered_units(user=user),
                    pk=query_id(request.POST, "unit") or 0,
                )
                new = services.survey_form_new_version(form=form, actor=user, units=[unit])
                messages.success(
                    request,
                    _("Version %(version)s was made for %(unit)s: publish it when it is ready.")
                    % {"version": new.version, "unit": unit.name},
                )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("surveys:forms")
    in_use = [(u, selectors.survey_form_for(unit=u)) for u in managed]
    versions = list(SurveyForm.objects.prefetch_related("units").order_by("code", "-version"))
    drafts = [
        f
        for f in versions
        if not f.is_published
        and (
            user.is_superuser
            if not f.units.all()
            else all(services.manages_forms_of(user=user, unit=u) for u in f.units.all())
        )
    ]
    return render(
        request,
        "surveys/staff/forms.html",
        {"in_use": in_use, "drafts": drafts, "versions": versions},
    )
