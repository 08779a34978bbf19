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
from collections import defaultdict

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from dossiers.models import Classification, Dossier, DossierEvent, EventKind, Pause, Reschedule
from portal.models import AdministrativeUnit
from reports import complaints
from reports import days as days_mod
from reports.models import ComplaintDayStat, DossierDayStat, SurveyDayStat, SurveyResponseDayStat
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
def dossier_flow_rows(scope: Scope) -> list[dict]:
    """R-IND-1 flows per (unit, day, channel): one grouped query over the events."""
    qs = DossierEvent.objects.filter(at__gte=scope.start, at__lt=scope.end, kind__in=FLOW_KINDS)
    qs = scope.filter_units(qs)
    qs = qs.annotate(day=TruncDate("at", tzinfo=days_mod.tz()))
    if not days_mod.is_contiguous(scope.days):
        qs = qs.filter(day__in=scope.days)
    return list(
        qs.values("unit_id", "day", channel=F("dossier__channel"))
        .annotate(**{name: Count("id", filter=q) for name, q in FLOW_FILTERS.items()})
        .order_by()
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def overdue_sql(
    *, select: str, moments: list[tuple[dt.date, dt.datetime]], unit_ids=None, path=None
):
    """The overdue-in-process snapshot (R-DUE-6) as SQL: dossiers received before the moment,
    neither completed nor closed (refused, withdrawn) by then, not waiting for a supplement
    then (the clock is stopped), and whose due moment *as it stood then* had passed. The due
    moment then is the original one before any supplement request or rescheduling, the
    rescheduled one after the apology, and after a supplement the current one (the only due
    moment of a resumed dossier the tables keep: with two supplement requests, days between
    the first resumption and the second request use the later due moment).

    ``select`` is the select list over ``d`` (dossier) and ``days`` (``day``, ``ends_at``);
    returns (sql without GROUP BY, params)."""
    ops = connection.ops
    d, r, p = Dossier, Reschedule, Pause
    values = ", ".join(["(%s, %s)"] * len(moments))
    params = []
    for day, moment in moments:
        params += [ops.adapt_datefield_value(day), ops.adapt_datetimefield_value(moment)]
    min_end = ops.adapt_datetimefield_value(min(m for _d, m in moments))
    max_end = ops.adapt_datetimefield_value(max(m for _d, m in moments))
    dcol = lambda name: f"d.{_col(d, name)}"  # noqa: E731
    rcol = lambda name: f"r.{_col(r, name)}"  # noqa: E731
    # Identifiers come from the models' metadata; every value is a query parameter.
    paused = (
        f"SELECT 1 FROM {_table(p)} p WHERE p.{_col(p, 'dossier')} = d.{_col(d, 'id')} "  # noqa: S608
        f"AND p.{_col(p, 'requested_at')} < days.ends_at"
    )
    due_then = (
        f"CASE WHEN NOT EXISTS ({paused}) THEN "
        f"(CASE WHEN {rcol('created_at')} < days.ends_at THEN {rcol('new_due_at')} "
        f"ELSE {dcol('original_due_at')} END) "
        f"WHEN {rcol('created_at')} >= days.ends_at THEN {rcol('original_due_at')} "
        f"ELSE {dcol('due_at')} END"
    )
    unit_clause = ""
    if unit_ids is not None:
        unit_clause += f" AND {dcol('unit')} IN ({', '.join(['%s'] * len(unit_ids))})"
    sql = (
        f"WITH days(day, ends_at) AS (VALUES {values}) "  # noqa: S608
        f"SELECT {select} FROM {_table(d)} d CROSS JOIN days "
        f"LEFT JOIN {_table(r)} r ON {rcol('dossier')} = d.{_col(d, 'id')} "
        f"WHERE {dcol('received_at')} < %s AND {dcol('original_due_at')} < %s "
        f"AND ({dcol('completed_at')} IS NULL OR {dcol('completed_at')} >= %s) "
        f"AND ({dcol('closed_at')} IS NULL OR {dcol('closed_at')} >= %s) "
        f"AND {dcol('received_at')} < days.ends_at "
        f"AND ({dcol('completed_at')} IS NULL OR {dcol('completed_at')} >= days.ends_at) "
        f"AND ({dcol('closed_at')} IS NULL OR {dcol('closed_at')} >= days.ends_at) "
        f"AND NOT EXISTS ({paused} AND (p.{_col(p, 'resumed_at')} IS NULL "
        f"OR p.{_col(p, 'resumed_at')} >= days.ends_at)) "
        f"AND ({due_then}) < days.ends_at"
        f"{unit_clause}"
    )
    params += [max_end, max_end, min_end, min_end]
    if unit_ids is not None:
        params += list(unit_ids)
    if path is not None:
        unit = AdministrativeUnit
        sql += (
            f" AND {dcol('unit')} IN (SELECT u.{_col(unit, 'id')} FROM {_table(unit)} u "  # noqa: S608
            f"WHERE substr(u.{_col(unit, 'path')}, 1, %s) = %s)"
        )
        params += [len(path), path]
    return sql, params


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def dossier_overdue_rows(scope: Scope) -> list[dict]:
    """The overdue snapshot of each day per (unit, day, channel): one grouped query."""
    moments = [(day, days_mod.snapshot_moment(day, scope.now)) for day in scope.days]
    moments = [(day, moment) for day, moment in moments if moment > days_mod.day_start(day)]
    if not moments:
        return []
    unit_col = f"d.{_col(Dossier, 'unit')}"
    channel_col = f"d.{_col(Dossier, 'channel')}"
    sql, params = overdue_sql(
        select=f"{unit_col}, days.day, {channel_col}, COUNT(*)",
        moments=moments,
        unit_ids=scope.unit_ids,
        path=scope.path,
    )
    sql += f" GROUP BY {unit_col}, days.day, {channel_col}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"unit_id": unit_id, "day": _as_date(day), "channel": channel, "overdue": n}
            for unit_id, day, channel, n in cursor.fetchall()
        ]


