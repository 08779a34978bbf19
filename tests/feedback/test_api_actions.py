"""The staff API: detail, entry, one POST per action, the reply letter and attachments; errors
in the dossiers' style (400/403/409 with ``detail``, ``code`` and ``fields``), nothing written
on a refusal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from portal.models import AuditLog
from tests.factories import DeskFactory
from tests.feedback.api_helpers import FEEDBACK_URL, detail_url, signed_in
from tests.feedback.helpers import database_snapshot
from tests.helpers import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_detail_shows_content_timeline_and_allowed_actions(submit, officer):
    item, _ = submit()
    body = signed_in(officer).get(detail_url(item)).json()
    assert body["body"].startswith("Cán bộ tiếp nhận")
    assert [e["kind"] for e in body["events"]] == ["received"]
    assert body["rule"] == "feedback-2014"
    assert body["allowed_actions"] == [
        "classify",
        "assign",
        "start",
        "transfer",
        "extend",
        "reply",
        "reject",
    ]
    assert (body["extension"], body["publication"], body["replies"]) == (None, None, [])


def test_outsider_gets_404_for_an_item_of_another_unit_r_unit_3(submit, charlie):
    item, _ = submit()
    client = signed_in(charlie)
    assert client.get(detail_url(item)).status_code == 404
    response = client.post(detail_url(item, "reply/"), {"text": "X"}, format="json")
    assert response.status_code == 404


def test_staff_enter_a_hotline_call(alice, desk, category, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    response = signed_in(alice).post(
        FEEDBACK_URL,
        {
            "unit": desk.unit_id,
            "kind": "complaint",
            "channel": "hotline",
            "category": category.pk,
            "body": "Khiếu nại kết quả",
            "sender_name": "Lê Văn C",
            "sender_phone": "0912 000 111",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "PA-00001-26-00001" and len(body["pin"]) == 6
    assert body["accept_due_at"] == "2026-03-16T17:00:00+07:00"
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


def test_entry_with_attachments_by_multipart(alice, desk, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    response = signed_in(alice).post(
        FEEDBACK_URL,
        {
            "unit": desk.unit_id,
            "kind": "feedback",
            "channel": "letter",
            "body": "Thư phản ánh",
            "attachments": [SimpleUploadedFile("thu.pdf", PDF, "application/pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    detail = signed_in(alice).get(f"{FEEDBACK_URL}{item_id}/").json()
    assert [a["original_name"] for a in detail["attachments"]] == ["thu.pdf"]
    attachment_id = detail["attachments"][0]["id"]
    download = signed_in(alice).get(f"{FEEDBACK_URL}{item_id}/attachments/{attachment_id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "no-store" in download["Cache-Control"]
    assert AuditLog.objects.filter(action="feedback.attachment.download").count() == 1


def test_a_complaint_without_identity_answers_400_with_fields(alice, desk):
    before = database_snapshot()
    response = signed_in(alice).post(
        FEEDBACK_URL,
        {"unit": desk.unit_id, "kind": "complaint", "channel": "letter", "body": "X"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_sender"
    assert {"sender_name", "sender_phone"} <= set(body["fields"])
    assert body["detail"]
    assert database_snapshot() == before


def test_a_one_megabyte_body_answers_400_with_the_field(alice, desk):
    response = signed_in(alice).post(
        FEEDBACK_URL,
        {"unit": desk.unit_id, "kind": "feedback", "channel": "email", "body": "x" * 1_048_576},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_text"
    assert list(response.json()["fields"]) == ["body"]


def test_entry_at_a_unit_that_is_not_yours_is_refused(charlie, desk):
    response = signed_in(charlie).post(
        FEEDBACK_URL,
        {"unit": desk.unit_id, "kind": "feedback", "channel": "email", "body": "X"},
        format="json",
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_the_whole_path_through_the_api(submit, alice, officer, leader, tree):
    item, _ = submit()
    client = signed_in(officer)
    assert (
        client.post(
            detail_url(item, "assign/"), {"assignee": officer.pk}, format="json"
        ).status_code
        == 200
    )
    assert client.post(detail_url(item, "start/"), {}, format="json").status_code == 200
    response = client.post(
        detail_url(item, "reply/"), {"text": "Đã xử lý <b>xong</b>."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "answered"
    letter = client.get(detail_url(item, "replies/1/letter/"))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    assert "Đã xử lý <b>xong</b>." in text.replace("\n", " ")
    published = signed_in(leader).post(detail_url(item, "publish/"), {}, format="json")
    assert published.status_code == 200
    assert published.json()["publication"]["question"].startswith("Cán bộ")
    closed = client.post(detail_url(item, "close/"), {}, format="json")
    assert closed.json()["status"] == "closed"


def test_reply_to_a_closed_item_answers_409(submit, officer):
    item, _ = submit()
    client = signed_in(officer)
    client.post(detail_url(item, "reply/"), {"text": "A"}, format="json")
    client.post(detail_url(item, "close/"), {}, format="json")
    response = client.post(detail_url(item, "reply/"), {"text": "B"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_a_receptionist_cannot_reply_403(submit, alice):
    item, _ = submit()
    response = signed_in(alice).post(detail_url(item, "reply/"), {"text": "A"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_transfer_to_the_same_unit_answers_409_with_the_field(submit, alice, desk):
    item, _ = submit()
    response = signed_in(alice).post(
        detail_url(item, "transfer/"), {"to_unit": desk.unit_id}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transfer_not_allowed"
    assert list(response.json()["fields"]) == ["to_unit"]


def test_second_extension_answers_409(submit, officer, time_machine):
    item, _ = submit()
    time_machine.move_to(at(2026, 3, 3, 9), tick=False)
    client = signed_in(officer)
    assert (
        client.post(detail_url(item, "extend/"), {"reason": "A"}, format="json").status_code == 200
    )
    response = client.post(detail_url(item, "extend/"), {"reason": "B"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "already_extended")


def test_transfer_to_another_unit(submit, alice, tree):
    DeskFactory(unit=tree["commune_a2"])
    item, _ = submit()
    response = signed_in(alice).post(
        detail_url(item, "transfer/"), {"to_unit": tree["commune_a2"].pk}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["unit"]["id"], body["allowed_actions"]) == (
        "transferred",
        tree["commune_a2"].pk,
        [],  # Alice's unit keeps it in its register but no longer acts on it
    )


@pytest.mark.parametrize("action", ["classify", "reopen", "unpublish"])
def test_actions_not_allowed_now_answer_409_or_400(submit, officer, action):
    item, _ = submit()
    response = signed_in(officer).post(
        detail_url(item, f"{action}/"), {"reason": "x"}, format="json"
    )
    assert response.status_code in (400, 409)
    assert "code" in response.json()
