"""Word tables as a grid: merged cells shared, nested tables flattened, auto-numbers written in."""

import docx
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from opora.core.intake.docx_grid import docx_grid, paragraph_text
from opora.core.intake.grid import distinct
from opora.core.intake.numbering import Numbering

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _grid(document, table):
    numbering = Numbering(document)
    numbering.compute(document.element.body)
    return docx_grid(table._tbl, numbering, lambda raw: " ".join(raw.split()))


def test_merged_cells_cover_their_columns_and_rows():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "№"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Сроки"
    table.cell(1, 1).text = "начало"
    table.cell(1, 2).text = "окончание"
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(2, 0).text = "1."
    table.cell(2, 1).text = "сентябрь\n2024 г."
    grid = _grid(document, table)

    assert grid.ncols == 3 and grid.row_numbers == [1, 2, 3]
    header = grid.rows[0]
    assert header[1] is header[2] and header[1].text == "Сроки"
    assert [(cell.text, columns) for cell, columns in distinct(header)] == [
        ("№", [0]),
        ("Сроки", [1, 2]),
    ]
    below = grid.rows[1][0]
    assert below.inherited and below.text == "№"
    assert grid.rows[2][1].raw == "сентябрь\n2024 г." and grid.rows[2][1].text == "сентябрь 2024 г."


def test_a_nested_table_reads_into_its_cell():
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "Исполнители:"
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "ТОИПКРО"
    inner.cell(0, 1).text = "МОУО"
    grid = _grid(document, document.tables[0])
    assert grid.rows[0][0].raw == "Исполнители:\nТОИПКРО | МОУО"


def test_automatic_numbers_are_written_into_the_cell():
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "Провести семинар"
    cell.paragraphs[0].style = document.styles["List Number"]
    cell.add_paragraph("Подготовить отчёт", style="List Number")
    grid = _grid(document, document.tables[0])
    assert grid.rows[0][0].raw == "1. Провести семинар\n2. Подготовить отчёт"


def test_bold_is_kept_for_section_rows():
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Раздел I. Управление").bold = True
    table.cell(0, 1).text = "обычный текст"
    grid = _grid(document, table)
    assert grid.rows[0][0].bold and not grid.rows[0][1].bold


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet="абв ГДЕ 123.;«»", max_size=12), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_any_plain_table_reads_back_as_typed(texts):
    width = max(len(row) for row in texts)
    document = docx.Document()
    table = document.add_table(rows=len(texts), cols=width)
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    grid = _grid(document, table)
    assert grid.ncols == width and len(grid.rows) == len(texts)
    for r, row in enumerate(texts):
        padded = row + [""] * (width - len(row))
        assert [cell.raw for cell in grid.rows[r]] == [t.strip("\n") for t in padded]
        assert len({id(cell) for cell in grid.rows[r]}) == width


def test_paragraph_text_skips_deleted_revisions():
    """Tracked changes: «август» was deleted, «сентябрь» typed instead; Word shows the latter."""
    document = docx.Document()
    paragraph = document.add_paragraph("Сроки: ")
    paragraph._p.append(
        etree.fromstring(
            f'<w:del {NS} w:id="1" w:author="Методист"><w:r><w:delText>август</w:delText>'
            "</w:r></w:del>"
        )
    )
    paragraph.add_run("сентябрь")
    numbering = Numbering(document)
    assert paragraph_text(paragraph._p, numbering) == ("Сроки: сентябрь", False)
