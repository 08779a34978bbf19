"""The item page offers only the actions allowed now (``services.actions_allowed``: the
transition table, the user's role at the item's unit, and the checks beyond the table), and
each action's form calls its service: assign, transfer, extend, reply with a PDF preview of the
letter, reject, close, reopen, publish with the masked preview (R-FB-2, R-FB-3, R-FB-4,
R-UNIT-3). A refusal is the service's translated message next to the field it names."""

import re

import pytest

from feedback import services
from feedback.models import Item, Publication
from portal.models import AuditLog
from tests.factories import DeskFactory
from tests.feedback.helpers import SENDER, database_snapshot
from tests.feedback.pages import QUEUE_URL, field_errors, html, pdf_text
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wednesday(time_machine):
    time_machine.move_to(at(2026, 3, 4, 10), tick=True)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def _url(item, suffix=""):
    return f"{QUEUE_URL}{item.pk}/{suffix}"


def _act(client, item, action, *, button=None, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    if button:
        data[button] = "1"  # a second button of the form (Find, Preview), by its own name
    return client.post(_url(item, f"thao-tac/{action}/"), data)


def _panels(response):
    assert response.status_code == 200
    return re.findall(r'<details class="action action--(\w+)"', html(response))


def test_a_receptionist_and_an_officer_see_the_actions_their_roles_allow(
    client, submit, alice, officer
):
    item, _pin = submit()

    client.force_login(alice)
    receptionist = _panels(client.get(_url(item)))
    client.force_login(officer)
    handler = _panels(client.get(_url(item)))

    assert receptionist == ["classify", "assign", "transfer"]
    assert handler == ["classify", "assign", "start", "transfer", "extend", "reply", "reject"]


def test_a_complaint_is_accepted_before_it_is_answered(client, submit, officer):
    item, _pin = submit(kind="complaint")
    client.force_login(officer)

    before = _panels(client.get(_url(item)))
    _act(client, item, "start", note="Thụ lý")
    after = _panels(client.get(_url(item)))

    assert "reply" not in before and "start" in before
    assert "reply" in after and "start" not in after
    assert (
        "Accept the complaint" in html(client.get(_url(item)))
        or "thụ lý" in html(client.get(_url(item))).lower()
    )


def test_the_page_shows_the_sender_and_the_timeline_to_staff_of_the_unit_r_priv_1(
    client, submit, alice
):
    item, _pin = submit()
    client.force_login(alice)

    page = html(client.get(_url(item)))

    for value in (SENDER["name"], SENDER["email"], SENDER["id_number"]):
        assert value in page
    assert page.count('class="timeline__item') == 1


def test_an_outsider_gets_404_on_the_page_and_the_actions_r_unit_3(client, submit, charlie):
    item, _pin = submit()
    client.force_login(charlie)
    before = database_snapshot()

    assert client.get(_url(item)).status_code == 404
    assert _act(client, item, "reply", text="X").status_code == 404
    assert database_snapshot() == before


def test_assign_to_a_person_r_fb_2(client, submit, alice, officer):
    item, _pin = submit()
    client.force_login(alice)

    response = _act(client, item, "assign", assignee=officer.pk, note="Nhờ anh xử lý")

    assert (response.status_code, response["Location"]) == (302, _url(item))
    item.refresh_from_db()
    assert (item.status, item.assigned_to) == ("assigned", officer)


def test_a_conduct_complaint_is_not_assignable_to_the_person_it_is_about_r_fb_4(
    client, submit, leader, officer, english
):
    item, _pin = submit(kind="conduct", staff_member=officer)
    english.force_login(leader)

    options = re.search(r'name="assign-assignee".*?</select>', html(english.get(_url(item))), re.S)
    response = _act(english, item, "assign", assignee=officer.pk)

    assert f'value="{officer.pk}"' not in options.group(0)
    assert response.status_code == 400
    assert field_errors(response, "assign-assignee") == ["This person has no role at the unit."]


def test_a_transfer_to_the_same_unit_is_refused_next_to_the_field(client, submit, officer, english):
    item, _pin = submit()
    english.force_login(officer)
    before = database_snapshot()

    response = _act(english, item, "transfer", to_unit=item.unit_id, to_body="", note="")

    assert response.status_code == 409
    assert field_errors(response, "transfer-to_unit") == [
        "The item is already at this unit; choose another one."
    ]
    assert 'id="action-transfer" open' in html(response)
    assert database_snapshot() == before


def test_a_transfer_to_the_competent_unit_moves_the_item_r_fb_2(client, submit, officer, tree):
    item, _pin = submit()
    client.force_login(officer)

    response = _act(client, item, "transfer", to_unit=tree["commune_a2"].pk, to_body="", note="")

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.unit, item.transfer_late) == (
        "transferred",
        tree["commune_a2"],
        False,
    )
    assert "transfer" not in _panels(client.get(_url(item)))  # A2 handles it now


