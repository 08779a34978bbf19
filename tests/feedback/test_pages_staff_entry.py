"""R-FB-1: staff enter a hotline call, a letter, an email or a visit on a keyboard-first form;
the item gets its code and PIN, shown once to read out or printed once on the receipt
(audited, R-PRIV-1). Only staff of a unit may enter items for it."""

import datetime as dt
import re

import pytest

from feedback.models import Item
from portal.models import AuditLog
from tests.factories import UserFactory
from tests.feedback.pages import ENTRY_URL, PDF, entry_data, field_errors, html, pdf_text, upload
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday(time_machine):
    time_machine.move_to(at(2026, 3, 3, 9), tick=True)


def test_a_hotline_call_is_entered_and_its_pin_shown_once_r_fb_1(client, alice, desk):
    client.force_login(alice)

    response = client.post(ENTRY_URL, entry_data(desk.unit))

    item = Item.objects.get()
    assert (response.status_code, response["Location"]) == (
        303,
        f"/phan-anh/quan-ly/{item.pk}/da-nhap/",
    )
    assert (item.channel, item.kind, item.received_by, item.intake_unit) == (
        "hotline",
        "feedback",
        alice,
        desk.unit,
    )
    first = client.get(response["Location"])
    pin = re.search(r'id="entered-pin">(\d{6})<', html(first)).group(1)
    assert 'id="entered-pin"' not in html(client.get(response["Location"]))
    assert "no-store" in first["Cache-Control"]
    assert pin not in response["Location"]


def test_the_first_receipt_carries_the_pin_and_every_print_is_audited(client, alice, desk):
    client.force_login(alice)
    response = client.post(ENTRY_URL, entry_data(desk.unit))
    item = Item.objects.get()
    receipt_url = f"/phan-anh/quan-ly/{item.pk}/bien-nhan.pdf"

    first = pdf_text(client.get(receipt_url).content)
    second = pdf_text(client.get(receipt_url).content)

    assert "Mã PIN:" in first and "Mã PIN:" not in second
    assert "đường dây nóng" in first and item.code in first
    assert 'id="entered-pin"' not in html(client.get(response["Location"]))  # printed: gone
    prints = AuditLog.objects.filter(action="feedback.receipt.print", object_id=str(item.pk))
    assert [p.data["with_pin"] for p in prints.order_by("pk")] == [True, False]


def test_a_letter_received_yesterday_with_a_scan(client, alice, desk):
    client.force_login(alice)

    response = client.post(
        ENTRY_URL,
        entry_data(
            desk.unit,
            channel="letter",
            received_at="2026-03-02T10:30",
            attachments=[upload("thu.pdf", PDF)],
        ),
    )

    assert response.status_code == 303, html(response)
    item = Item.objects.get()
    assert item.channel == "letter"
    assert item.received_at == at(2026, 3, 2, 10, 30)
    assert item.attachments.count() == 1


def test_a_moment_in_the_future_is_refused_next_to_the_field(client, alice, desk):
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    response = client.post(ENTRY_URL, entry_data(desk.unit, received_at="2026-03-05T10:00"))

    assert response.status_code == 400
    assert field_errors(response, "received_at") == [
        "The moment of receipt cannot be in the future."
    ]
    assert not Item.objects.exists()


def test_the_form_is_keyboard_first(client, alice, desk):
    client.force_login(alice)

    page = html(client.get(ENTRY_URL))

    assert re.search(r'<select name="channel"[^>]*autofocus', page)
    assert '<input type="hidden" name="unit" value="' in page  # one unit: nothing to choose
    assert 'id="entry-form"' in page and "/static/js/feedback.js" in page
    names = re.findall(r'name="([a-z_]+)"', page.split('id="entry-form"')[1])
    assert names.index("body") < names.index("sender_name") < names.index("attachments")


def test_an_outsiders_unit_cannot_be_chosen(client, charlie, desk, tree):
    from tests.factories import DeskFactory

    DeskFactory(unit=tree["commune_b1"])
    client.force_login(charlie)
    client.cookies["django_language"] = "en"

    response = client.post(ENTRY_URL, entry_data(desk.unit))

    assert response.status_code == 400
    assert not Item.objects.exists()


def test_without_a_role_the_entry_form_is_refused(client, tree):
    client.force_login(UserFactory(username="nobody"))

    assert client.get(ENTRY_URL).status_code == 403


def test_sign_in_is_required(client):
    assert client.get(ENTRY_URL)["Location"].startswith("/accounts/login/")


def test_the_deadline_counts_from_the_receipt(client, alice, desk):
    client.force_login(alice)
    client.post(ENTRY_URL, entry_data(desk.unit, received_at="2026-03-02T09:00"))

    item = Item.objects.get()

    assert item.counted_from == dt.date(2026, 3, 2)
    assert item.due_at.date() == dt.date(2026, 3, 16)  # 10 working days
