"""The short code of a survey invitation (R-SUR-2): at most 10 characters, printed on the
invitation and sent with the link, typed at the front door, it opens the same survey as the
link, once. Only a keyed hash of it is stored; it changes with the token and dies with the
answer; every try is rate-limited per address like the tracking look-up."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from portal.models import Notification
from surveys import documents, services
from surveys.models import Invitation, Response
from surveys.tokens import invitation_short_code
from tests.surveys.helpers import sheet_post


@pytest.fixture
def token(returned_dossier, small_form):
    return services.invitation_create(dossier=returned_dossier)


def _code(token) -> str:
    return services.invitation_code(token)


def test_the_code_is_ten_unambiguous_characters_and_only_its_hash_is_stored(token):
    code = _code(token)
    raw = code.replace("-", "")

    assert len(raw) == 10 and len(code) == 11  # shown as two groups of five
    assert not set(raw) & set("01IOL")
    invitation = Invitation.objects.get()
    assert invitation.code_hash and raw not in invitation.code_hash
    assert raw == invitation_short_code(token)


def test_the_code_is_sent_and_printed_with_the_link(token, returned_dossier, settings):
    sent = Notification.objects.filter(object_type="survey_invitation")
    assert sent and all(_code(token) in n.body for n in sent)

    pdf = documents.invitation_pdf(dossier=returned_dossier, token=token)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert _code(token) in text


def test_typing_the_code_opens_the_survey_and_answers_it_once_r_sur_2(
    client, token, small_form, returned_dossier
):
    typed = _code(token).lower().replace("-", " ")  # case, spaces and dashes do not matter

    entered = client.post(reverse("surveys:code"), {"code": typed})

    assert entered.status_code == 303
    assert entered["Location"] == reverse("surveys:answer_by_code")
    assert _code(token).replace("-", "") not in entered["Location"]
    page = client.get(entered["Location"])
    assert page.status_code == 200
    assert returned_dossier.code in page.content.decode()

    answered = client.post(
        entered["Location"], sheet_post(small_form.c, {"x1": 5}, form=small_form.form)
    )
    assert answered.status_code == 302 and answered["Location"] == reverse("surveys:thanks")
    saved = Response.objects.get()
    assert (saved.dossier, saved.channel) == (returned_dossier, "link")
    invitation = Invitation.objects.get()
    assert invitation.used_at is not None and invitation.code_hash is None

    again = client.post(reverse("surveys:code"), {"code": typed})
    assert again.status_code == 400
    assert client.get(reverse("surveys:answer_by_code")).status_code in (302, 404)


def test_the_link_and_the_code_are_one_invitation(client, token, small_form):
    client.post(
        reverse("surveys:answer", args=[token]),
        sheet_post(small_form.c, {"x1": 4}, form=small_form.form),
    )

    refused = client.post(reverse("surveys:code"), {"code": _code(token)})

    assert refused.status_code == 400
    assert Response.objects.count() == 1


def test_a_new_token_gives_a_new_code_and_the_old_one_stops(client, token, returned_dossier):
    new = services.invitation_create(dossier=returned_dossier, send=False)

    assert _code(new) != _code(token)
    assert client.post(reverse("surveys:code"), {"code": _code(token)}).status_code == 400
    assert client.post(reverse("surveys:code"), {"code": _code(new)}).status_code == 303


@pytest.mark.parametrize("typed", ["", "ABC", "0000000000", "K7M2P-QX4RT-EXTRA"])
def test_a_wrong_code_gets_one_message_and_stores_nothing(client, token, typed):
    response = client.post(reverse("surveys:code"), {"code": typed})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "khao_sat_ma" not in response.cookies


def test_code_tries_are_rate_limited_per_address(client, token, settings):
    settings.SURVEY_CODE_RATE_PER_IP = "3/m"
    statuses = [
        client.post(reverse("surveys:code"), {"code": "ZZZZZZZZZZ"}).status_code for _ in range(4)
    ]

    assert statuses == [400, 400, 400, 429]
    # Over the limit even the right code waits: the limit cannot be used to test codes.
    assert client.post(reverse("surveys:code"), {"code": _code(token)}).status_code == 429


def test_the_code_page_works_without_javascript_and_is_vietnamese(client):
    page = client.get(reverse("surveys:code")).content.decode()

    assert '<html lang="vi">' in page
    assert f'action="{reverse("surveys:code")}"' in page and 'name="code"' in page
    assert "<script" not in page.split("</head>")[1]
