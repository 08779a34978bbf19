"""Export jobs through the API (issue 11): start one (202), follow its state and progress, cancel
it, download it; another unit's user gets 404 for every call, bad input a 400 with a code."""

import pytest
from rest_framework.test import APIClient

from portal.models import AuditLog
from reports.exports.models import ExportJob

JOBS = "/api/v1/reports/exports/"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _cache(cleared_cache):
    yield


def test_a_report_job_through_the_api(data, tree, bob, django_capture_on_commit_callbacks):
    api = signed_in(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            JOBS,
            {"kind": "report", "fmt": "pdf", "unit": tree["district_a"].pk, "period": "2026-Q1"},
            format="json",
        )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    detail = api.get(f"{JOBS}{job_id}/").json()
    assert detail["state"] == "done" and detail["progress"] == 100
    assert detail["download_url"].endswith(f"/api/v1/reports/exports/{job_id}/download/")
    listed = api.get(JOBS).json()
    assert [j["id"] for j in listed["results"]] == [job_id]
    download = api.get(f"{JOBS}{job_id}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditLog.objects.filter(action="export.downloaded").count() == 1


def test_a_table_job_as_csv_through_the_api(data, tree, bob, django_capture_on_commit_callbacks):
    api = signed_in(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            JOBS,
            {
                "kind": "table",
                "fmt": "csv",
                "table": "dossiers",
                "unit": tree["district_a"].pk,
                "period": "2026-03",
                "figure": "late",
            },
            format="json",
        )
    assert response.status_code == 202, response.content
    job = ExportJob.objects.get()
    assert (job.state, job.rows_total, job.personal_data) == ("done", 3, True)
    data_bytes = b"".join(api.get(f"{JOBS}{job.pk}/download/").streaming_content)
    assert data_bytes.startswith("\ufeff".encode())


def test_another_unit_s_user_gets_404_everywhere(data, tree, bob, charlie):
    job = (
        signed_in(bob)
        .post(
            JOBS,
            {"kind": "report", "fmt": "pdf", "unit": tree["commune_a1"].pk, "period": "2026-Q1"},
            format="json",
        )
        .json()
    )
    api = signed_in(charlie)
    assert api.get(f"{JOBS}{job['id']}/").status_code == 404
    assert api.post(f"{JOBS}{job['id']}/cancel/").status_code == 404
    assert api.get(f"{JOBS}{job['id']}/download/").status_code == 404
    assert api.get(JOBS).json()["results"] == []


def test_cancel_then_download_is_a_conflict(data, tree, bob):
    api = signed_in(bob)
    job = api.post(
        JOBS,
        {"kind": "report", "fmt": "pdf", "unit": tree["commune_a1"].pk, "period": "2026-Q1"},
        format="json",
    ).json()
    cancelled = api.post(f"{JOBS}{job['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    again = api.post(f"{JOBS}{job['id']}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "export_finished"
    assert api.get(f"{JOBS}{job['id']}/download/").status_code == 409


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"kind": "report", "fmt": "xlsx", "period": "2026-Q1"}, "invalid_export"),
        ({"kind": "report", "fmt": "pdf", "period": "2026-Q9"}, "invalid_period"),
        (
            {"kind": "table", "fmt": "pdf", "table": "ranking", "period": "2026-Q1"},
            "invalid_export",
        ),
    ],
)
def test_bad_input_is_a_400_with_a_code(data, tree, bob, payload, code):
    response = signed_in(bob).post(JOBS, {**payload, "unit": tree["district_a"].pk}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not ExportJob.objects.exists()


def test_the_api_needs_a_signed_in_user(db):
    assert APIClient().get(JOBS).status_code == 401
