"""Demo answers for returned demo dossiers go through the real services and are idempotent."""

from surveys.demo import seed_demo_responses
from surveys.indices import indices_for
from surveys.models import Response
from surveys.seeding import seed_survey_forms
from tests.helpers import at

NOW = at(2026, 3, 20, 12)


def test_demo_answers_every_chosen_returned_dossier_once(make_dossier, alice):
    seed_survey_forms()
    dossiers = [make_dossier() for _ in range(6)]
    open_one = make_dossier(returned=False)
    made = seed_demo_responses(share=1.0, now=NOW)
    assert made == 6
    assert set(Response.objects.values_list("dossier", flat=True)) == {d.pk for d in dossiers}
    assert not Response.objects.filter(dossier=open_one).exists()
    assert seed_demo_responses(share=1.0, now=NOW) == 0
    result = indices_for(responses_queryset=Response.objects.all())
    assert result.responses == 6 and result.overall is not None


def test_demo_share_is_deterministic(make_dossier):
    seed_survey_forms()
    for _ in range(10):
        make_dossier()
    first = seed_demo_responses(share=0.5, now=NOW, seed=7)
    assert 0 < first < 10
    assert seed_demo_responses(share=0.5, now=NOW, seed=7) == 0
