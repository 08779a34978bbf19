"""Completeness at intake (R-LIFE-4, Decree 61/2018 Art. 19): a dossier whose required documents
are not all handed in is not received; the desk prints the guidance (form 02) instead. A
leader of the unit may make a documented exception, with a reason that is recorded. The rule
is the service's, so the page and the API follow it alike."""

import pytest
from django.urls import reverse

from dossiers import services
from dossiers.exceptions import IncompleteDossier, IncompleteOverrideNotAllowed
from dossiers.models import Dossier, DossierEvent
from portal.models import AuditLog, Role
from tests.dossiers.helpers import APPLICANT
from tests.dossiers.pages import html, intake_data, pdf_text, travel
from tests.factories import MembershipFactory
from tests.helpers import PASSWORD, at

pytestmark = pytest.mark.django_db


def _first_only(documents_required):
    form, _birth, _parents = documents_required
    return [{"name": form.name, "is_original": True, "quantity": 1}]


def test_a_dossier_missing_a_required_document_is_not_received(
    desk, procedure, alice, documents_required
):
    with pytest.raises(IncompleteDossier) as refused:
        services.dossier_receive(
            desk=desk,
            procedure=procedure,
            applicant=dict(APPLICANT),
            actor=alice,
            documents=_first_only(documents_required),
            received_at=at(2026, 3, 2, 9),
        )

    assert refused.value.code == "incomplete_dossier"
    assert refused.value.fields == {"documents": ["Giấy chứng sinh"]}  # not the optional one
    assert not Dossier.objects.exists()


def test_the_optional_document_is_not_required(desk, procedure, alice, documents_required):
    form, _birth, _parents = documents_required
    dossier, _pin = services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant=dict(APPLICANT),
        actor=alice,
        documents=[{"name": form.name}, {"name": " giấy chứng SINH "}],  # spaces and case
        received_at=at(2026, 3, 2, 9),
    )
    assert dossier.status == "received"


def test_a_leader_can_make_a_documented_exception_that_is_recorded(
    desk, procedure, alice, leader, documents_required
):
    dossier, _pin = services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant=dict(APPLICANT),
        actor=alice,
        documents=_first_only(documents_required),
        received_at=at(2026, 3, 2, 9),
        incomplete_override=services.IncompleteOverride(
            leader=leader, reason="Giấy chứng sinh bị thất lạc, bệnh viện đang cấp lại"
        ),
    )

    event = DossierEvent.objects.get(dossier=dossier, kind="received")
    assert event.data["incomplete"]["missing"] == ["Giấy chứng sinh"]
    assert event.data["incomplete"]["reason"].startswith("Giấy chứng sinh bị thất lạc")
    assert event.data["incomplete"]["leader"] == leader.pk
    audit = AuditLog.objects.get(action="dossier.receive_incomplete")
    assert (audit.actor, audit.object_id) == (alice, str(dossier.pk))


def test_an_exception_needs_a_leader_and_a_reason(
    desk, procedure, alice, officer, leader, documents_required
):
    common = {
        "desk": desk,
        "procedure": procedure,
        "applicant": dict(APPLICANT),
        "actor": alice,
        "documents": _first_only(documents_required),
    }
    with pytest.raises(IncompleteOverrideNotAllowed):
        services.dossier_receive(
            **common, incomplete_override=services.IncompleteOverride(leader=officer, reason="x")
        )
    with pytest.raises(IncompleteDossier):
        services.dossier_receive(
            **common, incomplete_override=services.IncompleteOverride(leader=leader, reason=" ")
        )
    assert not Dossier.objects.exists()


def _incomplete_post(desk, procedure, documents_required, **extra):
    _form, birth, _parents = documents_required
    return intake_data(desk, procedure, documents_required, **{f"doc_{birth.pk}": ""}, **extra)


