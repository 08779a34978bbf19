"""Writes of the core app: administrative units, desks, staff accounts and roles, calendar
overrides.

Every service is keyword-only, validates before it writes, runs in one transaction and writes an
``AuditLog`` row together with its change. Refusals are ``portal.exceptions.DomainError``
subclasses with translated messages; when one is raised nothing has been changed.

Who may (R-UNIT-3): configuring a unit (its desks, departments, staff and roles) needs an admin
role there, or at an ancestor with ``covers_descendants`` (``portal.selectors.administers``);
a role covering descendants can only be granted or ended by an admin whose own role covers
them; the working calendar is for admins of a unit at ``PORTAL_CALENDAR_LEVEL`` (the city).
Superusers may do everything. A unit is never left without an admin by its own admins.
"""

import datetime as dt
import re
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import selectors
from portal.audit import audit_log_write
from portal.exceptions import (
    ConflictError,
    DomainError,
    DuplicateCalendarOverride,
    DuplicateMembership,
    InvalidPeriod,
    LastAdmin,
    PermissionDenied,
    UnitEnded,
)
from portal.models import (
    AdministrativeUnit,
    ApiToken,
    CalendarOverride,
    Department,
    Membership,
    Role,
    ServiceDesk,
)


def _fmt_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _unit_label(unit: AdministrativeUnit) -> str:
    return f"{unit.name} ({unit.code})"


def _require_admin(actor, unit: AdministrativeUnit, *, with_descendants: bool = False) -> None:
    """The actor configures ``unit`` (and everything under it when ``with_descendants``)."""
    allowed = (
        selectors.administers_with_descendants(user=actor, unit=unit)
        if with_descendants
        else selectors.administers(user=actor, unit=unit)
    )
    if not allowed:
        if with_descendants:
            raise PermissionDenied(
                _(
                    "Only an administrator whose own role covers the units under %(unit)s can "
                    "do this."
                ),
                params={"unit": _unit_label(unit)},
            )
        raise PermissionDenied(
            _("You are not an administrator of %(unit)s."), params={"unit": _unit_label(unit)}
        )


def _check_desk_hours(opens_at, lunch_starts_at, lunch_ends_at, closes_at) -> None:
    if opens_at >= closes_at:
        raise DomainError(_("The desk must open before it closes."), code="desk_hours_out_of_order")
    if (lunch_starts_at is None) != (lunch_ends_at is None):
        raise DomainError(
            _("Give both the start and the end of the lunch break, or neither."),
            code="desk_lunch_incomplete",
        )
    if lunch_starts_at is not None and not (opens_at < lunch_starts_at < lunch_ends_at < closes_at):
        raise DomainError(
            _("The lunch break must lie within the desk's hours."),
            code="desk_lunch_outside_hours",
        )


# --- Administrative units (R-UNIT-1); importing them is in portal/unit_import.py ---


AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def unit_set_agency_code(*, unit: AdministrativeUnit, agency_code: str, actor) -> bool:
    """Set the agency identifier used in dossier codes (R-LIFE-2), shaped V1V2V3.Z1Z2.Y1Y2.MX1X2.

    Returns whether anything changed. Two units may not share an identifier, since dossier
    codes must be unique in the country.
    """
    agency_code = (agency_code or "").strip().upper()
    if agency_code and not AGENCY_CODE_RE.match(agency_code):
        raise DomainError(
            _("“%(value)s” is not an agency identifier; the shape is 000.00.00.H00."),
            code="invalid_agency_code",
            params={"value": agency_code},
        )
    if agency_code == unit.agency_code:
        return False
    with transaction.atomic():
        if (
            agency_code
            and AdministrativeUnit.objects.filter(agency_code=agency_code)
            .exclude(pk=unit.pk)
            .exists()
        ):
            raise ConflictError(
                _("The agency identifier %(value)s is already used by another unit."),
                code="duplicate_agency_code",
                params={"value": agency_code},
            )
        old = unit.agency_code
        unit.agency_code = agency_code
        AdministrativeUnit.objects.filter(pk=unit.pk).update(agency_code=agency_code)
        audit_log_write(
            actor=actor,
            action="unit.set_agency_code",
            instance=unit,
            unit=unit,
            data={"from": old, "to": agency_code},
        )
    return True


# --- Service desks and departments (R-UNIT-2) ---


