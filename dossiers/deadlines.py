"""The deadline rules of a dossier as plain functions (R-DUE-3..6, R-LIFE-3, R-RES-1).

Nothing here writes: each function takes a working calendar (``portal.working_calendar``) and
the moments or objects it needs and answers a date, a moment or a yes/no, so the services,
the demo seed and the documents ask the same question the same way. Reading a dossier's
procedure or rule set may load that row; nothing else touches the database.
"""

import datetime as dt

from dossiers.models import Classification, Dossier, DossierStatus, Procedure, RuleSet
from portal.working_calendar import DeskHours, WorkingCalendar


def classify(*, finished_at: dt.datetime, due_at: dt.datetime, cal: WorkingCalendar) -> str:
    """R-DUE-6: early before the due date, on time on the due date (up to the due moment),
    late after the due moment."""
    if finished_at > due_at:
        return Classification.LATE
    if cal.local(finished_at).date() < cal.local(due_at).date():
        return Classification.EARLY
    return Classification.ON_TIME


def due_moment(amount: int, *, time_unit: str, start: dt.datetime, desk, cal) -> dt.datetime:
    """The moment ``amount`` working days (or working hours, for fast procedures) after
    ``start`` at this desk, in its working hours (R-DUE-3, R-DUE-4)."""
    hours = DeskHours.of(desk)
    if time_unit == Procedure.TimeUnit.HOURS:
        return cal.due_moment(start, hours_of_work=amount, desk_hours=hours)
    return cal.due_moment(start, days=amount, desk_hours=hours)


def end_of_working_day(day: dt.date, *, desk, cal) -> dt.datetime:
    """R-DUE-4: the due moment on a due date is the end of the desk's working day."""
    return cal.at(day, DeskHours.of(desk).closes_at)


def desk_step_due(*, received_at, desk, rule_set, channel, cal) -> dt.datetime:
    """R-LIFE-3: paper dossiers go to the department the same working day, or the next morning
    when received after the cut-off hour (the desk's own, else the rule set's)."""
    hours = DeskHours.of(desk)
    local = cal.local(received_at)
    cutoff = desk.paper_handover_cutoff or rule_set.paper_handover_cutoff
    day = cal.effective_receipt_date(received_at, hours)
    if channel != Dossier.Channel.ONLINE and day == local.date() and local.time() >= cutoff:
        day = cal.next_working_day(day)
        return cal.at(day, hours.lunch_starts_at or dt.time(12, 0))
    if day != local.date():
        return cal.at(day, hours.lunch_starts_at or dt.time(12, 0))
    return cal.at(day, hours.closes_at)


def step_due(*, dossier, step_days: int | None, at: dt.datetime, cal) -> dt.datetime:
    """A handover's own deadline (R-LIFE-3): ``step_days`` working days from the handover, never
    after the dossier's due moment; without ``step_days``, the dossier's due moment."""
    if step_days is None:
        return dossier.due_at
    own = due_moment(
        step_days, time_unit=Procedure.TimeUnit.DAYS, start=at, desk=dossier.desk, cal=cal
    )
    return min(dossier.due_at, own)


# --- supplements (R-DUE-5) ---------------------------------------------------------------
def supplement_clock(dossier) -> str:
    """Whether the clock restarts from zero or resumes after a supplement: the procedure's
    setting, else the rule set's default."""
    return dossier.procedure.supplement_clock or dossier.rule_set.supplement_clock_default


def supplement_request_is_late(*, dossier, since: dt.datetime, at: dt.datetime, cal) -> bool:
    """A supplement request made more than the rule set's working days (3 by default) after
    ``since`` (the receipt, or the last complete dossier received again) is late."""
    hours = DeskHours.of(dossier.desk)
    elapsed = cal.working_days_between(
        cal.effective_receipt_date(since, hours), cal.effective_receipt_date(at, hours)
    )
    return elapsed > dossier.rule_set.supplement_request_days


def time_left(*, dossier, at: dt.datetime, cal) -> tuple[int | None, int | None]:
    """What is left of the processing time when the clock stops at ``at``: ``(working days,
    None)``, or ``(None, working seconds)`` for a procedure counted in hours."""
    hours = DeskHours.of(dossier.desk)
    if dossier.time_unit == Procedure.TimeUnit.HOURS:
        return None, int(cal.working_time_between(at, dossier.due_at, hours).total_seconds())
    days = cal.working_days_between(
        cal.effective_receipt_date(at, hours), cal.local(dossier.due_at).date()
    )
    return days, None


def due_after_supplement(*, dossier, pause, at: dt.datetime, clock: str, cal) -> dt.datetime:
    """The new due moment when the complete dossier is received again at ``at``: the full
    processing time from there (restart, the legal default), or what was left when the clock
    stopped (resume)."""
    hours = DeskHours.of(dossier.desk)
    if clock == RuleSet.SupplementClock.RESUME:
        if dossier.time_unit == Procedure.TimeUnit.HOURS:
            return cal.add_working_time(at, dt.timedelta(seconds=pause.remaining_seconds), hours)
        return cal.at(
            cal.add_working_days(cal.effective_receipt_date(at, hours), pause.remaining_days),
            hours.closes_at,
        )
    return due_moment(
        dossier.processing_time, time_unit=dossier.time_unit, start=at, desk=dossier.desk, cal=cal
    )


# --- rescheduling (R-RES-1) ----------------------------------------------------------------
def reschedule_deadline_ok(*, dossier, at, cal) -> bool:
    """R-RES-1: at least one working day (a rule-set number) must remain between the day of
    the apology and the due date. After closing hour or on a day off, the apology counts from
    the next working day, as a receipt would (R-DUE-3)."""
    today = cal.effective_receipt_date(at, DeskHours.of(dossier.desk))
    remaining = cal.working_days_between(today, cal.local(dossier.due_at).date())
    return remaining >= dossier.rule_set.reschedule_min_working_days


def reschedule_latest_date(*, dossier, cal) -> dt.date:
    """R-RES-1 (a portal safeguard): the latest new appointment, the rule set's maximum of
    working days after the current due date (60 by default)."""
    due_day = cal.local(dossier.due_at).date()
    return cal.add_working_days(due_day, dossier.rule_set.reschedule_max_working_days)


def can_reschedule(*, dossier, at, cal, rescheduled: bool) -> bool:
    """R-RES-1, R-RES-2: a dossier is rescheduled once (``rescheduled``: it has been already),
    and no later than the rule set's working days before its due date. The pages offer the
    action only when this holds; ``dossier_reschedule`` refuses with the reason otherwise."""
    return not rescheduled and reschedule_deadline_ok(dossier=dossier, at=at, cal=cal)


# --- refusal (R-LIFE-4) ---------------------------------------------------------------------
def refusal_in_time(*, dossier, at) -> bool:
    """R-LIFE-4: a refusal is issued within the processing time. While the dossier waits for a
    supplement its clock is stopped, so it can still be refused."""
    return dossier.status == DossierStatus.WAITING_SUPPLEMENT or at <= dossier.due_at
