"""Every list and table the reports show, as rows for CSV and XLSX (issue 11): the dossiers
behind a figure (R-IND-5), rankings (R-IND-3), the Circular 01 evaluations of units and
officials (R-IND-6), the Decision 766 index (R-IND-7), the monthly scorecards (R-FB-4) and the
dossiers behind an index.

A table is built from the same scoped selectors as the pages (``reports.selectors``,
``reports.drilldown``, ``reports.evaluations.selectors``), so an export never holds a row the
user could not see. Rows are produced lazily (a dossier list streams from a server-side cursor
with ``iterator()``), so a million rows never sit in memory. ``personal`` marks tables with
applicants' names: their exports are audit-logged (R-PRIV-1).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, F, Func, Value, When
from django.utils.translation import gettext as _

from dossiers.selectors import dossier_field_choices
from portal.exceptions import DomainError
from portal.selectors import visible_units
from portal.strict_input import parse_id, parse_int
from reports import drilldown, selectors
from reports.evaluations import rules
from reports.evaluations import selectors as evaluation_selectors
from reports.models import Indicator
from reports.periods import parse_period
from reports.rankings import COMPOSITE


class UnknownTable(DomainError):
    code = "unknown_table"


class InvalidExport(DomainError):
    code = "invalid_export"


@dataclass
class Table:
    """``rows`` are produced lazily; ``count`` (when given) counts them with one query, for a
    job's progress; ``copy_query`` (PostgreSQL) is the same rows as text, for CSV by ``COPY``."""

    name: str
    title: str
    headers: list[str]
    rows: Iterable
    total: int | None = None
    personal: bool = False
    count: Callable[[], int] | None = None
    copy_query: object | None = None

    @property
    def filename(self) -> str:
        return self.name

    def row_count(self) -> int | None:
        if self.total is None and self.count is not None:
            self.total = self.count()
        return self.total


