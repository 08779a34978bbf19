"""Senders' personal data is kept only as long as the retention setting says (R-PRIV-1): the
same setting as for dossiers, counted from the item's close (or its answer when never closed)."""

from django.db import transaction

from dossiers.services import ANONYMISED_NAME
from feedback import services, tasks
from feedback.models import Attachment, Item
from feedback.retention import items_anonymise_expired
from portal.models import AuditLog, Notification
from tests.feedback.helpers import stored_files
from tests.feedback.test_attachments import PDF, upload
from tests.helpers import at

NOW = at(2027, 6, 1, 3)


def _answered(submit, officer, day, *, close=True, **kwargs):
    item, _pin = submit(received_at=at(*day, 9), **kwargs)
    services.feedback_reply(item=item, actor=officer, text="Trả lời", at=at(*day, 15))
    if close:
        services.feedback_close(item=item, actor=officer, at=at(*day, 16))
    item.refresh_from_db()
    return item


def _personal(item):
    fresh = Item.objects.get(pk=item.pk)
    return (
        fresh.sender_name,
        fresh.sender_phone,
        fresh.sender_email,
        fresh.sender_address,
        fresh.sender_id_number,
    )


def test_senders_data_and_files_go_after_the_retention_period_r_priv_1(
    submit, officer, settings, private_files, django_capture_on_commit_callbacks
):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 365
    old = _answered(submit, officer, (2026, 3, 2), attachments=[upload("a.pdf", PDF)])
    answered_only = _answered(submit, officer, (2026, 3, 3), close=False)
    recent = _answered(submit, officer, (2026, 9, 1))
    still_open, _pin = submit(received_at=at(2026, 3, 2, 10))
    assert len(stored_files(private_files)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert items_anonymise_expired(now=NOW) == 2

    assert _personal(old) == (ANONYMISED_NAME, "", "", "", "")
    assert _personal(answered_only) == (ANONYMISED_NAME, "", "", "", "")
    assert _personal(recent)[0] == _personal(still_open)[0] == "Nguyễn Văn An"
    assert not Attachment.objects.filter(item=old).exists()
    assert stored_files(private_files) == []
    fresh = Item.objects.get(pk=old.pk)  # the case itself stays for statistics
    assert (fresh.code, fresh.answered_on_time, fresh.body) == (old.code, True, old.body)
    assert not (
        Notification.objects.filter(
            object_type="feedback", object_id__in=[old.pk, answered_only.pk]
        )
        .exclude(recipient="")
        .exists()
    )
    assert Notification.objects.filter(object_id=str(recent.pk)).exclude(recipient="").exists()
    log = AuditLog.objects.get(action="feedback.anonymise")
    assert (log.data["count"], log.data["files"]) == (2, 1)
    assert items_anonymise_expired(now=NOW) == 0  # idempotent


def test_an_anonymous_item_stays_anonymous_and_is_not_counted_again_r_priv_1(
    submit, officer, settings
):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 30
    item = _answered(submit, officer, (2026, 3, 2), sender={"phone": "0912 345 678"})
    assert items_anonymise_expired(now=NOW) == 1
    assert _personal(item) == ("", "", "", "", "")
    assert items_anonymise_expired(now=NOW) == 0


def test_files_stay_when_the_batch_is_rolled_back_r_priv_1(
    submit, officer, settings, private_files, django_capture_on_commit_callbacks
):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 30
    _answered(submit, officer, (2026, 3, 2), attachments=[upload("a.pdf", PDF)])
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                items_anonymise_expired(now=NOW)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert Attachment.objects.count() == 1 and len(stored_files(private_files)) == 1


def test_retention_zero_keeps_senders_data_and_the_task_runs_all_batches_r_priv_1(
    submit, officer, settings
):
    old = [_answered(submit, officer, (2026, 3, day)) for day in (2, 3, 4)]
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 0
    assert tasks.anonymise_expired.apply().get() == 0
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 30
    assert tasks.anonymise_expired.apply().get() == 3
    assert {_personal(item)[0] for item in old} == {ANONYMISED_NAME}


def test_the_nightly_run_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["anonymise-expired-feedback"]
    assert schedule["task"] == tasks.anonymise_expired.name
