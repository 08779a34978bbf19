"""The citizen's answer page behind the signed link or QR code: no account, answered once, the
same page for every unusable link, and a bad sheet refused whole (R-SUR-1, R-SUR-2)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.models import Answer, ExtraAnswer, Invitation, Response
from tests.factories import CriterionFactory, SurveyAreaFactory, SurveyFormFactory
from tests.surveys.helpers import db_state, sheet_post


@pytest.fixture
def token(returned_dossier, small_form):
    return services.invitation_create(dossier=returned_dossier, send=False)


def url(token):
    return reverse("surveys:answer", args=[token])


def test_the_link_shows_the_form_in_vietnamese_with_the_five_levels_r_sur_1(client, token):
    response = client.get(url(token))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    for label in ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng"):
        assert label in html
    assert "Rất hài lòng" in html and "Không áp dụng" in html
    assert "Lĩnh vực X" in html and "Lĩnh vực Y" in html
    assert html.count('type="radio" name="criterion_') == 3 * 6  # three criteria, 5 levels + n/a
    assert "Không có" in html  # the extra question's options
    assert 'name="comment"' in html and 'name="gender"' in html


def test_the_language_switch_shows_the_form_in_english(client, token, small_form):
    client.post(reverse("set_language"), {"language": "en", "next": url(token)})

    html = client.get(url(token)).content.decode()
    assert '<html lang="en">' in html
    assert "Very dissatisfied" in html and "Not applicable" in html
    assert small_form.c["x1"].text_en in html
    assert "Send my answers" in html


def test_answering_stores_the_response_and_shows_thanks_r_sur_2(
    client, token, small_form, returned_dossier
):
    q = small_form.q["harassment"]
    data = sheet_post(small_form.c, {"x1": 5, "x2": "na"}, form=small_form.form, comment="Tốt")
    data[f"question_{q.pk}"] = "none"
    data["gender"] = "female"

    response = client.post(url(token), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks")
    saved = Response.objects.get()
    assert (saved.channel, saved.dossier, saved.gender, saved.comment) == (
        "link",
        returned_dossier,
        "female",
        "Tốt",
    )
    rows = dict(Answer.objects.values_list("criterion__code", "value"))
    assert rows == {"x1": 5, "x2": None, "y1": None}
    assert Answer.objects.get(criterion__code="x2").not_applicable is True
    assert list(ExtraAnswer.objects.values_list("option", flat=True)) == ["none"]
    assert Invitation.objects.get().used_at is not None
    assert "Cảm ơn" in client.get(response["Location"]).content.decode()


def test_the_qr_code_link_stores_the_qr_channel_r_sur_2(client, token, small_form):
    page = client.get(url(token) + "?qr=1").content.decode()
    assert 'name="qr" value="1"' in page

    data = sheet_post(small_form.c, {"x1": 4}, form=small_form.form, qr="1")
    client.post(url(token), data)

    assert Response.objects.get().channel == "qr"


@pytest.fixture
def bad_tokens(make_dossier, small_form, client):
    """A forged, an expired and a used token."""
    expired = services.invitation_create(
        dossier=make_dossier(), send=False, at=timezone.now() - dt.timedelta(days=31)
    )
    used = services.invitation_create(dossier=make_dossier(), send=False)
    client.post(url(used), sheet_post(small_form.c, {"x1": 5}, form=small_form.form))
    assert Response.objects.count() == 1
    return {"forged": "abc.def", "expired": expired, "used": used}


@pytest.mark.parametrize("kind", ["forged", "expired", "used"])
def test_an_unusable_link_shows_one_clear_page_and_stores_nothing_r_sur_2(
    client, bad_tokens, small_form, kind
):
    before = db_state()
    page = client.get(url(bad_tokens[kind]))
    posted = client.post(
        url(bad_tokens[kind]), sheet_post(small_form.c, {"x1": 5}, form=small_form.form)
    )

    assert page.status_code == posted.status_code == 404
    assert "Không thể sử dụng đường dẫn khảo sát này" in page.content.decode()
    assert db_state() == before


def test_the_three_unusable_links_look_exactly_the_same(client, bad_tokens):
    """Nothing is learnt by probing: forged, expired and used links give the same page."""
    pages = {kind: client.get(url(token)).content.decode() for kind, token in bad_tokens.items()}

    def strip(html):  # the language form's CSRF token and "next" address differ per request
        html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
        return re.sub(r'(name="(?:csrfmiddlewaretoken|next)" value=")[^"]*"', r"\1", html)

    assert strip(pages["forged"]) == strip(pages["expired"]) == strip(pages["used"])
    assert bad_tokens["used"] not in strip(pages["used"])


def test_an_answer_outside_the_scale_is_refused_whole_r_sur_1(client, token, small_form):
    before = db_state()
    data = sheet_post(small_form.c, {"x1": 5, "x2": 7}, form=small_form.form)

    response = client.post(url(token), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Một số câu trả lời không hợp lệ" in html
    assert "Hãy chọn giá trị từ 1 đến 5" in html
    assert db_state() == before
    # The sheet comes back as it was filled in, so nothing has to be answered again.
    assert f'id="criterion_{small_form.c["x1"].pk}-5" value="5" checked' in html


def test_an_answer_to_another_form_version_is_refused_whole_r_sur_1(client, token, small_form):
    other = SurveyFormFactory(code="small", version=2, is_published=False)
    foreign = CriterionFactory(area=SurveyAreaFactory(form=other, code="X"), code="x1")
    before = db_state()
    data = sheet_post(small_form.c, {"x1": 5}, form=small_form.form)
    data[f"criterion_{foreign.pk}"] = "4"

    response = client.post(url(token), data)

    assert response.status_code == 400
    assert "Câu hỏi này không thuộc phiếu đang trả lời" in response.content.decode()
    assert db_state() == before


def test_a_sheet_claiming_an_unknown_form_version_is_refused(client, token, small_form):
    before = db_state()
    data = sheet_post(small_form.c, {"x1": 5}, form=small_form.form)
    data["form"] = "999999"

    response = client.post(url(token), data)

    assert response.status_code == 400
    assert db_state() == before


def test_the_public_post_is_rate_limited_per_address(client, token, small_form, settings):
    settings.SURVEY_RATE_PER_IP = "2/h"
    bad = sheet_post(small_form.c, {"x1": 9}, form=small_form.form)
    assert client.post(url(token), bad).status_code == 400
    assert client.post(url(token), bad).status_code == 400
    before = db_state()

    response = client.post(url(token), sheet_post(small_form.c, {"x1": 5}, form=small_form.form))

    assert response.status_code == 429
    assert "Không có gì được lưu" in response.content.decode()
    assert db_state() == before
    # Another address is not held back.
    other = client.post(
        url(token),
        sheet_post(small_form.c, {"x1": 5}, form=small_form.form),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_the_page_has_no_inline_script_or_style(client, token):
    html = client.get(url(token)).content.decode()
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html


def test_a_dossier_answered_on_paper_meanwhile_shows_the_same_page_r_sur_2(
    client, token, small_form, returned_dossier, alice
):
    services.response_enter_paper(
        desk=returned_dossier.desk,
        serial="5",
        dossier=returned_dossier,
        answers={small_form.c["x1"].pk: 4},
        actor=alice,
    )
    before = db_state()

    page = client.get(url(token))
    posted = client.post(url(token), sheet_post(small_form.c, {"x1": 5}, form=small_form.form))

    assert page.status_code == posted.status_code == 404
    assert "Không thể sử dụng đường dẫn khảo sát này" in page.content.decode()
    assert db_state() == before
