"""The public tracking page: a citizen looks a dossier up with the code and PIN of the receipt
slip, without an account (R-LIFE-5), and sees its progress but no personal data (R-PRIV-1)."""

import pytest
from django.urls import reverse

from tests.dossiers.helpers import APPLICANT

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

LOOKUP = "/tra-cuu/"


def test_lookup_page_is_public_and_has_the_form(client, db):
    response = client.get(reverse("tracking:lookup"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("tracking:lookup") == LOOKUP
    assert 'name="code"' in html and 'name="pin"' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "Tra cứu hồ sơ" in html  # Vietnamese by default
    assert response["Cache-Control"].count("no-store") == 1


def test_correct_code_and_pin_show_status_and_masked_name_r_priv_1(client, tracked, desk):
    dossier, pin = tracked
    desk.email = "motcua.phucxa@example.gov.vn"
    desk.opening_hours = "Thứ Hai đến Thứ Sáu, 7:30–17:00"
    desk.save()

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "N***** V** An" in html  # Nguyễn Văn An, masked
    assert "Đã tiếp nhận" in html  # status: received
    assert "Đăng ký khai sinh" in html  # procedure
    assert desk.name in html and "024 3825 0000" in html and "1 Đường Lê Lợi" in html
    assert "motcua.phucxa@example.gov.vn" in html and "7:30–17:00" in html
    assert "Ngày 02 tháng 3 năm 2026" in html  # received
    assert "Ngày 09 tháng 3 năm 2026" in html  # appointment (5 working days)
    for secret in (
        APPLICANT["name"],
        "Nguyễn",
        APPLICANT["id_number"],
        APPLICANT["phone"],
        APPLICANT["phone"].replace(" ", ""),
        APPLICANT["email"],
        APPLICANT["address"],
        pin,
    ):
        assert secret not in html


def test_code_is_found_whatever_the_case_and_spaces(client, tracked):
    dossier, pin = tracked

    response = client.post(LOOKUP, {"code": f"  {dossier.code.lower()} ", "pin": f" {pin} "})

    assert response.status_code == 303
    assert response["Location"] == reverse("tracking:result")


def test_lookup_needs_both_fields_and_says_so(client, db):
    response = client.post(LOOKUP, {"code": "", "pin": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field__error"') == 2


def test_result_page_reads_a_bounded_number_of_queries(
    client, tracked, django_assert_max_num_queries
):
    dossier, pin = tracked
    client.post(LOOKUP, {"code": dossier.code, "pin": pin})

    # the dossier (procedure, unit, desk, rescheduling joined), then the public events
    with django_assert_max_num_queries(2):
        response = client.get(reverse("tracking:result"))

    assert response.status_code == 200
