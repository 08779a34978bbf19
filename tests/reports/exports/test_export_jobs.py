"""Export jobs (issue 11): a PDF report made in the background with its progress in the
database, downloaded through a checked and audited view; visible only to its owner and the
administrators of its unit; cancelled before or during its run; expired files deleted; a job
whose worker died queued again or failed, never left running (R-IND-6 in the report)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditLog
from reports.exports import services, tables
from reports.exports.models import ExportJob
from reports.exports.storage import export_storage
from tests.reports.exports.helpers import pdf_text


def _report(owner, unit, period="2026-Q1", capture=None):
    return services.export_job_create(
        owner=owner, kind="report", fmt="pdf", params={"unit": unit.pk, "period": period}
    )


def _download(client, job):
    return client.get(reverse("exports:download", args=[job.pk]))


def test_a_quarterly_report_is_made_in_the_background_and_holds_the_evaluation_r_ind_6(
    data, tree, bob, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _report(bob, tree["district_a"])
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempt) == ("done", 100, 1)
    assert job.file_name.startswith(f"{job.pk}/")
    assert job.expires_at > timezone.now()
    client.force_login(bob)
    response = _download(client, job)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(b"".join(response.streaming_content))
    assert "Quận Ba Đình" in text
    assert "Phường Phúc Xá" in text
    assert "01/2018" in text  # the Circular 01 evaluation section
    assert "766" in text
    assert AuditLog.objects.filter(action="export.downloaded", actor=bob).count() == 1


def test_the_job_page_shows_a_progress_bar_and_polls_while_running(data, tree, bob, client):
    job = _report(bob, tree["district_a"])  # not run: no on-commit callbacks here
    client.force_login(bob)
    html = client.get(reverse("exports:list")).content.decode()
    assert f'id="job-{job.pk}"' in html
    assert "<progress" in html
    assert 'hx-trigger="every 2s"' in html
    row = client.get(reverse("exports:progress", args=[job.pk]))
    assert row.status_code == 200 and b"<progress" in row.content


def test_a_job_is_visible_to_its_owner_and_its_unit_s_administrators_only(
    data, tree, bob, district_admin, charlie, leader, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _report(bob, tree["commune_a1"])
    client.force_login(district_admin)
    assert _download(client, job).status_code == 200
    for outsider in (charlie, leader):  # another unit's user; the commune's leader, not admin
        client.force_login(outsider)
        assert _download(client, job).status_code == 404
        assert client.get(reverse("exports:progress", args=[job.pk])).status_code == 404
        assert client.post(reverse("exports:cancel", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[uuid.uuid4()])).status_code == 404


def test_an_outsider_cannot_ask_for_another_unit_s_report(data, tree, charlie):
    with pytest.raises(tables.InvalidExport):
        _report(charlie, tree["commune_a1"])
    assert not ExportJob.objects.exists()


def test_an_expired_file_is_gone_with_a_clear_answer(
    data, tree, bob, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _report(bob, tree["commune_a1"])
    job.refresh_from_db()
    name = job.file_name
    assert export_storage().exists(name)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(bob)
    response = _download(client, job)
    assert response.status_code == 410
    assert services.export_jobs_expire() == 1
    job.refresh_from_db()
    assert job.state == "expired" and job.file_name == ""
    assert not export_storage().exists(name)
    assert _download(client, job).status_code == 410


def test_a_queued_job_is_cancelled_at_once(data, tree, bob, client):
    job = _report(bob, tree["commune_a1"])
    client.force_login(bob)
    response = client.post(reverse("exports:cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "cancelled"
    assert services.export_report_run(job.pk, job.attempt) == "skipped"  # a late delivery
    assert _download(client, job).status_code == 409


def test_an_export_cancelled_halfway_stops_and_leaves_no_file(data, tree, bob, monkeypatch):
    """The cancel arrives while rows are being written: the worker notices at its next progress
    update, deletes the partial file and marks the job cancelled."""
    job = services.export_job_create(
        owner=bob,
        kind="table",
        fmt="csv",
        table="dossiers",
        params={"unit": tree["commune_a1"].pk, "period": "2026-03", "figure": "received"},
    )

    def many_rows(*, user, p):
        def rows():
            for n in range(20_000):
                if n == 100:
                    ExportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
                yield [f"row {n}"]

        return tables.Table(name="t", title="t", headers=["h"], rows=rows(), total=20_000)

    monkeypatch.setitem(tables.TABLES, "dossiers", many_rows)
    assert services.export_job_run(job.pk, job.attempt) == "cancelled"
    job.refresh_from_db()
    assert job.state == "cancelled" and job.file_name == ""
    assert job.rows_done < 20_000
    assert not export_storage().exists(str(job.pk))


def test_a_job_whose_worker_died_is_queued_again_then_failed_never_stuck(
    data, tree, bob, django_capture_on_commit_callbacks
):
    job = _report(bob, tree["commune_a1"])
    # the worker took it, reported 99 % and died (no heartbeat since)
    ExportJob.objects.filter(pk=job.pk).update(
        state="running", progress=99, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.export_jobs_sweep_stale() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.state, job.attempt, job.progress) == ("done", 2, 100)
    # a late duplicate of the first attempt changes nothing
    assert services.export_report_run(job.pk, 1) == "skipped"
    job.refresh_from_db()
    assert job.state == "done"

    second = _report(bob, tree["commune_a1"])
    ExportJob.objects.filter(pk=second.pk).update(
        state="running", attempt=2, progress=99, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert services.export_jobs_sweep_stale() == {"requeued": 0, "failed": 1}
    second.refresh_from_db()
    assert second.state == "failed" and second.message


def test_a_fresh_running_job_is_left_alone(data, tree, bob):
    job = _report(bob, tree["commune_a1"])
    ExportJob.objects.filter(pk=job.pk).update(state="running", heartbeat_at=timezone.now())
    assert services.export_jobs_sweep_stale() == {"requeued": 0, "failed": 0}


def test_a_report_of_a_period_with_no_data_says_so(
    tree, bob, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _report(bob, tree["commune_a1"], period="2025-Q1")
    job.refresh_from_db()
    assert job.state == "done"
    client.force_login(bob)
    text = pdf_text(b"".join(_download(client, job).streaming_content))
    assert "Phường Phúc Xá" in text


def test_the_report_lists_late_dossiers_up_to_the_limit_then_summarises(
    data, tree, bob, settings, client, django_capture_on_commit_callbacks
):
    from reports import periods
    from reports.exports import report

    a1 = tree["commune_a1"]
    listed = report.late_dossiers(user=bob, unit=a1, period=periods.month(2026, 3), limit=10)
    assert listed["count"] == 3 and len(listed["rows"]) == 3 and listed["by_procedure"] == []
    summary = report.late_dossiers(user=bob, unit=a1, period=periods.month(2026, 3), limit=2)
    assert summary["rows"] == []
    assert [p["n"] for p in summary["by_procedure"]] == [3]
    settings.REPORTS_PDF_LATE_ROWS_MAX = 2
    with django_capture_on_commit_callbacks(execute=True):
        job = _report(bob, a1, period="2026-03")
    client.force_login(bob)
    text = pdf_text(b"".join(_download(client, ExportJob.objects.get(pk=job.pk)).streaming_content))
    assert data["d3"].code not in text  # summarised, not listed
