"""Computing the rollups from the source tables: for a set of days (and units), one grouped query
per rollup table, then the rows of those days are overwritten (delete + insert, in the caller's
transaction). Plain SQL through the ORM, plus one raw query (the overdue snapshot) written for
both PostgreSQL and SQLite.

Sources (read only; dossiers and surveys are never imported the other way):
- dossier flows: ``DossierEvent`` rows (``unit``, ``at``, ``kind``) joined to their dossier
  for the channel and the classification; every change of a dossier writes one event;
- overdue in process: a snapshot of dossiers (received, not finished, clock running, due
  moment passed) at the end of each day (``days.snapshot_moment``);
- surveys: ``Answer`` joined to its ``Response`` (unit, ``submitted_at``, form version);
- complaints: ``reports.complaints.complaint_rows`` (empty until feedback lands).
"""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from dossiers.models import Classification, Dossier, DossierEvent, EventKind, Pause, Reschedule
from portal.models import AdministrativeUnit
from reports import complaints
from reports import days as days_mod
from reports.models import (
    ComplaintDayStat,
    DossierDayStat,
    ReportDay,
    SurveyDayStat,
    SurveyResponseDayStat,
)
from surveys.models import Answer, Response
from surveys.selectors import ANSWER_SATISFIED, ANSWER_VALID, answer_value_q

K = EventKind
# The events each flow counts (R-IND-1; an apology is the rescheduling event, R-RES-4).
FLOW_FILTERS = {
    "received": Q(kind=K.RECEIVED),
    "completed": Q(kind=K.COMPLETED),
    "early": Q(kind=K.COMPLETED, dossier__classification=Classification.EARLY),
    "on_time": Q(kind=K.COMPLETED, dossier__classification=Classification.ON_TIME),
    "late": Q(kind=K.COMPLETED, dossier__classification=Classification.LATE),
    "refused": Q(kind=K.REFUSED),
    "supplement_requests": Q(kind=K.SUPPLEMENT_REQUESTED),
    "apologies": Q(kind=K.RESCHEDULED),
    "withdrawn": Q(kind=K.WITHDRAWN),
}
FLOW_KINDS = (
    K.RECEIVED,
    K.COMPLETED,
    K.REFUSED,
    K.SUPPLEMENT_REQUESTED,
    K.RESCHEDULED,
    K.WITHDRAWN,
)


class Scope:
    """Which rollup rows a recompute overwrites: ``days`` (sorted, local) and the units, either
    all of them, an explicit set of ids, or a subtree by materialised path."""

    def __init__(self, *, days, unit_ids=None, path: str | None = None, now=None):
        self.days = sorted(set(days))
        self.unit_ids = sorted(set(unit_ids)) if unit_ids is not None else None
        self.path = path
        self.now = now
        if not self.days:
            raise ValueError("a scope has at least one day")

    @property
    def start(self) -> dt.datetime:
        return days_mod.day_start(self.days[0])

    @property
    def end(self) -> dt.datetime:
        return days_mod.day_end(self.days[-1])

    def filter(self, qs, *, day_field="day", unit_prefix=""):
        """Rows of a rollup table (or a source queryset whose day is ``day_field``)."""
        if days_mod.is_contiguous(self.days):
            qs = qs.filter(
                **{f"{day_field}__gte": self.days[0], f"{day_field}__lte": self.days[-1]}
            )
        else:
            qs = qs.filter(**{f"{day_field}__in": self.days})
        return self.filter_units(qs, unit_prefix=unit_prefix)

    def filter_units(self, qs, *, unit_prefix=""):
        if self.unit_ids is not None:
            qs = qs.filter(**{f"{unit_prefix}unit_id__in": self.unit_ids})
        if self.path is not None:
            units = AdministrativeUnit.objects.filter(path__startswith=self.path).values("pk")
            qs = qs.filter(**{f"{unit_prefix}unit_id__in": units})
        return qs


