"""The forms every installation starts with (R-SUR-1).

The SIPAS form is reference data: ``sipas_form_ensure`` creates it after every ``migrate`` when
no form with its code exists (a ``post_migrate`` receiver, ``surveys.receivers``), so it is
there without the demo or any command, and comes back after a ``flush`` (which sends
``post_migrate`` again; this is how tests that flush the database restore it). It never touches
an existing form: to stop using it, unpublish it or end its validity rather than delete it.
``manage.py seed_surveys`` (and the demo seed) run ``seed_survey_forms``, which also refreshes
the wording of an unanswered version and adds the M-Score example:

* ``sipas`` — the Ministry of Home Affairs' public-service block (2023–2026 form): five areas,
  19 criteria (4 / 4 / 5 / 3 / 3) read from ``surveys/data/sipas-service-criteria.csv``, the
  five-level scale with "not applicable", and three extra questions (harassment, payments
  outside the rules, expectations) that are reported as shares and never enter the index.
* ``m-score`` — an example of another configured form: a 0–10 overall score with "time taken"
  and "did you pay anything extra", as Quảng Trị's M-Score asks by phone. It is published for
  the units named Quảng Trị when the unit tree has them, and otherwise left unpublished for an
  administrator to attach to units.

Running the seed again changes nothing, except that it refreshes the wording of a version that
has not been answered yet; an answered version is left exactly as it is.
"""

import csv
import datetime as dt
from pathlib import Path

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, transaction

from portal.models import AdministrativeUnit, UnitLevel
from surveys.models import (
    FIVE_LEVEL_LABELS,
    SCORE_10_LABELS,
    Area,
    Criterion,
    ExtraQuestion,
    Scale,
    SurveyForm,
)

CRITERIA_CSV = Path(__file__).resolve().parent / "data" / "sipas-service-criteria.csv"

SIPAS_CODE = "sipas"
MSCORE_CODE = "m-score"

SIPAS_FORM = {
    "name_vi": "Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ "
    "của cơ quan hành chính nhà nước (SIPAS)",
    "name_en": "Satisfaction of citizens and organisations with public administrative "
    "services (SIPAS)",
    "scale": Scale.FIVE_LEVEL,
    "scale_labels": FIVE_LEVEL_LABELS,
}
# Set when the form is made; afterwards they are an administrator's decisions.
SIPAS_ON_CREATE = {"valid_from": dt.date(2023, 1, 1), "is_published": True}


def _options(*triples):
    return [{"code": c, "label_vi": vi, "label_en": en} for c, vi, en in triples]


NONE_SOME_MANY = (
    ("none", "Không có", "None"),
    ("some", "Có, một vài lần", "Some"),
    ("many", "Có, nhiều lần", "Many"),
)

SIPAS_QUESTIONS = [
    {
        "code": "harassment",
        "text_vi": "Ông/Bà có gặp phải tình trạng công chức gây phiền hà, sách nhiễu khi giải "
        "quyết thủ tục hành chính không?",
        "text_en": "Were you harassed or obstructed by officials while your procedure was handled?",
        "options": _options(*NONE_SOME_MANY),
    },
    {
        "code": "extra-payment",
        "text_vi": "Ông/Bà có phải trả thêm chi phí ngoài quy định khi giải quyết thủ tục hành "
        "chính không?",
        "text_en": "Did you have to pay anything beyond the fees the rules set?",
        "options": _options(*NONE_SOME_MANY),
    },
    {
        "code": "expectations",
        "text_vi": "Theo Ông/Bà, cơ quan cần tập trung cải thiện điều gì nhất?",
        "text_en": "Where should the office focus its effort most?",
        "options": _options(
            ("simplify", "Đơn giản hóa thủ tục hành chính", "Simplify procedures"),
            ("shorten-time", "Rút ngắn thời gian giải quyết", "Shorten the processing time"),
            ("staff-attitude", "Cải thiện thái độ phục vụ của công chức", "Improve staff attitude"),
            ("online", "Mở rộng dịch vụ công trực tuyến", "More online services"),
            ("facilities", "Nâng cấp cơ sở vật chất, trang thiết bị", "Better facilities"),
            ("transparency", "Công khai, minh bạch thông tin", "More open information"),
        ),
    },
]

MSCORE_AREA = {"code": "overall", "name_vi": "Đánh giá chung", "name_en": "Overall"}
MSCORE_CRITERION = {
    "code": "S1",
    "text_vi": "Trên thang điểm từ 0 đến 10, Ông/Bà chấm bao nhiêu điểm cho sự hài lòng của mình "
    "về việc giải quyết hồ sơ?",
    "text_en": "On a scale from 0 to 10, how satisfied are you with how your dossier was handled?",
}
MSCORE_QUESTIONS = [
    {
        "code": "time-taken",
        "text_vi": "Hồ sơ của Ông/Bà được giải quyết trong thời gian nào?",
        "text_en": "How long did your dossier take?",
        "options": _options(
            ("early", "Sớm hơn ngày hẹn", "Earlier than promised"),
            ("on-time", "Đúng ngày hẹn", "On the promised date"),
            ("late", "Trễ hẹn", "Later than promised"),
        ),
    },
    {
        "code": "paid-extra",
        "text_vi": "Ông/Bà có phải trả thêm khoản tiền nào ngoài phí, lệ phí theo quy định không?",
        "text_en": "Did you pay anything extra beyond the official fees?",
        "options": _options(("no", "Không", "No"), ("yes", "Có", "Yes")),
    },
]


