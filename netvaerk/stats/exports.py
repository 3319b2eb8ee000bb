"""The exports of a monthly report: CSV, spreadsheet (XLSX) and PDF, all protected alike."""

from __future__ import annotations

import csv
import io
import mimetypes
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _

from ..core.exports import append_xlsx_row, csv_row
from ..labels import csv_dialect
from .presentation import Shown, display, export_rows, legend, method_footnote, protection_note
from .services import Report


def _header(report: Report, title: str, status: str) -> list[list[str]]:
    return [
        [_("Monthly statistics"), title],
        [_("Status"), status],
        [],
        [_("Section"), _("Table"), _("Row"), _("Column"), _("Value")],
    ]


def _footer(report: Report) -> list[list[str]]:
    notes = [[note] for note in (protection_note(report), method_footnote()) if note]
    if report.exact:
        notes = []
    return [[], [_("Signs")], *([mark, meaning] for mark, meaning in legend()), [], *notes]


def to_csv(report: Report, title: str, status: str) -> bytes:
    """The report as CSV (UTF-8 with BOM so that spreadsheet programs read æ, ø and å).

    In Danish the separator is a semicolon and decimals have a comma, as Danish Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_dialect()["delimiter"])
    writer.writerows(csv_row(line) for line in _header(report, title, status))
    for section, table, row, column, item in export_rows(report):
        writer.writerow(csv_row([section, table, row, column, display(item)]))
    writer.writerows(csv_row(line) for line in _footer(report))
    return buffer.getvalue().encode("utf-8-sig")


def _cell_value(item: Shown):
    """Visible figures as numbers (so they can be computed with), marks as text."""
    if item.visible and item.kind in ("count", "number"):
        return int(item.value), None
    if item.visible and item.kind == "share":
        return float(item.value), "0%"
    if item.visible and item.kind == "hours":
        return float(item.value), "0.00"
    if item.visible and item.kind == "mean":
        return float(item.value), "0.0"
    return display(item), None


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
        value, number_format = _cell_value(item)
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


# The app's static files (netvaerk/static), the only files a PDF may link to.
STATIC = (Path(__file__).parent.parent / "static").resolve()


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: the system's Pango library is missing (see the README)."""


def _static_only_fetcher():
    """WeasyPrint's fetcher of linked files: the app's own static files only, never the
    network (the PDF's HTML inlines its styles; a stray link is refused, not fetched)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(url.removeprefix("file://")).resolve() if url[:7] == "file://" else None
            if path is None or not path.is_relative_to(STATIC) or not path.is_file():
                raise ValueError(f"not fetched (a PDF uses the app's static files only): {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind}, 200)

    return StaticOnly()


def to_pdf(html: str) -> bytes:
    """The print view's HTML, SVG charts included, rendered as PDF by WeasyPrint; nothing is
    fetched from the network. Raises PdfUnavailable when Pango is missing."""
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint loads Pango (libpango-1.0-0) when imported
        raise PdfUnavailable(str(error)) from error
    return HTML(
        string=html, base_url=STATIC.as_uri() + "/", url_fetcher=_static_only_fetcher()
    ).write_pdf()


def month_pdf(context: dict, **extra) -> bytes:
    """A report's PDF: its print view with the charts (the export and the summary mail's
    attachment are this one file)."""
    return to_pdf(render_template("netvaerk/stats/pdf.html", **extra, **context))
