"""The lists of a run in Excel write a school name that looks like a formula as text
(issue 9); the row numbers stay numbers."""

import io
from types import SimpleNamespace

import openpyxl
import pytest

from opora.assessment.export import run_xlsx
from opora.testing.factories import SchoolFactory
from opora.testing.spreadsheets import FORMULA, text_cells


@pytest.mark.django_db
def test_a_school_name_that_looks_like_a_formula_is_exported_as_text():
    SchoolFactory(code="700980", full_name=FORMULA)
    run = SimpleNamespace(
        pk=1, year=2026, methodology="методика", low_results=["700980"], unfavourable=[]
    )
    content = run_xlsx(run)
    text_cells(content, FORMULA)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A4"].value == 1 and sheet["A4"].data_type == "n"