def dossier_rows(scope: Scope) -> list[DossierDayStat]:
    rows: dict[tuple, dict] = defaultdict(dict)
    for row in dossier_flow_rows(scope):
        key = (row.pop("unit_id"), row.pop("day"), row.pop("channel"))
        rows[key].update(row)
    for row in dossier_overdue_rows(scope):
        rows[(row["unit_id"], row["day"], row["channel"])]["overdue"] = row["overdue"]
    return [
        DossierDayStat(unit_id=unit_id, day=day, channel=channel, **counts)
        for (unit_id, day, channel), counts in sorted(rows.items())
        if any(counts.values())
    ]


# --- surveys ------------------------------------------------------------------------------
def survey_rows(scope: Scope) -> tuple[list[SurveyDayStat], list[SurveyResponseDayStat]]:
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
    counts = {
        "valid": answer_value_q(ANSWER_VALID),
        "satisfied": answer_value_q(ANSWER_SATISFIED),
        "not_applicable": Q(not_applicable=True),
        "blank": Q(value__isnull=True, not_applicable=False),
        **{f"level_{v}": Q(value=v) for v in SurveyDayStat.LEVELS},
    }
    tallies = [
        {
            "unit_id": row["unit_id"],
            "day": row["day"],
            "form_id": row["form_id"],
            "criterion_id": row["criterion_id"],
            **{name: row[f"n_{name}"] for name in counts},
        }
        for row in answers.values(
            "criterion_id", "day", unit_id=F("response__unit_id"), form_id=F("response__form_id")
        )
        .annotate(**{f"n_{name}": Count("id", filter=q) for name, q in counts.items()})
        .order_by()
    ]
    per_form = (
        responses.values("unit_id", "day", "form_id").annotate(responses=Count("id")).order_by()
    )
    return (
        [SurveyDayStat(**row) for row in tallies],
        [SurveyResponseDayStat(**row) for row in per_form],
    )


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
    the days locked: ``reports.locks.lock_days``). Returns the number of rows written."""
    dossier = dossier_rows(scope)
    tallies, responses = survey_rows(scope)
    complaint = complaint_day_rows(scope)
    written = 0
    for model, rows in (
        (DossierDayStat, dossier),
        (SurveyDayStat, tallies),
        (SurveyResponseDayStat, responses),
        (ComplaintDayStat, complaint),
    ):
        scope.filter(model.objects.all()).delete()
        model.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written