def test_the_unit_list_of_a_transfer_narrows_without_javascript(client, submit, officer, tree):
    item, _pin = submit()
    client.force_login(officer)

    response = _act(client, item, "transfer", q="truc bach", to_unit="", to_body="", note="x")
    options = client.get(_url(item, "don-vi-chuyen/"), {"transfer-q": "hoan kiem"})

    select = re.search(r'name="transfer-to_unit".*?</select>', html(response), re.S).group(0)
    assert response.status_code == 200
    assert "Phường Trúc Bạch" in select and "Phường Phúc Tân" not in select
    assert "Quận Hoàn Kiếm" in html(options) and "Trúc Bạch" not in html(options)
    assert Item.objects.get(pk=item.pk).status == "received"


def test_extend_once_with_a_reason(client, submit, officer, english):
    item, _pin = submit()
    english.force_login(officer)

    empty = _act(english, item, "extend", reason=" ")
    done = _act(english, item, "extend", reason="Cần xác minh thêm")

    assert empty.status_code == 400
    assert field_errors(empty, "extend-reason") == ["This field is required."]
    assert done.status_code == 302
    assert "extend" not in _panels(english.get(_url(item)))


def test_the_letter_preview_is_a_draft_pdf_and_saves_nothing_but_an_audit_row(
    client, submit, officer
):
    item, _pin = submit()
    client.force_login(officer)
    before = database_snapshot()

    response = client.post(_url(item, "tra-loi/xem-truoc.pdf"), {"reply-text": "Nội dung trả lời"})

    text = pdf_text(response.content)
    assert response["Content-Type"] == "application/pdf"
    assert "BẢN XEM TRƯỚC" in text and "Nội dung trả lời" in text
    assert SENDER["name"] in text
    after = database_snapshot()
    assert after["AuditLog"] == before["AuditLog"] + 1
    assert {k: v for k, v in after.items() if k != "AuditLog"} == {
        k: v for k, v in before.items() if k != "AuditLog"
    }
    assert AuditLog.objects.filter(action="feedback.reply_letter.preview").exists()


def test_only_those_who_may_answer_get_a_preview(client, submit, alice):
    item, _pin = submit()
    client.force_login(alice)

    assert client.post(_url(item, "tra-loi/xem-truoc.pdf"), {"reply-text": "X"}).status_code == 404


def test_reply_then_the_letter_is_printed_with_an_audit_row_r_fb_2(client, submit, officer):
    item, _pin = submit()
    client.force_login(officer)

    response = _act(client, item, "reply", text="Đã giải quyết.", finding="")
    letter = client.get(_url(item, "tra-loi/1.pdf"))

    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).status == "answered"
    assert "Đã giải quyết." in pdf_text(letter.content)
    assert AuditLog.objects.filter(action="feedback.reply_letter.print").count() == 1
    assert client.get(_url(item, "tra-loi/2.pdf")).status_code == 404


def test_a_reply_to_a_closed_item_is_refused_with_the_services_message(
    client, submit, officer, english
):
    item, _pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Xong")
    services.feedback_close(item=item, actor=officer)
    english.force_login(officer)
    before = database_snapshot()

    response = _act(english, item, "reply", text="Trả lời thêm", finding="")

    assert response.status_code == 409
    assert "An item that is “Closed” cannot be answered in writing." in html(response)
    assert "reply" not in _panels(english.get(_url(item)))
    assert database_snapshot() == before


