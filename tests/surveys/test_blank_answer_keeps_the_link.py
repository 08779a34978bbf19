"""An entirely blank sheet is refused and does not use up the one-time link (R-SUR-2): the
citizen who pressed "Send" too early comes back to the same form and can still answer, through
the page or the API. Answering only "about you" or only a comment is blank too."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from surveys import services
from surveys.models import Invitation, Response
from tests.surveys.api_helpers import by_token_url
from tests.surveys.helpers import sheet_post


@pytest.fixture
def token(returned_dossier, small_form):
    return services.invitation_create(dossier=returned_dossier, send=False)


@pytest.mark.parametrize(
    "extra", [{}, {"gender": "female", "age_band": "25-34"}, {"comment": "  "}]
)
def test_a_blank_sheet_on_the_page_is_refused_and_the_link_still_works_r_sur_2(
    client, token, small_form, extra
):
    url = reverse("surveys:answer", args=[token])
    blank = sheet_post(small_form.c, {"x1": None, "x2": None, "y1": None}, form=small_form.form)

    refused = client.post(url, {**blank, **extra})

    assert refused.status_code == 400
    assert 'role="alert"' in refused.content.decode()
    assert Invitation.objects.get().used_at is None
    assert client.get(url).status_code == 200
    answered = client.post(url, sheet_post(small_form.c, {"x1": 4}, form=small_form.form))
    assert answered.status_code == 302
    assert Response.objects.count() == 1


def test_a_blank_sheet_through_the_api_is_refused_and_the_link_still_works_r_sur_2(
    token, small_form
):
    api = APIClient()

    refused = api.post(by_token_url(token), {"answers": {}, "comment": ""}, format="json")

    assert (refused.status_code, refused.json()["code"]) == (400, "empty")
    assert Invitation.objects.get().used_at is None
    criterion = small_form.c["x1"].pk
    answered = api.post(by_token_url(token), {"answers": {str(criterion): 5}}, format="json")
    assert answered.status_code == 201, answered.json()
