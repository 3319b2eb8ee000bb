"""The exports of a monthly report: CSV, spreadsheet (XLSX) and PDF, all suppressed alike."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from ..core.exports import append_xlsx_row, csv_row
from .presentation import Shown, display, export_rows, legend
from .services import Report


def _header(report: Report, title: str, status: str) -> list[list[str]]:
    return [
        [_("Monthly statistics"), title],
        [_("Status"), status],
        [],
        [_("Section"), _("Table"), _("Row"), _("Column"), _("Value")],
    ]


def _footer(report: Report) -> list[list[str]]:
    return [[], [_("Signs")]] + [[mark, meaning] for mark, meaning in legend(report.threshold)]


def to_csv(report: Report, title: str, status: str) -> bytes:
    """The report as CSV (UTF-8 with BOM so that spreadsheet programs read æ, ø and å)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(csv_row(line) for line in _header(report, title, status))
    for section, table, row, column, item in export_rows(report):
        writer.writerow(csv_row([section, table, row, column, display(item, report.threshold)]))
    writer.writerows(csv_row(line) for line in _footer(report))
    return buffer.getvalue().encode("utf-8-sig")


def _cell_value(item: Shown, threshold: int):
    """Visible figures as numbers (so they can be computed with), marks as text."""
    if item.visible and item.kind in ("count", "number"):
        return int(item.value), None
    if item.visible and item.kind == "share":
        return float(item.value), "0%"
    if item.visible and item.kind == "hours":
        return float(item.value), "0.00"
    if item.visible and item.kind == "mean":
        return float(item.value), "0.0"
    return display(item, threshold), None


def to_xlsx(report: Report, title: str, status: str) -> bytes:
    """The report as a spreadsheet (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")[:31]
    for line in _header(report, title, status):
        append_xlsx_row(sheet, line)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for section, table, row, column, item in export_rows(report):
        value, number_format = _cell_value(item, report.threshold)
        append_xlsx_row(sheet, [section, table, row, column, value])
        if number_format:
            sheet.cell(row=sheet.max_row, column=5).number_format = number_format
    for line in _footer(report):
        append_xlsx_row(sheet, line)
    for letter, width in zip("ABCDE", (28, 24, 40, 24, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(html: str) -> bytes:
    """The print view's HTML rendered as PDF (xhtml2pdf)."""
    from xhtml2pdf import pisa

    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"PDF rendering failed with {result.err} errors")
    return buffer.getvalue()
