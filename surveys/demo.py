"""Demo survey answers for returned demo dossiers, made through the real services, so that the
dashboards have satisfaction indices to show. DEMO DATA: the answers are drawn at random, skewed
towards satisfied so the index lands near the national figure (about 80 %).

Call ``seed_survey_forms()`` first (``surveys.seeding``), then ``seed_demo_responses(...)``. The
same seed gives the same answers (drawn per dossier), and running it again adds nothing.
"""

import datetime as dt
import functools
import random

from django.utils import timezone

from dossiers import selectors as dossier_selectors
from portal.models import Membership, Role
from surveys import selectors, services
from surveys.models import NOT_APPLICABLE, Criterion, Response

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
    *, desks=None, share: float = 0.6, now: dt.datetime | None = None, seed: int = 2640
) -> int:
    """Answer about ``share`` of the returned dossiers (of ``desks``, or all) that have no
    response yet; returns how many responses were made."""
    now = now or timezone.now()
    dossiers = dossier_selectors.dossiers_returned_by(moment=now, desks=desks).exclude(
        survey_responses__isnull=False
    )
    made = 0
    forms, shared_forms = {}, {}
    _clerk_of.cache_clear()
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
        made += 1
    return made