def desk_create(
    *,
    unit: AdministrativeUnit,
    name: str,
    address: str = "",
    phone: str = "",
    email: str = "",
    opening_hours: str = "",
    opens_at: dt.time = dt.time(7, 30),
    lunch_starts_at: dt.time | None = dt.time(11, 30),
    lunch_ends_at: dt.time | None = dt.time(13, 30),
    closes_at: dt.time = dt.time(17, 0),
    paper_handover_cutoff: dt.time | None = None,
    actor,
) -> ServiceDesk:
    """Open a service desk at a unit, with hours checked before the database sees them. Needs
    an admin of the unit."""
    _require_admin(actor, unit)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("A service desk needs a name."), code="name_required")
    _check_desk_hours(opens_at, lunch_starts_at, lunch_ends_at, closes_at)
    with transaction.atomic():
        desk = ServiceDesk.objects.create(
            unit=unit,
            name=name,
            address=address,
            phone=phone,
            email=email,
            opening_hours=opening_hours,
            opens_at=opens_at,
            lunch_starts_at=lunch_starts_at,
            lunch_ends_at=lunch_ends_at,
            closes_at=closes_at,
            paper_handover_cutoff=paper_handover_cutoff,
        )
        audit_log_write(
            actor=actor,
            action="desk.create",
            instance=desk,
            unit=unit,
            data={"name": name},
        )
    return desk


DESK_FIELDS = (
    "name",
    "address",
    "phone",
    "email",
    "opening_hours",
    "opens_at",
    "lunch_starts_at",
    "lunch_ends_at",
    "closes_at",
    "paper_handover_cutoff",
    "is_active",
)


def desk_update(*, desk: ServiceDesk, actor, **changes) -> list[str]:
    """Change a desk's name, contacts, hours (R-DUE-4: its closing hour ends a due date) or
    whether it is open; needs an admin of its unit. Returns the names of the fields that
    changed; the audit row keeps their old and new values."""
    unknown = set(changes) - set(DESK_FIELDS)
    if unknown:
        raise DomainError(
            _("These desk fields cannot be changed: %(fields)s."),
            params={"fields": ", ".join(sorted(unknown))},
        )
    _require_admin(actor, desk.unit)
    for text in ("name", "address", "phone", "email", "opening_hours"):
        if text in changes:
            changes[text] = (changes[text] or "").strip()
    if "name" in changes and not changes["name"]:
        raise DomainError(_("A service desk needs a name."), code="name_required")
    hours = {
        f: changes.get(f, getattr(desk, f))
        for f in ("opens_at", "lunch_starts_at", "lunch_ends_at", "closes_at")
    }
    _check_desk_hours(**hours)
    changed = [f for f, value in changes.items() if getattr(desk, f) != value]
    if not changed:
        return []
    with transaction.atomic():
        desk = ServiceDesk.objects.select_for_update().get(pk=desk.pk)
        before = {f: getattr(desk, f) for f in changed}
        for field in changed:
            setattr(desk, field, changes[field])
        desk.save(update_fields=changed)
        audit_log_write(
            actor=actor,
            action="desk.update",
            instance=desk,
            unit=desk.unit,
            data={f: [str(before[f]), str(changes[f])] for f in changed},
        )
    return changed


def department_create(*, desk: ServiceDesk, code: str, name: str, actor) -> Department:
    """Add a department behind a desk; its code is unique per desk. Needs an admin of the
    desk's unit."""
    _require_admin(actor, desk.unit)
    code = (code or "").strip()
    name = (name or "").strip()
    if not code or not name:
        raise DomainError(_("A department needs a code and a name."), code="department_incomplete")
    with transaction.atomic():
        if Department.objects.filter(desk=desk, code=code).exists():
            raise ConflictError(
                _("The desk already has a department with code %(code)s."),
                code="duplicate_department",
                params={"code": code},
            )
        department = Department.objects.create(desk=desk, code=code, name=name)
        audit_log_write(
            actor=actor,
            action="department.create",
            instance=department,
            unit=desk.unit,
            data={"desk": desk.pk, "code": code, "name": name},
        )
    return department


def department_update(
    *, department: Department, actor, name: str | None = None, is_active: bool | None = None
) -> list[str]:
    """Rename a department or close it (a closed one receives no dossier, R-UNIT-2) or open it
    again; needs an admin of its desk's unit. Returns the fields that changed."""
    _require_admin(actor, department.desk.unit)
    changes = {}
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError(_("A department needs a name."), code="department_incomplete")
        changes["name"] = name
    if is_active is not None:
        changes["is_active"] = bool(is_active)
    changed = [f for f, value in changes.items() if getattr(department, f) != value]
    if not changed:
        return []
    with transaction.atomic():
        before = {f: getattr(department, f) for f in changed}
        for field in changed:
            setattr(department, field, changes[field])
        department.save(update_fields=changed)
        audit_log_write(
            actor=actor,
            action="department.update",
            instance=department,
            unit=department.desk.unit,
            data={f: [str(before[f]), str(changes[f])] for f in changed},
        )
    return changed


