"""Bad input is refused with a translated message next to the field, or stored safely as
text; nothing is half-written."""

import pytest
from pypdf import PdfReader

from feedback import documents, services
from feedback.exceptions import InvalidFeedback, InvalidText
from tests.feedback.helpers import database_snapshot
from tests.helpers import at

SCRIPT = '<script>alert("x")</script><b onmouseover="x()">đậm</b>'


def test_a_one_megabyte_body_is_refused_with_a_clear_error(submit):
    before = database_snapshot()
    with pytest.raises(InvalidText) as refused:
        submit(body="a" * 1024 * 1024)
    assert refused.value.code == "invalid_text"
    assert list(refused.value.fields) == ["body"]
    assert "10000" in str(refused.value).replace(",", "").replace(".", "")
    assert database_snapshot() == before


def test_an_empty_body_is_refused(submit):
    with pytest.raises(InvalidText) as refused:
        submit(body="   \n\t ")
    assert list(refused.value.fields) == ["body"]


def test_html_is_stored_as_text(submit):
    item, _pin = submit(body=SCRIPT, subject="<i>tiêu đề</i>")
    item.refresh_from_db()
    assert item.body == SCRIPT
    assert item.subject == "<i>tiêu đề</i>"


def test_html_in_an_answer_prints_as_text_in_the_letter(submit, officer):
    item, _pin = submit(body=SCRIPT)
    reply = services.feedback_reply(item=item, actor=officer, text=SCRIPT, at=at(2026, 3, 3, 9))
    context = documents.reply_letter_context(reply)
    from django.template.loader import render_to_string

    html = render_to_string("feedback/pdf/reply_letter.html", context)
    assert "<script>" not in html and "&lt;script&gt;" in html
    text = "".join(
        p.extract_text() for p in PdfReader(_bytes(documents.reply_letter_pdf(reply=reply))).pages
    )
    assert '<script>alert("x")</script>' in text.replace("\n", "")


def _bytes(data):
    import io

    return io.BytesIO(data)


def test_control_characters_are_removed(submit):
    item, _pin = submit(body="Nội\x00 dung\x07\r\nhai dòng")
    assert item.body == "Nội dung\nhai dòng"


def test_unknown_kind_and_channel_are_refused_by_field(submit):
    with pytest.raises(InvalidFeedback) as refused:
        submit(kind="rumour", channel="pigeon")
    assert set(refused.value.fields) == {"kind", "channel"}


def test_a_receipt_in_the_future_is_refused(submit, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    with pytest.raises(InvalidFeedback) as refused:
        submit(received_at=at(2026, 3, 3, 9))
    assert list(refused.value.fields) == ["received_at"]


def test_an_action_dated_before_the_last_event_is_refused(submit, officer):
    item, _pin = submit(received_at=at(2026, 3, 2, 9))
    with pytest.raises(InvalidFeedback):
        services.feedback_start(item=item, actor=officer, at=at(2026, 3, 1, 9))


def test_staff_channels_need_a_signed_in_staff_member(submit, charlie):
    with pytest.raises(Exception) as refused:
        submit(actor=None)
    assert refused.value.code == "permission_denied"
    with pytest.raises(Exception) as refused:
        submit(actor=charlie)
    assert refused.value.code == "permission_denied"