class LocalText(Func):
    """A moment as ``YYYY-MM-DD HH:MI`` text in the portal's time zone, formatted by
    PostgreSQL (for CSV by ``COPY``)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char(({sql}) AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')", [
            *params,
            settings.TIME_ZONE,
        ]


def _labels(field: str, choices) -> Case:
    return Case(
        *[When(**{field: key}, then=Value(str(label))) for key, label in choices],
        default=F(field),
        output_field=CharField(),
    )


@dataclass
class Params:
    unit: object
    period: object
    raw: dict

    def get(self, key, default=None):
        return self.raw.get(key, default)


def parse(*, user, params: dict) -> Params:
    """The unit (one the user may see: otherwise the same answer as an unknown one) and the
    period of an export."""
    try:
        unit_id = parse_id(params.get("unit"))
    except (TypeError, ValueError):
        raise InvalidExport(_("Choose a unit."), fields={"unit": [_("Choose a unit.")]}) from None
    unit = visible_units(user=user).filter(pk=unit_id).first()
    if unit is None:
        raise InvalidExport(_("Unknown unit."), fields={"unit": [_("Unknown unit.")]})
    period = parse_period(str(params.get("period", "")))
    return Params(unit=unit, period=period, raw=dict(params))


def _pct(value):
    return None if value is None else round(float(value), 2)


# --- dossiers -------------------------------------------------------------------------------
DOSSIER_FIELDS = (
    "code",
    "procedure__code",
    "procedure__name",
    "applicant_name",
    "channel",
    "received_at",
    "due_at",
    "completed_at",
    "status",
    "classification",
    "desk__name",
)


def _dossier_headers() -> list[str]:
    return [
        _("Dossier code"),
        _("Procedure code"),
        _("Procedure"),
        _("Applicant"),
        _("Channel"),
        _("Received at"),
        _("Due at"),
        _("Result ready at"),
        _("Status"),
        _("Classification"),
        _("Desk"),
    ]


def dossier_rows(queryset, *, extra: tuple[str, ...] = ()) -> Iterable[tuple]:
    """The rows of a dossier queryset, read with a server-side cursor, labels translated."""
    choices = dossier_field_choices()
    statuses = {k: str(v) for k, v in choices["status"]}
    channels = {k: str(v) for k, v in choices["channel"]}
    classes = {k: str(v) for k, v in choices["classification"]}
    fields = (*DOSSIER_FIELDS, *extra)
    for row in queryset.values_list(*fields).iterator(chunk_size=5000):
        row = list(row)
        row[4] = channels.get(row[4], row[4])
        row[8] = statuses.get(row[8], row[8])
        row[9] = classes.get(row[9], row[9])
        yield row


def dossier_copy_query(queryset, *, extra: tuple[str, ...] = ()):
    """The rows of ``dossier_rows`` as text, computed by PostgreSQL: labels translated with
    ``CASE``, moments in local time with ``to_char``; None on other databases."""
    if connection.vendor != "postgresql":
        return None
    choices = dossier_field_choices()
    return queryset.annotate(
        x_channel=_labels("channel", choices["channel"]),
        x_received=LocalText("received_at"),
        x_due=LocalText("due_at"),
        x_completed=LocalText("completed_at"),
        x_status=_labels("status", choices["status"]),
        x_class=_labels("classification", choices["classification"]),
    ).values_list(
        "code",
        "procedure__code",
        "procedure__name",
        "applicant_name",
        "x_channel",
        "x_received",
        "x_due",
        "x_completed",
        "x_status",
        "x_class",
        "desk__name",
        *extra,
    )


def table_dossiers(*, user, p: Params) -> Table:
    figure = p.get("figure") or "received"
    channel = p.get("channel") or None
    qs = drilldown.dossiers_behind(
        user=user, unit=p.unit, period=p.period, figure=figure, channel=channel
    )
    title = _("Dossiers “%(figure)s”, %(unit)s, %(period)s") % {
        "figure": figure,
        "unit": p.unit.name,
        "period": p.period,
    }
    ordered = qs.order_by("received_at", "pk")
    return Table(
        name=f"dossiers-{figure}-{p.period}",
        title=title,
        headers=_dossier_headers(),
        rows=dossier_rows(ordered),
        count=qs.count,
        personal=True,
        copy_query=dossier_copy_query(ordered),
    )


def table_evaluation_dossiers(*, user, p: Params) -> Table:
    try:
        index = parse_int(p.get("index"))
    except (TypeError, ValueError):
        raise InvalidExport(_("Choose an index.")) from None
    staff = None
    if p.get("staff"):
        staff = evaluation_selectors.staff_member(
            user=user, unit=p.unit, period=p.period, staff_id=p.get("staff")
        )
    qs = evaluation_selectors.evaluation_dossiers(
        user=user, unit=p.unit, period=p.period, index=index, staff=staff
    )
    extra = ("index_points",) if index != 9 else ()
    headers = _dossier_headers() + ([_("Points")] if extra else [])
    return Table(
        name=f"circular01-index{index}-{p.period}",
        title=_("Index %(n)d: %(label)s") % {"n": index, "label": rules.INDEX_LABELS[index]},
        headers=headers,
        rows=dossier_rows(qs, extra=extra),
        count=qs.count,
        personal=True,
        copy_query=dossier_copy_query(qs, extra=extra),
    )


# --- rankings -------------------------------------------------------------------------------
def table_ranking(*, user, p: Params) -> Table:
    ranking = selectors.ranking_table(user=user, unit=p.unit, period=p.period)
    indicators = [*Indicator.values, COMPOSITE]
    labels = {**{k: str(v) for k, v in Indicator.choices}, COMPOSITE: _("Composite score")}
    headers = [_("Rank"), _("Unit"), _("Code")]
    for key in indicators:
        headers += [labels[key], _("Rank: %(name)s") % {"name": labels[key]}]
    headers += [_("Dossiers completed"), _("Dossiers received"), _("Responses")]
    rows = []
    for row in ranking.ordered():
        line = [row.ranks.get(COMPOSITE), row.unit.name, row.unit.code]
        for key in indicators:
            line += [_pct(row.values.get(key)), row.ranks.get(key)]
        line += [row.figures.completed, row.figures.received, row.figures.responses]
        rows.append(line)
    return Table(
        name=f"ranking-{p.period}",
        title=_("Ranking under %(unit)s, %(period)s")
        % {"unit": ranking.parent.name, "period": p.period},
        headers=headers,
        rows=rows,
        total=len(rows),
    )


# --- Circular 01 -----------------------------------------------------------------------------
def _evaluation_line(ev, name) -> list:
    line = [name]
    for number in ev.applicable:
        value = ev.index(number).value
        line.append(None if value is None else float(value))
    line += [float(ev.total), ev.result_label, ", ".join(str(n) for n in ev.missing)]
    return line


def table_circular01(*, user, p: Params) -> Table:
    page = evaluation_selectors.circular01_page(user=user, unit=p.unit, period=p.period)
    headers = [_("Unit")] + [_("Index %(n)d") % {"n": n} for n in rules.AGENCY_INDICES]
    headers += [_("Total"), _("Grade"), _("Missing indices")]
    rows = [_evaluation_line(ev, ev.unit.name) for ev in (page.own, *page.children)]
    return Table(
        name=f"circular01-{p.period}",
        title=_("Circular 01/2018 evaluation, %(period)s") % {"period": p.period},
        headers=headers,
        rows=rows,
        total=len(rows),
    )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def table_circular01_staff(*, user, p: Params) -> Table:
    page = evaluation_selectors.circular01_page(user=user, unit=p.unit, period=p.period)
    headers = [_("Official")] + [_("Index %(n)d") % {"n": n} for n in rules.OFFICIAL_INDICES]
    headers += [_("Total"), _("Result"), _("Missing indices")]
    rows = [_evaluation_line(ev, _person(ev.user)) for ev in page.staff]
    return Table(
        name=f"circular01-staff-{p.period}",
        title=_("Officials, Circular 01/2018, %(period)s") % {"period": p.period},
        headers=headers,
        rows=rows,
        total=len(rows),
    )


# --- Decision 766 ----------------------------------------------------------------------------
def table_index766(*, user, p: Params) -> Table:
    page = evaluation_selectors.index766_page(
        user=user, unit=p.unit, period=p.period, profile_code=p.get("profile") or None
    )
    if page.profile is None:
        raise InvalidExport(_("The Decision 766 index did not exist in this period."))
    headers = [_("Group"), _("Code"), _("Sub-indicator"), _("Source"), _("Numerator")]
    headers += [_("Denominator"), _("Ratio (%)"), _("Points"), _("Target (%)"), _("Score")]
    headers += [_("State")]
    states = {
        "scored": _("Scored"),
        "no_data": _("Nothing to count"),
        "missing": _("Missing"),
        "redistributed": _("Points given to other sub-items"),
    }
    rows = []
    for group in page.result.groups:
        for s in group.items:
            rows.append(
                [
                    group.label,
                    s.item.code,
                    s.item.name,
                    s.item.get_source_display(),
                    s.numerator,
                    s.denominator,
                    _pct(s.ratio),
                    s.weight,
                    s.item.target,
                    s.score,
                    str(states[s.status]),
                ]
            )
    rows.append([_("Total"), "", "", "", None, None, None, None, None, page.result.total, ""])
    return Table(
        name=f"index766-{p.period}",
        title=_("Decision 766 index, %(unit)s, %(period)s")
        % {"unit": p.unit.name, "period": p.period},
        headers=headers,
        rows=rows,
        total=len(rows),
    )


def table_index766_ranking(*, user, p: Params) -> Table:
    page = evaluation_selectors.index766_page(
        user=user, unit=p.unit, period=p.period, profile_code=p.get("profile") or None
    )
    if page.profile is None:
        raise InvalidExport(_("The Decision 766 index did not exist in this period."))
    results = page.children or page.siblings
    headers = [_("Rank"), _("Unit")]
    headers += [str(label) for _key, label in _groups()]
    headers += [_("Total"), _("Missing sub-indicators")]
    rows = [
        [r.rank, r.unit.name, *[g.score for g in r.groups], r.total, len(r.missing)]
        for r in results
    ]
    return Table(
        name=f"index766-ranking-{p.period}",
        title=_("Decision 766 ranking, %(period)s") % {"period": p.period},
        headers=headers,
        rows=rows,
        total=len(rows),
    )


def _groups():
    from reports.evaluations.models import Index766Group

    return Index766Group.choices


# --- scorecards ------------------------------------------------------------------------------
def table_scorecards(*, user, p: Params) -> Table:
    cards = evaluation_selectors.scorecards_page(user=user, unit=p.unit, period=p.period)
    headers = [
        _("Official"),
        _("Dossiers received"),
        _("Dossiers handled"),
        _("Steps early"),
        _("Steps on time"),
        _("Steps late"),
        _("On-time rate of steps (%)"),
        _("Apologies caused"),
        _("Conduct complaints"),
        _("Conduct complaints counted"),
        _("Survey answers"),
        _("Satisfaction (%)"),
        _("Circular 01 total"),
        _("Circular 01 result"),
    ]
    rows = [
        [
            _person(c.user),
            c.received,
            c.handled,
            c.steps.early,
            c.steps.on_time,
            c.steps.late,
            _pct(c.steps.on_time_rate),
            c.apologies_caused,
            c.conduct.get("received", 0),
            c.conduct_counted,
            c.responses,
            _pct(c.satisfaction),
            float(c.evaluation.total) if c.evaluation else None,
            c.band,
        ]
        for c in cards
    ]
    return Table(
        name=f"scorecards-{p.period}",
        title=_("Staff scorecards, %(unit)s, %(period)s")
        % {"unit": p.unit.name, "period": p.period},
        headers=headers,
        rows=rows,
        total=len(rows),
    )


TABLES: dict[str, Callable] = {
    "dossiers": table_dossiers,
    "evaluation_dossiers": table_evaluation_dossiers,
    "ranking": table_ranking,
    "circular01": table_circular01,
    "circular01_staff": table_circular01_staff,
    "index766": table_index766,
    "index766_ranking": table_index766_ranking,
    "scorecards": table_scorecards,
}
TABLE_CHOICES = [(name, name) for name in sorted(TABLES)]
# Tables whose size grows with the data (dossier lists): XLSX of them goes through a job.
LARGE = frozenset({"dossiers", "evaluation_dossiers"})


def build(name: str, *, user, params: dict) -> Table:
    if name not in TABLES:
        raise UnknownTable(_("Unknown table."))
    p = parse(user=user, params=params)
    return TABLES[name](user=user, p=p)