# --- Staff roles (R-UNIT-3) ---


def membership_grant(
    *,
    user,
    unit: AdministrativeUnit,
    role: str,
    covers_descendants: bool = False,
    department: Department | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    actor,
) -> Membership:
    """Give a user a role at a unit (R-UNIT-3); it covers descendants only when asked.

    Refused: an unknown role; a period that ends before it starts; a unit that has ended
    before the membership starts (``valid_from``, or today when not given) — a role may still
    be recorded for the past by giving a ``valid_from`` within the unit's life; a membership
    that ends before the unit exists; a department of another unit; a role the user already
    has at that unit; an actor who is not an admin of the unit, or who grants a role covering
    descendants without covering them themself (no one grants beyond their own scope).
    """
    _require_admin(actor, unit, with_descendants=covers_descendants)
    if role not in Role.values:
        raise DomainError(
            _("“%(role)s” is not a staff role."), code="unknown_role", params={"role": role}
        )
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidPeriod(
            _("The membership would end (%(end)s) before it starts (%(start)s)."),
            params={"start": _fmt_date(valid_from), "end": _fmt_date(valid_to)},
        )
    start = valid_from or timezone.localdate()
    if unit.valid_to is not None and unit.valid_to < start:
        raise UnitEnded(
            _(
                "%(unit)s ceased to exist on %(ended)s; a role there cannot start on %(start)s. "
                "Grant the role at a unit of the current tree instead."
            ),
            params={
                "unit": _unit_label(unit),
                "ended": _fmt_date(unit.valid_to),
                "start": _fmt_date(start),
            },
        )
    if unit.valid_from is not None and valid_to is not None and valid_to < unit.valid_from:
        raise InvalidPeriod(
            _("%(unit)s exists only from %(begins)s; the membership would end before that."),
            params={"unit": _unit_label(unit), "begins": _fmt_date(unit.valid_from)},
        )
    if department is not None and department.desk.unit_id != unit.pk:
        raise DomainError(
            _("The department %(department)s does not belong to a desk of %(unit)s."),
            code="department_outside_unit",
            params={"department": department.name, "unit": _unit_label(unit)},
        )

    duplicate = DuplicateMembership(
        _("%(user)s already has the role %(role)s at %(unit)s; edit that membership instead."),
        params={
            "user": user.get_username(),
            "role": Role(role).label,
            "unit": _unit_label(unit),
        },
    )
    with transaction.atomic():
        if Membership.objects.filter(user=user, unit=unit, role=role).exists():
            raise duplicate
        try:
            with transaction.atomic():  # a savepoint, so a concurrent duplicate is reported too
                membership = Membership.objects.create(
                    user=user,
                    unit=unit,
                    role=role,
                    covers_descendants=covers_descendants,
                    department=department,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
        except IntegrityError as exc:
            raise duplicate from exc
        audit_log_write(
            actor=actor,
            action="membership.grant",
            instance=membership,
            unit=unit,
            data=_membership_data(membership),
        )
    return membership


def _membership_data(membership: Membership) -> dict:
    return {
        "user": membership.user_id,
        "username": membership.user.get_username(),
        "unit": membership.unit_id,
        "role": membership.role,
        "covers_descendants": membership.covers_descendants,
        "department": membership.department_id,
        "valid_from": membership.valid_from.isoformat() if membership.valid_from else None,
        "valid_to": membership.valid_to.isoformat() if membership.valid_to else None,
    }


def _check_not_last_admin(membership: Membership) -> None:
    if membership.role == Role.ADMIN and not selectors.unit_admins_left(
        unit=membership.unit, excluding_membership=membership
    ):
        raise LastAdmin(
            _(
                "%(unit)s would be left without an administrator: grant the role to someone "
                "else first."
            ),
            params={"unit": _unit_label(membership.unit)},
        )


def membership_end(*, membership: Membership, actor) -> Membership | None:
    """End a role today (R-UNIT-3): it stays in the history with its last day (yesterday), or
    is removed when it had not started before today. Needs an admin of the unit (covering the
    units under it when the role does); never leaves the unit without an administrator."""
    _require_admin(actor, membership.unit, with_descendants=membership.covers_descendants)
    today = timezone.localdate()
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("unit", "user")
            .get(pk=membership.pk)
        )
        _check_not_last_admin(membership)
        data = _membership_data(membership)
        if membership.valid_from is not None and membership.valid_from >= today:
            Membership.objects.filter(pk=membership.pk).delete()
            ended = None
        else:
            membership.valid_to = today - dt.timedelta(days=1)
            membership.save(update_fields=["valid_to"])
            ended = membership
        audit_log_write(
            actor=actor,
            action="membership.end",
            object_type=Membership._meta.label_lower,
            object_id=membership.pk,
            unit=membership.unit,
            data=data,
        )
    return ended


