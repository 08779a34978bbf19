"""Computing the rollups from the source tables: for a set of days (and units), one grouped query
per rollup table, then the rows of those days are overwritten (delete + insert, in the caller's
transaction), each with one ``INSERT … SELECT`` (the rows never leave the database).

The grouped queries come from the apps' selectors, which hold the counting rules that the lists
behind the figures use too (R-IND-5); reports imports no model of theirs:
- dossier flows: ``dossiers.selectors.dossier_flows_grouped`` (events per unit, day, channel);
- overdue in process: ``dossiers.selectors.overdue_snapshot_sql``, a snapshot at the end of
  each day (``days.snapshot_moment``) over the ``ReportDay`` calendar;
- surveys: ``surveys.selectors.answer_tallies_grouped`` and ``responses_grouped``;
- complaints: ``reports.complaints`` over ``feedback.selectors``.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from dossiers import selectors as dossier_selectors
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
from surveys import selectors as survey_selectors

FLOWS = tuple(dossier_selectors.FLOW_FIGURES)
assert set(FLOWS) | {"overdue"} == set(DossierDayStat.COUNTS), "flows and columns differ"
assert tuple(survey_selectors.TALLY_COUNTS) == SurveyDayStat.COUNTS, "tallies and columns differ"


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

    def now_or_now(self) -> dt.datetime:
        return self.now or timezone.now()

    @property
    def contiguous(self) -> bool:
        return days_mod.is_contiguous(self.days)

    def units(self):
        """The units as the selectors take them: None (all), ids, or a queryset of ids."""
        if self.path is None:
            return self.unit_ids
        units = AdministrativeUnit.objects.filter(path__startswith=self.path)
        if self.unit_ids is not None:
            units = units.filter(pk__in=self.unit_ids)
        return units.values("pk")

    def grouped(self, selector):
        """A selector's grouped query over the scope's moments, units and days."""
        return selector(
            start=self.start,
            end=self.end,
            units=self.units(),
            days=None if self.contiguous else self.days,
        )

    def filter_units(self, qs, *, unit_prefix=""):
        if self.unit_ids is not None:
            qs = qs.filter(**{f"{unit_prefix}unit_id__in": self.unit_ids})
        if self.path is not None:
            units = AdministrativeUnit.objects.filter(path__startswith=self.path).values("pk")
            qs = qs.filter(**{f"{unit_prefix}unit_id__in": units})
        return qs


# --- dossiers -----------------------------------------------------------------------------
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


def snapshot_sqls(scope: Scope, builder) -> list[tuple[str, list]]:
    """A snapshot's grouped queries for the scope's days (``builder``: an app's
    ``overdue_snapshot_sql``): one over the ``ReportDay`` calendar for the days that are over,
    one over (today, now) if today is in the scope. Days that have not started give nothing."""
    now = scope.now_or_now()
    past = [day for day in scope.days if days_mod.day_end(day) <= now]
    current = [day for day in scope.days if days_mod.day_start(day) < now < days_mod.day_end(day)]
    out = []
    if past:
        if not getattr(scope, "calendar_ready", False):  # once per recompute, not per table
            ensure_report_days(past[0], past[-1])
            scope.calendar_ready = True
        out.append(
            builder(
                grouped=True,
                calendar=(_table(ReportDay), days_mod.day_end(past[0]), days_mod.day_end(past[-1])),
                days=None if days_mod.is_contiguous(past) else past,
                unit_ids=scope.unit_ids,
                path=scope.path,
            )
        )
    if current:
        out.append(
            builder(
                grouped=True, moments=[(current[0], now)], unit_ids=scope.unit_ids, path=scope.path
            )
        )
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
    flows_sql, flows_params = scope.grouped(
        dossier_selectors.dossier_flows_grouped
    ).query.sql_with_params()
    flows = FLOWS
    counts = list(DossierDayStat.COUNTS)
    parts = [
        "SELECT unit_id, day, channel, "
        + ", ".join(c if c in flows else f"0 AS {c}" for c in counts)
        + f" FROM ({flows_sql}) f"
    ]
    params = list(flows_params)
    snapshots = snapshot_sqls(scope, dossier_selectors.overdue_snapshot_sql)
    for n, (overdue_sql_text, overdue_params) in enumerate(snapshots):
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
def write_survey_rows(scope: Scope) -> int:
    """R-SUR-3 tallies per (unit, day, criterion) and responses per (unit, day, form version),
    on the day the citizen answered: one grouped query each, inserted as they come."""
    tallies = scope.grouped(survey_selectors.answer_tallies_grouped)
    sql, params = tallies.query.sql_with_params()
    names = list(SurveyDayStat.COUNTS)
    written = _insert_select(
        SurveyDayStat,
        ["unit", "day", "form", "criterion", *names],
        "SELECT unit_id, day, form_id, criterion_id, "
        + ", ".join(f"n_{n}" for n in names)
        + f" FROM ({sql}) t",
        params,
    )
    per_form = scope.grouped(survey_selectors.responses_grouped)
    sql, params = per_form.query.sql_with_params()
    written += _insert_select(
        SurveyResponseDayStat,
        ["unit", "day", "form", "responses"],
        f"SELECT unit_id, day, form_id, n_responses FROM ({sql}) r",
        params,
    )
    return written


# --- complaints ---------------------------------------------------------------------------
def write_complaint_rows(scope: Scope) -> int:
    sql, params = complaints.complaint_sql(scope, snapshot_sqls)
    return _insert_select(ComplaintDayStat, ["unit", "day", *ComplaintDayStat.COUNTS], sql, params)


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
    return write_dossier_rows(scope) + write_survey_rows(scope) + write_complaint_rows(scope)
