"""R-FB-1: a citizen files feedback or a complaint on the web page without an account, with
attachments; gets a tracking code and a PIN shown once (never in a URL) and a printable receipt
(R-PRIV-1); the form explains when the sender's identity is required."""

import re

import pytest

from feedback.models import Attachment, Item
from portal.models import AuditLog
from tests.feedback.pages import SUBMIT_URL, html, pdf_text, photo, submission
from tests.helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


@pytest.fixture(autouse=True)
def monday(time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=True)


def _file(client, desk, **overrides):
    response = client.post(SUBMIT_URL, submission(desk, **overrides))
    assert response.status_code == 303, html(response)
    return response, Item.objects.get()


def test_a_citizen_files_a_complaint_with_a_photo_r_fb_1(client, desk):
    response, item = _file(client, desk, attachments=[photo()])

    assert response["Location"] == f"/phan-anh/da-gui/{item.pk}/"
    assert (item.kind, item.channel, item.received_by, item.unit) == (
        "complaint",
        "web",
        None,
        desk.unit,
    )
    assert item.sender_name == "Nguyễn Văn An"
    assert [a.content_type for a in Attachment.objects.filter(item=item)] == ["image/jpeg"]


def test_the_pin_is_shown_once_and_never_in_a_url_r_priv_1(client, desk):
    response, item = _file(client, desk)

    first = client.get(response["Location"])
    pin = re.search(r'id="submitted-pin">(\d{6})<', html(first)).group(1)
    second = client.get(response["Location"])

    assert item.code in html(first) and item.code in html(second)
    assert 'id="submitted-pin"' not in html(second)
    assert pin not in response["Location"]
    assert all(pin not in link for link in re.findall(r'href="([^"]+)"', html(first)))
    assert "no-store" in first["Cache-Control"]


def test_the_first_receipt_print_carries_the_pin_later_prints_do_not(client, desk):
    response, item = _file(client, desk)
    first_page = client.get(response["Location"])
    pin = re.search(r'id="submitted-pin">(\d{6})<', html(first_page)).group(1)
    receipt_url = f"{response['Location']}bien-nhan.pdf"

    first = pdf_text(client.get(receipt_url).content)
    second = client.get(receipt_url)

    assert item.code in first and f"Mã PIN: {pin}" in first
    assert "Giấy tiếp nhận đơn khiếu nại".upper() in first.upper()
    assert second.status_code == 200 and pin not in pdf_text(second.content)
    assert second["Content-Type"] == "application/pdf"
    assert not AuditLog.objects.filter(action="feedback.receipt.print").exists()  # the sender's own


def test_another_browser_cannot_open_the_confirmation_or_the_receipt(client, desk):
    from django.test import Client

    response, _item = _file(client, desk)
    stranger = Client()

    assert stranger.get(response["Location"]).status_code == 404
    assert stranger.get(f"{response['Location']}bien-nhan.pdf").status_code == 404


def test_the_form_lists_the_units_taking_feedback_and_explains_identity(client, desk, tree):
    response = client.get(SUBMIT_URL)

    page = html(response)
    assert response.status_code == 200
    assert f'<option value="{desk.unit_id}">Phường Phúc Xá – Quận Ba Đình</option>' in page
    assert "Phường Trúc Bạch" not in page  # no active desk there
    assert 'id="identity-note"' in page
    for kind in ("complaint", "denunciation", "conduct"):  # the rules in force require it
        block = re.search(rf'value="{kind}".*?</label>', page, re.S).group(0)
        assert 'class="kind-choice__needs"' in block, kind
    block = re.search(r'value="suggestion".*?</label>', page, re.S).group(0)
    assert 'class="kind-choice__needs"' not in block


def test_a_unit_can_be_chosen_from_a_link(client, desk):
    page = html(client.get(SUBMIT_URL, {"don_vi": desk.unit_id}))

    assert f'<option value="{desk.unit_id}" selected>' in page


def test_narrowing_the_unit_list_without_javascript_keeps_the_text_and_saves_nothing(client, desk):
    response = client.post(
        SUBMIT_URL, submission(desk, unit="", unit_q="phuc xa", body="Nội dung đã gõ")
    )

    page = html(response)
    assert response.status_code == 200
    assert "Nội dung đã gõ" in page
    assert f'value="{desk.unit_id}"' in page
    assert 'class="field__error"' not in page
    assert not Item.objects.exists()


def test_the_unit_search_answers_options_for_htmx(client, desk):
    response = client.get("/phan-anh/don-vi/", {"q": "PHUC XA"})

    assert response.status_code == 200
    assert "Phường Phúc Xá" in html(response)
    assert "Phường Phúc Xá" not in html(client.get("/phan-anh/don-vi/", {"q": "hoan kiem"}))


def test_feedback_may_be_anonymous(client, desk):
    _response, item = _file(
        client,
        desk,
        kind="feedback",
        sender_name="",
        sender_phone="",
        sender_address="",
        sender_id_number="",
    )

    assert (item.kind, item.sender_name, item.sender_phone) == ("feedback", "", "")


def test_submissions_are_rate_limited_per_client_ip(client, desk, settings):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    for _n in range(2):
        assert client.post(SUBMIT_URL, submission(desk)).status_code == 303

    response = client.post(SUBMIT_URL, submission(desk))

    assert response.status_code == 429
    assert Item.objects.count() == 2
    assert client.post(SUBMIT_URL, submission(desk), REMOTE_ADDR="10.9.9.9").status_code == 303