def membership_revoke(*, membership: Membership, actor) -> None:
    """Take a role away. The row is deleted; the audit log keeps what it was."""
    _require_admin(actor, membership.unit, with_descendants=membership.covers_descendants)
    with transaction.atomic():
        _check_not_last_admin(membership)
        data = _membership_data(membership)
        pk = membership.pk
        unit = membership.unit
        deleted, _rows = Membership.objects.filter(pk=pk).delete()
        if not deleted:
            raise DomainError(_("This membership no longer exists."), code="membership_not_found")
        audit_log_write(
            actor=actor,
            action="membership.revoke",
            object_type=Membership._meta.label_lower,
            object_id=pk,
            unit=unit,
            data=data,
        )


# --- Staff accounts (R-UNIT-3) ---


def _password_checked(password: str, user) -> str:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise DomainError(
            _("Choose another password."),
            code="invalid_password",
            fields={"password": exc.messages},
        ) from exc
    return password


def staff_account_create(
    *,
    actor,
    username: str,
    password: str,
    unit: AdministrativeUnit,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    department: Department | None = None,
    covers_descendants: bool = False,
):
    """A new staff account with its first role (``membership_grant``), made by an admin of the
    unit: never a superuser or a staff account of Django's admin site. The password follows
    the site's rules; the person changes it after signing in."""
    _require_admin(actor, unit, with_descendants=covers_descendants)
    user_model = get_user_model()
    username = (username or "").strip()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    try:
        field.run_validators(username)
        if not username:
            raise ValidationError(_("Give a user name."))
    except ValidationError as exc:
        raise DomainError(
            _("Choose another user name."),
            code="invalid_username",
            fields={"username": exc.messages},
        ) from exc
    if user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username}).exists():
        raise ConflictError(
            _("The user name %(username)s is taken."),
            code="duplicate_username",
            params={"username": username},
            fields={"username": [_("This user name is taken.")]},
        )
    candidate = user_model(
        username=username,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=(email or "").strip(),
    )
    _password_checked(password, candidate)
    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
        audit_log_write(
            actor=actor,
            action="user.create",
            instance=candidate,
            unit=unit,
            data={"username": username, "role": role, "unit": unit.pk},
        )
        membership_grant(
            user=candidate,
            unit=unit,
            role=role,
            covers_descendants=covers_descendants,
            department=department,
            actor=actor,
        )
    return candidate


def _require_account_scope(actor, user) -> None:
    """An admin changes an account only when every role it holds today (or, with none left,
    every role it ever held) is at units the admin configures: the admin of one ward cannot
    lock out the clerk of another. Superusers' and Django admin staff accounts are for
    superusers alone."""
    if actor.is_authenticated and actor.is_superuser:
        return
    refused = PermissionDenied(
        _("%(username)s also works outside the units you administer; ask a higher administrator."),
        params={"username": user.get_username()},
    )
    if user.is_superuser or user.is_staff:
        raise refused
    memberships = list(selectors.active_memberships(user=user)) or list(
        user.memberships.select_related("unit")
    )
    if not memberships:
        raise refused
    for membership in memberships:
        allowed = (
            selectors.administers_with_descendants(user=actor, unit=membership.unit)
            if membership.covers_descendants
            else selectors.administers(user=actor, unit=membership.unit)
        )
        if not allowed:
            raise refused


def staff_account_update(
    *,
    actor,
    user,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    is_active: bool | None = None,
) -> list[str]:
    """Change a staff account's name or e-mail, or switch it off (it can no longer sign in) or
    on again. Needs an admin of every unit where the person holds a role; an account that is
    the last administrator of a unit is not switched off. Returns the fields that changed."""
    _require_account_scope(actor, user)
    changes = {}
    for name, value in (("first_name", first_name), ("last_name", last_name), ("email", email)):
        if value is not None:
            changes[name] = value.strip()
    if is_active is not None:
        changes["is_active"] = bool(is_active)
    changed = [f for f, value in changes.items() if getattr(user, f) != value]
    if not changed:
        return []
    with transaction.atomic():
        if changes.get("is_active") is False:
            for membership in selectors.active_memberships(user=user, roles=[Role.ADMIN]):
                if not selectors.unit_admins_left(unit=membership.unit, excluding_user=user):
                    raise LastAdmin(
                        _(
                            "%(unit)s would be left without an administrator: grant the role "
                            "to someone else first."
                        ),
                        params={"unit": _unit_label(membership.unit)},
                    )
        before = {f: getattr(user, f) for f in changed}
        for field in changed:
            setattr(user, field, changes[field])
        user.save(update_fields=changed)
        audit_log_write(
            actor=actor,
            action="user.update",
            instance=user,
            data={f: [str(before[f]), str(changes[f])] for f in changed},
        )
    return changed