# --- dossiers -----------------------------------------------------------------------------
def dossier_flow_queryset(scope: Scope):
    """R-IND-1 flows per (unit, day, channel): one grouped query over the events."""
    qs = DossierEvent.objects.filter(at__gte=scope.start, at__lt=scope.end, kind__in=FLOW_KINDS)
    qs = scope.filter_units(qs)
    qs = qs.annotate(day=TruncDate("at", tzinfo=days_mod.tz()))
    if not days_mod.is_contiguous(scope.days):
        qs = qs.filter(day__in=scope.days)
    return (
        qs.values("unit_id", "day", channel=F("dossier__channel"))
        .annotate(**{name: Count("id", filter=q) for name, q in FLOW_FILTERS.items()})
        .order_by()
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def ensure_report_days(first: dt.date, last: dt.date) -> None:
    """Rows of ``ReportDay`` for every day from ``first`` to ``last`` (idempotent)."""
    wanted = days_mod.days_between(first, last)
    if ReportDay.objects.filter(day__gte=first, day__lte=last).count() == len(wanted):
        return
    ReportDay.objects.bulk_create(
        [ReportDay(day=day, ends_at=days_mod.day_end(day)) for day in wanted],
        ignore_conflicts=True,
    )


def overdue_sql(
    *,
    select: str,
    moments: list[tuple[dt.date, dt.datetime]] | None = None,
    calendar: tuple[dt.date, dt.date] | None = None,
    unit_ids=None,
    path=None,
):
    """The overdue-in-process snapshot (R-DUE-6) as SQL: dossiers received before the moment,
    neither completed nor closed (refused, withdrawn) by then, not waiting for a supplement
    then (the clock is stopped), and whose due moment *as it stood then* had passed. The due
    moment then is the original one before any supplement request or rescheduling, the
    rescheduled one after the apology, and after a supplement the current one (the only due
    moment of a resumed dossier the tables keep: with two supplement requests, days between
    the first resumption and the second request use the later due moment).

    The days come from ``moments`` ((day, moment) pairs, e.g. today and now) or, for whole past
    days, from the ``calendar`` range of ``ReportDay`` (call ``ensure_report_days`` first),
    whose index on ``ends_at`` bounds each dossier to the days between its original due moment
    (no due moment is earlier) and its end. ``select`` is the select list over ``d``
    (dossier) and ``days`` (``day``, ``ends_at``); returns (sql without GROUP BY, params)."""
    ops = connection.ops
    d, r, p = Dossier, Reschedule, Pause
    dcol = lambda name: f"d.{_col(d, name)}"  # noqa: E731
    rcol = lambda name: f"r.{_col(r, name)}"  # noqa: E731
    params = []
    if moments is not None:
        values = ", ".join(["(%s, %s)"] * len(moments))
        for day, moment in moments:
            params += [ops.adapt_datefield_value(day), ops.adapt_datetimefield_value(moment)]
        ends = [m for _d, m in moments]
        head = f"WITH days(day, ends_at) AS (VALUES {values}) "
        source = "days"
    else:
        first, last = calendar
        ends = [days_mod.day_end(first), days_mod.day_end(last)]
        head = ""
        source = f"{_table(ReportDay)} days"
    min_end = ops.adapt_datetimefield_value(min(ends))
    max_end = ops.adapt_datetimefield_value(max(ends))
    far = ops.adapt_datetimefield_value(max(ends) + dt.timedelta(days=1))
    # Identifiers come from the models' metadata; every value is a query parameter.
    paused = (
        f"SELECT 1 FROM {_table(p)} p WHERE p.{_col(p, 'dossier')} = d.{_col(d, 'id')} "
        f"AND p.{_col(p, 'requested_at')} < days.ends_at"
    )
    due_then = (
        f"CASE WHEN {dcol('supplement_count')} = 0 OR NOT EXISTS ({paused}) THEN "
        f"(CASE WHEN {rcol('created_at')} < days.ends_at THEN {rcol('new_due_at')} "
        f"ELSE {dcol('original_due_at')} END) "
        f"WHEN {rcol('created_at')} >= days.ends_at THEN {rcol('original_due_at')} "
        f"ELSE {dcol('due_at')} END"
    )
    sql = (
        f"{head}SELECT {select} FROM {_table(d)} d "
        f"JOIN {source} ON days.ends_at > {dcol('original_due_at')} "
        f"AND days.ends_at <= COALESCE({dcol('completed_at')}, {dcol('closed_at')}, %s) "
        f"AND days.ends_at >= %s AND days.ends_at <= %s "
        f"LEFT JOIN {_table(r)} r ON {rcol('dossier')} = d.{_col(d, 'id')} "
        f"WHERE {dcol('received_at')} < %s AND {dcol('original_due_at')} < %s "
        f"AND ({dcol('completed_at')} IS NULL OR {dcol('completed_at')} >= %s) "
        f"AND ({dcol('closed_at')} IS NULL OR {dcol('closed_at')} >= %s) "
        f"AND {dcol('received_at')} < days.ends_at "
        f"AND ({dcol('completed_at')} IS NULL OR {dcol('completed_at')} >= days.ends_at) "
        f"AND ({dcol('closed_at')} IS NULL OR {dcol('closed_at')} >= days.ends_at) "
        f"AND ({dcol('supplement_count')} = 0 OR NOT EXISTS ({paused} "
        f"AND (p.{_col(p, 'resumed_at')} IS NULL OR p.{_col(p, 'resumed_at')} >= days.ends_at))) "
        f"AND ({due_then}) < days.ends_at"
    )
    params += [far, min_end, max_end, max_end, max_end, min_end, min_end]
    if unit_ids is not None:
        sql += f" AND {dcol('unit')} IN ({', '.join(['%s'] * len(unit_ids))})"
        params += list(unit_ids)
    if path is not None:
        unit = AdministrativeUnit
        sql += (
            f" AND {dcol('unit')} IN (SELECT u.{_col(unit, 'id')} FROM {_table(unit)} u "
            f"WHERE substr(u.{_col(unit, 'path')}, 1, %s) = %s)"
        )
        params += [len(path), path]
    return sql, params


def overdue_grouped_sqls(scope: Scope) -> list[tuple[str, list]]:
    """The overdue snapshot of each day of the scope per (unit, day, channel): one grouped
    query over the calendar for the days that are over, one over (today, now) if today is in
    the scope. Days that have not started give nothing."""
    now = scope.now or timezone.now()
    unit_col = f"d.{_col(Dossier, 'unit')}"
    channel_col = f"d.{_col(Dossier, 'channel')}"
    select = (
        f"{unit_col} AS unit_id, days.day AS day, {channel_col} AS channel, COUNT(*) AS overdue"
    )
    group = f" GROUP BY {unit_col}, days.day, {channel_col}"
    past = [day for day in scope.days if days_mod.day_end(day) <= now]
    current = [day for day in scope.days if days_mod.day_start(day) < now < days_mod.day_end(day)]
    out = []
    if past:
        ensure_report_days(past[0], past[-1])
        sql, params = overdue_sql(
            select=select,
            calendar=(past[0], past[-1]),
            unit_ids=scope.unit_ids,
            path=scope.path,
        )
        if not days_mod.is_contiguous(past):
            sql += f" AND days.day IN ({', '.join(['%s'] * len(past))})"
            params += [connection.ops.adapt_datefield_value(day) for day in past]
        out.append((sql + group, params))
    if current:
        sql, params = overdue_sql(
            select=select,
            moments=[(current[0], now)],
            unit_ids=scope.unit_ids,
            path=scope.path,
        )
        out.append((sql + group, params))
    return out


def _insert_select(model, columns: list[str], sql: str, params) -> int:
    """INSERT INTO the rollup table SELECT ... : the rows never leave the database."""
    names = ", ".join(_col(model, c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {_table(model)} ({names}) {sql}", params)
        return max(cursor.rowcount, 0)


def write_dossier_rows(scope: Scope) -> int:
    """Flows and the overdue snapshot merged per (unit, day, channel) and inserted in one
    statement (rows with any count only)."""
    flows_sql, flows_params = dossier_flow_queryset(scope).query.sql_with_params()
    flows = list(FLOW_FILTERS)
    counts = list(DossierDayStat.COUNTS)
    parts = [
        "SELECT unit_id, day, channel, "
        + ", ".join(c if c in flows else f"0 AS {c}" for c in counts)
        + f" FROM ({flows_sql}) f"
    ]
    params = list(flows_params)
    for n, (overdue_sql_text, overdue_params) in enumerate(overdue_grouped_sqls(scope)):
        parts.append(
            "SELECT unit_id, day, channel, "
            + ", ".join("overdue" if c == "overdue" else f"0 AS {c}" for c in counts)
            + f" FROM ({overdue_sql_text}) o{n}"
        )
        params += overdue_params
    sql = (
        "SELECT unit_id, day, channel, "
        + ", ".join(f"SUM({c})" for c in counts)
        + " FROM ("
        + " UNION ALL ".join(parts)
        + ") x GROUP BY unit_id, day, channel"
    )
    return _insert_select(DossierDayStat, ["unit", "day", "channel", *counts], sql, params)


# --- surveys ------------------------------------------------------------------------------
def survey_querysets(scope: Scope):
    """R-SUR-3 tallies per (unit, day, criterion) and responses per (unit, day, form version):
    one grouped query each, on the day the citizen answered."""
    responses = scope.filter_units(
        Response.objects.filter(submitted_at__gte=scope.start, submitted_at__lt=scope.end)
    ).annotate(day=TruncDate("submitted_at", tzinfo=days_mod.tz()))
    answers = scope.filter_units(
        Answer.objects.filter(
            response__submitted_at__gte=scope.start, response__submitted_at__lt=scope.end
        ),
        unit_prefix="response__",
    ).annotate(day=TruncDate("response__submitted_at", tzinfo=days_mod.tz()))
    if not days_mod.is_contiguous(scope.days):
        responses = responses.filter(day__in=scope.days)
        answers = answers.filter(day__in=scope.days)
    # Annotations get a prefix: "not_applicable" is also a field of Answer that the filters use.
    tallies = (
        answers.values(
            "criterion_id", "day", unit_id=F("response__unit_id"), form_id=F("response__form_id")
        )
        .annotate(**{f"n_{name}": Count("id", filter=q) for name, q in SURVEY_COUNTS.items()})
        .order_by()
    )
    per_form = (
        responses.values("unit_id", "day", "form_id").annotate(n_responses=Count("id")).order_by()
    )
    return tallies, per_form


SURVEY_COUNTS = {
    "valid": answer_value_q(ANSWER_VALID),
    "satisfied": answer_value_q(ANSWER_SATISFIED),
    "not_applicable": Q(not_applicable=True),
    "blank": Q(value__isnull=True, not_applicable=False),
    **{f"level_{v}": Q(value=v) for v in SurveyDayStat.LEVELS},
}


def write_survey_rows(scope: Scope) -> int:
    tallies, per_form = survey_querysets(scope)
    sql, params = tallies.query.sql_with_params()
    names = list(SURVEY_COUNTS)
    written = _insert_select(
        SurveyDayStat,
        ["unit", "day", "form", "criterion", *names],
        "SELECT unit_id, day, form_id, criterion_id, "
        + ", ".join(f"n_{n}" for n in names)
        + f" FROM ({sql}) t",
        params,
    )
    sql, params = per_form.query.sql_with_params()
    written += _insert_select(
        SurveyResponseDayStat,
        ["unit", "day", "form", "responses"],
        f"SELECT unit_id, day, form_id, n_responses FROM ({sql}) r",
        params,
    )
    return written


# --- complaints ---------------------------------------------------------------------------
def complaint_day_rows(scope: Scope) -> list[ComplaintDayStat]:
    rows = complaints.complaint_rows(
        days=scope.days, unit_ids=scope.unit_ids, path=scope.path, now=scope.now
    )
    return [
        ComplaintDayStat(unit_id=unit_id, day=day, **counts)
        for (unit_id, day), counts in sorted(rows.items())
        if any(counts.values())
    ]


# --- overwrite ----------------------------------------------------------------------------
def recompute(scope: Scope) -> int:
    """Overwrite every rollup row of the scope from the sources (call it in a transaction, with
    the days locked: ``reports.locks.lock_days``): delete the scope's rows, then one
    INSERT ... SELECT per table. Returns the number of rows written."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # JIT compiling these grouped queries costs more than it saves (benchmarks).
            cursor.execute("SET LOCAL jit = off")
    for model in (DossierDayStat, SurveyDayStat, SurveyResponseDayStat, ComplaintDayStat):
        scope.filter(model.objects.all()).delete()
    written = write_dossier_rows(scope) + write_survey_rows(scope)
    complaint = complaint_day_rows(scope)
    ComplaintDayStat.objects.bulk_create(complaint, batch_size=2000)
    return written + len(complaint)
