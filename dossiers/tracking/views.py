"""The public tracking page (no account): look a dossier up by its code and PIN, or open the QR
link of the receipt slip (R-LIFE-5, R-PRIV-1, R-RES-3). What it shows: ``dossiers.tracking.lookup``.

After a successful code + PIN lookup the browser gets a short-lived signed cookie holding the
dossier's id (``RESULT_COOKIE``, ``RESULT_SECONDS``) and is sent (303) to
``/tra-cuu/ket-qua/``, a URL without code, PIN or id; after a failed one it gets the code as
typed in a one-minute cookie and is sent (303) back to ``/tra-cuu/``, which shows the message
once. Every page in the history is a GET: refreshing the result does not post the form again,
Back returns to an empty form, and nothing personal lands in the history, a proxy log or a
Referer header. "Finish" deletes the cookie at once (a kiosk at the desk is shared).

Why cookies and not the session: an anonymous look-up then writes nothing on the server (the
session cost nine queries per look-up, and a bot's failed tries would each have left a row),
and there is no session to fixate. The cookies are signed with the secret key and time-stamped
(a changed or stale one counts as absent), HttpOnly, SameSite=Lax, limited to ``/tra-cuu/``,
and Secure wherever the session cookie is (production). The result cookie is a bearer
credential like the QR link, valid for ``RESULT_SECONDS`` only.

Abuse (``portal.throttling``, numbers in docs/security.md): every look-up counts against
``TRACKING_RATE_PER_IP``; every code + PIN try counts, before the PIN is checked, per code and
client IP, per code from anywhere (a higher ceiling with back-off) and per client IP on all
codes, and a right PIN is then given back; an unknown code counts the same as a wrong PIN, so
the limits cannot tell which codes exist. Over any limit the answer is a 429 page. Codes and
PINs are never logged (the counters' keys hold an HMAC of the code).
"""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossiers.tracking.lookup import (
    dossier_by_code_and_pin,
    dossier_id_from_token,
    normalise_code,
    public_view,
)
from portal import throttling
from portal.public_pages import SignedCookie, private, see_other
from portal.strict_input import id_or_none

RESULT_COOKIE = "tra_cuu"
RETRY_COOKIE = "tra_cuu_lai"
RESULT_SECONDS = 15 * 60
RETRY_SECONDS = 60
SALT = "dossiers.tracking_views"  # the module's old name: cookies already set stay valid

NOT_FOUND_MESSAGE = _(
    "No dossier matches this code and PIN. Check both on your receipt slip and try again."
)


class NoValueTextInput(forms.TextInput):
    """A text box that never writes its value back into the page (for the PIN)."""

    def format_value(self, value):
        return None


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=40,
        help_text=_("As printed on your receipt slip, e.g. 000.00.12.H26-260213-0007."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "next",
            }
        ),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        help_text=_("The 6 digits printed next to the code."),
        widget=NoValueTextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "spellcheck": "false",
                "enterkeyhint": "go",
            }
        ),
    )


# --- rate limits ---------------------------------------------------------------------------
GROUP = "tracking"


def _too_many(request, limit):
    response = _private(render(request, "dossiers/tracking/rate_limited.html", status=429))
    if limit.retry_after > 0:
        response["Retry-After"] = str(limit.retry_after)
    return response


def _see_other(url_name):
    return see_other(reverse(url_name))


_private = private  # never cached (``never_cache`` on each view), never indexed, no Referer

# Signed, time-stamped, HttpOnly cookies limited to /tra-cuu/ (portal.public_pages).
RESULT = SignedCookie(
    RESULT_COOKIE, f"{SALT}.{RESULT_COOKIE}", RESULT_SECONDS, path_name="tracking:lookup"
)
RETRY = SignedCookie(
    RETRY_COOKIE, f"{SALT}.{RETRY_COOKIE}", RETRY_SECONDS, path_name="tracking:lookup"
)


# --- pages ---------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """GET: the form (after a failed try, once, with the message and the code as typed).
    POST: check, then 303 to the result, or 303 back here: every page the browser keeps in
    its history is a GET, so Back and Refresh never ask to post the form again."""
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if form.is_valid():
            code, pin = form.cleaned_data["code"], form.cleaned_data["pin"]
            attempt = throttling.pin_attempt(request, group=GROUP, code=normalise_code(code))
            if attempt.limited:
                return _too_many(request, attempt)
            dossier = dossier_by_code_and_pin(code=code, pin=pin)
            if dossier is not None:
                throttling.pin_right(attempt)
                response = _see_other("tracking:result")
                RESULT.set(response, str(dossier.pk))
                RETRY.drop(response)
                return response
            # The code as typed (it came from this client) for the next page; never the PIN.
            response = _see_other("tracking:lookup")
            RETRY.set(response, code)
            return response
        limit = throttling.lookup(request, group=GROUP)
        if limit.limited:
            return _too_many(request, limit)
        return _lookup_page(request, form)  # a field left empty or too long
    retry = RETRY.read(request)
    if retry is not None:
        response = _lookup_page(request, TrackingForm(initial={"code": retry}), not_found=True)
    else:
        response = _lookup_page(request, TrackingForm())
    if RETRY.present(request):
        RETRY.drop(response)  # the message shows once
    return response


def _lookup_page(request, form, not_found=False):
    return _private(
        render(
            request,
            "dossiers/tracking/lookup.html",
            {"form": form, "not_found": not_found, "not_found_message": NOT_FOUND_MESSAGE},
        )
    )


@never_cache
@require_GET
def result(request):
    dossier_id = id_or_none(RESULT.read(request))
    dossier = None
    if dossier_id is not None:
        dossier = public_view(dossier_id=dossier_id)
    if dossier is None:
        response = redirect("tracking:lookup")
        if RESULT.present(request):
            RESULT.drop(response)
        return response
    return _private(
        render(
            request,
            "dossiers/tracking/result.html",
            {"dossier": dossier, "can_forget": True},
        )
    )


@never_cache
@require_POST
def forget(request):
    """Finish: forget the result now (a shared computer or a kiosk at the desk)."""
    response = _see_other("tracking:lookup")
    RESULT.drop(response)
    return response


@never_cache
@require_GET
def by_token(request, token):
    """The QR link of the receipt slip: the signed token is the credential, so no PIN."""
    limit = throttling.lookup(request, group=GROUP)
    if limit.limited:
        return _too_many(request, limit)
    dossier_id = dossier_id_from_token(token=token)
    dossier = public_view(dossier_id=dossier_id) if dossier_id else None
    if dossier is None:
        return _private(
            render(
                request,
                "dossiers/tracking/not_found.html",
                {"form": TrackingForm()},
                status=404,
            )
        )
    return _private(
        render(
            request,
            "dossiers/tracking/result.html",
            {"dossier": dossier, "can_forget": False},
        )
    )
