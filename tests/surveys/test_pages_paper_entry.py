"""Staff key in a batch of paper forms, or phone interviews, on one fast page (R-SUR-2): the
batch context stays from one sheet to the next, a serial number already entered at the desk is
refused next to the serial, and a bad sheet stores nothing."""

import pytest
from django.urls import reverse

from portal.models import AuditLog
from surveys.models import Answer, Response
from tests.surveys.helpers import db_state, sheet_post

PAGE = "/khao-sat/nhap-phieu/"


@pytest.fixture
def staff(client, alice, small_form, desk, procedure):
    client.force_login(alice)
    return client


def batch(desk, **extra):
    return {"desk": desk.pk, "channel": "paper", "date": "2026-03-10", **extra}


def test_the_page_opens_on_the_only_desk_with_the_form_as_compact_rows(staff, desk):
    response = staff.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="paper-cell"') == 3
    assert 'name="serial"' in html
    assert "js/paper-entry.js" in html
    assert f'<option value="{desk.pk}" selected>' in html


def test_a_batch_of_sheets_is_saved_one_after_the_other_r_sur_2(staff, desk, small_form, alice):
    data = {
        **batch(desk),
        **sheet_post(small_form.c, {"x1": 5, "x2": "0", "y1": "-"}, form=small_form.form),
        "serial": "A-0041",
        "comment": "Chờ lâu",
    }

    response = staff.post(PAGE, data)

    assert response.status_code == 302
    assert "next=A-0042" in response["Location"]
    assert f"desk={desk.pk}" in response["Location"]
    saved = Response.objects.get()
    assert (saved.channel, saved.paper_serial, saved.entered_by, saved.comment) == (
        "paper",
        "A-0041",
        alice,
        "Chờ lâu",
    )
    assert saved.submitted_at.date().isoformat() == "2026-03-10"
    answers = {a.criterion.code: (a.value, a.not_applicable) for a in Answer.objects.all()}
    assert answers == {"x1": (5, False), "x2": (None, True), "y1": (None, True)}
    assert AuditLog.objects.filter(action="survey_response.entered").count() == 1

    following = staff.get(response["Location"])
    html = following.content.decode()
    assert 'value="A-0042"' in html  # the next serial, ready to check and go on
    assert "A-0041" in html  # "saved" message
    assert 'value="2026-03-10"' in html  # the batch context is kept

    data.update(serial="A-0042", **{f"criterion_{small_form.c['x1'].pk}": "3"})
    assert staff.post(PAGE, data).status_code == 302
    assert sorted(Response.objects.values_list("paper_serial", flat=True)) == ["A-0041", "A-0042"]


def test_a_serial_already_entered_is_refused_next_to_the_serial(staff, desk, small_form):
    data = {
        **batch(desk),
        **sheet_post(small_form.c, {"x1": 5}, form=small_form.form),
        "serial": "77",
    }
    staff.post(PAGE, data)
    before = db_state()

    response = staff.post(PAGE, data)

    html = response.content.decode()
    assert response.status_code == 409
    assert db_state() == before
    serial_error = html.split('id="serial-error">')[1].split("</p>")[0]
    assert "77" in serial_error
    assert "đã được nhập" in serial_error


def test_a_value_outside_the_scale_is_shown_on_its_row_and_nothing_is_stored(
    staff, desk, small_form
):
    before = db_state()
    data = {
        **batch(desk),
        **sheet_post(small_form.c, {"x1": 5, "x2": "7"}, form=small_form.form),
        "serial": "9",
    }

    response = staff.post(PAGE, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert db_state() == before
    assert f'id="criterion_{small_form.c["x2"].pk}-error"' in html
    x2 = f"criterion_{small_form.c['x2'].pk}"
    assert f'id="{x2}" name="{x2}" value="7"' in html  # what was typed stays, to be corrected


def test_a_phone_interview_is_linked_to_the_dossier_code(staff, desk, small_form, make_dossier):
    dossier = make_dossier()
    data = {
        **batch(desk, channel="phone"),
        **sheet_post(small_form.c, {"x1": 4}, form=small_form.form),
        "dossier_code": dossier.code,
    }

    page = staff.get(PAGE, batch(desk, channel="phone")).content.decode()
    response = staff.post(PAGE, data)

    assert 'name="dossier_code"' in page and 'name="serial"' not in page
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.channel, saved.dossier, saved.paper_serial) == ("phone", dossier, "")


def test_an_unknown_dossier_code_is_refused_next_to_the_code(staff, desk, small_form):
    before = db_state()
    data = {
        **batch(desk, channel="phone"),
        **sheet_post(small_form.c, {"x1": 4}, form=small_form.form),
        "dossier_code": "NO-SUCH-CODE",
    }

    response = staff.post(PAGE, data)

    assert response.status_code == 400
    assert 'id="dossier-error"' in response.content.decode()
    assert db_state() == before


def test_an_outsider_cannot_enter_sheets_for_another_desk(
    client, charlie, desk, desk_b1, small_form
):
    client.force_login(charlie)
    before = db_state()
    data = {
        **batch(desk),
        **sheet_post(small_form.c, {"x1": 5}, form=small_form.form),
        "serial": "1",
    }

    page = client.get(PAGE).content.decode()
    response = client.post(PAGE, data)

    assert desk.name not in page and desk_b1.name in page
    assert response.status_code == 400
    assert db_state() == before


def test_the_blank_form_link_is_offered_for_the_batch(staff, desk, small_form):
    html = staff.get(PAGE, batch(desk)).content.decode()

    assert reverse("surveys:blank_form") + f"?form={small_form.form.pk}&amp;desk={desk.pk}" in html
