"""The change history of dossiers (issue 13 part 7, R-PRIV-1; portal/history.py): PostgreSQL
triggers copy each update of a dossier with the request that made it (user, path, method),
whether through a page, the API with a session or a token, the admin or raw SQL; personal data
is never copied, only the fact that it changed."""

import pytest
from django.db import connection

from dossiers.models import DOSSIER_PERSONAL_DATA, Dossier, DossierHistory
from portal.history import PERSONAL_UPDATE, UPDATE
from tests.dossiers.api_helpers import detail_url, signed_in, with_token
from tests.helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(receive, time_machine):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    return dossier


def _route(client, dossier, department):
    response = client.post(
        detail_url(dossier, "route/"),
        {"to_department": department.pk, "step_days": 2, "note": "Chuyển"},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response


def test_receiving_makes_no_history_row_the_dossier_and_its_event_are_the_record(dossier):
    assert not DossierHistory.objects.filter(pgh_obj=dossier).exists()
    assert dossier.events.filter(kind="received").count() == 1


def test_an_update_through_the_api_is_kept_with_the_user_and_request_r_priv_1(
    dossier, alice, departments
):
    _route(signed_in(alice), dossier, departments["civil"])

    event = DossierHistory.objects.select_related("pgh_context").get(pgh_obj=dossier)
    assert event.pgh_label == UPDATE
    assert event.status == "in_process"
    assert event.current_department_id == departments["civil"].pk
    assert event.pgh_context.metadata == {
        "user": alice.pk,
        "url": f"/api/v1/dossiers/{dossier.pk}/route/",
        "method": "POST",
    }


def test_a_token_user_set_by_the_api_view_is_the_one_recorded(dossier, alice, departments):
    # DRF authenticates the token in the view, after the middleware: pghistory follows it.
    _route(with_token(alice), dossier, departments["civil"])

    event = DossierHistory.objects.select_related("pgh_context").get(pgh_obj=dossier)
    assert event.pgh_context.metadata["user"] == alice.pk


def test_personal_data_is_never_copied_only_that_it_changed_r_priv_1(dossier):
    history_columns = {field.name for field in DossierHistory._meta.fields}
    assert not history_columns & set(DOSSIER_PERSONAL_DATA)

    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone="0912000111")

    event = DossierHistory.objects.get(pgh_obj=dossier)
    assert event.pgh_label == PERSONAL_UPDATE
    assert event.pgh_context is None  # no request: a task, a shell or raw SQL


def test_changes_outside_any_request_are_kept_too_raw_sql(dossier):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossier SET sets_count = 2 WHERE id = %s", [dossier.pk])

    event = DossierHistory.objects.get(pgh_obj_id=dossier.pk)
    assert (event.pgh_label, event.sets_count) == (UPDATE, 2)


def test_a_change_made_by_a_task_names_the_task(dossier):
    from portal.celery import app

    @app.task(name="tests.touch_dossier")
    def touch(pk):
        Dossier.objects.filter(pk=pk).update(sets_count=3)

    touch.delay(dossier.pk)  # eager in tests: the same signals as in a worker

    event = DossierHistory.objects.select_related("pgh_context").get(pgh_obj=dossier)
    assert event.pgh_context.metadata == {"task": "tests.touch_dossier"}
