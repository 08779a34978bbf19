"""Complaint figures (R-IND-2, R-FB-2): feedback items of every kind (feedback, suggestions,
conduct complaints, complaints, denunciations) received, answered, answered in time, and
overdue, per unit and local day, counted by ``feedback.selectors``' rules, the same the lists
behind the figures use (R-IND-5):

- received: the receipt events, at the receiving unit (``HANDLING_FIGURES["received"]``);
- answered and answered in time: the answer events, at the answering unit, in time by the
  deadline in force when the answer was given (an item without a deadline counts as in time;
  an item reopened and answered again counts each answer);
- overdue: a **snapshot** at the end of each day (or now, for today) of the items still to be
  handled past their running deadline, at the unit in charge then
  (``feedback.selectors.overdue_snapshot_sql``; today's equals ``overdue_q(now)``).

One ``INSERT … SELECT`` per recompute, like the other rollup tables: the events grouped per
(unit, day) ``UNION ALL`` the snapshot, summed. ``feedback.signals.feedback_changed`` marks the
buckets dirty (``reports.dirty``); feedback never imports reports.
"""

from feedback import selectors as feedback_selectors
from reports.models import ComplaintDayStat

FLOWS = ("received", "answered", "answered_in_time")


def complaint_sql(scope, snapshot_sqls) -> tuple[str, list]:
    """SELECT unit_id, day, received, answered, answered_in_time, overdue for the scope (a
    ``reports.rollups.Scope``); ``snapshot_sqls(scope, builder)`` gives the overdue snapshot's
    grouped queries for the scope's days."""
    flows = scope.grouped(feedback_selectors.handling_grouped)
    flows_sql, flows_params = flows.query.sql_with_params()
    counts = ComplaintDayStat.COUNTS
    parts = [
        "SELECT unit_id, day, "
        + ", ".join(c if c in FLOWS else f"0 AS {c}" for c in counts)
        + f" FROM ({flows_sql}) f"
    ]
    params = list(flows_params)
    snapshots = snapshot_sqls(scope, feedback_selectors.overdue_snapshot_sql)
    for n, (sql, snapshot_params) in enumerate(snapshots):
        parts.append(
            "SELECT unit_id, day, "
            + ", ".join("overdue" if c == "overdue" else f"0 AS {c}" for c in counts)
            + f" FROM ({sql}) o{n}"
        )
        params += snapshot_params
    sql = (
        "SELECT unit_id, day, "
        + ", ".join(f"SUM({c})" for c in counts)
        + " FROM ("
        + " UNION ALL ".join(parts)
        + ") x GROUP BY unit_id, day HAVING "
        + " + ".join(f"SUM({c})" for c in counts)
        + " > 0"
    )
    return sql, params
