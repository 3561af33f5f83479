"""Official documents in Word by ГОСТ Р 7.0.97-2016 (their Russian grammar is
:mod:`opora.core.russian.inflect`).

A :class:`~opora.documents.models.Document` is kept as editable text; this module lays it out
with the requisites in their order:

    АДМИНИСТРАЦИЯ ГОРОДА ТОМСКА            (organisation, centred, bold, capitals)
    ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ
    РАСПОРЯЖЕНИЕ                           (kind of document)
    02.03.2024                     № 128   (date and number on one line)
    г. Томск                               (place)
    О результатах анализа мониторинга …    (title, centred, bold)
        В соответствии с …                 (text: justified, first-line indent 1.25 cm)
    ПРИКАЗЫВАЮ:                            (the operative word, from the margin)
        1. …
    Начальник департамента  И.В. Васильева (signature: position left, name right)
    Иванова Анна Сергеевна, 8 (3822) …     (executor, 10 pt)

Page, fonts and tables come from :mod:`opora.documents.docx_style` (Times New Roman 14,
tables 12, margins 20/10/20/20 mm, page numbers from page 2).

The text of a document is plain, one block a line (:mod:`opora.documents.text`: paragraphs,
the operative word, headings, tables with group rows, a bar chart); a protocol signed by
several people has several signatures. A working export that nobody signs (a roadmap table,
the lists of a year) is a :class:`Sheet`, laid out by :func:`render_sheet` with the same page,
fonts and tables: one writer of Word for the whole system.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Mm, Pt

from opora.core.russian.dates import short_date
from opora.core.russian.inflect import inflect_phrase
from opora.documents import docx_style
from opora.documents.charts import bar_chart_png
from opora.documents.text import Block, body_blocks, is_figure, signatures, typography

FIRST_LINE_INDENT_CM = 1.25
EXECUTOR_SIZE_PT = 10
SIGNATURE_LINE = "____________"
CHART_WIDTH_MM = 170
CAPTION_SIZE_PT = 12
KIND_HEADINGS = {
    "order": "РАСПОРЯЖЕНИЕ",
    "decree": "ПРИКАЗ",
    "protocol": "ПРОТОКОЛ",
    "report": "АНАЛИТИЧЕСКАЯ СПРАВКА",
    "letter": "",  # a letter names no kind (ГОСТ, п. 5.8): its addressee follows the title
    "excerpt": "ВЫПИСКА ИЗ ПРОТОКОЛА",
}
#: An appendix mark takes the right part of the line, from this share of the text width.
APPENDIX_MARK_FROM = 0.55
OPERATIVE_WORDS = {"decree": "ПРИКАЗЫВАЮ:", "order": "ОБЯЗЫВАЮ:"}


# ---------------------------------------------------------------- Word


@dataclass
class Requisites:
    """What a document shows, in the order ГОСТ Р 7.0.97-2016 puts it."""

    kind: str
    organisation: str
    title: str
    body: str
    place: str = ""
    number: str = ""
    date: date | None = None
    signer: str = ""
    executor: str = ""
    draft: bool = False
    landscape: bool = False
    heading: str = ""  # instead of the kind's («ВЫПИСКА ИЗ ПРОТОКОЛА»)


def requisites_of(document) -> Requisites:
    return Requisites(
        kind=document.kind,
        organisation=document.organisation,
        title=document.title,
        body=document.body,
        place=document.place,
        number=document.number,
        date=document.date,
        signer=document.signer,
        executor=document.executor,
        draft=not document.is_fixed,
        landscape=document.landscape,
    )


def render_docx(document) -> bytes:
    """The .docx of a :class:`~opora.documents.models.Document` (a draft is marked «ПРОЕКТ»)."""
    return render_requisites(requisites_of(document))


def render_draft(draft) -> bytes:
    """A :class:`~opora.documents.drafts.Draft` before it is saved, marked «ПРОЕКТ»."""
    return render_requisites(
        Requisites(
            kind=draft.kind,
            organisation=draft.organisation,
            title=draft.title,
            body=draft.body,
            place=draft.place,
            signer=draft.signer,
            executor=draft.executor,
            draft=True,
            landscape=draft.landscape,
        )
    )


def _save(doc) -> bytes:
    docx_style.add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_requisites(r: Requisites) -> bytes:
    doc = docx_style.new_document(landscape=r.landscape)
    width_mm = docx_style.text_width_mm(doc)
    if r.draft:
        docx_style.add_paragraph(doc, "ПРОЕКТ", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _add_head(doc, r, width_mm)
    for block in body_blocks(r.body):
        _add_block(doc, block, width_mm)
    people = signatures(r.signer)
    if people:
        docx_style.add_paragraph(doc)
        docx_style.add_paragraph(doc)
        _add_signatures(doc, people, width_mm)
    if r.executor.strip():
        docx_style.add_paragraph(doc)
        docx_style.add_paragraph(doc)
        for line in r.executor.splitlines():
            if line.strip():
                docx_style.add_paragraph(
                    doc, line.strip(), align=WD_ALIGN_PARAGRAPH.LEFT, size_pt=EXECUTOR_SIZE_PT
                )
    return _save(doc)


def _add_head(doc, r: Requisites, width_mm: float) -> None:
    """Organisation, kind, date and number, place, title (ГОСТ, пп. 5.5–5.19)."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for line in (r.organisation or "").splitlines():
        if line.strip():
            docx_style.add_paragraph(doc, line.strip().upper(), bold=True, align=centre)
    docx_style.add_paragraph(doc)
    heading = r.heading or KIND_HEADINGS.get(r.kind, (r.kind or "").upper())
    if heading:
        docx_style.add_paragraph(doc, heading, bold=True, align=centre)
        docx_style.add_paragraph(doc)
    dated = docx_style.add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    dated.paragraph_format.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
    number = f"№ {r.number}" if r.number else "№ ________"
    dated.add_run(f"{short_date(r.date) or '____________'}\t{number}")
    if r.place:
        docx_style.add_paragraph(doc, typography(r.place), align=centre)
    docx_style.add_paragraph(doc)
    for line in r.title.strip().splitlines():
        if line.strip():
            docx_style.add_paragraph(doc, typography(line.strip()), bold=True, align=centre)
    docx_style.add_paragraph(doc)


