"""CSV and XLSX of the reports' tables (issue 11): CSV streamed with a UTF-8 byte-order mark so
Excel reads Vietnamese, XLSX that opens with the Vietnamese text intact, only rows the user may
see, and every export of personal data in the audit log (R-PRIV-1)."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from portal.models import AuditLog
from reports.exports.models import ExportJob
from tests.reports.exports.helpers import body


def _url(table, fmt, **params):
    from urllib.parse import urlencode

    return reverse("exports:table", kwargs={"table": table, "fmt": fmt}) + "?" + urlencode(params)


def test_the_late_dossiers_stream_as_csv_with_a_bom_and_are_audited_r_priv_1(
    data, client, tree, bob
):
    client.force_login(bob)
    response = client.get(
        _url("dossiers", "csv", unit=tree["commune_a1"].pk, period="2026-03", figure="late")
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã hồ sơ"
    assert {r[0] for r in rows[1:]} == {data["d3"].code, data["d4"].code, data["d5"].code}
    assert rows[1][3] == "Nguyễn Văn An"  # applicant names: personal data
    entry = AuditLog.objects.get(action="export.streamed")
    assert entry.actor == bob and entry.data["personal_data"] is True


def test_a_ranking_downloads_as_xlsx_with_vietnamese_text(data, client, tree, bob):
    client.force_login(bob)
    response = client.get(_url("ranking", "xlsx", unit=tree["district_a"].pk, period="2026-03"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "Đơn vị"  # the header row, in the language of the request
    assert {r[1] for r in rows[1:]} == {"Phường Phúc Xá", "Phường Trúc Bạch"}


@pytest.mark.parametrize(
    "table", ["circular01", "circular01_staff", "index766", "index766_ranking", "scorecards"]
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_evaluation_table_exports(data, client, tree, bob, table, fmt):
    client.force_login(bob)
    period = "2026-03" if table == "scorecards" else "2026-Q1"
    response = client.get(_url(table, fmt, unit=tree["commune_a1"].pk, period=period))
    assert response.status_code == 200, body(response)[:300]
    assert len(body(response)) > 50


def test_an_export_of_another_unit_is_refused_as_unknown(data, client, tree, charlie):
    client.force_login(charlie)
    response = client.get(
        _url("dossiers", "csv", unit=tree["commune_a1"].pk, period="2026-03", figure="late")
    )
    assert response.status_code == 400
    assert not AuditLog.objects.filter(action="export.streamed").exists()


def test_a_bad_period_or_table_is_refused(data, client, tree, bob):
    client.force_login(bob)
    assert (
        client.get(_url("ranking", "csv", unit=tree["district_a"].pk, period="Q5")).status_code
        == 400
    )
    assert client.get(_url("nothing", "csv", unit=tree["district_a"].pk)).status_code == 404
    assert client.get(_url("ranking", "pdf", unit=tree["district_a"].pk)).status_code == 404


def test_a_dossier_list_as_xlsx_goes_through_a_job(
    data, client, tree, bob, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            _url(
                "dossiers", "xlsx", unit=tree["district_a"].pk, period="2026-03", figure="received"
            )
        )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.state, job.rows_total, job.rows_done, job.progress) == ("done", 10, 10, 100)
    assert job.personal_data
    download = client.get(reverse("exports:download", args=[job.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active.max_row == 11
    assert AuditLog.objects.filter(action="export.personal_data_written").count() == 1
    assert AuditLog.objects.filter(action="export.downloaded").count() == 1
