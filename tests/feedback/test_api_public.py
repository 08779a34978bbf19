"""The citizens' API (no account): submit with attachments (multipart, rate-limited per IP),
track and dispute with code and PIN (the same 404 for an unknown code and a wrong PIN,
rate-limited per IP and per code), the published list (R-FB-3), units and categories."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from feedback import services
from feedback.models import Attachment, Item
from tests.feedback.api_helpers import PUBLIC_URL
from tests.feedback.helpers import SENDER, database_snapshot, stored_files
from tests.helpers import at

TRACK_URL = f"{PUBLIC_URL}track/"


def photo():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 128, 0)).save(out, format="JPEG")
    return SimpleUploadedFile("anh.jpg", out.getvalue(), "image/jpeg")


def submission(desk, **extra):
    data = {
        "unit": desk.unit_id,
        "kind": "complaint",
        "body": "Khiếu nại thái độ <script>x</script>",
        "sender_name": SENDER["name"],
        "sender_phone": SENDER["phone"],
    }
    data.update(extra)
    return data


def test_a_citizen_files_a_complaint_with_a_photo_r_fb_1(desk, fresh_rate_limits, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    response = APIClient().post(
        PUBLIC_URL, submission(desk, attachments=[photo()]), format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "PA-00001-26-00001" and len(body["pin"]) == 6
    assert (body["kind"], body["attachments"]) == ("complaint", 1)
    assert "no-store" in response["Cache-Control"]
    item = Item.objects.get(code=body["code"])
    assert (item.channel, item.received_by, item.body) == (
        "web",
        None,
        "Khiếu nại thái độ <script>x</script>",
    )


def test_a_refused_submission_keeps_nothing(desk, fresh_rate_limits, private_files):
    before = database_snapshot()
    response = APIClient().post(
        PUBLIC_URL,
        submission(desk, sender_name="", sender_phone="", attachments=[photo()]),
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_sender"
    assert database_snapshot() == before
    assert stored_files(private_files) == []


def test_eleven_files_are_refused_by_field(desk, fresh_rate_limits):
    files = [SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4\n%%EOF\n") for n in range(11)]
    response = APIClient().post(PUBLIC_URL, submission(desk, attachments=files), format="multipart")
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == (
        "invalid_attachment",
        ["attachments"],
    )
    assert not Attachment.objects.exists()


def test_staff_channels_are_not_for_citizens(desk, fresh_rate_limits):
    response = APIClient().post(PUBLIC_URL, submission(desk, channel="hotline"), format="multipart")
    assert response.status_code == 400
    assert "channel" in response.json()


def test_submissions_are_rate_limited_per_client_ip(desk, settings, fresh_rate_limits):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    client = APIClient()
    for _n in range(2):
        assert client.post(PUBLIC_URL, submission(desk), format="multipart").status_code == 201
    response = client.post(PUBLIC_URL, submission(desk), format="multipart")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert Item.objects.count() == 2


# --- tracking -------------------------------------------------------------------------------
def test_tracking_with_code_and_pin_shows_the_public_view(submit, officer, fresh_rate_limits):
    item, pin = submit()
    services.feedback_reply(item=item, actor=officer, text="Đã xử lý.", at=at(2026, 3, 5, 9))
    response = APIClient().post(TRACK_URL, {"code": item.code.lower(), "pin": pin}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["code"], body["status"], body["sender"]) == (
        item.code,
        "answered",
        "N***** V** An",
    )
    assert [r["text"] for r in body["replies"]] == ["Đã xử lý."]
    assert SENDER["id_number"] not in response.content.decode()
    assert "0912345678" not in response.content.decode()


def test_unknown_code_and_wrong_pin_get_the_same_404(submit, fresh_rate_limits):
    item, pin = submit()
    wrong = "000000" if pin != "000000" else "111111"
    client = APIClient()
    first = client.post(TRACK_URL, {"code": item.code, "pin": wrong}, format="json")
    second = client.post(TRACK_URL, {"code": "PA-00001-26-09999", "pin": pin}, format="json")
    assert first.status_code == second.status_code == 404
    assert first.json() == second.json()


def test_failed_lookups_are_limited_per_code(submit, settings, fresh_rate_limits):
    settings.TRACKING_RATE_PER_CODE = "3/h"
    item, pin = submit()
    wrong = "000000" if pin != "000000" else "111111"
    for n in range(3):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{n}")  # a different address each time
        assert (
            client.post(TRACK_URL, {"code": item.code, "pin": wrong}, format="json").status_code
            == 404
        )
    blocked = APIClient(REMOTE_ADDR="10.0.0.9").post(
        TRACK_URL, {"code": item.code, "pin": pin}, format="json"
    )
    assert blocked.status_code == 429


def test_lookups_are_limited_per_client_ip(submit, settings, fresh_rate_limits):
    settings.TRACKING_RATE_PER_IP = "2/m"
    item, pin = submit()
    client = APIClient()
    for _n in range(2):
        assert (
            client.post(TRACK_URL, {"code": item.code, "pin": pin}, format="json").status_code
            == 200
        )
    assert client.post(TRACK_URL, {"code": item.code, "pin": pin}, format="json").status_code == 429


def test_the_sender_disputes_the_answer(submit, officer, fresh_rate_limits, time_machine):
    item, pin = submit()
    services.feedback_reply(item=item, actor=officer, text="A", at=at(2026, 3, 5, 9))
    time_machine.move_to(at(2026, 3, 6, 9), tick=False)
    response = APIClient().post(
        f"{PUBLIC_URL}dispute/",
        {"code": item.code, "pin": pin, "reason": "Chưa đúng"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"


# --- published list, units, categories ------------------------------------------------------
@pytest.fixture
def published(submit, officer):
    items = []
    for n in range(3):
        item, _ = submit(body=f"Phản ánh số {n} của Nguyễn Văn An, 0912345678")
        services.feedback_reply(item=item, actor=officer, text="Đã khắc phục", at=at(2026, 3, 5, 9))
        services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 6, 9, n))
        items.append(item)
    return items


def test_the_published_list_is_public_masked_and_searchable_r_fb_3(published):
    response = APIClient().get(f"{PUBLIC_URL}published/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    text = response.content.decode()
    assert "Nguyễn Văn An" not in text and "0912345678" not in text
    assert "sender" not in body["results"][0]
    assert APIClient().get(f"{PUBLIC_URL}published/", {"q": "so 1"}).json()["count"] == 1


def test_published_list_queries_do_not_grow_with_rows(published, submit, officer):
    with CaptureQueriesContext(connection) as small:
        APIClient().get(f"{PUBLIC_URL}published/")
    for n in range(5):
        item, _ = submit(body=f"Thêm {n}")
        services.feedback_reply(item=item, actor=officer, text="X", at=at(2026, 3, 5, 9))
        services.feedback_publish(item=item, actor=officer, at=at(2026, 3, 7, 9, n))
    with CaptureQueriesContext(connection) as large:
        assert APIClient().get(f"{PUBLIC_URL}published/").json()["count"] == 8
    assert len(small.captured_queries) == len(large.captured_queries) <= 2


def test_units_and_categories_for_the_form(desk, category):
    units = APIClient().get(f"{PUBLIC_URL}units/", {"q": "phuc xa"}).json()
    assert [u["id"] for u in units["results"]] == [desk.unit_id]
    categories = APIClient().get(f"{PUBLIC_URL}categories/").json()
    assert category.name in [c["name"] for c in categories]
