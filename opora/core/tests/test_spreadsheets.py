"""User text in the Excel files the project writes stays text (issue 9)."""

import io
from datetime import date

import openpyxl
import pytest
from openpyxl import Workbook

from opora.core.spreadsheets import looks_like_formula, workbook_bytes
from opora.testing.spreadsheets import FORMULA, text_cells

STARTS = [FORMULA, "+7 913 000-00-00", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", STARTS)
def test_formula_like_text_is_written_as_text(text):
    book = Workbook()
    book.active.append(["Школа", text])
    (cell,) = text_cells(workbook_bytes(book), text)
    assert cell.coordinate == "B1"


def test_numbers_dates_and_ordinary_text_are_left_alone():
    book = Workbook()
    book.active.append([120, -5, 0.25, date(2026, 3, 1), "МКОУ «Вертикосская СОШ»", "1+1", None])
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book))).active
    values = [c.value for c in sheet[1]]
    assert values[:3] == [120, -5, 0.25] and values[3].date() == date(2026, 3, 1)
    assert [c.data_type for c in sheet[1][:3]] == ["n", "n", "n"]
    assert values[4:6] == ["МКОУ «Вертикосская СОШ»", "1+1"]
    assert not any(c.quotePrefix for c in sheet[1])


def test_what_looks_like_a_formula():
    assert all(looks_like_formula(t) for t in STARTS)
    assert not any(looks_like_formula(v) for v in ("1+1", " =1", "", None, -1, 3.5))
