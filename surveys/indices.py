"""Satisfaction indices (R-SUR-3, R-IND-2): pure functions over plain data, and one thin adapter
that tallies a queryset of responses in the database.

The method (Decision 2640/QĐ-BNV 2017, updated by Decision 1001/QĐ-BNV 2023):

* **criterion index** = (satisfied + very satisfied answers) / valid answers × 100, where valid
  answers are those with a value on the scale: "not applicable" and blank answers are excluded
  from both numerator and denominator. A criterion without valid answers has no index (None).
* **area index** = the unweighted mean of the indices of its criteria. Criteria without valid
  answers are left out of the mean (they have no index to average); an area none of whose
  criteria has a valid answer has no index.
* **overall index** = the unweighted mean of the area indices (``"mean_of_areas"``, the
  default), or the mean of all criterion indices (``"mean_of_criteria"``), chosen by the
  setting ``SURVEY_INDEX_AGGREGATION`` until the decision's text settles it.
* A result built on fewer responses than ``SURVEY_SMALL_SAMPLE`` (default 30) is **flagged**
  ``small_sample``, never hidden.
* Extra questions are reported as shares per option of those who answered the question, and
  never enter the index.
* On a 0–10 score form there is no "satisfied" level: criteria and the form get a mean score
  instead of an index.

Answers of several versions of one form are pooled by area and criterion codes (a new version
keeps the codes of the criteria it copies), with the wording of the newest version present.

Indices are floats in 0..100, not rounded; round when showing them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q

from surveys.models import (
    NOT_APPLICABLE,
    SATISFIED_LEVELS,
    SCALE_RANGE,
    Answer,
    Criterion,
    ExtraAnswer,
    ExtraQuestion,
    Scale,
)

MEAN_OF_AREAS = "mean_of_areas"
MEAN_OF_CRITERIA = "mean_of_criteria"
AGGREGATIONS = (MEAN_OF_AREAS, MEAN_OF_CRITERIA)


# --- inputs: the shape of a form, and tallies --------------------------------------------
@dataclass(frozen=True)
class CriterionSpec:
    code: str
    text_vi: str = ""
    text_en: str = ""


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name_vi: str = ""
    name_en: str = ""
    criteria: tuple[CriterionSpec, ...] = ()


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label_vi: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text_vi: str = ""
    text_en: str = ""
    options: tuple[OptionSpec, ...] = ()


@dataclass(frozen=True)
class FormSpec:
    code: str
    scale: str
    name_vi: str = ""
    name_en: str = ""
    areas: tuple[AreaSpec, ...] = ()
    questions: tuple[QuestionSpec, ...] = ()


@dataclass(frozen=True)
class CriterionTally:
    """How one criterion was answered: count per value on the scale, not applicable, blank."""

    criterion_code: str
    levels: dict[int, int] = field(default_factory=dict)
    not_applicable: int = 0
    blank: int = 0


# --- outputs ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CriterionResult:
    code: str
    text_vi: str
    text_en: str
    distribution: dict[int, int]  # every value of the scale, zero included
    not_applicable: int
    blank: int
    valid: int  # answers with a value on the scale
    satisfied: int  # satisfied + very satisfied (five-level scale)
    index: float | None  # satisfied / valid × 100; None without valid answers
    mean_score: float | None  # mean of the values (reported for 0–10 scores)


@dataclass(frozen=True)
class AreaResult:
    code: str
    name_vi: str
    name_en: str
    criteria: tuple[CriterionResult, ...]
    index: float | None  # mean of the criteria indices that exist
    criteria_counted: int  # criteria that entered the mean
    valid: int  # valid answers over all its criteria


@dataclass(frozen=True)
class OptionShare:
    code: str
    label_vi: str
    label_en: str
    count: int
    share: float | None  # count / answered × 100


@dataclass(frozen=True)
class QuestionResult:
    code: str
    text_vi: str
    text_en: str
    options: tuple[OptionShare, ...]
    answered: int  # responses that chose an option
    unanswered: int  # responses that skipped the question


@dataclass(frozen=True)
class SurveyIndices:
    form_code: str
    form_name_vi: str
    form_name_en: str
    scale: str
    responses: int
    small_sample: bool
    small_sample_threshold: int
    aggregation: str
    areas: tuple[AreaResult, ...]
    questions: tuple[QuestionResult, ...]
    overall: float | None  # the satisfaction index (five-level scale)
    valid: int  # valid answers over all criteria
    mean_score: float | None  # mean of all valid values (0–10 score forms)


# --- settings -----------------------------------------------------------------------------
def aggregation_setting() -> str:
    value = getattr(settings, "SURVEY_INDEX_AGGREGATION", MEAN_OF_AREAS)
    if value not in AGGREGATIONS:
        raise ImproperlyConfigured(
            f"SURVEY_INDEX_AGGREGATION must be one of {', '.join(AGGREGATIONS)}, not {value!r}."
        )
    return value


def small_sample_setting() -> int:
    return int(getattr(settings, "SURVEY_SMALL_SAMPLE", 30))


# --- the arithmetic -----------------------------------------------------------------------
def mean(values) -> float | None:
    """Unweighted mean of the values that are not None; None when there are none."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def criterion_result(spec: CriterionSpec, tally: CriterionTally | None, *, scale: str):
    low, high = SCALE_RANGE[scale]
    tally = tally or CriterionTally(criterion_code=spec.code)
    distribution = {v: int(tally.levels.get(v, 0)) for v in range(low, high + 1)}
    valid = sum(distribution.values())
    satisfied = sum(distribution[v] for v in SATISFIED_LEVELS[scale])
    has_index = valid > 0 and bool(SATISFIED_LEVELS[scale])
    return CriterionResult(
        code=spec.code,
        text_vi=spec.text_vi,
        text_en=spec.text_en,
        distribution=distribution,
        not_applicable=tally.not_applicable,
        blank=tally.blank,
        valid=valid,
        satisfied=satisfied,
        index=satisfied / valid * 100 if has_index else None,
        mean_score=sum(v * n for v, n in distribution.items()) / valid if valid else None,
    )