def test_a_receptionist_posting_a_reply_is_refused_403(client, submit, alice):
    item, _pin = submit()
    client.force_login(alice)

    response = _act(client, item, "reply", text="Trả lời", finding="")

    assert response.status_code == 403
    assert Item.objects.get(pk=item.pk).status == "received"


def test_reject_needs_a_reason_then_tells_the_sender(client, submit, officer, english):
    item, _pin = submit()
    english.force_login(officer)

    empty = _act(english, item, "reject", reason="")
    done = _act(english, item, "reject", reason="Không thuộc thẩm quyền")

    assert field_errors(empty, "reject-reason") == ["This field is required."]
    assert done.status_code == 302
    assert Item.objects.get(pk=item.pk).rejected_reason == "Không thuộc thẩm quyền"


def test_close_and_reopen(client, submit, officer):
    item, _pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Xong")
    client.force_login(officer)

    assert _act(client, item, "close", note="").status_code == 302
    assert Item.objects.get(pk=item.pk).status == "closed"
    assert _act(client, item, "reopen", reason="Người gửi chưa đồng ý").status_code == 302
    assert Item.objects.get(pk=item.pk).status == "in_progress"


def test_publishing_starts_from_masked_texts_and_previews_what_will_be_published_r_fb_3(
    client, submit, officer
):
    body = "Tôi là Nguyễn Văn An, điện thoại 0912345678, ở 12 Phúc Xá. Hồ sơ bị trễ."
    item, _pin = submit(body=body)
    services.feedback_reply(item=item, actor=officer, text="Ông Nguyễn Văn An: đã xong.")
    client.force_login(officer)

    form = re.search(r'id="action-publish".*?</details>', html(client.get(_url(item))), re.S)
    preview = _act(
        client,
        item,
        "publish",
        title="Trễ hẹn",
        question="Ông An (0912 345 678, CCCD 001085012345) hỏi về hồ sơ.",
        answer="Đã trả lời ông Nguyễn Văn An.",
        button="preview",
    )

    assert "Hồ sơ bị trễ." in form.group(0)
    for value in ("Nguyễn Văn An", "0912345678", "12 Phúc Xá"):
        assert value not in form.group(0)
    block = re.search(r'id="publish-preview".*?</section>', html(preview), re.S).group(0)
    assert "0912 345 678" not in block and "001085012345" not in block
    assert "Nguyễn Văn An" not in block and "***" in block
    assert not Publication.objects.exists()


def test_publish_and_withdraw_r_fb_3(client, submit, officer):
    item, _pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Đã xong cho ông Nguyễn Văn An.")
    client.force_login(officer)

    response = _act(
        client,
        item,
        "publish",
        title="Trả lời",
        question="Câu hỏi",
        answer="Đã xong cho ông Nguyễn Văn An.",
    )

    publication = Publication.objects.get()
    assert response.status_code == 302
    assert publication.answer == "Đã xong cho ông ***."
    assert 'id="publication-info"' in html(client.get(_url(item)))
    assert _act(client, item, "unpublish", note="").status_code == 302
    assert not Publication.objects.get().is_active


def test_classify_links_the_staff_member_of_a_conduct_complaint_r_fb_4(
    client, submit, leader, officer, category
):
    item, _pin = submit(kind="conduct")
    client.force_login(leader)

    response = _act(
        client,
        item,
        "classify",
        kind="conduct",
        category=category.pk,
        staff_member=officer.pk,
        note="",
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.staff_member, item.category) == (officer, category)


def test_a_district_leader_acts_on_his_communes_items(client, submit, bob, tree):
    DeskFactory(unit=tree["commune_a2"])
    item, _pin = submit(unit=tree["commune_a2"], channel="web", actor=None)
    client.force_login(bob)

    assert _act(client, item, "reply", text="Trả lời", finding="").status_code == 302
