"""A document as paragraphs and tables, written out as .docx or .xlsx for the readers.

The readers of the apps understand Word and Excel. A file in another format (OpenDocument, a PDF
with a text layer) is read into this neutral layout first — a list of paragraphs (``str``) and
:class:`Table` objects whose cells know their spans — and written out as a .docx (or, for a
spreadsheet, an .xlsx), so that every reader gets every format without a parser of its own.

Example: a table «Мероприятие | Срок» whose section row «1. Организация» spans both columns::

    Table([[Span("Мероприятие"), Span("Срок")], [Span("1. Организация", colspan=2)],
           [Span("Совещание"), Span("март")]])
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

#: Tables wider than this are not roadmaps or protocols: the rest is cut.
MAX_COLUMNS = 60


@dataclass
class Span:
    """A cell: its text (paragraphs separated by ``"\\n"``) and how many grid cells it covers."""

    text: str = ""
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    """Rows of origin cells; a position covered by a span from the left or above is absent."""

    rows: list[list[Span]] = field(default_factory=list)


Block = str | Table


def _grid(table: Table) -> list[list[tuple[Span, bool, bool] | None]]:
    """Place the spans on a full grid: (span, is_origin_row, is_origin_column) per position."""
    grid: list[list[tuple[Span, bool, bool] | None]] = []
    for r, row in enumerate(table.rows):
        while len(grid) <= r:
            grid.append([])
        column = 0
        for span in row:
            while column < len(grid[r]) and grid[r][column] is not None:
                column += 1
            for dr in range(max(span.rowspan, 1)):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                for dc in range(max(span.colspan, 1)):
                    position = column + dc
                    if position >= MAX_COLUMNS:
                        break
                    target.extend([None] * (position + 1 - len(target)))
                    target[position] = (span, dr == 0, dc == 0)
            column += max(span.colspan, 1)
    width = max((len(row) for row in grid), default=0)
    for row in grid:
        row.extend([None] * (width - len(row)))
    return grid


# --- .docx ---------------------------------------------------------------------------------------


def _paragraph(text: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = OxmlElement("w:p")
    if text:
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        p.append(run)
    return p


def _table_xml(table: Table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    grid = _grid(table)
    tbl = OxmlElement("w:tbl")
    tbl_grid = OxmlElement("w:tblGrid")
    for _ in range(len(grid[0]) if grid else 0):
        tbl_grid.append(OxmlElement("w:gridCol"))
    tbl.append(tbl_grid)
    for row in grid:
        tr = OxmlElement("w:tr")
        for place in row:
            if place is not None and not place[2]:
                continue  # covered by the span on its left: the origin's gridSpan says so
            span, origin_row = (place[0], place[1]) if place else (Span(), True)
            tc = OxmlElement("w:tc")
            props = OxmlElement("w:tcPr")
            if span.colspan > 1:
                grid_span = OxmlElement("w:gridSpan")
                grid_span.set(qn("w:val"), str(min(span.colspan, MAX_COLUMNS)))
                props.append(grid_span)
            if span.rowspan > 1:
                merge = OxmlElement("w:vMerge")
                if origin_row:
                    merge.set(qn("w:val"), "restart")
                props.append(merge)
            tc.append(props)
            lines = span.text.split("\n") if origin_row else [""]
            for line in lines or [""]:
                tc.append(_paragraph(line))
            tr.append(tc)
        tbl.append(tr)
    return tbl


def to_docx(blocks: list[Block]) -> bytes:
    """The blocks as a Word document: paragraphs and tables in order, spans as merged cells."""
    import docx

    document = docx.Document()
    body = document.element.body
    section = body[-1]  # w:sectPr stays last
    for block in blocks:
        if isinstance(block, Table):
            if block.rows:
                section.addprevious(_table_xml(block))
                section.addprevious(_paragraph(""))
        else:
            for line in block.split("\n"):
                section.addprevious(_paragraph(line))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(sheets: list[tuple[str, Table]]) -> bytes:
    """Tables as sheets of an Excel workbook, spans as merged cells."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, (title, table) in enumerate(sheets, start=1):
        sheet = book.create_sheet(_sheet_title(title, index))
        for r, row in enumerate(_grid(table), start=1):
            for c, place in enumerate(row, start=1):
                if place is None or not (place[1] and place[2]):
                    continue
                span = place[0]
                sheet.cell(r, c, span.text or None)
                if span.colspan > 1 or span.rowspan > 1:
                    sheet.merge_cells(
                        start_row=r,
                        start_column=c,
                        end_row=r + span.rowspan - 1,
                        end_column=min(c + span.colspan - 1, MAX_COLUMNS),
                    )
    if not book.worksheets:
        book.create_sheet("Лист1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, index: int) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31].strip()
    return cleaned or f"Лист{index}"
