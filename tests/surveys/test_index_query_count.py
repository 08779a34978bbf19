"""The index adapter aggregates in SQL: the same number of queries for 5 or 50 responses
(R-SUR-3, R-IND-2)."""

import pytest

from surveys.indices import indices_for
from surveys.models import Answer, ExtraAnswer, Response
from surveys.seeding import seed_sipas_form
from tests.helpers import at

# responses per form version, answer tallies, extra-answer tallies, criteria, extra questions
QUERIES = 5


def make_responses(form, desk, count):
    criteria = [c for a in form.areas.all() for c in a.criteria.all()]
    question = form.extra_questions.get(code="harassment")
    responses = Response.objects.bulk_create(
        Response(form=form, unit=desk.unit, desk=desk, channel="kiosk", submitted_at=at(2026, 3, 9))
        for _ in range(count)
    )
    Answer.objects.bulk_create(
        Answer(
            response=r,
            criterion=c,
            value=None if (n + i) % 7 == 0 else 1 + (n + i) % 5,
            not_applicable=(n + i) % 7 == 0 and n % 2 == 0,
        )
        for n, r in enumerate(responses)
        for i, c in enumerate(criteria)
    )
    ExtraAnswer.objects.bulk_create(
        ExtraAnswer(response=r, question=question, option="none") for r in responses
    )


@pytest.mark.parametrize("count", [5, 50])
def test_indices_take_a_constant_number_of_queries_r_sur_3(desk, count, django_assert_num_queries):
    form = seed_sipas_form()
    make_responses(form, desk, count)
    queryset = Response.objects.filter(unit=desk.unit)
    with django_assert_num_queries(QUERIES):
        result = indices_for(responses_queryset=queryset)
    assert result.responses == count
    assert sum(len(a.criteria) for a in result.areas) == 19
    assert result.questions[0].options[0].count == count
