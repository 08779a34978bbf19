"""Writes of the core app: administrative units, desks, staff roles, calendar overrides.

Every service is keyword-only, validates before it writes, runs in one transaction and writes an
``AuditLog`` row together with its change. Refusals are ``portal.exceptions.DomainError``
subclasses with translated messages; when one is raised nothing has been changed.
"""

import datetime as dt
import re
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_log_write
from portal.exceptions import (
    ConflictError,
    DomainError,
    DuplicateCalendarOverride,
    DuplicateMembership,
    InvalidPeriod,
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
    actor,
) -> ServiceDesk:
    """Open a service desk at a unit, with hours checked before the database sees them."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("A service desk needs a name."), code="name_required")
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
        )
        audit_log_write(
            actor=actor,
            action="desk.create",
            instance=desk,
            unit=unit,
            data={"name": name},
        )
    return desk


def department_create(*, desk: ServiceDesk, code: str, name: str, actor) -> Department:
    """Add a department behind a desk; its code is unique per desk."""
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
    has at that unit.
    """
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


def membership_revoke(*, membership: Membership, actor) -> None:
    """Take a role away. The row is deleted; the audit log keeps what it was."""
    with transaction.atomic():
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


# --- Working calendar (R-DUE-1) ---


def calendar_override_create(*, date: dt.date, kind: str, name: str, actor) -> CalendarOverride:
    """Declare an extra day off or a make-up working day; one override per date."""
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