def _add_block(doc, block: Block, width_mm: float) -> None:
    if block.kind == "operative":
        docx_style.add_paragraph(doc, block.text, align=WD_ALIGN_PARAGRAPH.LEFT)
    elif block.kind == "heading":
        # A heading never stays alone at the bottom of a page: it keeps with what follows.
        docx_style.add_paragraph(doc).paragraph_format.keep_with_next = True
        docx_style.add_paragraph(
            doc, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
        ).paragraph_format.keep_with_next = True
    elif block.kind == "appendix":
        _add_appendix_mark(doc, block.text, width_mm)
    elif block.kind == "strong":
        docx_style.add_paragraph(doc, block.text, bold=True).paragraph_format.keep_with_next = True
    elif block.kind == "table":
        _add_table(doc, block, width_mm)
    elif block.kind == "chart":
        _add_chart(doc, block, width_mm)
    else:
        paragraph = docx_style.add_paragraph(doc, block.text)
        paragraph.paragraph_format.first_line_indent = Cm(FIRST_LINE_INDENT_CM)


def _add_appendix_mark(doc, text: str, width_mm: float) -> None:
    """A new page, the mark in a block at the right margin (ГОСТ, п. 5.20)."""
    paragraph = docx_style.add_paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.page_break_before = True
    paragraph.paragraph_format.left_indent = Mm(width_mm * APPENDIX_MARK_FROM)
    paragraph.paragraph_format.keep_with_next = True
    docx_style.add_paragraph(doc).paragraph_format.keep_with_next = True


def column_widths(rows: list[list[str]], width_mm: float) -> list[float]:
    """Columns share the line by what they hold: a long text column gets the most, a column
    of numbers just enough for its longest word (group rows of one cell do not count)."""
    columns = max(len(r) for r in rows)
    weights = []
    for index in range(columns):
        texts = [r[index] for r in rows if len(r) == columns and index < len(r)]
        longest_word = max((len(w) for t in texts for w in t.split()), default=1)
        mean = sum(len(t) for t in texts) / max(len(texts), 1)
        weights.append(max(longest_word, min(mean, 60), 3))
    total = sum(weights)
    return [width_mm * w / total for w in weights]


def _add_table(doc, block: Block, width_mm: float) -> None:
    columns = block.columns
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for index, cells in enumerate(block.rows):
        if block.is_group(cells) and index:
            docx_style.merged_row(table, cells[0], align=WD_ALIGN_PARAGRAPH.LEFT)
            continue
        row = table.add_row()
        for cell, text in zip(row.cells, cells + [""] * (columns - len(cells)), strict=True):
            centred = index == 0 or is_figure(text)
            align = WD_ALIGN_PARAGRAPH.CENTER if centred else None
            docx_style.set_cell_text(cell, text, bold=index == 0, align=align)
        if index == 0:
            docx_style.repeat_header(row)
    docx_style.set_col_widths(table, column_widths(block.rows, width_mm))
    docx_style.set_table_font(table)


def _add_chart(doc, block: Block, width_mm: float) -> None:
    picture = bar_chart_png(block.bars)
    doc.add_picture(io.BytesIO(picture), width=Mm(min(width_mm, CHART_WIDTH_MM)))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if block.text:
        docx_style.add_paragraph(
            doc, block.text, align=WD_ALIGN_PARAGRAPH.CENTER, size_pt=CAPTION_SIZE_PT
        )


