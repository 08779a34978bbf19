"""Every action of the lifecycle through the dossier page (R-LIFE-1..6, R-RES-1): the page
posts to the service, shows what happened, and offers only what the state machine and the
user's role allow next."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.models import DossierStatus, EventKind, Pause
from tests.dossiers.pages import html, messages_text, travel
from tests.helpers import at

pytestmark = pytest.mark.django_db


def _act(client, dossier, action, **data):
    url = reverse("dossiers:act", args=[dossier.pk, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()})


def _offered(client, dossier):
    page = html(client.get(reverse("dossiers:detail", args=[dossier.pk])))
    return re.findall(r'<details class="action action--(\w+)"', page)


@pytest.fixture
def dossier(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # 5 working days: due Mon 9 Mar
    return dossier


def test_receptionist_routes_to_a_department_with_a_step_deadline_r_life_3(
    client, alice, dossier, departments
):
    client.force_login(alice)
    with travel(2026, 3, 2, 10):  # within the processing time: a refusal is still possible
        assert _offered(client, dossier) == ["route", "supplement", "refuse", "withdraw"]

    with travel(2026, 3, 2, 10):
        response = _act(
            client,
            dossier,
            "route",
            to_department=departments["civil"].pk,
            step_days="2",
            note="Hồ sơ giấy",
        )

    dossier.refresh_from_db()
    step = dossier.steps.order_by("-number").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    assert (dossier.status, dossier.current_department) == ("in_process", departments["civil"])
    assert (step.department, step.due_at, step.note) == (
        departments["civil"],
        at(2026, 3, 4, 17),
        "Hồ sơ giấy",
    )
    detail = client.get(response["Location"])
    assert "Hồ sơ đã được chuyển." in messages_text(detail)


def test_a_department_hands_the_dossier_back_to_the_desk(
    client, clerk, alice, dossier, departments
):
    services.dossier_route(
        dossier=dossier, to_department=departments["civil"], actor=alice, at=at(2026, 3, 2, 10)
    )
    client.force_login(clerk)

    with travel(2026, 3, 3, 10):
        response = _act(client, dossier, "route", to_department="")

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.current_department is None
    assert dossier.steps.order_by("-number").first().department is None


def test_officer_requests_a_supplement_listing_every_item_r_life_4(client, officer, dossier):
    client.force_login(officer)
    url = reverse("dossiers:act", args=[dossier.pk, "supplement"])

    with travel(2026, 3, 3, 10):
        response = client.post(
            url,
            {
                "supplement-item_name": ["Giấy chứng sinh", "Bản sao CCCD", ""],
                "supplement-item_guidance": ["Bản chính do bệnh viện cấp", "", ""],
            },
        )

    dossier.refresh_from_db()
    pause = Pause.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert dossier.status == DossierStatus.WAITING_SUPPLEMENT
    assert pause.items == [
        {"name": "Giấy chứng sinh", "guidance": "Bản chính do bệnh viện cấp"},
        {"name": "Bản sao CCCD", "guidance": ""},
    ]
    detail = html(client.get(response["Location"]))
    assert reverse("dossiers:supplement_pdf", args=[dossier.pk]) in detail


def test_an_item_without_a_name_is_refused_and_the_rows_are_kept(client, officer, dossier):
    client.force_login(officer)
    url = reverse("dossiers:act", args=[dossier.pk, "supplement"])

    with travel(2026, 3, 3, 10):
        response = client.post(
            url,
            {
                "supplement-item_name": ["Giấy chứng sinh", ""],
                "supplement-item_guidance": ["", "Mang bản chính"],
            },
        )

    page = html(response)
    assert response.status_code == 409
    assert "Liệt kê mọi giấy tờ còn thiếu, mỗi giấy tờ có tên." in page
    assert 'value="Mang bản chính"' in page
    assert re.search(
        r'<details class="action action--supplement" id="action-supplement" open>', page
    )
    assert not Pause.objects.exists()


def test_add_a_row_without_javascript_saves_nothing(client, officer, dossier):
    client.force_login(officer)
    url = reverse("dossiers:act", args=[dossier.pk, "supplement"])

    response = client.post(
        url,
        {
            "supplement-item_name": ["Giấy chứng sinh", "CCCD"],
            "supplement-item_guidance": ["", ""],
            "add_row": "1",
        },
    )

    page = html(response)
    assert response.status_code == 200
    assert page.count('name="supplement-item_name"') == 3
    assert 'value="CCCD"' in page
    assert not Pause.objects.exists()


def test_htmx_adds_an_empty_row(client, officer):
    client.force_login(officer)

    response = client.get(reverse("dossiers:supplement_row"), headers={"HX-Request": "true"})

    assert html(response).count('name="supplement-item_name"') == 1
    assert "<html" not in html(response)


def test_receptionist_records_the_supplement_and_the_clock_restarts_r_due_5(client, alice, dossier):
    services.dossier_request_supplement(
        dossier=dossier, items=[{"name": "Giấy chứng sinh"}], actor=alice, at=at(2026, 3, 3, 10)
    )
    client.force_login(alice)
    assert _offered(client, dossier) == ["resubmit", "refuse", "withdraw"]

    with travel(2026, 3, 5, 9):
        response = _act(client, dossier, "resubmit", note="Đã nộp đủ")

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.due_at == at(2026, 3, 12, 17)  # 5 working days again from Thu 5 Mar


def test_officer_completes_and_the_result_is_classified_r_due_6(client, officer, dossier):
    client.force_login(officer)
    assert "complete" in _offered(client, dossier)

    with travel(2026, 3, 4, 15):
        response = _act(client, dossier, "complete", note="Đã ký")

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert (dossier.status, dossier.classification, dossier.points) == ("result_ready", "early", 2)


def test_receptionist_returns_the_result_by_post_r_life_6(client, alice, officer, dossier):
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 4, 15))
    client.force_login(alice)
    assert _offered(client, dossier) == ["return"]

    with travel(2026, 3, 5, 9):
        response = _act(client, dossier, "return", mode="post")

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert (dossier.status, dossier.return_mode) == ("returned", "post")
    assert dossier.returned_at is not None
    assert _offered(client, dossier) == []


def test_refusal_states_reason_and_legal_basis_r_life_4(client, alice, dossier):
    client.force_login(alice)

    with travel(2026, 3, 3, 9):
        empty = _act(client, dossier, "refuse", reason="", legal_basis="")
        response = _act(
            client,
            dossier,
            "refuse",
            reason="Không thuộc thẩm quyền",
            legal_basis="Khoản 2 Điều 9 Nghị định 61/2018/NĐ-CP",
        )

    dossier.refresh_from_db()
    assert empty.status_code == 400
    assert "Lời từ chối phải nêu lý do và căn cứ pháp lý." in html(empty)
    assert response.status_code == 302
    assert dossier.status == DossierStatus.REFUSED
    assert dossier.refusal.legal_basis == "Khoản 2 Điều 9 Nghị định 61/2018/NĐ-CP"
    detail = html(client.get(response["Location"]))
    assert reverse("dossiers:refusal_pdf", args=[dossier.pk]) in detail


def test_withdrawal_records_the_applicants_request(client, alice, dossier):
    client.force_login(alice)

    with travel(2026, 3, 3, 9):
        response = _act(client, dossier, "withdraw", request_text="Tôi xin rút hồ sơ")

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.status == DossierStatus.WITHDRAWN
    assert dossier.withdrawal.request_text == "Tôi xin rút hồ sơ"
    assert dossier.events.filter(kind=EventKind.WITHDRAWN).count() == 1
    assert reverse("dossiers:stop_notice_pdf", args=[dossier.pk]) in html(
        client.get(response["Location"])
    )


def test_officer_reschedules_with_an_apology_r_res_1(client, officer, dossier, departments):
    client.force_login(officer)

    with travel(2026, 3, 5, 10):
        response = _act(
            client,
            dossier,
            "reschedule",
            reason="Chờ xác minh của cơ quan khác",
            responsible_department=departments["civil"].pk,
            new_due_date="2026-03-12",
        )

    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.due_at == at(2026, 3, 12, 17)
    assert dossier.original_due_at == at(2026, 3, 9, 17)
    assert dossier.reschedule.responsible_department == departments["civil"]
    detail = html(client.get(response["Location"]))
    assert reverse("dossiers:apology_pdf", args=[dossier.pk]) in detail
    assert 'id="reschedule-info"' in detail


def test_a_date_typed_day_first_is_read_day_first(client, officer, dossier):
    client.force_login(officer)

    with travel(2026, 3, 5, 10):
        _act(client, dossier, "reschedule", reason="Chậm", new_due_date="12/03/2026")

    dossier.refresh_from_db()
    assert dossier.due_at.date() == dt.date(2026, 3, 12)


def test_only_a_leader_asks_for_a_second_supplement_r_life_4(
    client, officer, leader, alice, dossier
):
    services.dossier_request_supplement(
        dossier=dossier, items=[{"name": "Giấy chứng sinh"}], actor=alice, at=at(2026, 3, 2, 10)
    )
    services.dossier_resubmit(dossier=dossier, actor=alice, at=at(2026, 3, 3, 9))
    items = {"item_name": "Bản sao CCCD", "item_guidance": ""}
    client.force_login(officer)

    with travel(2026, 3, 3, 10):
        refused = _act(client, dossier, "supplement", **items)
        client.force_login(leader)
        allowed = _act(client, dossier, "supplement", **items)

    assert refused.status_code == 409
    assert "chỉ lãnh đạo đơn vị mới được yêu cầu thêm lần nữa" in html(refused)
    assert allowed.status_code == 302
    assert Pause.objects.filter(dossier=dossier).count() == 2
    assert Pause.objects.latest("requested_at").allowed_by == leader
