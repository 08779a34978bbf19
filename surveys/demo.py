"""Demo survey answers for returned demo dossiers, so that the dashboards have satisfaction
indices to show: written in bulk as the real services would write them (checked against them
by ``tests/surveys/test_demo_bulk.py``), or through the services themselves. DEMO DATA: the
answers are drawn at random, skewed towards satisfied so the index lands near the national
figure (about 80 %).

Call ``seed_survey_forms()`` first (``surveys.seeding``), then ``seed_demo_responses(...)``. The
same seed gives the same answers (drawn per dossier), and running it again adds nothing.
"""

import datetime as dt
import functools
import random

from django.db import transaction
from django.utils import timezone

from dossiers import selectors as dossier_selectors
from portal.models import AuditLog, Membership, Role
from surveys import selectors, services, validation
from surveys.models import NOT_APPLICABLE, Answer, Criterion, ExtraAnswer, Invitation, Response
from surveys.tokens import INVITATION_SALT, token_new

# Weights of the answers on the five-level scale, then "not applicable" and blank.
FIVE_LEVEL_WEIGHTS = {1: 2, 2: 4, 3: 12, 4: 48, 5: 30, NOT_APPLICABLE: 3, None: 1}
OPTION_WEIGHTS = {
    "harassment": {"none": 92, "some": 7, "many": 1},
    "extra-payment": {"none": 95, "some": 4, "many": 1},
    "time-taken": {"early": 30, "on-time": 60, "late": 10},
    "paid-extra": {"no": 96, "yes": 4},
}
CHANNEL_WEIGHTS = {"link": 45, "qr": 30, "paper": 20, "phone": 5}
RESPONDENT = {
    "gender": ["male", "female"],
    "age_band": ["18-24", "25-34", "35-49", "50-60", "over-60"],
    "education": ["upper_secondary", "vocational", "university", ""],
    "occupation": ["employee", "farmer", "self_employed", "civil_servant", "retired", ""],
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _form_parts(form) -> tuple[list, list]:
    """The form's criteria ids and extra questions, read once per form for the whole seed."""
    parts = getattr(form, "_demo_parts", None)
    if parts is None:
        criteria = list(Criterion.objects.filter(area__form=form).values_list("pk", flat=True))
        parts = form._demo_parts = (criteria, list(form.extra_questions.all()))
    return parts


def _answers(rng: random.Random, form) -> tuple[dict, dict]:
    criteria, questions = _form_parts(form)
    if form.scale == "score_10":
        answers = {pk: min(10, max(0, round(rng.gauss(8, 1.5)))) for pk in criteria}
    else:
        answers = {pk: _pick(rng, FIVE_LEVEL_WEIGHTS) for pk in criteria}
    extras = {}
    for question in questions:
        weights = OPTION_WEIGHTS.get(question.code)
        extras[question.pk] = _pick(rng, weights) if weights else rng.choice(question.option_codes)
    return answers, extras


@functools.cache
def _clerk_of(unit_id):
    return _clerk_query(unit_id)


def _clerk(unit):
    return _clerk_of(unit.pk)


def _clerk_query(unit_id):
    membership = (
        Membership.objects.filter(unit_id=unit_id, role=Role.RECEPTIONIST)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def seed_demo_responses(
    *,
    desks=None,
    share: float = 0.6,
    now: dt.datetime | None = None,
    seed: int = 2640,
    through_services: bool = False,
) -> int:
    """Answer about ``share`` of the returned dossiers (of ``desks``, or all) that have no
    response yet; returns how many responses were made.

    The draws are the same either way; by default the rows are built in memory and written
    with ``bulk_create`` (``_BulkWriter``: the same validation functions, the same rows as the
    services, checked by ``tests/surveys/test_demo_bulk.py``); ``through_services=True`` takes
    every answer through ``surveys.services``."""
    now = now or timezone.now()
    dossiers = (
        dossier_selectors.dossiers_returned_by(moment=now, desks=desks)
        .exclude(survey_responses__isnull=False)
        .select_related("desk__unit", "unit", "procedure")
    )
    made = 0
    forms, shared_forms = {}, {}
    _clerk_of.cache_clear()
    writer = _ServiceWriter() if through_services else _BulkWriter()
    for dossier in dossiers:
        rng = random.Random(f"{seed}:{dossier.pk}")  # per dossier: the same draw on every run
        draw = rng.random()
        answered_at = min(now, dossier.returned_at + dt.timedelta(hours=rng.randint(1, 96)))
        if draw >= share:
            continue
        # The form in force for the unit that day, asked once per (unit, day) and then reused
        # with its criteria (the seed answers a few hundred dossiers per unit).
        key = (dossier.unit_id, timezone.localdate(answered_at))
        if key not in forms:
            forms[key] = selectors.survey_form_for(unit=dossier.unit, on=key[1])
        form = forms[key]
        if form is not None:
            form = shared_forms.setdefault(form.pk, form)
        if form is None:
            continue
        answers, extras = _answers(rng, form)
        respondent = {k: rng.choice(v) for k, v in RESPONDENT.items()}
        channel = _pick(rng, CHANNEL_WEIGHTS)
        clerk = _clerk(dossier.unit) if channel in ("paper", "phone") else None
        writer.add(
            dossier=dossier,
            form=form,
            answers=answers,
            extras=extras,
            respondent=respondent,
            channel=channel,
            clerk=clerk,
            answered_at=answered_at,
        )
        made += 1
    writer.flush()
    return made


class _ServiceWriter:
    """Every answer through the services (the reference the bulk rows are checked against)."""

    def add(self, *, dossier, form, answers, extras, respondent, channel, clerk, answered_at):
        if channel == "paper" and clerk:
            services.response_enter_paper(
                desk=dossier.desk,
                serial=f"DEMO-{dossier.pk}",
                dossier=dossier,
                answers=answers,
                extras=extras,
                respondent=respondent,
                actor=clerk,
                submitted_at=answered_at,
                at=answered_at,
            )
        elif channel == "phone" and clerk:
            services.response_enter_phone(
                dossier=dossier,
                answers=answers,
                extras=extras,
                respondent=respondent,
                actor=clerk,
                at=answered_at,
            )
        else:
            token = services.invitation_create(dossier=dossier, send=False, at=dossier.returned_at)
            services.response_submit_by_token(
                token=token,
                answers=answers,
                extras=extras,
                respondent=respondent,
                channel=Response.Channel.QR if channel == "qr" else Response.Channel.LINK,
                at=answered_at,
            )

    def flush(self):
        pass


class _BulkWriter:
    """The rows ``_ServiceWriter`` would make, built in memory with the services' validation
    functions (``surveys.validation``) and written with ``bulk_create`` in one transaction:
    the response, one answer per criterion in the form's order, the extra answers, the used
    invitation of a link or QR answer (its token drawn as the service draws it, its code
    cleared as on use) and the audit row of a paper or phone entry. A dossier that already
    has an invitation (the service rotates its token) goes through the services."""

    def __init__(self):
        self.plans = []
        self.fallback = _ServiceWriter()
        self.invited = None

    def add(self, **plan):
        self.plans.append(plan)

    def flush(self):
        if not self.plans:
            return
        ids = [p["dossier"].pk for p in self.plans]
        invited = set(
            Invitation.objects.filter(dossier_id__in=ids).values_list("dossier_id", flat=True)
        )
        with transaction.atomic():
            self._write([p for p in self.plans if p["dossier"].pk not in invited])
            for plan in self.plans:
                if plan["dossier"].pk in invited:
                    self.fallback.add(**plan)
        self.plans = []

    def _write(self, plans):
        responses, children, invitations, audits = [], [], [], []
        for plan in plans:
            dossier, form, at = plan["dossier"], plan["form"], plan["answered_at"]
            criteria = _form_criteria_in_order(form)
            rows = [(cid, *_cleaned(plan["answers"].get(cid))) for cid in criteria]
            extra_rows = [(qid, o) for qid, o in plan["extras"].items() if o not in (None, "")]
            validation.check_not_empty(rows, extra_rows)
            person = validation.clean_respondent(plan["respondent"], dossier=dossier)
            channel, clerk = plan["channel"], plan["clerk"]
            entered = channel in ("paper", "phone") and clerk is not None
            if entered:
                at = validation.clean_submitted_at(at, at)
                kind = Response.Channel.PAPER if channel == "paper" else Response.Channel.PHONE
            else:
                kind = Response.Channel.QR if channel == "qr" else Response.Channel.LINK
                _token, digest = token_new(salt=INVITATION_SALT)
                invitations.append(
                    Invitation(
                        dossier=dossier,
                        token_hash=digest,
                        code_hash=None,
                        channel=Invitation.Channel.MESSAGE,
                        created_at=dossier.returned_at,
                        issued_at=dossier.returned_at,
                        expires_at=dossier.returned_at
                        + dt.timedelta(days=services.invitation_days()),
                        used_at=at,
                    )
                )
            response = Response(
                form=form,
                dossier=dossier,
                unit=dossier.desk.unit,
                desk=dossier.desk,
                channel=kind,
                paper_serial=f"DEMO-{dossier.pk}" if entered and channel == "paper" else "",
                comment="",
                submitted_at=at,
                entered_by=clerk if entered else None,
                **person,
            )
            responses.append(response)
            children.append((response, rows, extra_rows, entered))
        Invitation.objects.bulk_create(invitations, batch_size=500)
        Response.objects.bulk_create(responses, batch_size=500)
        Answer.objects.bulk_create(
            (
                Answer(response=r, criterion_id=cid, value=value, not_applicable=na)
                for r, rows, _x, _e in children
                for cid, value, na in rows
            ),
            batch_size=2000,
        )
        ExtraAnswer.objects.bulk_create(
            (
                ExtraAnswer(response=r, question_id=qid, option=option)
                for r, _rows, extra_rows, _e in children
                for qid, option in extra_rows
            ),
            batch_size=2000,
        )
        for response, _rows, _x, entered in children:
            if not entered:
                continue
            data = {"channel": str(response.channel)}
            if response.paper_serial:
                data["serial"] = response.paper_serial
            data["dossier"] = response.dossier.code
            audits.append(
                AuditLog(
                    actor=response.entered_by,
                    action="survey_response.entered",
                    object_type=response._meta.label_lower,
                    object_id=str(response.pk),
                    unit=response.desk.unit,
                    data=data,
                )
            )
        AuditLog.objects.bulk_create(audits, batch_size=500)


def _cleaned(raw) -> tuple[int | None, bool]:
    """One drawn answer as ``validation.clean_answers`` stores it (value, not applicable)."""
    if raw is None:
        return None, False
    if raw == NOT_APPLICABLE:
        return None, True
    return raw, False


def _form_criteria_in_order(form) -> list:
    """The form's criteria ids in the order ``validation.clean_answers`` writes them."""
    ordered = getattr(form, "_demo_ordered", None)
    if ordered is None:
        ordered = form._demo_ordered = list(
            Criterion.objects.filter(area__form=form)
            .order_by("area__order", "order", "id")
            .values_list("pk", flat=True)
        )
    return ordered
