"""The default SIPAS form is reference data (R-SUR-1): every installation has it after
``migrate``, without the demo or ``seed_surveys``, and a flushed database gets it back through
the same ``post_migrate`` handler. (The other survey tests start without it: see
``_without_the_default_form`` in tests/surveys/conftest.py.)"""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from surveys.models import Criterion, SurveyForm
from surveys.seeding import SIPAS_CODE, seed_survey_forms, sipas_form_ensure
from surveys.selectors import survey_form_for

pytestmark = pytest.mark.django_db


def sipas_structure(form):
    """What a respondent answers, as plain data (wording, order, scale)."""
    return (
        (form.code, form.version, form.name_vi, form.name_en, form.scale, form.scale_labels),
        [
            (
                a.code,
                a.name_vi,
                a.name_en,
                a.order,
                [(c.code, c.text_vi, c.text_en, c.order) for c in a.criteria.order_by("order")],
            )
            for a in form.areas.order_by("order")
        ],
        [
            (q.code, q.text_vi, q.text_en, q.kind, q.options, q.order)
            for q in form.extra_questions.order_by("order")
        ],
    )


def test_migrate_makes_the_sipas_form_in_force_everywhere_r_sur_1(tree):
    assert not SurveyForm.objects.filter(code=SIPAS_CODE).exists()
    call_command("migrate", verbosity=0)
    form = SurveyForm.objects.get(code=SIPAS_CODE)
    assert (form.version, form.is_published, form.valid_from) == (1, True, dt.date(2023, 1, 1))
    assert not form.units.exists()
    assert [a.criteria.count() for a in form.areas.order_by("order")] == [4, 4, 5, 3, 3]
    assert form.extra_questions.count() == 3
    assert survey_form_for(unit=tree["commune_b1"], on=dt.date(2026, 3, 9)) == form


def test_it_is_the_form_the_seed_command_makes():
    sipas_form_ensure()
    made = sipas_structure(SurveyForm.objects.get(code=SIPAS_CODE))
    SurveyForm.objects.filter(code=SIPAS_CODE).delete()
    seeded = seed_survey_forms()["sipas"]
    assert sipas_structure(seeded) == made
    assert (seeded.is_published, seeded.valid_from) == (True, dt.date(2023, 1, 1))


def test_the_seed_command_after_migrate_changes_nothing():
    sipas_form_ensure()
    form = SurveyForm.objects.get(code=SIPAS_CODE)
    before = sipas_structure(form), Criterion.objects.filter(area__form=form).count()
    assert seed_survey_forms()["sipas"] == form
    assert (sipas_structure(form), Criterion.objects.filter(area__form=form).count()) == before


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_it_back_through_post_migrate():
    """As after every transactional test: ``flush`` sends ``post_migrate`` again."""
    sipas_form_ensure()
    call_command("flush", interactive=False, verbosity=0)
    form = SurveyForm.objects.get(code=SIPAS_CODE)
    assert Criterion.objects.filter(area__form=form).count() == 19


def test_an_existing_sipas_form_is_left_as_the_administrator_set_it():
    """Running again (every ``migrate``) never republishes or rewrites the form, nor makes
    version 1 again when only later versions are kept."""
    sipas_form_ensure()
    form = SurveyForm.objects.get(code=SIPAS_CODE)
    form.is_published = False
    form.valid_to = dt.date(2026, 12, 31)
    form.save()
    assert sipas_form_ensure() is False
    form.refresh_from_db()
    assert (form.is_published, form.valid_to) == (False, dt.date(2026, 12, 31))
    form.version = 2
    form.save()
    assert sipas_form_ensure() is False
    assert list(SurveyForm.objects.filter(code=SIPAS_CODE).values_list("version", flat=True)) == [2]


@pytest.mark.django_db(transaction=True)
def test_two_processes_making_it_at_once_make_one_form():
    start = threading.Barrier(2)
    made, errors = [], []

    def ensure():
        try:
            start.wait()
            made.append(sipas_form_ensure())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ensure) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(made) == [False, True]
    form = SurveyForm.objects.get(code=SIPAS_CODE)
    assert Criterion.objects.filter(area__form=form).count() == 19
    assert form.extra_questions.count() == 3
