"""A rescheduled dossier's tracking page shows the apology, its reason and the new date
(R-RES-3)."""

import datetime as dt
import re

import pytest

from dossiers import services
from tests.helpers import at

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

LOOKUP = "/tra-cuu/"


def test_rescheduled_dossier_shows_the_apology_and_new_date_r_res_3(client, receive, officer):
    import time_machine

    dossier, pin = receive(received_at=at(2026, 3, 2, 9))  # due Mon 9 Mar
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ kết quả xác minh của Công an phường",
        new_due_date=dt.date(2026, 3, 12),
        actor=officer,
        at=at(2026, 3, 5, 10),
    )

    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, follow=True)

    html = response.content.decode()
    apology = html[
        html.index('class="apology"') : html.index("</section>", html.index('class="apology"'))
    ]
    assert "Xin lỗi và hẹn lại ngày trả kết quả" in apology
    assert "Chúng tôi thành thật xin lỗi" in apology
    assert re.search(r"Lý do chậm trễ</dt><dd>Chờ kết quả xác minh của Công an phường<", apology)
    assert re.search(r"Ngày hẹn trước đây</dt><dd><time[^>]*>Ngày 09 tháng 3 năm 2026<", apology)
    assert re.search(r"Ngày hẹn mới</dt><dd><strong><time[^>]*>Ngày 12 tháng 3 năm 2026<", apology)
    assert re.search(r"Ngày hẹn trả kết quả</dt><dd><time[^>]*>Ngày 12 tháng 3 năm 2026<", html)
    assert "Xin lỗi và hẹn lại" in html  # in the timeline


def test_dossier_never_rescheduled_shows_no_apology_r_res_3(client, tracked):
    dossier, pin = tracked

    response = client.post(LOOKUP, {"code": dossier.code, "pin": pin}, follow=True)

    assert "Xin lỗi và hẹn lại ngày trả kết quả" not in response.content.decode()