def area_result(spec: AreaSpec, criteria: tuple[CriterionResult, ...]) -> AreaResult:
    indices = [c.index for c in criteria if c.index is not None]
    return AreaResult(
        code=spec.code,
        name_vi=spec.name_vi,
        name_en=spec.name_en,
        criteria=criteria,
        index=mean(indices),
        criteria_counted=len(indices),
        valid=sum(c.valid for c in criteria),
    )


def question_result(spec: QuestionSpec, counts: dict[str, int], *, responses: int):
    answered = sum(counts.values())
    known = [o.code for o in spec.options]
    extra = [OptionSpec(code=c, label_vi=c, label_en=c) for c in sorted(counts) if c not in known]
    options = tuple(
        OptionShare(
            code=o.code,
            label_vi=o.label_vi,
            label_en=o.label_en,
            count=counts.get(o.code, 0),
            share=counts.get(o.code, 0) / answered * 100 if answered else None,
        )
        for o in (*spec.options, *extra)
    )
    return QuestionResult(
        code=spec.code,
        text_vi=spec.text_vi,
        text_en=spec.text_en,
        options=options,
        answered=answered,
        unanswered=max(responses - answered, 0),
    )


def compute_indices(
    *,
    form: FormSpec,
    responses: int,
    tallies: dict[str, CriterionTally] | list[CriterionTally],
    extras: dict[str, dict[str, int]] | None = None,
    aggregation: str | None = None,
    small_sample_threshold: int | None = None,
) -> SurveyIndices:
    """The indices of one form from plain tallies (R-SUR-3): ``tallies`` by criterion code,
    ``extras`` as {question code: {option code: count}}, ``responses`` the number of
    responses. ``aggregation`` and ``small_sample_threshold`` default to the settings."""
    aggregation = aggregation or aggregation_setting()
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    threshold = small_sample_setting() if small_sample_threshold is None else small_sample_threshold
    if not isinstance(tallies, dict):
        tallies = {t.criterion_code: t for t in tallies}
    extras = extras or {}
    areas = tuple(
        area_result(
            area,
            tuple(
                criterion_result(c, tallies.get(c.code), scale=form.scale) for c in area.criteria
            ),
        )
        for area in form.areas
    )
    criteria = [c for a in areas for c in a.criteria]
    if aggregation == MEAN_OF_AREAS:
        overall = mean(a.index for a in areas)
    else:
        overall = mean(c.index for c in criteria)
    valid = sum(c.valid for c in criteria)
    total = sum(v * n for c in criteria for v, n in c.distribution.items())
    return SurveyIndices(
        form_code=form.code,
        form_name_vi=form.name_vi,
        form_name_en=form.name_en,
        scale=form.scale,
        responses=responses,
        small_sample=responses < threshold,
        small_sample_threshold=threshold,
        aggregation=aggregation,
        areas=areas,
        questions=tuple(
            question_result(q, extras.get(q.code, {}), responses=responses) for q in form.questions
        ),
        overall=overall,
        valid=valid,
        mean_score=(total / valid) if valid and form.scale == Scale.SCORE_10 else None,
    )


def tally_answers(answers) -> dict[str, CriterionTally]:
    """Tally plain answers ``(criterion code, value)`` where value is a number, ``"na"`` or
    None (blank). For tests and imports; the database adapter tallies in SQL instead."""
    levels: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    na: dict[str, int] = defaultdict(int)
    blank: dict[str, int] = defaultdict(int)
    for code, value in answers:
        levels[code]
        if value is None:
            blank[code] += 1
        elif value == NOT_APPLICABLE:
            na[code] += 1
        else:
            levels[code][int(value)] += 1
    return {
        code: CriterionTally(
            criterion_code=code,
            levels=dict(levels[code]),
            not_applicable=na[code],
            blank=blank[code],
        )
        for code in levels
    }


# --- the database adapter -----------------------------------------------------------------
_VALUES = range(0, 11)  # the widest scale; the database holds no other values


