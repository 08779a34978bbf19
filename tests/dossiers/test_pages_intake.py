"""Receiving a dossier through the intake page (R-LIFE-2, R-LIFE-5): the dossier is created
with the documents ticked on the checklist, its code and PIN are shown once, and the PIN reaches
the receipt slip without ever going into a URL (R-PRIV-1)."""

import re

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from dossiers.services import pin_matches
from tests.dossiers.pages import html, intake_data, pdf_text, travel

pytestmark = pytest.mark.django_db
PIN_RE = re.compile(r'id="received-pin">(\d{6})<')


@pytest.fixture(autouse=True)
def monday_morning():
    with travel(2026, 3, 2, 9):
        yield


def _receive(client, desk, procedure, docs, **overrides):
    return client.post(reverse("dossiers:intake"), intake_data(desk, procedure, docs, **overrides))


def test_intake_page_focuses_the_procedure_search_and_lists_the_desk_procedures(
    client, alice, desk, procedure
):
    client.force_login(alice)

    response = client.get(reverse("dossiers:intake"))

    page = html(response)
    assert response.status_code == 200
    assert re.search(r'<input type="search" id="procedure-search"[^>]*autofocus', page, re.S)
    assert f'<option value="{procedure.pk}" selected>Đăng ký khai sinh · 1.001193</option>' in page
    assert f'name="desk" value="{desk.pk}"' in page  # the user's only desk, chosen for her


def test_receiving_creates_the_dossier_with_the_ticked_documents(
    client, alice, desk, procedure, documents_required
):
    client.force_login(alice)
    _form, birth, parents = documents_required
    overrides = {
        f"doc_{birth.pk}_quantity": "3",
        f"doc_{parents.pk}": "",  # the optional document was not handed in
        "extra_name": "Sổ hộ khẩu",
        "extra_quantity": "1",
        "sets_count": "2",
        "return_mode": "post",
    }

    response = _receive(client, desk, procedure, documents_required, **overrides)

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:received", args=[dossier.pk])
    assert dossier.code == "000.01.01.H26-260302-0001"
    assert dossier.received_by == alice
    assert (dossier.sets_count, dossier.return_mode) == (2, "post")
    assert list(dossier.documents.values_list("name", "is_original", "quantity")) == [
        ("Tờ khai đăng ký khai sinh", True, 1),
        ("Giấy chứng sinh", False, 3),
        ("Sổ hộ khẩu", False, 1),
    ]


def test_code_and_pin_are_shown_once_and_the_pin_never_goes_in_a_url(
    client, alice, desk, procedure
):
    client.force_login(alice)
    response = _receive(client, desk, procedure, [])
    dossier = Dossier.objects.get()

    first = client.get(response["Location"])
    second = client.get(response["Location"])

    pin = PIN_RE.search(html(first)).group(1)
    assert dossier.code in html(first)
    assert pin_matches(dossier=dossier, pin=pin)
    assert pin not in response["Location"]
    assert pin not in re.sub(r'id="received-pin">\d{6}<', "", html(first))  # only once on it
    assert first["Cache-Control"].startswith("max-age=0")
    assert "no-store" in first["Cache-Control"]
    assert dossier.code in html(second)
    assert not PIN_RE.search(html(second))
    assert pin not in html(second)


def test_the_receipt_slip_carries_the_pin_on_its_first_print_only(client, alice, desk, procedure):
    client.force_login(alice)
    response = _receive(client, desk, procedure, [])
    pin = PIN_RE.search(html(client.get(response["Location"]))).group(1)
    dossier = Dossier.objects.get()
    url = reverse("dossiers:receipt_pdf", args=[dossier.pk])

    first = client.get(url)
    reprint = client.get(url)

    assert first["Content-Type"] == "application/pdf"
    assert pin in pdf_text(first.content)
    assert dossier.code in pdf_text(first.content)
    assert reprint["Content-Type"] == "application/pdf"
    assert pin not in pdf_text(reprint.content)


def test_the_pin_stays_in_the_session_of_the_receptionist_only(
    client, alice, desk, procedure, clerk
):
    """Another staff member of the unit printing the slip gets no PIN."""
    client.force_login(alice)
    response = _receive(client, desk, procedure, [])
    pin = PIN_RE.search(html(client.get(response["Location"]))).group(1)
    dossier = Dossier.objects.get()

    client.force_login(clerk)  # a new session
    slip = client.get(reverse("dossiers:receipt_pdf", args=[dossier.pk]))

    assert slip.status_code == 200
    assert pin not in pdf_text(slip.content)


def test_procedure_suggestions_match_without_accents_and_swap_the_checklist(
    client, alice, desk, procedure, documents_required
):
    from tests.factories import ProcedureFactory

    ProcedureFactory(code="1.000894", name="Đăng ký kết hôn", offered_at=[desk])
    client.force_login(alice)

    response = client.get(
        reverse("dossiers:procedure_options"), {"desk": desk.pk, "q": "khai sinh"}
    )

    page = html(response)
    options = page.split('id="documents-checklist"')[0]
    assert response.status_code == 200
    assert options.count("<option") == 1
    assert f'<option value="{procedure.pk}" selected>' in page
    assert 'id="documents-checklist"' in page and 'hx-swap-oob="true"' in page
    assert "Giấy chứng sinh" in page
    assert "kết hôn" not in options


def test_document_checklist_follows_the_chosen_procedure(
    client, alice, desk, procedure, documents_required
):
    client.force_login(alice)

    response = client.get(
        reverse("dossiers:intake_documents"), {"desk": desk.pk, "procedure": procedure.pk}
    )

    page = html(response)
    assert [d.name in page for d in documents_required] == [True, True, True]
    birth = documents_required[1]
    assert f'name="doc_{birth.pk}_quantity" value="2"' in page
    optional = documents_required[2]
    assert f'name="doc_{optional.pk}" checked' not in page  # optional: not ticked by default
    assert f'name="doc_{birth.pk}" checked' in page


def test_without_javascript_enter_in_the_search_box_narrows_the_list(
    client, alice, desk, procedure
):
    from tests.factories import ProcedureFactory

    marriage = ProcedureFactory(code="1.000894", name="Đăng ký kết hôn", offered_at=[desk])
    client.force_login(alice)
    data = intake_data(desk, procedure, procedure="", q="ket hon", applicant_name="Lê Thị Bình")

    response = client.post(reverse("dossiers:intake"), data)

    page = html(response)
    assert response.status_code == 200
    assert f'<option value="{marriage.pk}">' in page
    assert f'<option value="{procedure.pk}"' not in page
    assert 'value="Lê Thị Bình"' in page
    assert "field__error" not in page
    assert re.search(r'<select id="id_procedure"[^>]*autofocus', page, re.S)
    assert not Dossier.objects.exists()
