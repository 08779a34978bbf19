"""Attachments are served only to staff of the item's units, through ``feedback.exports`` so
that every download writes an audit row (R-PRIV-1); the public never gets them."""

import pytest

from portal.models import AuditLog
from tests.feedback.pages import PDF, QUEUE_URL, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_file(submit):
    item, _pin = submit(attachments=[upload("don thu.pdf", PDF)])
    return item, item.attachments.get()


def _url(item, attachment):
    return f"{QUEUE_URL}{item.pk}/tep/{attachment.pk}/"


def test_staff_of_the_unit_download_it_and_an_audit_row_is_written_r_priv_1(
    client, with_file, alice
):
    item, attachment = with_file
    client.force_login(alice)

    page = client.get(f"{QUEUE_URL}{item.pk}/").content.decode()
    response = client.get(_url(item, attachment))

    assert _url(item, attachment) in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    audit = AuditLog.objects.get(action="feedback.attachment.download")
    assert (audit.actor, audit.object_id) == (alice, str(item.pk))


def test_outsiders_and_the_public_do_not_get_it(client, with_file, charlie):
    item, attachment = with_file

    anonymous = client.get(_url(item, attachment))
    client.force_login(charlie)
    outsider = client.get(_url(item, attachment))

    assert anonymous.status_code == 302 and outsider.status_code == 404
    assert not AuditLog.objects.filter(action="feedback.attachment.download").exists()


def test_an_attachment_of_another_item_is_not_found(client, with_file, submit, alice):
    _item, attachment = with_file
    other, _pin = submit()
    client.force_login(alice)

    assert client.get(_url(other, attachment)).status_code == 404
