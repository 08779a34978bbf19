"""Validation of a filled-in survey sheet (R-SUR-1, R-SUR-2), whatever the channel.

The services call these before writing anything, so a bad answer refuses the whole sheet and
leaves the database as it was. Each raises ``InvalidAnswers`` with a stable ``code`` and, where
a field is to blame, messages under the sheet's field names (``criterion_<id>``,
``question_<id>``, respondent fields, ``comment``, ``serial``; see ``surveys.forms``), which the
pages show next to the field and the API returns as ``fields``.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from portal.contacts import clean_person_text
from portal.strict_input import check_list_size, id_or_none, parse_int
from surveys.exceptions import InvalidAnswers
from surveys.models import (
    NOT_APPLICABLE,
    AgeBand,
    Criterion,
    Education,
    ExtraQuestion,
    Gender,
    Occupation,
    SurveyForm,
)

COMMENT_MAX = 2000
SERIAL_MAX = 40
RESPONDENT_CHOICES = {
    "gender": Gender,
    "age_band": AgeBand,
    "education": Education,
    "occupation": Occupation,
}


def clean_answers(*, form: SurveyForm, answers) -> list[tuple[int, int | None, bool]]:
    """``answers`` maps a criterion id to a value on the form's scale, ``"na"`` (not
    applicable, on scales that allow it) or None (blank). Criteria left out are stored as
    blank, so every response has one row per criterion of its form. Returns
    ``(criterion id, value, not applicable)`` for every criterion, in the form's order."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise InvalidAnswers(_("The answers could not be read."), code="invalid_answers")
    check_list_size(
        answers, most=settings.SURVEY_ANSWERS_MAX, what=_("answers"), error=InvalidAnswers
    )
    criterion_ids = list(
        Criterion.objects.filter(area__form=form)
        .order_by("area__order", "order", "id")
        .values_list("pk", flat=True)
    )
    known = set(criterion_ids)
    low, high = form.scale_min, form.scale_max
    given: dict[int, tuple[int | None, bool]] = {}
    errors: dict[str, list[str]] = {}
    first_code = None

    def fail(field, message, code):
        nonlocal first_code
        errors.setdefault(field, []).append(message)
        first_code = first_code or code

    for key, raw in answers.items():
        criterion_id = id_or_none(key)
        field = f"criterion_{key}"
        if criterion_id not in known:
            fail(
                field,
                _("This question is not part of the form being answered."),
                "foreign_criterion",
            )
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            given[criterion_id] = (None, False)
            continue
        if isinstance(raw, str) and raw.strip().lower() == NOT_APPLICABLE:
            if not form.allows_not_applicable:
                fail(
                    field,
                    _("This form has no “not applicable” answer."),
                    "not_applicable_not_allowed",
                )
            else:
                given[criterion_id] = (None, True)
            continue
        # An int, or ASCII digits as text ("²", "--5", "٣" and 3.0 are not values of a scale).
        try:
            value = parse_int(raw.strip() if isinstance(raw, str) else raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            fail(
                field,
                _("Choose a value from %(low)s to %(high)s.") % {"low": low, "high": high},
                "out_of_scale",
            )
            continue
        given[criterion_id] = (value, False)
    if errors:
        raise InvalidAnswers(
            _("Some answers could not be accepted."), code=first_code, fields=errors
        )
    return [(cid, *given.get(cid, (None, False))) for cid in criterion_ids]


def clean_extras(*, form: SurveyForm, extras) -> list[tuple[int, str]]:
    """``extras`` maps an extra question id to an option code (None or "" to skip it).
    Returns ``(question id, option)`` for the questions answered."""
    if extras is None:
        extras = {}
    if not isinstance(extras, dict):
        raise InvalidAnswers(_("The answers could not be read."), code="invalid_answers")
    check_list_size(
        extras, most=settings.SURVEY_ANSWERS_MAX, what=_("answers"), error=InvalidAnswers
    )
    questions = {q.pk: q for q in ExtraQuestion.objects.filter(form=form)}
    cleaned, errors, first_code = [], {}, None
    for key, option in extras.items():
        question = questions.get(id_or_none(key))
        field = f"question_{key}"
        if question is None:
            errors.setdefault(field, []).append(
                _("This question is not part of the form being answered.")
            )
            first_code = first_code or "foreign_question"
            continue
        if option is None or option == "":
            continue
        if not isinstance(option, str) or option not in question.option_codes:
            errors.setdefault(field, []).append(_("Choose one of the options given."))
            first_code = first_code or "unknown_option"
            continue
        cleaned.append((question.pk, option))
    if errors:
        raise InvalidAnswers(
            _("Some answers could not be accepted."), code=first_code, fields=errors
        )
    return cleaned


def clean_respondent(respondent, *, dossier=None) -> dict:
    """Optional facts about the respondent: gender, age band, education, occupation and the
    procedure used (a ``Procedure`` or its id; a dossier's own procedure by default). Returns
    the ``Response`` fields."""
    respondent = dict(respondent or {})
    unknown = set(respondent) - set(RESPONDENT_CHOICES) - {"procedure"}
    if unknown:
        raise InvalidAnswers(
            _("Unknown respondent fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
            code="unknown_respondent_field",
        )
    cleaned, errors = {}, {}
    for name, choices in RESPONDENT_CHOICES.items():
        value = str(respondent.get(name) or "").strip()
        if value and value not in choices.values:
            errors[name] = [_("Choose one of the options given.")]
        cleaned[name] = value
    procedure = respondent.get("procedure")
    if procedure is not None and procedure != "":
        procedure = dossier_selectors.procedure_from(procedure)
        if procedure is None:
            errors["procedure"] = [_("Unknown procedure.")]
    if errors:
        raise InvalidAnswers(
            _("Some answers could not be accepted."), code="invalid_respondent", fields=errors
        )
    if not procedure and dossier is not None:
        procedure = dossier.procedure
    cleaned["procedure"] = procedure or None
    return cleaned


def clean_comment(comment) -> str:
    """The comment as stored: people's text (``portal.contacts.clean_person_text``)."""
    try:
        comment = clean_person_text(comment, multiline=True)
    except ValidationError as exc:
        raise InvalidAnswers(
            exc.messages[0], code="invalid_comment", fields={"comment": exc.messages}
        ) from exc
    if len(comment) > COMMENT_MAX:
        raise InvalidAnswers(
            _("The comment is too long (at most %(max)s characters).") % {"max": COMMENT_MAX},
            code="comment_too_long",
            fields={"comment": [_("Too long.")]},
        )
    return comment


def clean_serial(serial) -> str:
    """The serial number printed on a paper form: required, at most ``SERIAL_MAX``
    characters."""
    try:
        serial = clean_person_text(serial)
    except ValidationError as exc:
        raise InvalidAnswers(
            exc.messages[0], code="invalid_serial", fields={"serial": exc.messages}
        ) from exc
    if not serial or len(serial) > SERIAL_MAX:
        raise InvalidAnswers(
            _("Give the serial number printed on the paper form (at most %(max)s characters).")
            % {"max": SERIAL_MAX},
            code="serial_required",
            fields={"serial": [_("Required.")]},
        )
    return serial


def clean_submitted_at(submitted_at: dt.datetime | None, at: dt.datetime) -> dt.datetime:
    """When the answers were given (on the sheet, or of the call): ``at`` by default, never in
    the future."""
    submitted_at = submitted_at or at
    if submitted_at > at:
        raise InvalidAnswers(
            _("The date of the answers cannot be in the future."), code="future_date"
        )
    return submitted_at


def check_not_empty(rows: list[tuple[int, int | None, bool]], extra_rows: list) -> None:
    """A sheet must answer at least one question (a criterion, even "not applicable", or an
    extra question)."""
    if all(value is None and not na for _cid, value, na in rows) and not extra_rows:
        raise InvalidAnswers(_("The form is empty: answer at least one question."), code="empty")