def read_criteria(path: Path = CRITERIA_CSV) -> list[dict]:
    """The rows of the criteria file: area, area_vi, area_en, code, criterion_vi, criterion_en."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert_form(
    *, code: str, defaults: dict, on_create: dict | None = None
) -> tuple[SurveyForm, bool]:
    """Version 1 of a form; returns (form, editable). An answered version is not touched, and
    what an administrator decides (publication, validity) is set only when the form is made."""
    form = SurveyForm.objects.filter(code=code, version=1).first()
    if form is None:
        form = SurveyForm.objects.create(code=code, version=1, **defaults, **(on_create or {}))
        return form, True
    if form.is_answered():
        return form, False
    changed = [k for k, v in defaults.items() if getattr(form, k) != v]
    for key in changed:
        setattr(form, key, defaults[key])
    if changed:
        form.save(update_fields=changed)
    return form, True


def _upsert_structure(form: SurveyForm, *, areas: list[dict], questions: list[dict]) -> None:
    for area_order, area in enumerate(areas, start=1):
        area_obj, _ = Area.objects.update_or_create(
            form=form,
            code=area["code"],
            defaults={
                "name_vi": area["name_vi"],
                "name_en": area["name_en"],
                "order": area_order,
            },
        )
        for order, criterion in enumerate(area["criteria"], start=1):
            Criterion.objects.update_or_create(
                area=area_obj,
                code=criterion["code"],
                defaults={
                    "text_vi": criterion["text_vi"],
                    "text_en": criterion["text_en"],
                    "order": order,
                },
            )
    for order, question in enumerate(questions, start=1):
        ExtraQuestion.objects.update_or_create(
            form=form,
            code=question["code"],
            defaults={
                "text_vi": question["text_vi"],
                "text_en": question["text_en"],
                "options": question["options"],
                "order": order,
            },
        )


def sipas_areas(rows: list[dict]) -> list[dict]:
    areas: dict[str, dict] = {}
    for row in rows:
        area = areas.setdefault(
            row["area"],
            {
                "code": row["area"],
                "name_vi": row["area_vi"],
                "name_en": row["area_en"],
                "criteria": [],
            },
        )
        area["criteria"].append(
            {"code": row["code"], "text_vi": row["criterion_vi"], "text_en": row["criterion_en"]}
        )
    return list(areas.values())


@transaction.atomic
def seed_sipas_form() -> SurveyForm:
    form, editable = _upsert_form(code=SIPAS_CODE, defaults=SIPAS_FORM, on_create=SIPAS_ON_CREATE)
    if editable:
        _upsert_structure(form, areas=sipas_areas(read_criteria()), questions=SIPAS_QUESTIONS)
    return form


def quang_tri_units():
    return AdministrativeUnit.objects.filter(level=UnitLevel.CITY, name__icontains="Quảng Trị")


@transaction.atomic
def seed_mscore_form() -> SurveyForm:
    units = list(quang_tri_units())
    form, editable = _upsert_form(
        code=MSCORE_CODE,
        defaults={
            "name_vi": "Khảo sát mức độ hài lòng qua điện thoại (M-Score, thang điểm 10)",
            "name_en": "Phone satisfaction score (M-Score, 0–10)",
            "scale": Scale.SCORE_10,
            "scale_labels": SCORE_10_LABELS,
        },
    )
    if editable:
        _upsert_structure(
            form,
            areas=[{**MSCORE_AREA, "criteria": [MSCORE_CRITERION]}],
            questions=MSCORE_QUESTIONS,
        )
    if units and not form.units.exists():
        form.units.set(units)
        form.is_published = True
        form.save(update_fields=["is_published"])
    return form


def seed_survey_forms() -> dict[str, SurveyForm]:
    """Seed both forms; safe to run any number of times."""
    return {SIPAS_CODE: seed_sipas_form(), MSCORE_CODE: seed_mscore_form()}


def sipas_form_ensure(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the SIPAS form, version 1, as ``seed_sipas_form`` makes it (published, in force
    from 1 January 2023, for every unit), unless a form with the code ``sipas`` exists, in any
    version; returns whether it was made. ``apps`` is the app registry to take the models from
    (a migration state's, in ``post_migrate``). Safe when two processes run it at once: the
    unique (code, version) lets one insert win, and the form and its parts commit together."""
    SurveyForm = apps.get_model("surveys", "SurveyForm")
    Area = apps.get_model("surveys", "Area")
    Criterion = apps.get_model("surveys", "Criterion")
    ExtraQuestion = apps.get_model("surveys", "ExtraQuestion")
    with transaction.atomic(using=using):
        forms = SurveyForm.objects.using(using)
        if forms.filter(code=SIPAS_CODE).exists():
            return False
        form, created = forms.get_or_create(
            code=SIPAS_CODE, version=1, defaults={**SIPAS_FORM, **SIPAS_ON_CREATE}
        )
        if not created:  # made meanwhile by another process
            return False
        for area_order, area in enumerate(sipas_areas(read_criteria()), start=1):
            area_obj = Area.objects.using(using).create(
                form=form,
                code=area["code"],
                name_vi=area["name_vi"],
                name_en=area["name_en"],
                order=area_order,
            )
            Criterion.objects.using(using).bulk_create(
                Criterion(
                    area=area_obj,
                    code=criterion["code"],
                    text_vi=criterion["text_vi"],
                    text_en=criterion["text_en"],
                    order=order,
                )
                for order, criterion in enumerate(area["criteria"], start=1)
            )
        ExtraQuestion.objects.using(using).bulk_create(
            ExtraQuestion(
                form=form,
                code=question["code"],
                text_vi=question["text_vi"],
                text_en=question["text_en"],
                options=question["options"],
                order=order,
            )
            for order, question in enumerate(SIPAS_QUESTIONS, start=1)
        )
    return True