def staff_account_set_password(*, actor, user, password: str) -> None:
    """Give a staff account a new password (the person forgot theirs); same scope as
    ``staff_account_update``. The password is never written to the audit log."""
    _require_account_scope(actor, user)
    _password_checked(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_log_write(actor=actor, action="user.set_password", instance=user)


# --- Working calendar (R-DUE-1) ---


def _require_calendar_admin(actor) -> None:
    if not selectors.sets_the_calendar(user=actor):
        raise PermissionDenied(
            _("Only an administrator of the city or province changes the working calendar.")
        )


def calendar_override_create(*, date: dt.date, kind: str, name: str, actor) -> CalendarOverride:
    """Declare an extra day off or a make-up working day; one override per date. The calendar
    is the deployment's, so only an admin of a unit at ``PORTAL_CALENDAR_LEVEL`` sets it."""
    _require_calendar_admin(actor)
    if kind not in CalendarOverride.Kind.values:
        raise DomainError(
            _("“%(kind)s” is not a kind of calendar override."),
            code="unknown_override_kind",
            params={"kind": kind},
        )
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the reason for the calendar override."), code="name_required")
    with transaction.atomic():
        existing = CalendarOverride.objects.filter(date=date).first()
        duplicate = DuplicateCalendarOverride(
            _(
                "%(date)s already has a calendar override (%(existing)s); edit or delete it instead."
            ),
            params={
                "date": _fmt_date(date),
                "existing": existing.name if existing else "",
            },
        )
        if existing is not None:
            raise duplicate
        try:
            with transaction.atomic():
                override = CalendarOverride.objects.create(
                    date=date,
                    kind=kind,
                    name=name,
                    created_by=actor if actor is not None and actor.is_authenticated else None,
                )
        except IntegrityError as exc:
            raise duplicate from exc
        audit_log_write(
            actor=actor,
            action="calendar_override.create",
            instance=override,
            data={"date": date.isoformat(), "kind": kind, "name": name},
        )
    return override


def calendar_override_delete(*, override: CalendarOverride, actor) -> None:
    _require_calendar_admin(actor)
    with transaction.atomic():
        data = {"date": override.date.isoformat(), "kind": override.kind, "name": override.name}
        pk = override.pk
        deleted, _rows = CalendarOverride.objects.filter(pk=pk).delete()
        if not deleted:
            raise DomainError(
                _("This calendar override no longer exists."), code="override_not_found"
            )
        audit_log_write(
            actor=actor,
            action="calendar_override.delete",
            object_type=CalendarOverride._meta.label_lower,
            object_id=pk,
            data=data,
        )


# --- API tokens ---


def api_token_create(*, user, actor, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a new API token for ``user`` and return it with its key, which is not stored and
    cannot be shown again. The user's previous token, if any, is revoked: a user has one usable
    token at a time (a lost key cannot be recovered, only replaced)."""
    if not user.is_active:
        raise DomainError(_("An inactive user cannot have an API token."), code="user_inactive")
    with transaction.atomic():
        # Lock the user so that two concurrent requests cannot both leave a token active.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        previous = list(
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True)
        )
        ApiToken.objects.filter(pk__in=previous).update(revoked_at=now)
        key = secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            key_hash=ApiToken.hash_key(key),
            prefix=key[: ApiToken.PREFIX_LENGTH],
            expires_at=expires_at,
        )
        audit_log_write(
            actor=actor,
            action="api_token.create",
            instance=token,
            data={
                "user": user.pk,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else None,
                "revoked": previous,
            },
        )
    return token, key


def api_token_revoke(*, token: ApiToken, actor) -> None:
    """Revoke a token: it is refused from then on. The row stays, as history."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise DomainError(_("This API token is already revoked."), code="token_revoked")
        token.refresh_from_db(fields=["revoked_at"])
        audit_log_write(
            actor=actor,
            action="api_token.revoke",
            instance=token,
            data={"user": token.user_id, "prefix": token.prefix},
        )
