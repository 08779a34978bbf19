"""Pages of the core app: the front door and the staff home, sign-in, sign-out, health check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from portal import health, selectors, throttling
from portal.models import Role

# What each role is for (R-UNIT-3), shown on the home page so staff know what they may do.
ROLE_CAPABILITIES = {
    Role.RECEPTIONIST: [
        _("Receive dossiers at the desk and issue receipt slips with an appointment date."),
        _("Request supplements, refuse dossiers with a legal reason, and return results."),
    ],
    Role.OFFICER: [
        _("Process the dossiers handed over to your department."),
        _("Record each step's result and hand the dossier on or back to the desk."),
    ],
    Role.LEADER: [
        _("Follow the dashboards and indicators of your units."),
        _("Approve reschedulings, extra supplement requests and replies to complaints."),
    ],
    Role.ADMIN: [
        _("Configure units, service desks, departments and staff roles."),
        _("Maintain the working calendar: compensatory days off and make-up working days."),
    ],
}


def home(request):
    """``/``: the citizens' front door; signed-in staff land on their own home instead (their
    workspace, where signing in brings them), with the front door one link away."""
    if request.user.is_authenticated:
        return staff_home(request)
    return front_door(request)


def front_door(request):
    """Tracking, the survey by short code, feedback (once that app exists), the desk finder
    and the staff sign-in, for anyone; no query (the links are looked up by URL name)."""
    return render(request, "portal/front_door.html")


@login_required
def staff_home(request):
    memberships = list(selectors.active_memberships(user=request.user))
    held = {m.role for m in memberships}
    capabilities = [
        (Role(role).label, ROLE_CAPABILITIES[Role(role)]) for role in Role.values if role in held
    ]
    return render(
        request,
        "portal/home.html",
        {"memberships": memberships, "capabilities": capabilities},
    )


class LoginView(auth_views.LoginView):
    """Sign-in. Wrong passwords lock the user name + client address pair out (django-axes,
    ``AXES_*``); every POST also counts per client address (``LOGIN_RATE_PER_IP``), whatever
    the user name, so one address cannot try many accounts (docs/security.md)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        limit = throttling.hit(throttling.ip_counter("login", request, settings.LOGIN_RATE_PER_IP))
        if limit.limited:
            response = render(request, "registration/rate_limited.html", status=429)
            response["Retry-After"] = str(limit.retry_after)
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Sign-out by POST only (Django's view refuses GET), with a note on the next page."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(request, _("You have signed out."))
        return response


@never_cache
def healthz(request):
    """Liveness for the load balancer and docker-compose: cheap, the process answers and
    reaches the database. Dependencies one by one: ``readyz``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: the database, the Redis cache and the broker, each with a short timeout;
    200 when all answer, 503 (with which one is down) otherwise. See docs/operations.md."""
    ready, body = health.readiness()
    return JsonResponse(body, status=200 if ready else 503)
