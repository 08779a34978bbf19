"""R-FB-1, R-FB-2, R-PRIV-1: the sender tracks an item on /phan-anh/tra-cuu/ with the code and
PIN or the QR link of the receipt: the status in plain words, the deadline, the written answer
and its letter (PDF), and a dispute within the window. An unknown code and a wrong PIN get the
same answer; the page shows no phone, address or ID number, and nothing personal goes into a
URL."""

import re

import pytest

from feedback import services
from feedback.models import Item
from feedback.tracking import make_tracking_token
from tests.feedback.helpers import SENDER
from tests.feedback.pages import DISPUTE_URL, RESULT_URL, TRACK_URL, field_errors, html, pdf_text
from tests.helpers import at

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


@pytest.fixture
def tracked(submit, time_machine):
    """Feedback entered on Monday 2 March 2026, looked at on Wednesday 4 March."""
    item, pin = submit()
    time_machine.move_to(at(2026, 3, 4, 10), tick=False)
    return item, pin


def _look_up(client, code, pin):
    return client.post(TRACK_URL, {"code": code, "pin": pin})


def _wrong(pin):
    return "000000" if pin != "000000" else "111111"


def test_code_and_pin_lead_to_the_result_without_them_in_the_url_r_priv_1(client, tracked):
    item, pin = tracked

    response = _look_up(client, f"  {item.code.lower()} ", pin)
    result = client.get(RESULT_URL)

    assert (response.status_code, response["Location"]) == (303, RESULT_URL)
    assert result.status_code == 200
    page = html(result)
    assert item.code in page
    assert 'id="item-status"' in page
    assert "N***** V** An" in page  # the sender's name, masked
    for value in (
        SENDER["phone"],
        "0912345678",
        SENDER["address"],
        SENDER["id_number"],
        SENDER["email"],
        pin,
    ):
        assert value not in page, value
    assert result["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in result["Cache-Control"] or "no-store" in result["Cache-Control"]


def test_the_cookie_is_limited_to_the_tracking_pages(client, tracked):
    item, pin = tracked

    _look_up(client, item.code, pin)

    cookie = client.cookies["phan_anh"]
    assert cookie["path"] == TRACK_URL
    assert cookie["httponly"]
    assert str(item.pk) != cookie.value  # signed, not the bare id


def test_unknown_code_and_wrong_pin_get_the_same_answer(client, tracked):
    item, pin = tracked

    wrong_pin = _look_up(client, item.code, _wrong(pin))
    wrong_page = client.get(TRACK_URL)
    unknown = _look_up(client, "PA-00001-26-09999", pin)
    unknown_page = client.get(TRACK_URL)

    assert (wrong_pin.status_code, wrong_pin["Location"]) == (303, TRACK_URL)
    assert (unknown.status_code, unknown["Location"]) == (303, TRACK_URL)

    def normalise(page, code):  # the code as typed is shown back; CSRF tokens differ
        return CSRF.sub(r'\1"', html(page).replace(code, "CODE"))

    assert normalise(wrong_page, item.code) == normalise(unknown_page, "PA-00001-26-09999")
    assert 'id="not-found"' in html(wrong_page)
    assert 'id="not-found"' not in html(client.get(TRACK_URL))  # shown once
    assert client.get(RESULT_URL)["Location"] == TRACK_URL


def test_the_written_answer_and_its_letter_are_shown_to_the_sender_r_fb_2(client, tracked, officer):
    item, pin = tracked
    services.feedback_reply(item=item, actor=officer, text="Hồ sơ đã được giải quyết xong.")

    _look_up(client, item.code, pin)
    page = html(client.get(RESULT_URL))
    letter = client.get(f"{RESULT_URL}tra-loi-1.pdf")

    assert "Hồ sơ đã được giải quyết xong." in page
    assert f"{RESULT_URL}tra-loi-1.pdf" in page
    assert letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert "Hồ sơ đã được giải quyết xong." in text and item.code in text
    assert client.get(f"{RESULT_URL}tra-loi-2.pdf").status_code == 404


def test_without_a_look_up_there_is_no_letter(client, tracked, officer):
    item, _pin = tracked
    services.feedback_reply(item=item, actor=officer, text="Trả lời.")

    assert client.get(f"{RESULT_URL}tra-loi-1.pdf")["Location"] == TRACK_URL


def test_the_qr_link_opens_the_result(client, tracked):
    item, _pin = tracked

    response = client.get(f"{TRACK_URL}t/{make_tracking_token(item)}/")

    assert (response.status_code, response["Location"]) == (303, RESULT_URL)
    assert item.code in html(client.get(RESULT_URL))


def test_a_forged_qr_link_is_refused(client, tracked):
    item, _pin = tracked
    token = make_tracking_token(item)

    response = client.get(f"{TRACK_URL}t/{token[:-2]}xx/")

    assert response.status_code == 404
    assert "phan_anh" not in response.cookies or not response.cookies["phan_anh"].value


def test_the_sender_disputes_the_answer_within_the_window_r_fb_2(client, tracked, officer):
    item, pin = tracked
    services.feedback_reply(item=item, actor=officer, text="Không có căn cứ.")
    _look_up(client, item.code, pin)
    assert 'id="dispute-form"' in html(client.get(RESULT_URL))

    response = client.post(DISPUTE_URL, {"reason": "Tôi chưa đồng ý.", "pin": pin})

    assert (response.status_code, response["Location"]) == (303, RESULT_URL)
    item.refresh_from_db()
    assert (item.status, item.reopen_count) == ("in_progress", 1)
    assert item.events.last().note == "Tôi chưa đồng ý."
    assert 'id="dispute-form"' not in html(client.get(RESULT_URL))


def test_a_dispute_with_a_wrong_pin_or_no_reason_changes_nothing(client, tracked, officer):
    item, pin = tracked
    services.feedback_reply(item=item, actor=officer, text="Không có căn cứ.")
    _look_up(client, item.code, pin)
    client.cookies["django_language"] = "en"

    wrong = client.post(DISPUTE_URL, {"reason": "Chưa đồng ý", "pin": _wrong(pin)})
    empty = client.post(DISPUTE_URL, {"reason": "  ", "pin": pin})

    assert wrong.status_code == empty.status_code == 400
    assert field_errors(wrong, "pin") == ["This PIN does not match the item."]
    assert "Chưa đồng ý" in html(wrong)  # kept
    assert field_errors(empty, "reason") == ["This field is required."]
    assert Item.objects.get(pk=item.pk).status == "answered"


def test_no_dispute_after_the_window(client, tracked, officer, time_machine, settings):
    item, pin = tracked
    services.feedback_reply(item=item, actor=officer, text="Trả lời.")
    time_machine.move_to(at(2026, 4, 20, 10), tick=False)  # more than 30 days later

    _look_up(client, item.code, pin)
    response = client.post(DISPUTE_URL, {"reason": "Muộn", "pin": pin})

    assert 'id="dispute-form"' not in html(client.get(RESULT_URL))
    assert response.status_code == 409
    assert Item.objects.get(pk=item.pk).status == "answered"


def test_finish_forgets_the_result(client, tracked):
    item, pin = tracked
    _look_up(client, item.code, pin)

    response = client.post(f"{TRACK_URL}xong/")

    assert (response.status_code, response["Location"]) == (303, TRACK_URL)
    assert client.get(RESULT_URL)["Location"] == TRACK_URL


def test_a_transfer_and_a_rejection_are_told_in_plain_words(client, submit, officer, tree):
    moved, moved_pin = submit()
    rejected, rejected_pin = submit()
    services.feedback_transfer(item=moved, actor=officer, to_body="Thanh tra tỉnh")
    services.feedback_reject(item=rejected, actor=officer, reason="Không thuộc thẩm quyền.")

    _look_up(client, moved.code, moved_pin)
    moved_page = html(client.get(RESULT_URL))
    _look_up(client, rejected.code, rejected_pin)
    rejected_page = html(client.get(RESULT_URL))

    assert "Thanh tra tỉnh" in moved_page
    assert "Không thuộc thẩm quyền." in rejected_page
