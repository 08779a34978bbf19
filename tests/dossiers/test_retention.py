"""Personal data is kept only as long as the retention setting says (R-PRIV-1)."""

from dossiers import services, tasks
from dossiers.models import Dossier
from portal.models import AuditLog, Notification
from tests.helpers import at


def _returned(receive, officer, alice, day):
    dossier, _pin = receive(received_at=at(*day, 9))
    services.dossier_complete(dossier=dossier, actor=officer, at=at(*day, 10))
    services.dossier_return(dossier=dossier, actor=alice, at=at(*day, 11))
    return dossier


def test_personal_data_is_blanked_after_the_retention_period_r_priv_1(
    receive, officer, alice, settings
):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 365
    old = _returned(receive, officer, alice, (2025, 3, 3))
    recent = _returned(receive, officer, alice, (2026, 3, 2))
    still_open, _pin = receive(received_at=at(2025, 3, 3, 9))
    now = at(2026, 6, 1, 3)
    assert services.dossiers_anonymise_expired(now=now) == 1
    old.refresh_from_db()
    assert (
        old.applicant_name,
        old.applicant_id_number,
        old.applicant_phone,
        old.applicant_email,
        old.applicant_address,
    ) == (services.ANONYMISED_NAME, "", "", "", "")
    assert old.code and old.classification == "early"  # statistics survive
    assert Dossier.objects.get(pk=recent.pk).applicant_name == "Nguyễn Văn An"
    assert Dossier.objects.get(pk=still_open.pk).applicant_name == "Nguyễn Văn An"
    assert not Notification.objects.filter(object_id=str(old.pk)).exclude(recipient="").exists()
    assert AuditLog.objects.filter(action="dossier.anonymise").get().data["count"] == 1
    assert services.dossiers_anonymise_expired(now=now) == 0


def test_retention_zero_keeps_personal_data_r_priv_1(receive, officer, alice, settings):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 0
    old = _returned(receive, officer, alice, (2024, 3, 4))
    assert tasks.anonymise_expired.apply().get() == 0
    old.refresh_from_db()
    assert old.applicant_name == "Nguyễn Văn An"


def test_the_nightly_task_works_through_all_batches(receive, officer, alice, settings):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 30
    for day in (3, 4, 5):
        _returned(receive, officer, alice, (2025, 3, day))
    assert tasks.anonymise_expired.apply().get() == 3
    assert set(Dossier.objects.values_list("applicant_name", flat=True)) == {
        services.ANONYMISED_NAME
    }
