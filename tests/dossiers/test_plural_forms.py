"""Counts are written with the language's own plural rule (``ngettext``): "1 working day",
"5 working days", "4 working hours", never "1 working days"."""

import pytest
from django.urls import reverse
from django.utils import translation

from dossiers.templatetags.dossier_tags import duration_text
from tests.dossiers.pages import html, travel
from tests.factories import ProcedureFactory
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (1, "days", "1 working day"),
        (5, "days", "5 working days"),
        (1, "hours", "1 working hour"),
        (4, "hours", "4 working hours"),
    ],
)
def test_durations_use_the_plural_rule(amount, unit, text):
    with translation.override("en"):
        assert duration_text(amount, unit) == text


def test_a_one_day_procedure_reads_one_working_day_on_the_dossier_page(
    client, desk, alice, receive
):
    one_day = ProcedureFactory(
        code="1.000656", name="Đăng ký khai tử", processing_time=1, offered_at=[desk]
    )
    dossier, _pin = receive(procedure=one_day, received_at=at(2026, 3, 2, 9))
    client.force_login(alice)
    client.cookies["django_language"] = "en"

    with travel(2026, 3, 2, 10):
        page = html(client.get(reverse("dossiers:detail", args=[dossier.pk])))
        checklist = html(
            client.get(
                reverse("dossiers:intake_documents"), {"desk": desk.pk, "procedure": one_day.pk}
            )
        )

    assert "1 working day<" in page and "1 working days" not in page
    assert "processing time 1 working day" in checklist
