"""Real browser (Debian's Chromium, Playwright), issue 11's "done when": an administrator of a
district asks for the quarterly PDF report, watches its progress bar move on the export page
(htmx polling, no inline script: the CSP holds), downloads it and finds the Circular 01/2018
evaluation in it (R-IND-6); a district leader downloads a ranking as XLSX that opens with
correct Vietnamese text (R-IND-7).

The job is left queued by the page (no broker in tests) and run by the test in a thread of its
own, as a worker would, while the page polls it. Charts are not in the report yet: the dashboards'
``reports.charts`` is built on another branch (reports/exports/report.py, ``chart_svgs``).

Run: ``pytest -m e2e``.
"""

import re
import threading

import openpyxl
import pytest

from reports.exports import services
from reports.exports.models import ExportJob
from tests.browser import BROWSER_MARKS, csp_violations, db_read, launch_chromium, new_page, sign_in
from tests.reports.exports.helpers import pdf_text

pytestmark = BROWSER_MARKS


def expect(locator):
    return pytest.importorskip("playwright.sync_api").expect(locator)


def test_an_admin_exports_the_quarterly_pdf_and_a_leader_a_ranking_xlsx(
    data, tree, district_admin, bob, live_server, monkeypatch
):
    queued = []
    monkeypatch.setattr(services, "_enqueue", lambda job: queued.append((job.pk, job.attempt)))
    base = live_server.url
    with launch_chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        sign_in(page, base, "frank")
        page.locator('a[href="/reports/exports/"]').first.click()
        page.wait_for_url(f"{base}/reports/exports/")
        page.select_option("#id_unit", label="Quận Ba Đình")
        page.fill("#id_period", "2026-Q1")
        page.locator("#report-form button[type=submit]").click()
        page.wait_for_url(f"{base}/reports/exports/")

        row = page.locator("#export-jobs tbody tr").first
        expect(row.locator("progress")).to_have_attribute("value", "0")
        assert row.get_attribute("hx-trigger") == "every 2s"  # the page polls the job
        assert len(queued) == 1

        def worker():  # what a Celery worker on the "pdf" queue does
            db_read(lambda: services.export_report_run(*queued[0]))

        thread = threading.Thread(target=worker)
        thread.start()
        download_link = page.locator("#export-jobs a.export-download")
        expect(download_link).to_be_visible(timeout=60_000)
        thread.join()
        expect(page.locator("#export-jobs tbody tr").first.locator("progress")).to_have_attribute(
            "value", "100"
        )
        href = download_link.get_attribute("href")
        response = page.request.get(f"{base}{href}")
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        text = pdf_text(response.body())
        assert "Quận Ba Đình" in text and "Phường Phúc Xá" in text
        assert "01/2018" in text
        assert re.search(r"766", text)
        assert "Hồ sơ tiếp nhận theo tháng" in text  # the dashboard's SVG charts are in it
        job = db_read(lambda: ExportJob.objects.get())
        assert (job.state, job.progress) == ("done", 100)
        assert csp_violations(page) == [] and page.page_errors_seen == []
        page.context.close()

        # --- Bob, the district leader, downloads the ranking of the Decision 766 index --------
        page = new_page(browser, width=1280, height=900, accept_downloads=True)
        sign_in(page, base, "bob")
        page.goto(f"{base}/reports/evaluations/766/?unit={tree['district_a'].pk}&period=2026-03")
        expect(page.locator("#index766-ranking")).to_be_visible()
        section = page.locator("section", has=page.locator("#index766-ranking"))
        with page.expect_download() as info:
            section.locator("a.export-xlsx").click()
        path = info.value.path()
        with open(path, "rb") as handle:  # the download has no file extension: open the bytes
            workbook = openpyxl.load_workbook(handle)
        rows = list(workbook.active.iter_rows(values_only=True))
        assert rows[0][1] == "Đơn vị"
        assert {r[1] for r in rows[1:]} == {"Phường Phúc Xá", "Phường Trúc Bạch"}
        assert csp_violations(page) == [] and page.page_errors_seen == []
        page.context.close()