def form_specs(form_ids: list[int], *, questions: bool = True) -> dict[str, FormSpec]:
    """Form specs by form code, pooled over the versions present: the newest version's wording
    and order first, then codes found only in older versions. Two queries (one without the
    extra questions: ``questions=False``, e.g. for the reports' rollups, which keep criteria
    only)."""
    criteria = (
        Criterion.objects.filter(area__form_id__in=form_ids)
        .select_related("area", "area__form")
        .order_by("area__form__code", "-area__form__version", "area__order", "order", "id")
    )
    extra_questions = (
        ExtraQuestion.objects.filter(form_id__in=form_ids)
        .select_related("form")
        .order_by("form__code", "-form__version", "order", "id")
        if questions
        else ()
    )
    forms: dict[str, dict] = {}
    for c in criteria:
        form = c.area.form
        entry = forms.setdefault(
            form.code, {"form": form, "areas": {}, "criteria": {}, "questions": {}}
        )
        area = entry["areas"].setdefault(c.area.code, c.area)
        entry["criteria"].setdefault((area.code, c.code), c)
    for q in extra_questions:
        entry = forms.setdefault(
            q.form.code, {"form": q.form, "areas": {}, "criteria": {}, "questions": {}}
        )
        entry["questions"].setdefault(q.code, q)
    specs = {}
    for code, entry in forms.items():
        form = entry["form"]
        areas = tuple(
            AreaSpec(
                code=area.code,
                name_vi=area.name_vi,
                name_en=area.name_en,
                criteria=tuple(
                    CriterionSpec(code=c.code, text_vi=c.text_vi, text_en=c.text_en)
                    for (area_code, _code), c in entry["criteria"].items()
                    if area_code == area.code
                ),
            )
            for area in entry["areas"].values()
        )
        question_specs = tuple(
            QuestionSpec(
                code=q.code,
                text_vi=q.text_vi,
                text_en=q.text_en,
                options=tuple(
                    OptionSpec(
                        code=o["code"],
                        label_vi=o.get("label_vi", ""),
                        label_en=o.get("label_en", ""),
                    )
                    for o in q.options
                ),
            )
            for q in entry["questions"].values()
        )
        specs[code] = FormSpec(
            code=code,
            scale=form.scale,
            name_vi=form.name_vi,
            name_en=form.name_en,
            areas=areas,
            questions=question_specs,
        )
    return specs


def indices_by_form(*, responses_queryset) -> dict[str, SurveyIndices]:
    """The indices of the given responses, one result per form code, in five queries whatever
    the number of responses: responses per form version, answer tallies by criterion with
    conditional counts, extra-answer tallies by option, and the forms' criteria and questions.
    """
    responses_queryset = responses_queryset.order_by()
    per_version = list(
        responses_queryset.values("form_id", "form__code", "form__version").annotate(n=Count("id"))
    )
    if not per_version:
        return {}
    responses_per_code: dict[str, int] = defaultdict(int)
    for row in per_version:
        responses_per_code[row["form__code"]] += row["n"]
    ids = responses_queryset.values("pk")
    tally_rows = (
        Answer.objects.filter(response__in=ids)
        .values("criterion__area__form__code", "criterion__code")
        .annotate(
            na=Count("id", filter=Q(not_applicable=True)),
            blank=Count("id", filter=Q(value__isnull=True, not_applicable=False)),
            **{f"v{v}": Count("id", filter=Q(value=v)) for v in _VALUES},
        )
        .order_by()
    )
    tallies: dict[str, dict[str, CriterionTally]] = defaultdict(dict)
    for row in tally_rows:
        code = row["criterion__code"]
        tallies[row["criterion__area__form__code"]][code] = CriterionTally(
            criterion_code=code,
            levels={v: row[f"v{v}"] for v in _VALUES if row[f"v{v}"]},
            not_applicable=row["na"],
            blank=row["blank"],
        )
    extra_rows = (
        ExtraAnswer.objects.filter(response__in=ids)
        .values("question__form__code", "question__code", "option")
        .annotate(n=Count("id"))
        .order_by()
    )
    extras: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for row in extra_rows:
        extras[row["question__form__code"]][row["question__code"]][row["option"]] = row["n"]
    specs = form_specs([row["form_id"] for row in per_version])
    aggregation = aggregation_setting()
    threshold = small_sample_setting()
    return {
        code: compute_indices(
            form=specs.get(code, FormSpec(code=code, scale=Scale.FIVE_LEVEL)),
            responses=responses_per_code[code],
            tallies=tallies.get(code, {}),
            extras=extras.get(code, {}),
            aggregation=aggregation,
            small_sample_threshold=threshold,
        )
        for code in sorted(responses_per_code)
    }


def indices_for(*, responses_queryset, form_code: str | None = None) -> SurveyIndices | None:
    """The indices of one form over the given responses (R-IND-2: pass a unit's responses of a
    period). With responses of several forms, say which one with ``form_code``; without any
    responses, None."""
    if form_code is not None:
        responses_queryset = responses_queryset.filter(form__code=form_code)
    results = indices_by_form(responses_queryset=responses_queryset)
    if len(results) > 1:
        raise ValueError(
            "The responses belong to several forms ("
            + ", ".join(results)
            + "); pass form_code or use indices_by_form."
        )
    return next(iter(results.values()), None)