def _add_signatures(doc, people: list[tuple[str, str]], width_mm: float) -> None:
    """Position on the left, initials and surname at the right margin (ГОСТ, п. 5.22).

    A borderless table keeps the name on the last line of a long position; the signature
    stays 14 pt like the text. Several signatures (a protocol) get a line to sign on.
    """
    several = len(people) > 1
    table = doc.add_table(rows=0, cols=3 if several else 2)
    for position, name in people:
        cells = table.add_row().cells
        texts = [position, SIGNATURE_LINE, typography(name)] if several else [position, name]
        aligns = [WD_ALIGN_PARAGRAPH.LEFT] + [WD_ALIGN_PARAGRAPH.CENTER] * several
        aligns.append(WD_ALIGN_PARAGRAPH.RIGHT)
        for cell, text, align in zip(cells, texts, aligns, strict=True):
            docx_style.set_cell_text(cell, text, align=align)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            for run in (run for p in cell.paragraphs for run in p.runs):
                run.font.size = Pt(docx_style.BODY_SIZE_PT)
    shares = [0.45, 0.2, 0.35] if several else [0.62, 0.38]
    docx_style.set_col_widths(table, [width_mm * share for share in shares])
    if several:
        for row in table.rows:
            row.height = Mm(12)


# ---------------------------------------------------------------- working exports


@dataclass
class Column:
    """A column of a :class:`Sheet`: a fixed width in millimetres, or a share of the rest."""

    label: str
    mm: float = 0
    share: float = 0
    centred: bool = False


@dataclass
class Sheet:
    """A working export: a title, a few lead lines and one table; no number, date or
    signature. It is the appendix to the order that approves it («Приложение к распоряжению
    … № 352-р»), or a draft («ПРОЕКТ») until then.

    ``lead`` lines are (bold part, plain part): («Цель: », «…»), («Задачи:», «»), («», «1. …»).
    A row that is a string spans the table (a section).
    """

    title: str
    columns: list[Column]
    rows: list[list[str] | str]
    appendix: str = ""
    lead: list[tuple[str, str]] = field(default_factory=list)
    landscape: bool = False
    appendix_width_mm: float = 100


def render_sheet(sheet: Sheet) -> bytes:
    doc = docx_style.new_document(landscape=sheet.landscape)
    doc.core_properties.title = sheet.title[:255]
    width = docx_style.text_width_mm(doc)
    if sheet.appendix:
        mark = docx_style.add_paragraph(doc, sheet.appendix, align=WD_ALIGN_PARAGRAPH.LEFT)
        mark.paragraph_format.left_indent = Mm(max(width - sheet.appendix_width_mm, 0))
    else:
        docx_style.add_paragraph(doc, "ПРОЕКТ", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    docx_style.add_paragraph(doc)
    docx_style.add_paragraph(
        doc, sheet.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after_pt=12
    )
    for bold, plain in sheet.lead:
        paragraph = docx_style.add_paragraph(doc)
        if bold:
            paragraph.add_run(bold).bold = True
        if plain:
            paragraph.add_run(plain)
    if sheet.lead:
        docx_style.add_paragraph(doc)
    _add_sheet_table(doc, sheet, width)
    return _save(doc)


def _add_sheet_table(doc, sheet: Sheet, width: float) -> None:
    table = doc.add_table(rows=1, cols=len(sheet.columns))
    table.style = doc.styles["Table Grid"]
    header = table.rows[0]
    for cell, column in zip(header.cells, sheet.columns, strict=True):
        docx_style.set_cell_text(cell, column.label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_style.repeat_header(header)
    for row in sheet.rows:
        if isinstance(row, str):
            docx_style.merged_row(table, row)
            continue
        cells = table.add_row().cells
        for cell, column, text in zip(cells, sheet.columns, row, strict=True):
            align = WD_ALIGN_PARAGRAPH.CENTER if column.centred else None
            docx_style.set_cell_text(cell, text or "", align=align)
    docx_style.set_table_font(table)
    rest = width - sum(c.mm for c in sheet.columns)
    shares = sum(c.share for c in sheet.columns) or 1
    docx_style.set_col_widths(table, [c.mm or c.share / shares * rest for c in sheet.columns])


# ---------------------------------------------------------------- Russian grammar


def kind_genitive(kind: str) -> str:
    """«настоящего распоряжения», «настоящего приказа»."""
    labels = {
        "order": "распоряжение", "decree": "приказ", "protocol": "протокол", "letter": "письмо",
    }  # fmt: skip
    word = labels.get(kind, kind)
    return inflect_phrase(word, "gent")
