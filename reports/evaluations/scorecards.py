"""Monthly staff scorecards (R-FB-4, R-IND-6): for each official of a unit and a month, the
dossiers they received and handled, the on-time rate of the steps they closed (by desk or
department), the apologies their late steps caused, the conduct complaints about them, the
satisfaction of the applicants whose dossiers they received (only with enough answers), and
their Circular 01 band for the month.

Every figure comes from a grouped query for all the unit's officials at once (a fixed number
of queries whatever the number of people).

- *received*: dossiers of the unit they received in the month;
- *handled*: dossiers with a step they closed in the month (a handover, a completion, a refusal
  or a withdrawal of theirs ended it);
- *steps*: those steps, early / on time / late against each step's own deadline (a dossier the
  desk completed alone is judged on its processing time, as in Circular 01 index 2);
- *apologies caused*: reschedulings made in the month whose dossier was, at that moment, in a
  step that this person later closed (the step that made it late); a step still open is not yet
  anyone's;
- *conduct complaints*: ``feedback.selectors.conduct_complaints_per_staff_month`` (received in
  the month at the unit; counted = received − unfounded − rejected, R-FB-4);
- *satisfaction*: the survey answers about dossiers they received, answered in the month, as
  ``surveys.indices`` computes them; below ``REPORTS_SCORECARD_MIN_RESPONSES`` (10) answers the
  index is not shown, only the number of answers.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.selectors import (
    classified_steps_finished_between,
    dossier_actor_ids,
    dossiers_received_per_receiver,
    reschedules_per_step_closer,
)
from feedback.selectors import conduct_complaints_per_staff_month
from portal.models import Membership, Role
from reports.evaluations import circular01
from reports.evaluations.sources import bounds, step_points_case
from reports.figures import satisfaction_form_code
from reports.periods import Period
from surveys import indices
from surveys.indices import CriterionTally, FormSpec
from surveys.selectors import answer_tallies_per_receiver, responses_about_dossiers_received_by

User = get_user_model()
STAFF_ROLES = (Role.RECEPTIONIST, Role.OFFICER, Role.LEADER)
CLASSES = {2: "early", 1: "on_time", 0: "late"}


def min_responses() -> int:
    return int(getattr(settings, "REPORTS_SCORECARD_MIN_RESPONSES", 10))


@dataclass
class StepCounts:
    place: str
    early: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def closed(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return (self.early + self.on_time) * 100.0 / self.closed if self.closed else None


@dataclass
class Scorecard:
    user: object
    unit: object
    period: Period
    received: int = 0
    handled: int = 0
    steps: StepCounts = field(default_factory=lambda: StepCounts(place=""))
    steps_by_place: list[StepCounts] = field(default_factory=list)
    apologies_caused: int = 0
    conduct: dict = field(default_factory=dict)
    responses: int = 0
    satisfaction: float | None = None  # shown only with enough answers
    evaluation: object | None = None  # circular01.Evaluation of the month

    @property
    def satisfaction_shown(self) -> bool:
        return self.satisfaction is not None

    @property
    def conduct_counted(self) -> int:
        return self.conduct.get("counted", 0)

    @property
    def band(self) -> str:
        return self.evaluation.result_label if self.evaluation else ""


def staff_of_unit(*, unit, period: Period) -> list:
    """People with a staff role at exactly this unit during the period, and anyone who acted on
    its dossiers in it, by name."""
    start, end = bounds(period)
    members = Membership.objects.filter(
        unit=unit,
        role__in=STAFF_ROLES,
    ).filter(
        (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
    )
    actors = dossier_actor_ids(unit=unit, start=start, end=end)
    return list(
        User.objects.filter(Q(pk__in=members.values("user_id")) | Q(pk__in=actors)).order_by(
            "last_name", "first_name", "username"
        )
    )


def _steps(unit, period: Period) -> dict:
    """{user id: (handled dossiers, total StepCounts, [StepCounts by place])}."""
    start, end = bounds(period)
    rows = (
        classified_steps_finished_between(unit=unit, start=start, end=end)
        .annotate(p=step_points_case())
        .values_list("closer", "dossier_id", "department__name", "p")
        .order_by()
    )
    dossiers: dict = defaultdict(set)
    places: dict = defaultdict(dict)
    totals: dict = {}
    desk = _("Service desk")
    for closer, dossier_id, department, points in rows:
        if closer is None:
            continue
        dossiers[closer].add(dossier_id)
        place = department or desk
        counts = places[closer].setdefault(place, StepCounts(place=place))
        total = totals.setdefault(closer, StepCounts(place=""))
        for target in (counts, total):
            setattr(target, CLASSES[points], getattr(target, CLASSES[points]) + 1)
    return {
        pk: (len(dossiers[pk]), totals[pk], sorted(places[pk].values(), key=lambda c: c.place))
        for pk in totals
    }


def _apologies(unit, period: Period) -> dict:
    start, end = bounds(period)
    rows = reschedules_per_step_closer(unit=unit, start=start, end=end)
    return {r["caused_by"]: r["n"] for r in rows if r["caused_by"] is not None}


def _satisfaction(unit, period: Period, user_ids: list[int]) -> dict:
    """{user id: (responses, overall index or None)} of the main form over the answers about
    dossiers each person received."""
    start, end = bounds(period)
    responses = responses_about_dossiers_received_by(
        unit=unit, user_ids=user_ids, start=start, end=end
    )
    per_form = [
        {**row, "code_": row["form__code"]}
        for row in responses.values("dossier__received_by_id", "form_id", "form__code")
        .annotate(n=Count("id"))
        .order_by()
    ]
    if not per_form:
        return {}
    totals: dict = defaultdict(int)
    by_user: dict = defaultdict(lambda: defaultdict(int))
    for row in per_form:
        totals[row["code_"]] += row["n"]
        by_user[row["dossier__received_by_id"]][row["code_"]] += row["n"]
    main = satisfaction_form_code(dict(totals))
    tallies: dict = defaultdict(dict)
    values = range(0, 11)
    for row in answer_tallies_per_receiver(responses=responses.filter(form__code=main)):
        code = row["criterion__code"]
        tallies[row["response__dossier__received_by_id"]][code] = CriterionTally(
            criterion_code=code,
            levels={v: row[f"v{v}"] for v in values if row[f"v{v}"]},
            not_applicable=row["na"],
            blank=row["blank"],
        )
    form_ids = sorted({r["form_id"] for r in per_form if r["code_"] == main})
    spec = indices.form_specs(form_ids).get(main, FormSpec(code=main, scale="five_level"))
    out = {}
    minimum = min_responses()
    for pk, forms in by_user.items():
        n = forms.get(main, 0)
        if n < minimum:
            out[pk] = (n, None)
            continue
        result = indices.compute_indices(
            form=spec, responses=n, tallies=tallies.get(pk, {}), small_sample_threshold=minimum
        )
        out[pk] = (n, result.overall)
    return out


def scorecards(*, unit, users: list, period: Period, now: dt.datetime | None = None) -> list:
    """The scorecards of ``users`` at ``unit`` over ``period`` (a month), in the order given."""
    now = now or timezone.now()
    ids = [u.pk for u in users]
    start, end = bounds(period)
    received = dict(dossiers_received_per_receiver(unit=unit, user_ids=ids, start=start, end=end))
    steps = _steps(unit, period)
    apologies = _apologies(unit, period)
    conduct: dict = defaultdict(lambda: defaultdict(int))
    for row in conduct_complaints_per_staff_month(
        date_from=period.start, date_to=period.end, unit_ids=[unit.pk]
    ):
        for key in ("received", "founded", "unfounded", "rejected", "pending", "counted"):
            conduct[row["staff_member_id"]][key] += row[key]
    satisfaction = _satisfaction(unit, period, ids)
    try:
        evaluations = circular01.evaluate_staff(unit, users, period=period, now=now)
    except circular01.NoRuleSet:
        evaluations = {}
    cards = []
    for user in users:
        handled, total, places = steps.get(user.pk, (0, StepCounts(place=""), []))
        responses, index = satisfaction.get(user.pk, (0, None))
        cards.append(
            Scorecard(
                user=user,
                unit=unit,
                period=period,
                received=received.get(user.pk, 0),
                handled=handled,
                steps=total,
                steps_by_place=places,
                apologies_caused=apologies.get(user.pk, 0),
                conduct=dict(conduct.get(user.pk, {})) or {"received": 0, "counted": 0},
                responses=responses,
                satisfaction=index,
                evaluation=evaluations.get(user.pk),
            )
        )
    return cards
