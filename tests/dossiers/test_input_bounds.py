"""Dossier input that used to be accepted or to crash (issue 13, part 5): ids taken as
``36.5 → 36``, dates in year 9999, 3,000 documents, invisible or reordering names, ID numbers
in other scripts' digits, and a rescheduled date with no upper bound (R-RES-1). Each is now a
400 with a translated message (JSON on /api/, a form error on pages) and nothing is written."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from dossiers import deadlines, services
from dossiers.exceptions import RescheduleTooFar
from dossiers.models import Dossier, Reschedule, RuleSet
from portal.exceptions import InvalidInput
from portal.working_calendar import get_calendar
from tests.dossiers.api_helpers import (
    APPLICANT,
    DOSSIERS_URL,
    at,
    database_snapshot,
    detail_url,
    signed_in,
)
from tests.dossiers.pages import html, intake_data, travel

D = dt.date
ZERO_WIDTH_NAME = "\u200b\u200b\u200b"
RTL_NAME = "Nguyễn \u202enA nắV"
COMBINING_NAME = "A" + "\u0301" * 199


@pytest.fixture
def now(time_machine):
    time_machine.move_to(at(2026, 3, 2, 9, 5), tick=False)
    return at(2026, 3, 2, 9, 5)


@pytest.fixture
def payload(desk, procedure):
    return {
        "desk": desk.pk,
        "procedure": procedure.pk,
        "applicant": dict(APPLICANT),
        "documents": [{"name": "Tờ khai", "is_original": True, "quantity": 1}],
    }


def receive_api(user, data):
    return signed_in(user).post(DOSSIERS_URL, data, format="json", HTTP_ACCEPT_LANGUAGE="en")


# --- ids ----------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["decimal", "string", "true"])
def test_a_desk_id_of_36_5_or_36_or_true_is_refused_not_rounded(alice, payload, desk, now, bad):
    payload["desk"] = {"decimal": desk.pk + 0.5, "string": str(desk.pk), "true": True}[bad]
    before = database_snapshot()
    response = receive_api(alice, payload)
    assert response.status_code == 400, response.content
    assert "whole number" in response.json()["desk"][0]
    assert database_snapshot() == before


def test_a_json_integer_id_is_accepted(alice, payload, now):
    assert receive_api(alice, payload).status_code == 201


@pytest.mark.parametrize("query", ["desk=²", "desk=36.0", "unit=1.5", "procedure=٣"])
def test_an_unreadable_id_filter_is_a_400(alice, desk, query):
    response = signed_in(alice).get(f"{DOSSIERS_URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    name = query.split("=")[0]
    assert response.json()[name] == ["Enter a whole number (an id)."]


# --- dates --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["due_to", "due_from", "received_to", "received_from"])
def test_a_filter_date_in_year_9999_is_a_400_not_an_overflow(alice, desk, name):
    response = signed_in(alice).get(f"{DOSSIERS_URL}?{name}=9999-12-31", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert response.json()[name] == ["Enter a date between 01/01/1990 and 31/12/2100."]


def test_the_list_page_shows_a_form_error_for_year_9999(client, alice, desk):
    client.force_login(alice)
    response = client.get(reverse("dossiers:list"), {"received_to": "9999-12-31"})
    assert response.status_code == 200
    assert "31/12/2100" in html(response)


def test_the_log_print_refuses_year_9999_with_a_form_error(client, alice, desk):
    client.force_login(alice)
    response = client.get(
        reverse("dossiers:log_pdf"),
        {"desk": desk.pk, "date_from": "9999-12-01", "date_to": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "31/12/2100" in html(response)


# --- list sizes ---------------------------------------------------------------------------
def test_3000_documents_are_refused_with_the_limit(alice, payload, now):
    payload["documents"] = [{"name": f"Giấy {n}"} for n in range(3000)]
    before = database_snapshot()
    response = receive_api(alice, payload)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "too_many_items"
    assert body["detail"] == "Too many documents: at most 50, 3000 were sent."
    assert database_snapshot() == before


def test_the_document_limit_is_a_setting_and_holds_in_the_service(receive, now):
    documents = [{"name": f"Giấy {n}"} for n in range(settings.DOSSIER_DOCUMENTS_MAX)]
    receive(documents=documents)  # exactly the limit: accepted
    with override_settings(DOSSIER_DOCUMENTS_MAX=2), pytest.raises(InvalidInput):
        receive(documents=documents[:3])


def test_a_supplement_request_of_51_items_is_refused(receive, alice, now):
    dossier, _pin = receive()
    items = [{"name": f"Giấy {n}", "guidance": ""} for n in range(51)]
    response = signed_in(alice).post(
        detail_url(dossier, "request-supplement/"), {"items": items}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "too_many_items"
    with pytest.raises(InvalidInput):
        services.dossier_request_supplement(dossier=dossier, items=items, actor=alice)


# --- people's text (R-PRIV-1) -------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        (ZERO_WIDTH_NAME, "only invisible or formatting characters"),
        (RTL_NAME, "text-direction control characters"),
        (COMBINING_NAME, "Too many accents on one letter"),
    ],
)
def test_a_name_that_shows_nothing_or_reorders_itself_is_refused(
    alice, payload, now, name, message
):
    payload["applicant"]["name"] = name
    before = database_snapshot()
    response = receive_api(alice, payload)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_applicant"
    assert message in response.json()["fields"]["name"][0]
    assert database_snapshot() == before


def test_id_numbers_and_phones_in_other_digits_are_stored_in_ascii(alice, payload, now):
    payload["applicant"].update(
        name="Nguye\u0302\u0303n\u200b Văn An",
        id_number="٠٠١٠٨٥٠١٢٣٤٥",
        phone="０９１２ ３４５ ６７８",
    )
    response = receive_api(alice, payload)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Văn An"
    assert dossier.applicant_id_number == "001085012345"
    assert dossier.applicant_phone == "0912345678"


def test_the_intake_page_shows_the_error_next_to_the_name(client, alice, desk, procedure, now):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("dossiers:intake"), intake_data(desk, procedure, applicant_name=ZERO_WIDTH_NAME)
    )
    assert response.status_code == 400
    found = re.search(r'id="id_applicant_name_error">(.*?)</p>', html(response))
    assert found and "only invisible or formatting characters" in found.group(1)
    assert not Dossier.objects.exists()


# --- rescheduling: a rule-set maximum (R-RES-1) --------------------------------------------
def reschedule(dossier, officer, day):
    return services.dossier_reschedule(
        dossier=dossier, reason="Chờ xác minh", new_due_date=day, actor=officer,
        at=at(2026, 3, 5, 10),
    )  # fmt: skip


def test_the_default_maximum_is_60_working_days_after_the_due_date_r_res_1(receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    assert RuleSet._meta.get_field("reschedule_max_working_days").default == 60
    assert dossier.rule_set.reschedule_max_working_days == 60
    cal = get_calendar()
    latest = deadlines.reschedule_latest_date(dossier=dossier, cal=cal)
    assert cal.working_days_between(D(2026, 3, 9), latest) == 60
    assert cal.is_working_day(latest)


def test_a_new_date_past_the_maximum_is_refused_and_the_last_day_accepted_r_res_1(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    RuleSet.objects.filter(pk=dossier.rule_set_id).update(reschedule_max_working_days=5)
    dossier.refresh_from_db()
    with translation.override("en"), pytest.raises(RescheduleTooFar) as refused:
        reschedule(dossier, officer, D(2026, 3, 17))
    assert refused.value.status_code == 400
    assert str(refused.value) == (
        "The new appointment can be at most 5 working days after the due date, on "
        "16/03/2026 at the latest."
    )
    assert not Reschedule.objects.exists()
    reschedule(dossier, officer, D(2026, 3, 16))  # Mon 16 Mar: 5 working days after
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 16, 17)


def test_year_9999_is_refused_by_the_service_r_res_1(receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    with pytest.raises(InvalidInput):
        reschedule(dossier, officer, D(9999, 12, 31))
    assert not Reschedule.objects.exists()


def test_the_api_answers_400_to_year_9999_and_to_a_date_past_the_maximum_r_res_1(
    receive, officer, time_machine
):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    time_machine.move_to(at(2026, 3, 5, 10), tick=False)
    client = signed_in(officer)
    url = detail_url(dossier, "reschedule/")
    far = client.post(
        url, {"reason": "Chậm", "new_due_date": "9999-12-31"}, format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert far.status_code == 400, far.content
    assert far.json()["new_due_date"] == ["Enter a date between 01/01/1990 and 31/12/2100."]
    late = client.post(
        url, {"reason": "Chậm", "new_due_date": "2026-12-31"}, format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert late.status_code == 400, late.content
    assert late.json()["code"] == "reschedule_too_far"
    assert "at most 60 working days" in late.json()["detail"]
    assert not Reschedule.objects.exists()


def test_the_page_shows_the_maximum_as_a_form_error_r_res_1(client, receive, officer):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for day, text in (("9999-12-31", "31/12/2100"), ("2026-12-31", "at most 60 working days")):
        with travel(2026, 3, 5, 10):
            response = client.post(
                reverse("dossiers:act", args=[dossier.pk, "reschedule"]),
                {"reschedule-reason": "Chậm", "reschedule-new_due_date": day},
            )
        assert response.status_code == 400, day
        assert text in html(response), day
    assert not Reschedule.objects.exists()
