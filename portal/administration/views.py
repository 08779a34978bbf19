"""Administration pages for unit administrators (see ``portal.administration``).

A unit, desk, department, role or account outside the signed-in person's scope is a 404, as a
dossier elsewhere is; the services check the scope again and refuse with a translated message
(403) whatever the page offered."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import selectors, services
from portal.administration import forms
from portal.exceptions import DomainError
from portal.models import AdministrativeUnit, CalendarOverride, Department, Membership, Role
from portal.models import ServiceDesk as Desk


def admin_required(view):
    """Signed in and an administrator of some unit (or a superuser)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (
            request.user.is_superuser
            or selectors.active_memberships(user=request.user, roles=[Role.ADMIN]).exists()
        ):
            return render(request, "portal/administration/no_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _unit(user, pk) -> AdministrativeUnit:
    unit = get_object_or_404(AdministrativeUnit.objects.select_related("tree", "parent"), pk=pk)
    if not selectors.administers(user=user, unit=unit):
        raise Http404
    return unit


def _desk(user, pk) -> Desk:
    desk = get_object_or_404(Desk.objects.select_related("unit", "unit__tree"), pk=pk)
    if not selectors.administers(user=user, unit=desk.unit):
        raise Http404
    return desk


def _refused(form, error: DomainError) -> int:
    """Put a service's refusal on the form: next to the fields it names, else on top."""
    placed = False
    for name, problems in (error.fields or {}).items():
        if name in form.fields:
            for problem in problems if isinstance(problems, list | tuple) else [problems]:
                form.add_error(name, str(problem))
            placed = True
    if not placed:
        form.add_error(None, error.message)
    return error.status_code


# --- the units ------------------------------------------------------------------------------
@admin_required
def index(request):
    return render(
        request,
        "portal/administration/index.html",
        {
            "units": selectors.admin_root_units(user=request.user),
            "sets_calendar": selectors.sets_the_calendar(user=request.user),
        },
    )


@admin_required
def unit(request, pk):
    unit = _unit(request.user, pk)
    covers = selectors.administers_with_descendants(user=request.user, unit=unit)
    children = list(selectors.unit_children(unit=unit).order_by("name")) if covers else []
    return render(
        request,
        "portal/administration/unit.html",
        {
            "unit": unit,
            "desks": list(unit.desks.order_by("name").prefetch_related("departments")),
            "memberships": list(selectors.unit_memberships(unit=unit)),
            "children": children,
            "covers": covers,
        },
    )


# --- desks and departments ------------------------------------------------------------------
@admin_required
def desk_new(request, unit_pk):
    unit = _unit(request.user, unit_pk)
    form = forms.DeskForm(request.POST or None, initial=_desk_defaults())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("is_active")  # a new desk is open
            try:
                desk = services.desk_create(unit=unit, actor=request.user, **data)
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The desk has been opened."))
                return redirect("administration:desk", pk=desk.pk)
        else:
            status = 400
    return render(
        request, "portal/administration/desk_new.html", {"unit": unit, "form": form}, status=status
    )


def _desk_defaults() -> dict:
    desk = Desk()
    return {f: getattr(desk, f) for f in services.DESK_FIELDS if f != "name"}


@admin_required
def desk(request, pk):
    desk = _desk(request.user, pk)
    initial = {f: getattr(desk, f) for f in services.DESK_FIELDS}
    form = forms.DeskForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.desk_update(desk=desk, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                status = _refused(form, error)
            else:
                if changed:
                    messages.success(request, _("The desk has been saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("administration:desk", pk=desk.pk)
        else:
            status = 400
    return _desk_page(request, desk, form=form, status=status)


def _desk_page(request, desk, *, form=None, department_form=None, status=200):
    departments = list(desk.departments.order_by("name"))
    edit_forms = [
        (
            department,
            forms.DepartmentEditForm(
                initial={"name": department.name, "is_active": department.is_active},
                prefix=f"d{department.pk}",
            ),
        )
        for department in departments
    ]
    return render(
        request,
        "portal/administration/desk.html",
        {
            "desk": desk,
            "unit": desk.unit,
            "form": form
            or forms.DeskForm(initial={f: getattr(desk, f) for f in services.DESK_FIELDS}),
            "department_form": department_form or forms.DepartmentForm(prefix="new"),
            "departments": edit_forms,
        },
        status=status,
    )


@admin_required
@require_POST
def department_add(request, desk_pk):
    desk = _desk(request.user, desk_pk)
    form = forms.DepartmentForm(request.POST, prefix="new")
    if not form.is_valid():
        return _desk_page(request, desk, department_form=form, status=400)
    try:
        services.department_create(desk=desk, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        status = _refused(form, error)
        return _desk_page(request, desk, department_form=form, status=status)
    messages.success(request, _("The department has been added."))
    return redirect("administration:desk", pk=desk.pk)


@admin_required
@require_POST
def department_edit(request, pk):
    department = get_object_or_404(Department.objects.select_related("desk__unit"), pk=pk)
    if not selectors.administers(user=request.user, unit=department.desk.unit):
        raise Http404
    form = forms.DepartmentEditForm(request.POST, prefix=f"d{department.pk}")
    if form.is_valid():
        try:
            services.department_update(
                department=department, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The department has been saved."))
    else:
        messages.error(request, _("Give the department a name."))
    return redirect("administration:desk", pk=department.desk_id)


# --- staff and roles ------------------------------------------------------------------------
@admin_required
def staff_new(request, unit_pk):
    unit = _unit(request.user, unit_pk)
    can_cover = selectors.administers_with_descendants(user=request.user, unit=unit)
    form = forms.StaffAccountForm(request.POST or None, unit=unit, can_cover=can_cover)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                account = services.staff_account_create(
                    actor=request.user, unit=unit, **form.cleaned_data
                )
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(
                    request,
                    _("The account %(username)s has been made with its role.")
                    % {"username": account.get_username()},
                )
                return redirect("administration:unit", pk=unit.pk)
        else:
            status = 400
    return render(
        request,
        "portal/administration/staff_new.html",
        {"unit": unit, "form": form},
        status=status,
    )


@admin_required
def role_grant(request, unit_pk):
    unit = _unit(request.user, unit_pk)
    can_cover = selectors.administers_with_descendants(user=request.user, unit=unit)
    form = forms.GrantRoleForm(request.POST or None, unit=unit, can_cover=can_cover)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            username = data.pop("username").strip()
            user = get_user_model().objects.filter(username__iexact=username).first()
            if user is None or not user.is_active:
                form.add_error("username", _("No active account has this user name."))
                status = 400
            else:
                try:
                    services.membership_grant(user=user, unit=unit, actor=request.user, **data)
                except DomainError as error:
                    status = _refused(form, error)
                else:
                    messages.success(request, _("The role has been granted."))
                    return redirect("administration:unit", pk=unit.pk)
        else:
            status = 400
    return render(
        request,
        "portal/administration/role_grant.html",
        {"unit": unit, "form": form},
        status=status,
    )


@admin_required
@require_POST
def role_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("unit", "user"), pk=pk)
    if not selectors.administers(user=request.user, unit=membership.unit):
        raise Http404
    try:
        services.membership_end(membership=membership, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The role of %(username)s has ended.") % {"username": membership.user.get_username()},
        )
    return redirect("administration:unit", pk=membership.unit_id)


def _account(user, pk):
    """An account the user may see here: one with a role at a unit they administer."""
    account = get_object_or_404(get_user_model(), pk=pk)
    if user.is_superuser:
        return account
    units = [m.unit for m in account.memberships.select_related("unit")]
    if not any(selectors.administers(user=user, unit=u) for u in units):
        raise Http404
    return account


@admin_required
def account(request, pk):
    account = _account(request.user, pk)
    form = forms.AccountForm(
        request.POST if request.POST.get("form") == "account" else None,
        initial={
            "last_name": account.last_name,
            "first_name": account.first_name,
            "email": account.email,
            "is_active": account.is_active,
        },
    )
    password_form = forms.PasswordForm(
        request.POST if request.POST.get("form") == "password" else None
    )
    status = 200
    if request.method == "POST":
        bound = form if form.is_bound else password_form
        if bound.is_valid():
            try:
                if bound is form:
                    services.staff_account_update(
                        actor=request.user, user=account, **form.cleaned_data
                    )
                    done = _("The account has been saved.")
                else:
                    services.staff_account_set_password(
                        actor=request.user, user=account, password=bound.cleaned_data["password"]
                    )
                    done = _("The new password has been set; tell it to the person.")
            except DomainError as error:
                status = _refused(bound, error)
            else:
                messages.success(request, done)
                return redirect("administration:account", pk=account.pk)
        else:
            status = 400
    return render(
        request,
        "portal/administration/account.html",
        {
            "account": account,
            "form": form,
            "password_form": password_form,
            "memberships": list(
                account.memberships.select_related("unit", "department").order_by("unit__path")
            ),
        },
        status=status,
    )


# --- the working calendar -------------------------------------------------------------------
@admin_required
def calendar(request):
    if not selectors.sets_the_calendar(user=request.user):
        return render(request, "portal/administration/no_calendar.html", status=403)
    form = forms.CalendarOverrideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.calendar_override_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("The calendar has been corrected."))
                return redirect("administration:calendar")
        else:
            status = 400
    year = timezone.localdate().year
    overrides = CalendarOverride.objects.filter(date__year__gte=year - 1).order_by("date")
    return render(
        request,
        "portal/administration/calendar.html",
        {"form": form, "overrides": overrides},
        status=status,
    )


@admin_required
@require_POST
def calendar_delete(request, pk):
    # Refused like the calendar page (403), not redirected (the permissions matrix, issue 13).
    if not selectors.sets_the_calendar(user=request.user):
        return render(request, "portal/administration/no_calendar.html", status=403)
    override = get_object_or_404(CalendarOverride, pk=pk)
    try:
        services.calendar_override_delete(override=override, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The correction has been removed."))
    return redirect("administration:calendar")
