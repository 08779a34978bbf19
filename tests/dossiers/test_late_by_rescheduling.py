"""R-RES-4: a rescheduled dossier counts as late whatever the date of its result. Wherever
that "late" shows, the reason shows with it: on the staff page, on the citizen's tracking page
and in the dossier log, even for a result ready before the original date."""

import pytest
from django.urls import reverse

from dossiers import documents, services
from dossiers.tracking.lookup import public_view
from tests.dossiers.pages import html, pdf_text, travel
from tests.helpers import at

pytestmark = pytest.mark.django_db

STAFF_NOTE = "Counted as late because the dossier was rescheduled"
PUBLIC_NOTE = "a rescheduled dossier counts as late"


@pytest.fixture
def finished_early(receive, officer):
    """Due Monday 9 March, rescheduled to the 12th, and ready on Friday 6 March anyway."""
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_reschedule(
        dossier=dossier,
        reason="Chờ xác minh",
        new_due_date=at(2026, 3, 12).date(),
        actor=officer,
        at=at(2026, 3, 4, 10),
    )
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 6, 10))
    dossier.refresh_from_db()
    assert dossier.classification == "late"
    return dossier


def test_the_staff_page_says_why_it_is_late_r_res_4(client, officer, finished_early):
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    page = html(client.get(reverse("dossiers:detail", args=[finished_early.pk])))

    assert STAFF_NOTE in page
    assert 'aria-describedby="late-by-rescheduling"' in page


def test_a_dossier_late_by_its_date_gets_no_such_note(client, officer, receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    services.dossier_complete(dossier=dossier, actor=officer, at=at(2026, 3, 11, 10))
    client.force_login(officer)
    client.cookies["django_language"] = "en"

    page = html(client.get(reverse("dossiers:detail", args=[dossier.pk])))

    assert "Late" in page
    assert STAFF_NOTE not in page


def test_the_tracking_page_says_a_rescheduled_dossier_counts_as_late_r_res_4(
    client, finished_early
):
    client.cookies["django_language"] = "en"
    shown = public_view(dossier_id=finished_early.pk)
    assert shown.completed_at == at(2026, 3, 6, 10)

    from dossiers.tracking.tokens import make_tracking_token

    with travel(2026, 3, 6, 11):
        page = html(
            client.get(reverse("tracking:token", args=[make_tracking_token(finished_early)]))
        )

    assert PUBLIC_NOTE in page
    assert "Result ready" in page


def test_the_dossier_log_says_why_it_is_late_r_res_4(finished_early, desk):
    text = pdf_text(
        documents.dossier_log_pdf(
            desk=desk, date_from=at(2026, 3, 2).date(), date_to=at(2026, 3, 2).date()
        )
    )

    assert "hồ sơ đã hẹn lại được tính là quá hạn" in text
