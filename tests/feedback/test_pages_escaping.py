"""HTML or script typed in any text field is stored as typed and escaped on every output: the
staff queue and item page, the sender's tracking page, the reply letter (PDF) and the public
list (issue 9, "Bad input"; R-FB-1..3)."""

import re

import pytest

from feedback import services
from feedback.models import Item
from tests.feedback.pages import (
    PUBLISHED_URL,
    QUEUE_URL,
    RESULT_URL,
    SUBMIT_URL,
    TRACK_URL,
    html,
    pdf_text,
    submission,
)
from tests.helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

SCRIPT = '<script>alert("x")</script><img src=x onerror="y">'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&quot;y&quot;&gt;"
TEXT_FIELDS = ("subject", "body", "sender_name", "sender_address", "staff_description")


def _no_markup(page):
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'onerror="y"' not in page


@pytest.fixture
def filed(client, desk, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=True)
    data = submission(desk, **{field: f"{SCRIPT} {field}" for field in TEXT_FIELDS})
    response = client.post(SUBMIT_URL, data)
    assert response.status_code == 303, html(response)
    pin = re.search(r'id="submitted-pin">(\d{6})<', html(client.get(response["Location"])))
    return Item.objects.get(), pin.group(1)


def test_the_texts_are_stored_as_typed(filed):
    item, _pin = filed

    assert item.body == f"{SCRIPT} body"
    assert item.sender_name == f"{SCRIPT} sender_name"


def test_staff_pages_escape_them(client, filed, alice):
    item, _pin = filed
    client.force_login(alice)

    for url in (f"{QUEUE_URL}?tab=all", f"{QUEUE_URL}{item.pk}/"):
        page = html(client.get(url))
        _no_markup(page)
        assert ESCAPED in page, url


def test_the_sender_page_letter_and_public_list_escape_them(client, filed, officer):
    item, pin = filed
    services.feedback_start(item=item, actor=officer)
    services.feedback_reply(item=item, actor=officer, text=f"Trả lời {SCRIPT}")
    services.feedback_publish(
        item=item, actor=officer, title=f"Tiêu đề {SCRIPT}", question=f"Hỏi {SCRIPT}"
    )

    client.post(TRACK_URL, {"code": item.code, "pin": pin})
    result = html(client.get(RESULT_URL))
    letter = pdf_text(client.get(f"{RESULT_URL}tra-loi-1.pdf").content)
    listed = html(client.get(PUBLISHED_URL))
    detail = html(client.get(f"{PUBLISHED_URL}{item.publication.pk}/"))

    for page in (result, listed, detail):
        _no_markup(page)
        assert ESCAPED in page
    assert '<script>alert("x")</script>' in letter  # printed as text, not run or dropped
