"""The exports of a report (month, quarter, year): CSV, spreadsheet (XLSX) and PDF, all
protected alike.

In CSV and XLSX the value column holds numbers only (a share in percent, its row saying "%"),
and a figure that is not shown leaves it empty and puts its mark ("n<5", "<20", "×", "–") in
the sign column beside it, so that a spreadsheet can compute with the column (issue 29)."""

from __future__ import annotations

import csv
import io
import mimetypes
from pathlib import Path

from flask import render_template
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..core.exports import append_xlsx_row, csv_row
from ..labels import csv_dialect
from .presentation import (
    Shown,
    export_label,
    export_rows,
    export_value,
    legend,
    method_footnote,
    protection_note,
    report_heading,
)
from .services import Report


def _header(report: Report, title: str, status: str) -> list[list[str]]:
    return [
        [report_heading(report), title],
        [_("Status"), status],
        [],
        [_("Section"), _("Table"), _("Row"), _("Column"), _("Value"), _("Sign")],
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
        value, mark = export_value(item)
        label = export_label(row, item)
        writer.writerow(csv_row([section, table, label, column, _csv_number(item, value), mark]))
    writer.writerows(csv_row(line) for line in _footer(report))
    return buffer.getvalue().encode("utf-8-sig")


def _csv_number(item: Shown, value) -> str:
    """A number as a spreadsheet program of the reader's language reads it: no thousands
    separator, the decimal comma in Danish ("7,5"); empty when the figure is not shown."""
    if value is None:
        return ""
    if item.kind == "mean":
        return format_decimal(value, "0.0")
    if item.kind == "hours":
        return format_decimal(value, "0.##")
    return str(value)


# The spreadsheet's number format per kind (a share is a number of percent: 40 shows "40 %").
NUMBER_FORMATS = {"share": '0" %"', "hours": "0.00", "mean": "0.0"}


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
        value, mark = export_value(item)
        append_xlsx_row(
            sheet, [section, table, export_label(row, item), column, value, mark or None]
        )
        if value is not None and item.kind in NUMBER_FORMATS:
            sheet.cell(row=sheet.max_row, column=5).number_format = NUMBER_FORMATS[item.kind]
    for line in _footer(report):
        append_xlsx_row(sheet, line)
    for letter, width in zip("ABCDEF", (28, 24, 40, 24, 12, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The app's static files (netvaerk/static), the only files a PDF may link to.
STATIC = (Path(__file__).parent.parent / "static").resolve()


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: the system's Pango library is missing (see the README)."""


def pdf_available() -> bool:
    """True when WeasyPrint can run here (it loads Pango when imported)."""
    try:
        from weasyprint import HTML  # noqa: F401
    except OSError:
        return False
    return True


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
