"""Which form a unit's citizens answer: the published form in force that names the unit or its
nearest ancestor, else the one that applies everywhere (R-SUR-1)."""

import datetime as dt

import pytest

from surveys import services
from surveys.exceptions import FormNotAvailable
from surveys.selectors import survey_form_for
from tests.factories import CriterionFactory, SurveyAreaFactory, SurveyFormFactory
from tests.helpers import at

D = dt.date(2026, 3, 9)


def form(**kwargs):
    f = SurveyFormFactory(**kwargs)
    CriterionFactory(area=SurveyAreaFactory(form=f))
    return f


def test_form_for_everywhere_applies_to_every_unit(tree):
    everywhere = form()
    assert survey_form_for(unit=tree["commune_b1"], on=D) == everywhere


def test_form_naming_an_ancestor_wins_over_the_everywhere_form(tree):
    form()
    district = form()
    district.units.add(tree["district_a"])
    commune = form()
    commune.units.add(tree["commune_a1"])
    assert survey_form_for(unit=tree["commune_a1"], on=D) == commune
    assert survey_form_for(unit=tree["commune_a2"], on=D) == district
    assert survey_form_for(unit=tree["commune_b1"], on=D) not in (district, commune)


def test_unpublished_and_out_of_date_forms_are_not_used(tree):
    form(is_published=False)
    form(valid_to=dt.date(2026, 3, 8))
    form(valid_from=dt.date(2026, 3, 10))
    assert survey_form_for(unit=tree["commune_a1"], on=D) is None


def test_newest_validity_then_highest_version_wins(tree):
    form(code="a", valid_from=dt.date(2025, 1, 1))
    newer = form(code="b", valid_from=dt.date(2026, 1, 1))
    assert survey_form_for(unit=tree["commune_a1"], on=D) == newer
    v2 = form(code="b", version=2, valid_from=dt.date(2026, 1, 1))
    assert survey_form_for(unit=tree["commune_a1"], on=D) == v2


def test_a_form_not_in_use_at_the_unit_is_refused(desk, alice, tree):
    elsewhere = form()
    elsewhere.units.add(tree["district_b"])
    criterion = elsewhere.areas.get().criteria.get()
    with pytest.raises(FormNotAvailable):
        services.response_enter_paper(
            desk=desk,
            serial="P-1",
            form=elsewhere,
            answers={criterion.pk: 4},
            actor=alice,
            at=at(2026, 3, 9, 10),
        )


def test_no_published_form_gives_a_clear_error(desk, alice):
    with pytest.raises(FormNotAvailable):
        services.response_enter_paper(
            desk=desk, serial="P-1", answers={}, actor=alice, at=at(2026, 3, 9, 10)
        )