def test_the_page_refuses_and_offers_the_guidance_and_the_exception(
    client, alice, desk, procedure, documents_required
):
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    with travel(2026, 3, 2, 9):
        response = client.post(
            reverse("dossiers:intake"), _incomplete_post(desk, procedure, documents_required)
        )

    page = html(response)
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert 'id="incomplete"' in page
    assert "<li>Giấy chứng sinh</li>" in page
    assert f'formaction="{reverse("dossiers:guidance_pdf")}"' in page
    assert 'name="override_password"' in page


def test_the_guidance_prints_form_02_with_what_is_missing_and_no_dossier(
    client, alice, desk, procedure, documents_required
):
    client.force_login(alice)
    with travel(2026, 3, 2, 9):
        response = client.post(
            reverse("dossiers:guidance_pdf"), _incomplete_post(desk, procedure, documents_required)
        )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Mẫu số 02" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text.upper()
    assert "Giấy chứng sinh" in text and "Nộp 02 bản sao" in text
    assert "Tờ khai đăng ký khai sinh" not in text  # it was handed in
    assert APPLICANT["name"] in text and "Hồ sơ chưa được tiếp nhận" in text
    assert not Dossier.objects.exists()
    assert AuditLog.objects.filter(action="intake.guidance_export", actor=alice).count() == 1


def test_the_leader_types_their_password_at_the_desk_to_receive_it(
    client, alice, leader, desk, procedure, documents_required
):
    client.force_login(alice)
    exception = {
        "override": "1",
        "override_reason": "Trường hợp đặc biệt theo chỉ đạo",
        "override_username": leader.username,
    }
    with travel(2026, 3, 2, 9):
        wrong = client.post(
            reverse("dossiers:intake"),
            _incomplete_post(
                desk, procedure, documents_required, override_password="nope", **exception
            ),
        )
        right = client.post(
            reverse("dossiers:intake"),
            _incomplete_post(
                desk, procedure, documents_required, override_password=PASSWORD, **exception
            ),
        )
        session_user = client.session["_auth_user_id"]  # still Alice's session

    assert wrong.status_code == 400
    assert 'id="override-error"' in html(wrong)
    assert right.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.received_by == alice
    assert dossier.events.get().data["incomplete"]["leader"] == leader.pk
    assert session_user == str(alice.pk)


def test_the_api_refuses_an_incomplete_dossier_and_takes_a_leaders_exception(
    client, alice, desk, procedure, documents_required
):
    client.force_login(alice)
    body = {
        "desk": desk.pk,
        "procedure": procedure.pk,
        "applicant": dict(APPLICANT),
        "documents": _first_only(documents_required),
    }
    refused = client.post("/api/v1/dossiers/", body, content_type="application/json")
    not_a_leader = client.post(
        "/api/v1/dossiers/",
        {**body, "incomplete_override": {"reason": "Ngoại lệ"}},
        content_type="application/json",
    )
    MembershipFactory(user=alice, unit=desk.unit, role=Role.LEADER)
    allowed = client.post(
        "/api/v1/dossiers/",
        {**body, "incomplete_override": {"reason": "Ngoại lệ"}},
        content_type="application/json",
    )

    assert (refused.status_code, refused.json()["code"]) == (400, "incomplete_dossier")
    assert refused.json()["fields"] == {"documents": ["Giấy chứng sinh"]}
    assert (not_a_leader.status_code, not_a_leader.json()["code"]) == (
        403,
        "incomplete_override_not_allowed",
    )
    assert allowed.status_code == 201
    assert Dossier.objects.get().events.get().data["incomplete"]["reason"] == "Ngoại lệ"


def test_the_dossier_page_shows_the_exception(
    client, desk, procedure, alice, leader, documents_required
):
    dossier, _pin = services.dossier_receive(
        desk=desk,
        procedure=procedure,
        applicant=dict(APPLICANT),
        actor=alice,
        documents=_first_only(documents_required),
        incomplete_override=services.IncompleteOverride(leader=leader, reason="Chỉ đạo riêng"),
    )
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    page = html(client.get(reverse("dossiers:detail", args=[dossier.pk])))

    assert "Received incomplete as an exception allowed by Văn A Nguyễn: Chỉ đạo riêng" in page
