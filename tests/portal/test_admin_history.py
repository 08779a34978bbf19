"""The change history and the audit log in the admin (issue 13 part 7, R-PRIV-1): settings
changed in the admin are kept with who changed them; the history is searchable by object and
by user, filtered by date and kind, read-only; the audit log of exports and prints is filtered
by kind and date and cannot be changed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.history import DELETE, INSERT
from portal.models import AuditLog, CalendarOverride, CalendarOverrideHistory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENTS_URL = reverse("admin:pghistory_middlewareevents_changelist")
TABLE_URL = reverse("admin:portal_calendaroverridehistory_changelist")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def day_off(client, superuser):
    """A day off added then deleted in the admin by ``root``; its id."""
    client.force_login(superuser)
    response = client.post(
        reverse("admin:portal_calendaroverride_add"),
        {"date": "02/01/2026", "kind": CalendarOverride.Kind.DAY_OFF, "name": "Nghỉ bù Tết"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    override = CalendarOverride.objects.get()
    response = client.post(
        reverse("admin:portal_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    return override.pk


def _rows(response):
    return list(response.context["cl"].result_list)


def test_settings_changed_in_the_admin_are_kept_with_who_changed_them(day_off, superuser):
    events = CalendarOverrideHistory.objects.filter(pgh_obj_id=day_off).order_by("pgh_id")

    assert [(e.pgh_label, e.name) for e in events] == [
        (INSERT, "Nghỉ bù Tết"),
        (DELETE, "Nghỉ bù Tết"),
    ]
    assert [e.pgh_context.metadata["user"] for e in events] == [superuser.pk, superuser.pk]
    assert events[0].pgh_context.metadata["url"] == reverse("admin:portal_calendaroverride_add")


def test_the_events_page_lists_an_objects_history_from_its_events_button(client, day_off):
    # The change list of a tracked model links to its events (pghistory's admin templates).
    listing = client.get(reverse("admin:portal_calendaroverride_changelist"))
    assert f"{EVENTS_URL}?model=portal.CalendarOverride" in listing.content.decode()
    of_the_model = _rows(client.get(EVENTS_URL, {"model": "portal.CalendarOverride"}))
    assert {row.pgh_obj_model for row in of_the_model} == {"portal.CalendarOverride"}

    response = client.get(
        EVENTS_URL, {"obj": f"portal.CalendarOverride:{day_off}", "method": "tracks"}
    )

    assert response.status_code == 200
    assert [row.pgh_label for row in _rows(response)] == [DELETE, INSERT]  # newest first


def test_the_events_page_lists_nothing_until_narrowed_then_finds_by_user_or_object(client, day_off):
    assert _rows(client.get(EVENTS_URL)) == []  # unfiltered it would read every history table

    by_user = _rows(client.get(EVENTS_URL, {"q": "root"}))
    by_object = _rows(client.get(EVENTS_URL, {"q": str(day_off)}))
    by_someone_else = _rows(client.get(EVENTS_URL, {"q": "nobody"}))
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = _rows(client.get(EVENTS_URL, {"pgh_created_at__gte": midnight.isoformat()}))

    assert {(r.pgh_obj_model, r.pgh_label) for r in by_user} >= {
        ("portal.CalendarOverride", INSERT),
        ("portal.CalendarOverride", DELETE),
    }
    # An id alone names an object of any tracked model: narrow with the model filter.
    assert {r.pgh_obj_id for r in by_object} == {str(day_off)}
    assert "portal.CalendarOverride" in {r.pgh_obj_model for r in by_object}
    assert by_someone_else == []
    assert len(today) >= 2


def test_a_history_table_page_searches_by_object_and_user_and_filters_by_date(client, day_off):
    by_object = _rows(client.get(TABLE_URL, {"q": str(day_off)}))
    by_user = client.get(TABLE_URL, {"q": "root"})
    other_object = _rows(client.get(TABLE_URL, {"q": str(day_off + 1)}))
    long_ago = _rows(
        client.get(
            TABLE_URL,
            {
                "pgh_created_at__gte": "2000-01-01T00:00:00+07:00",
                "pgh_created_at__lt": "2000-01-02T00:00:00+07:00",
            },
        )
    )

    assert [row.pgh_label for row in by_object] == [DELETE, INSERT]
    assert len(_rows(by_user)) == 2 and "root" in by_user.content.decode()
    assert other_object == [] and long_ago == []


def test_a_history_table_page_costs_the_same_queries_for_more_rows(client, superuser):
    client.force_login(superuser)
    for i in range(2):
        CalendarOverride.objects.create(date=dt.date(2030, 1, 1 + i), name="Nghỉ")
    client.get(TABLE_URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(TABLE_URL).status_code == 200
    for i in range(15):
        CalendarOverride.objects.create(date=dt.date(2031, 1, 1 + i), name="Nghỉ")

    with CaptureQueriesContext(connection) as more:
        response = client.get(TABLE_URL)

    assert len(_rows(response)) == 17
    assert len(more) <= len(few)


def test_the_history_cannot_be_changed_or_deleted_in_the_admin(client, day_off):
    event = CalendarOverrideHistory.objects.filter(pgh_obj_id=day_off).first()
    change_url = reverse("admin:portal_calendaroverridehistory_change", args=[event.pk])
    delete_url = reverse("admin:portal_calendaroverridehistory_delete", args=[event.pk])

    assert client.post(change_url, {"name": "tampered"}).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert CalendarOverrideHistory.objects.filter(pgh_obj_id=day_off).count() == 2


def test_the_audit_log_filters_exports_and_prints_of_personal_data_r_priv_1(client, superuser):
    for action in ("dossier.document_export", "export.downloaded", "membership.grant"):
        AuditLog.objects.create(action=action, object_type="x", object_id="1")
    old = AuditLog.objects.create(action="dossier_log.export", object_type="x", object_id="2")
    AuditLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=400))
    client.force_login(superuser)
    url = reverse("admin:portal_auditlog_changelist")

    exports = _rows(client.get(url, {"kind": "exports"}))
    accounts = _rows(client.get(url, {"kind": "accounts"}))
    this_year = _rows(
        client.get(
            url,
            {"kind": "exports", "at__gte": f"{timezone.localdate():%Y}-01-01T00:00:00+07:00"},
        )
    )

    assert {row.action for row in exports} == {
        "dossier.document_export",
        "export.downloaded",
        "dossier_log.export",
    }
    assert [row.action for row in accounts] == ["membership.grant"]
    assert "dossier_log.export" not in {row.action for row in this_year}
