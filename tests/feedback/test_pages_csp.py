"""The feedback pages keep to the Content Security Policy: no inline script or style, no
event-handler attribute; scripts come from our own static files; every form that changes
something is posted with a CSRF token."""

import re

import pytest

from feedback import services
from feedback.tracking import make_tracking_token
from tests.feedback.pages import PUBLISHED_URL, QUEUE_URL, SUBMIT_URL, TRACK_URL, submission
from tests.portal.test_layout import _parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def _clean(client, url):
    response = client.get(url, follow=True)
    parsed = _parse(response)
    assert response.status_code == 200, url
    assert (parsed.inline_scripts, parsed.style_tags) == (0, 0), url
    assert parsed.style_attributes == [], url
    assert parsed.event_handlers == [], url
    assert all(src.startswith("/static/") for src in parsed.script_srcs), url
    for form in parsed.forms:
        if form.get("method") == "post":
            assert "csrfmiddlewaretoken" in response.content.decode(), url
    return response


def test_citizens_pages_have_no_inline_script_or_style(client, desk, submit, officer):
    item, pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Trả lời")
    publication = services.feedback_publish(item=item, actor=officer)
    response = client.post(SUBMIT_URL, submission(desk))
    mine = response["Location"]

    for url in (SUBMIT_URL, mine, TRACK_URL, PUBLISHED_URL, f"{PUBLISHED_URL}{publication.pk}/"):
        _clean(client, url)
    _clean(client, f"{TRACK_URL}t/{make_tracking_token(item)}/")  # → the result page
    client.post(TRACK_URL, {"code": item.code, "pin": pin})
    result = _clean(client, f"{TRACK_URL}ket-qua/")
    assert 'id="dispute-form"' in result.content.decode()


def test_staff_pages_have_no_inline_script_or_style(client, submit, officer, tree):
    item, _pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Trả lời")
    client.force_login(officer)

    for url in (
        QUEUE_URL,
        f"{QUEUE_URL}?tab=all",
        f"{QUEUE_URL}nhap/",
        f"{QUEUE_URL}{item.pk}/",
        f"{QUEUE_URL}{item.pk}/da-nhap/",
    ):
        _clean(client, url)


def test_every_action_form_is_posted_with_csrf(client, submit, officer):
    item, _pin = submit()
    client.force_login(officer)

    response = client.get(f"{QUEUE_URL}{item.pk}/")

    actions = [f for f in _parse(response).forms if "/thao-tac/" in f.get("action", "")]
    assert len(actions) == 7
    assert all(f["method"] == "post" for f in actions)
    assert response.content.decode().count('name="csrfmiddlewaretoken"') == 7 + 2  # + layout
    assert re.search(
        r'formaction="/phan-anh/quan-ly/\d+/tra-loi/xem-truoc.pdf"', response.content.decode()
    )
