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

The text of a document is plain: every non-empty line is a paragraph; a line of capitals
ending in a colon («ПРИКАЗЫВАЮ:», «ОБЯЗЫВАЮ:») is the operative word; consecutive lines that
start with «|» are a table («| Школа | Пункт 1 |»), its first row the header.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Mm, Pt

from opora.core.russian.dates import short_date
from opora.core.russian.inflect import inflect_phrase
from opora.documents import docx_style

FIRST_LINE_INDENT_CM = 1.25
EXECUTOR_SIZE_PT = 10
KIND_HEADINGS = {
    "order": "РАСПОРЯЖЕНИЕ",
    "decree": "ПРИКАЗ",
    "protocol": "ПРОТОКОЛ",
    "report": "АНАЛИТИЧЕСКАЯ СПРАВКА",
}
OPERATIVE_WORDS = {"decree": "ПРИКАЗЫВАЮ:", "order": "ОБЯЗЫВАЮ:"}

_OPERATIVE = re.compile(r"^[А-ЯЁ]{5,}(?:\s[А-ЯЁ]+)*:$")
_SIGNER_NAME = re.compile(
    r"\s+((?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    r"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s(?:[А-ЯЁ]\.\s?){1,2})$"
)


# ---------------------------------------------------------------- the text of a document

NBSP = "\u00a0"


def typography(text: str) -> str:
    """Non-breaking spaces where Russian typography wants them, so that a justified line
    never ends with «№» or «г.» and never starts with a dash or with initials:
    «ООУ № 5 – МБОУ ООШ № 66», «г. Томск», «Швайко И.В.» keep their parts together.
    The stored text keeps plain spaces; this is applied when it is laid out.
    """
    text = re.sub(r"№\s+(?=\S)", "№" + NBSP, text)
    text = re.sub(r"(?<=\S) ([–—]) ", NBSP + r"\1 ", text)
    text = re.sub(r"(?<![А-Яа-яЁё])(г|с|п|пос|ул|д|им)\. (?=[А-ЯЁ\d])", r"\1." + NBSP, text)
    text = re.sub(r"(?<![А-Яа-яЁё])([А-ЯЁ]\.)\s?([А-ЯЁ]\.) (?=[А-ЯЁ][а-яё])", r"\1\2" + NBSP, text)
    text = re.sub(r"(?<=[а-яё]) ([А-ЯЁ]\.)\s?([А-ЯЁ]\.)", NBSP + r"\1\2", text)
    return text


@dataclass
class Block:
    """A piece of the text: ``paragraph``, ``operative`` (ПРИКАЗЫВАЮ:) or ``table``."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def body_blocks(body: str) -> list[Block]:
    """Split the editable text into paragraphs, operative words and tables.

    >>> [b.kind for b in body_blocks("Текст.\\n\\nПРИКАЗЫВАЮ:\\n1. Пункт.\\n| А | Б |\\n| 1 | 2 |")]
    ['paragraph', 'operative', 'paragraph', 'table']
    """
    blocks: list[Block] = []
    for raw in (body or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            cells = [typography(c.strip()) for c in line.strip("|").split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif _OPERATIVE.match(line):
            blocks.append(Block("operative", line))
        else:
            blocks.append(Block("paragraph", typography(line)))
    return blocks


def split_signer(signer: str) -> tuple[str, str]:
    """«Начальник департамента И.В. Васильева» → («Начальник департамента», «И.В. Васильева»).

    Two lines (position, then name) are taken as they are; a single line is split before
    the initials and surname at its end.
    """
    text = (signer or "").strip()
    if "\n" in text:
        position, _, name = text.rpartition("\n")
        return position.strip(), name.strip()
    match = _SIGNER_NAME.search(text)
    if match:
        return text[: match.start()].strip(), match.group(1).strip()
    return text, ""


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
    )


def render_docx(document) -> bytes:
    """The .docx of a :class:`~opora.documents.models.Document` (a draft is marked «ПРОЕКТ»)."""
    return render_requisites(requisites_of(document))


def render_requisites(r: Requisites) -> bytes:
    doc = docx_style.new_document()
    width_mm = docx_style.text_width_mm(doc)
    if r.draft:
        docx_style.add_paragraph(doc, "ПРОЕКТ", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for line in (r.organisation or "").splitlines():
        if line.strip():
            docx_style.add_paragraph(
                doc, line.strip().upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
            )
    docx_style.add_paragraph(doc)
    heading = KIND_HEADINGS.get(r.kind, (r.kind or "").upper())
    docx_style.add_paragraph(doc, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_style.add_paragraph(doc)

    dated = docx_style.add_paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT)
    dated.paragraph_format.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
    number = f"№ {r.number}" if r.number else "№ ________"
    dated.add_run(f"{short_date(r.date) or '____________'}\t{number}")
    if r.place:
        docx_style.add_paragraph(doc, typography(r.place), align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_style.add_paragraph(doc)

    title = typography(r.title.strip())
    docx_style.add_paragraph(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    docx_style.add_paragraph(doc)

    for block in body_blocks(r.body):
        if block.kind == "operative":
            docx_style.add_paragraph(doc, block.text, align=WD_ALIGN_PARAGRAPH.LEFT)
        elif block.kind == "table":
            _add_table(doc, block.rows, width_mm)
        else:
            paragraph = docx_style.add_paragraph(doc, block.text)
            paragraph.paragraph_format.first_line_indent = Cm(FIRST_LINE_INDENT_CM)

    if r.signer.strip():
        docx_style.add_paragraph(doc)
        docx_style.add_paragraph(doc)
        position, name = split_signer(r.signer)
        _add_signature(doc, position, typography(name), width_mm)
    if r.executor.strip():
        docx_style.add_paragraph(doc)
        docx_style.add_paragraph(doc)
        for line in r.executor.splitlines():
            if line.strip():
                docx_style.add_paragraph(
                    doc, line.strip(), align=WD_ALIGN_PARAGRAPH.LEFT, size_pt=EXECUTOR_SIZE_PT
                )
    docx_style.add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _add_table(doc, rows: list[list[str]], width_mm: float) -> None:
    columns = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for index, cells in enumerate(rows):
        row = table.add_row()
        for cell, text in zip(row.cells, cells + [""] * (columns - len(cells)), strict=True):
            docx_style.set_cell_text(cell, text, bold=index == 0)
        if index == 0:
            docx_style.repeat_header(row)
    docx_style.set_col_widths(table, [width_mm / columns] * columns)
    docx_style.set_table_font(table)


def _add_signature(doc, position: str, name: str, width_mm: float) -> None:
    """Position on the left, initials and surname at the right margin (ГОСТ, п. 5.22).

    A borderless table keeps the name on the last line of a long position; the signature
    stays 14 pt like the text.
    """
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    docx_style.set_cell_text(left, position, align=WD_ALIGN_PARAGRAPH.LEFT)
    docx_style.set_cell_text(right, name, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        for run in (run for p in cell.paragraphs for run in p.runs):
            run.font.size = Pt(docx_style.BODY_SIZE_PT)
    docx_style.set_col_widths(table, [width_mm * 0.62, width_mm * 0.38])


# ---------------------------------------------------------------- Russian grammar


def kind_genitive(kind: str) -> str:
    """«настоящего распоряжения», «настоящего приказа»."""
    labels = {"order": "распоряжение", "decree": "приказ", "protocol": "протокол"}
    word = labels.get(kind, kind)
    return inflect_phrase(word, "gent")
