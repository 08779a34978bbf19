"""R-PRIV-1: every print and every file export goes through a function that writes its audit
row. The views and API actions that answer a PDF, a file or a CSV/XLSX table are found in the
source; each must call one of the audited entry points (``exports.*`` of dossiers and
feedback, the export services of reports, the invitation print of surveys) or be listed below
with the reason it needs none. A new print or export without an audit row fails here.

The audit rows themselves are tested where each print lives (tests/dossiers/test_pages_prints.py,
test_api_documents.py, test_intake_completeness.py; tests/feedback/test_pages_staff_actions.py,
test_pages_staff_entry.py, test_pages_staff_downloads.py, test_api_actions.py;
tests/reports/exports/*; tests/surveys/test_invitation_print.py)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["portal", "dossiers", "surveys", "feedback", "reports"]

# Calls that answer a document or a file.
FILE_ANSWERS = {"pdf_response", "FileResponse", "StreamingHttpResponse"}
# Calls that write the audit row of what they hand out (module.function).
AUDITED = {
    ("exports", "*"),  # dossiers/exports.py, feedback/exports.py: one audit row per print
    ("services", "export_file_open"),  # reports: a finished export file's download
    ("services", "audit_direct_export"),  # reports: a table streamed to the browser
    ("services", "export_job_create"),  # reports: a file made by the worker (audited there)
    ("services", "invitation_print"),  # surveys: the invitation slip
}
# Answers that need no audit row, and why.
EXEMPT = {
    # The blank survey form: no personal data.
    ("surveys/views.py", "blank_form"),
    # The sender's own receipt and reply letter, in the browser that filed the item or after a
    # look-up with the code and PIN: the person's own data, not an export by staff
    # (tests/feedback/test_pages_submit.py asserts that no row is written).
    ("feedback/views.py", "receipt"),
    ("feedback/views.py", "track_letter"),
}


def _calls(node):
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Name):
                yield None, func.id
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else None
                yield owner, func.attr


def _answers_a_file(function) -> bool:
    for _owner, name in _calls(function):
        if name in FILE_ANSWERS:
            return True
    # An XLSX answered in memory: HttpResponse(..., content_type=XLSX)
    for child in ast.walk(function):
        if isinstance(child, ast.Call) and getattr(child.func, "id", "") == "HttpResponse":
            for keyword in child.keywords:
                if keyword.arg == "content_type" and getattr(keyword.value, "id", "") == "XLSX":
                    return True
    return False


def _audited(function) -> bool:
    for owner, name in _calls(function):
        if (owner, "*") in AUDITED or (owner, name) in AUDITED:
            return True
    return False


def _file_answers():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = str(path.relative_to(ROOT))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    and node.name != "pdf_response"
                    and _answers_a_file(node)
                ):
                    yield relative, node.name, node


def test_every_print_and_file_export_writes_an_audit_row_r_priv_1():
    found = list(_file_answers())
    unaudited = [
        f"{path}:{function.lineno} {name}"
        for path, name, function in found
        if (path, name) not in EXEMPT and not _audited(function)
    ]

    assert len(found) >= 15, [f"{path} {name}" for path, name, _f in found]  # the scan works
    assert unaudited == []


def test_the_exempt_list_names_answers_that_exist():
    found = {(path, name) for path, name, _function in _file_answers()}
    assert found >= EXEMPT
