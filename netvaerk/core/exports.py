"""Exports are data, not code: text that a spreadsheet would run as a formula is neutralised.

Follows the OWASP guidance on CSV injection: a text cell starting with `=`, `+`, `-`, `@`, a
tab or a carriage return (or their full-width forms, which some spreadsheets also accept) is
prefixed with an apostrophe in CSV, and stored as plain text with Excel's "quote prefix" in
XLSX (openpyxl would otherwise write it as a live formula). Numbers stay numbers. The same
rule refuses such labels where people type them (`NotAFormula`).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# A plain number (also Danish "1.234,5", "-3", "38 %") cannot be a formula: left alone.
_NUMBER = re.compile(r"[-+]?\d[\d.,\u00a0 ]*%?")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet program could take for a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and _NUMBER.fullmatch(value) is None
    )


def csv_cell(value: object) -> object:
    """A value for a CSV cell: formula-looking text gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def csv_row(values) -> list:
    """A row of CSV cells, each neutralised."""
    return [csv_cell(value) for value in values]


def xlsx_text(value: object) -> object:
    """Text without the control characters XLSX cannot hold (openpyxl would refuse the file),
    and with its line breaks as XML reads them back: every reader of the file (Excel,
    openpyxl) turns a carriage return into a line feed, so it is stored as one."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def append_xlsx_row(sheet, values) -> None:
    """Append a row to an openpyxl sheet; formula-looking text is stored as text, as typed."""
    values = [xlsx_text(value) for value in values]
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if looks_like_formula(value):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


class NotAFormula:
    """A form validator: refuse a label that starts like a spreadsheet formula."""

    def __init__(self, message=None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if looks_like_formula((field.data or "").strip() if isinstance(field.data, str) else ""):
            raise ValidationError(
                self.message or _l("Do not start the text with =, +, -, @ or a tab.")
            )
