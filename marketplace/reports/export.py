"""Every table of a report as CSV (one table) or XLSX (one sheet per table), with the BPS code beside each region."""

from __future__ import annotations

import csv
import io
import re

from marketplace.reports.tables import Regions, Table, export_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def _safe(value):
    """A text cell that a spreadsheet would read as a formula is prefixed with a quote (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_bytes(table: Table, regions: Regions) -> bytes:
    header, rows = export_rows(table, regions)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[_safe(_cell(v)) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: spreadsheets then read UTF-8 names right


def xlsx_bytes(tables: list[Table], regions: Regions) -> bytes:
    from openpyxl import Workbook  # imported when first needed, not by every worker (docs/PERFORMANCE.md, memory)

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(SHEET_NAME_BAD.sub(" ", table.key)[:31])
        header, rows = export_rows(table, regions)
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(_cell(v)) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
