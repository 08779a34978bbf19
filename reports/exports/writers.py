"""CSV and XLSX writers with flat memory (DESIGN.md: "CSV streamed, XLSX in constant memory").

- ``csv_chunks`` yields the CSV as UTF-8 text chunks, starting with a byte-order mark so Excel
  opens Vietnamese text correctly; rows are pulled one at a time from any iterator (a queryset's
  ``iterator()``, a generator), batched into chunks of about 64 KiB.
- ``write_xlsx`` writes an XLSX file with ``xlsxwriter``'s ``constant_memory`` mode: each row is
  flushed to a temporary file as soon as the next one starts, so memory does not grow with the
  number of rows (rows must come in order, which they do).

Both call ``progress(rows_done)`` every ``every`` rows, which may raise to stop the export (a
cancelled job); the caller cleans up what was written.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.utils import timezone

BOM = "\ufeff"
CHUNK_CHARS = 64 * 1024
# Excel has 1,048,576 rows per sheet; a longer table continues on the next sheet.
XLSX_MAX_ROWS = 1_048_575
_TZ = None


def _tz():
    global _TZ
    if _TZ is None:
        _TZ = timezone.get_default_timezone()
    return _TZ


def cell(value):
    """A value as the CSV shows it: local times, dates ISO, decimals with a dot, None empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_tz())
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


class _Buffer:
    """A file-like object that keeps what csv.writer wrote until it is taken."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str):
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text


def csv_chunks(
    headers: list[str],
    rows: Iterable,
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 5000,
) -> Iterator[str]:
    buffer = _Buffer()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(headers)
    done = 0
    for row in rows:
        writer.writerow([cell(v) for v in row])
        done += 1
        if buffer.size >= CHUNK_CHARS:
            yield buffer.take()
        if progress is not None and done % every == 0:
            progress(done)
    if progress is not None:
        progress(done)
    rest = buffer.take()
    if rest:
        yield rest


def copy_csv_chunks(headers: list[str], queryset) -> Iterator[bytes]:
    """The CSV of a ``values_list`` queryset of text columns, written by PostgreSQL itself
    (``COPY (…) TO STDOUT WITH (FORMAT csv)``): no Python work per row, blocks streamed as they
    come. Bytes, UTF-8, with the byte-order mark and our header row first. The connection is
    busy until the end: issue no other query while consuming it."""
    from django.db import connection

    head = io.StringIO()
    csv.writer(head, lineterminator="\r\n").writerow(headers)
    yield (BOM + head.getvalue()).encode("utf-8")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
        with cursor.cursor.copy(statement, params) as copy:
            for block in copy:
                yield bytes(block)


def write_csv(target, headers, rows, *, progress=None, every: int = 5000) -> int:
    """Write the CSV (UTF-8 with BOM) to a binary file; returns the number of rows."""
    count = 0

    def counting(done):
        nonlocal count
        count = done
        if progress is not None:
            progress(done)

    for chunk in csv_chunks(headers, rows, progress=counting, every=every):
        target.write(chunk.encode("utf-8"))
    return count


def xlsx_value(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_tz())
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_xlsx(
    target,
    headers: list[str],
    rows: Iterable,
    *,
    title: str = "",
    progress: Callable[[int], None] | None = None,
    every: int = 2000,
) -> int:
    """Write an XLSX workbook in constant memory to ``target`` (a path or a binary file);
    returns the number of rows. The sheet is named ``title`` (cut to Excel's 31 characters),
    the header row bold and frozen, dates and times formatted as such."""
    import xlsxwriter

    options = {"constant_memory": True, "in_memory": False, "remove_timezone": True}
    workbook = xlsxwriter.Workbook(target, options)
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
    when = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    base = _sheet_name(title) or "Sheet"
    sheets = 0

    def new_sheet():
        nonlocal sheets
        sheets += 1
        name = base if sheets == 1 else f"{base[:27]} ({sheets})"
        sheet = workbook.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for col, header in enumerate(headers):
            sheet.write_string(0, col, str(header), bold)
            sheet.set_column(col, col, max(10, min(40, len(str(header)) + 2)))
        return sheet

    sheet = new_sheet()
    line = 0
    done = 0
    try:
        for row in rows:
            line += 1
            if line > XLSX_MAX_ROWS:
                sheet, line = new_sheet(), 1
            for col, value in enumerate(row):
                value = xlsx_value(value)
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(line, col, value, when)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(line, col, dt.datetime.combine(value, dt.time()), day)
                elif isinstance(value, bool):
                    sheet.write_boolean(line, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(line, col, value)
                else:
                    sheet.write_string(line, col, str(value))
            done += 1
            if progress is not None and done % every == 0:
                progress(done)
    finally:
        workbook.close()
    if progress is not None:
        progress(done)
    return done


def _sheet_name(title: str) -> str:
    bad = set("[]:*?/\\")
    name = "".join(ch for ch in title if ch not in bad).strip()
    return name[:31]


def xlsx_bytes(headers, rows, *, title: str = "") -> bytes:
    """A small table as XLSX bytes (still written in constant-memory mode)."""
    out = io.BytesIO()
    write_xlsx(out, headers, rows, title=title)
    return out.getvalue()
