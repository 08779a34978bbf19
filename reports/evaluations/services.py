"""Writes of the evaluations: the figures a unit enters per period (Circular 01 indices 3, 4 and
6; Decision 766 sub-items the portal cannot compute). Each save keeps who entered it and who
changed it last, and writes an audit row with the values before and after (R-IND-6, R-IND-7).
Only a leader or an administrator of the unit (or of a unit above that covers it) may enter."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_log_write
from portal.exceptions import DomainError
from portal.models import Role
from portal.permissions import require_role
from reports.evaluations.models import EvaluationEntry, Index766Entry, PeriodKind
from reports.periods import CUSTOM, Period

ENTRY_ROLES = (Role.LEADER, Role.ADMIN)
COUNT_FIELDS = ("contacts_2", "contacts_1", "contacts_0", "bodies_2", "bodies_1", "bodies_0")
FLAG_FIELDS = ("published_at_desk", "published_online")
ENTRY_FIELDS = (*COUNT_FIELDS, *FLAG_FIELDS, "note")


class InvalidEntry(DomainError):
    code = "invalid_entry"
    default_message = _("These figures cannot be saved.")


def _check_period(period: Period) -> None:
    if period.kind == CUSTOM or period.kind not in PeriodKind.values:
        raise InvalidEntry(
            _("Figures are entered for a month, a quarter or a year."),
            fields={"period": [_("Choose a month, a quarter or a year.")]},
        )
    if period.start > timezone.localdate():
        raise InvalidEntry(
            _("Figures cannot be entered for a period that has not started."),
            fields={"period": [_("This period has not started yet.")]},
        )


def _snapshot(entry, names) -> dict:
    return {n: _plain(getattr(entry, n)) for n in names}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def evaluation_entry_save(*, unit, period: Period, values: dict, actor, staff=None):
    """Create or update the Circular 01 entry of ``unit`` (or of the official ``staff`` at it)
    for ``period``. ``values`` may hold the six counts (whole numbers ≥ 0, or None to leave an
    index missing), the two index 6 answers (units only) and a note."""
    require_role(user=actor, unit=unit, roles=ENTRY_ROLES)
    _check_period(period)
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise InvalidEntry(_("Unknown field: %(names)s"), params={"names": ", ".join(unknown)})
    errors = {}
    for name in COUNT_FIELDS:
        value = values.get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[name] = [_("A number of dossiers: a whole number, 0 or more.")]
    if staff is not None and any(values.get(n) is not None for n in FLAG_FIELDS):
        errors["published_at_desk"] = [_("Index 6 is entered for the unit, not for an official.")]
    for prefix in ("contacts", "bodies"):
        group = [values.get(f"{prefix}_{n}") for n in (2, 1, 0)]
        if any(v is not None for v in group) and any(v is None for v in group):
            errors[f"{prefix}_2"] = [_("Enter the three counts of this index, or none.")]
    if errors:
        raise InvalidEntry(_("Check the figures."), fields=errors)

    now = timezone.now()
    entry = (
        EvaluationEntry.objects.select_for_update()
        .filter(unit=unit, staff=staff, period_start=period.start, period_end=period.end)
        .first()
    )
    before = _snapshot(entry, ENTRY_FIELDS) if entry else None
    if entry is None:
        entry = EvaluationEntry(
            unit=unit,
            staff=staff,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            entered_by=actor,
            entered_at=now,
        )
    for name in (*COUNT_FIELDS, *FLAG_FIELDS):
        setattr(entry, name, values.get(name))
    entry.note = (values.get("note") or "").strip()
    entry.updated_by = actor
    entry.updated_at = now
    entry.save()
    audit_log_write(
        actor=actor,
        action="evaluation.entry_saved",
        instance=entry,
        unit=unit,
        data={
            "period": str(period),
            "staff": staff.pk if staff else None,
            "before": before,
            "after": _snapshot(entry, ENTRY_FIELDS),
        },
    )
    return entry


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if number < 0 or not number.is_finite():
        errors[field] = [_("Enter a number, 0 or more.")]
        return None
    return number


@transaction.atomic
def index766_entries_save(*, unit, period: Period, values: dict, actor, allowed_codes) -> int:
    """Save the Decision 766 sub-items of ``unit`` for ``period``: ``values`` maps an item
    code to ``(numerator, denominator, note)``; both numbers empty removes the entry (the item
    becomes missing again). ``allowed_codes`` are the entered items of the profile shown. One
    audit row lists every change. Returns the number of items changed."""
    require_role(user=actor, unit=unit, roles=ENTRY_ROLES)
    _check_period(period)
    errors: dict = {}
    cleaned = {}
    for code, (num, den, note) in values.items():
        if code not in allowed_codes:
            errors[code] = [_("This sub-indicator is not entered per period.")]
            continue
        n = _decimal(num, f"{code}-numerator", errors)
        d = _decimal(den, f"{code}-denominator", errors)
        if (n is None) != (d is None):
            errors[f"{code}-denominator"] = [_("Enter both numbers, or neither.")]
            continue
        if n is not None and n > d:
            errors[f"{code}-numerator"] = [_("The numerator cannot exceed the denominator.")]
            continue
        cleaned[code] = (n, d, (note or "").strip()[:300])
    if errors:
        raise InvalidEntry(_("Check the figures."), fields=errors)
    now = timezone.now()
    existing = {
        e.code: e
        for e in Index766Entry.objects.select_for_update().filter(
            unit=unit, period_start=period.start, period_end=period.end, code__in=list(cleaned)
        )
    }
    changes = {}
    for code, (n, d, note) in cleaned.items():
        entry = existing.get(code)
        before = (str(entry.numerator), str(entry.denominator)) if entry else None
        if n is None:
            if entry is not None:
                entry.delete()
                changes[code] = {"before": before, "after": None}
            continue
        after = (str(n), str(d))
        if entry is not None and before == after and entry.note == note:
            continue
        if entry is None:
            entry = Index766Entry(
                unit=unit,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                code=code,
                entered_by=actor,
                entered_at=now,
            )
        entry.numerator, entry.denominator, entry.note = n, d, note
        entry.updated_by, entry.updated_at = actor, now
        entry.save()
        changes[code] = {"before": before, "after": after}
    if changes:
        audit_log_write(
            actor=actor,
            action="index766.entries_saved",
            object_type="evaluations.index766entry",
            object_id=f"{unit.pk}:{period}",
            unit=unit,
            data={"period": str(period), "changes": changes},
        )
    return len(changes)
