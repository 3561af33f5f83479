"""The one rendering layer for generated Word documents (ГОСТ Р 7.0.97-2016).

Every generated .docx — roadmaps, orders («приказ», «распоряжение»), protocols, reports —
starts from :func:`new_document` and is laid out with the helpers here, so that all of them
share the same page, fonts and table conventions:

* A4, margins left 20, right 10, top 20, bottom 20 mm;
* Times New Roman 14 pt, single spacing, no space after paragraphs; tables 12 pt;
* page numbers centred in the header, from page 2.

Example::

    doc = new_document(landscape=True)
    add_paragraph(doc, "Дорожная карта на 2023 год", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = doc.add_table(rows=1, cols=3)
    ...
    add_page_numbers(doc)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document as open_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

FONT_NAME = "Times New Roman"
BODY_SIZE_PT = 14
TABLE_SIZE_PT = 12
LANGUAGE = "ru-RU"

PAGE_SHORT_MM = 210
PAGE_LONG_MM = 297
MARGIN_LEFT_MM = 20
MARGIN_RIGHT_MM = 10
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20

_TWIPS_PER_MM = 1440 / 25.4


def text_width_mm(doc: Document) -> float:
    """Width between the margins of the document's last section, in millimetres."""
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def new_document(landscape: bool = False) -> Document:
    """An empty A4 document with the ГОСТ margins and Times New Roman 14 pt, single-spaced.

    The font is set on the document defaults and on the Normal style, for every script
    (``w:ascii``, ``w:hAnsi``, ``w:eastAsia``, ``w:cs``) and with the template's theme fonts
    removed: otherwise Word and LibreOffice may render Cyrillic in Calibri or Cambria.
    """
    doc = open_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_LONG_MM, PAGE_SHORT_MM) if landscape else (PAGE_SHORT_MM, PAGE_LONG_MM)
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr_default is not None:
            _set_fonts(rpr_default)
            _set_size(rpr_default, BODY_SIZE_PT)
            _set_language(rpr_default)

    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_SIZE_PT)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr)
    _set_language(rpr)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.0

    properties = doc.core_properties
    properties.author = "Опора"
    properties.last_modified_by = "Опора"
    properties.comments = ""
    properties.language = LANGUAGE
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    properties.created = properties.modified = now
    properties.revision = 1
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # python-docx's template ships a picture of itself
            package_rels.pop(rel_id)
    return doc


def add_page_numbers(doc: Document, skip_first: bool = True) -> None:
    """A PAGE field centred in the header of every section; none on the first page.

    ГОСТ Р 7.0.97-2016, п. 6.5: pages are numbered from the second one, in the middle of
    the top margin. The first page gets its own empty header
    (``different_first_page_header_footer``), so Word and LibreOffice both leave it blank.
    """
    for section in doc.sections:
        section.different_first_page_header_footer = skip_first
        if skip_first:
            section.first_page_header.is_linked_to_previous = False
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_field(paragraph, "PAGE", placeholder="2")


def add_paragraph(
    doc: Document,
    text: str = "",
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    size_pt: float | None = None,
    space_after_pt: float = 0,
) -> Paragraph:
    """A body paragraph (Times New Roman 14 unless ``size_pt``), justified by default.

    Line breaks in ``text`` become line breaks inside the paragraph.
    """
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if space_after_pt:
        paragraph.paragraph_format.space_after = Pt(space_after_pt)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size_pt:
            run.font.size = Pt(size_pt)
    return paragraph


def set_cell_text(
    cell: _Cell,
    text: str,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    """Fill a table cell: every line of ``text`` becomes its own paragraph of the cell.

    Separate paragraphs (not line breaks) keep lists inside cells as the author wrote them,
    and are what the roadmap reader splits cells on.
    """
    lines = text.split("\n") if text else [""]
    paragraphs = cell.paragraphs
    for index, line in enumerate(lines):
        paragraph = paragraphs[0] if index == 0 and paragraphs else cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if line:
            run = paragraph.add_run(line)
            run.bold = bold or None


def merged_row(
    table: Table,
    text: str,
    bold: bool = True,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> _Row:
    """Append a row whose single cell spans all columns (a section title of a table)."""
    row = table.add_row()
    cells = row.cells
    cell = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
    set_cell_text(cell, text, bold=bold, align=align)
    return row


def repeat_header(row: _Row) -> None:
    """Mark a row as a header row (``w:tblHeader``): it is repeated at the top of every page.

    Also forbids splitting the row across pages, so the header is never torn.
    """
    tr_pr = row._tr.get_or_add_trPr()
    # The row properties are a choice in any order, but revision marks must come last.
    revision = next(
        (child for child in tr_pr if child.tag in {qn("w:ins"), qn("w:del"), qn("w:trPrChange")}),
        None,
    )
    for tag in ("w:cantSplit", "w:tblHeader"):
        if tr_pr.find(qn(tag)) is None:
            element = OxmlElement(tag)
            if revision is not None:
                revision.addprevious(element)
            else:
                tr_pr.append(element)


def set_table_font(table: Table, size_pt: float = TABLE_SIZE_PT) -> None:
    """Set the size of every run and paragraph mark in the table (call when it is filled).

    The typeface comes from the Normal style (Times New Roman); only the size changes.
    Paragraph marks matter too: an empty cell would otherwise keep a 14 pt line height.
    """
    half_points = str(round(size_pt * 2))
    tbl = table._tbl
    for paragraph in tbl.iter(qn("w:p")):
        p_pr = paragraph.get_or_add_pPr()
        mark = p_pr.find(qn("w:rPr"))
        if mark is None:
            mark = OxmlElement("w:rPr")
            p_pr.append(mark)  # rPr is the last child of pPr we ever write
        _set_child_val(mark, "w:sz", half_points)
    for run in tbl.iter(qn("w:r")):
        run.get_or_add_rPr().sz_val = Pt(size_pt)


def set_col_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths, written both to the grid (LibreOffice) and to each cell (Word).

    Merged cells get the sum of the columns they span.
    """
    twips = [round(width * _TWIPS_PER_MM) for width in widths_mm]
    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(twips)))
    tbl_w.set(qn("w:type"), "dxa")
    _reorder_tbl_pr(tbl_pr)

    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), twips, strict=False):
        col.set(qn("w:w"), str(width))
    for tr in tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths_mm[column : column + span]))
            column += span


# --- XML details --------------------------------------------------------------------------------

# The order of children of w:tblPr required by the schema (Word refuses some misordered files).
_TBL_PR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip


def _reorder_tbl_pr(tbl_pr) -> None:
    rank = {qn(tag): index for index, tag in enumerate(_TBL_PR_ORDER)}
    children = sorted(tbl_pr, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        tbl_pr.append(child)  # lxml moves an existing child to the end


def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT_NAME)


def _set_size(rpr, size_pt: float) -> None:
    for tag in ("w:sz", "w:szCs"):
        _set_child_val(rpr, tag, str(round(size_pt * 2)))


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # w:lang is among the last children of w:rPr
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _set_child_val(parent, tag: str, value: str) -> None:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        # w:sz/w:szCs come before w:lang and other late rPr children.
        late = next(
            (parent.find(qn(t)) for t in ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
             "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
             "w:specVanish", "w:oMath") if parent.find(qn(t)) is not None),
            None,
        )  # fmt: skip
        if late is not None:
            late.addprevious(child)
        else:
            parent.append(child)
    child.set(qn("w:val"), value)


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A simple field (PAGE, NUMPAGES) as begin / instrText / separate / result / end runs."""

    def run_with(*children) -> None:
        run = paragraph.add_run()
        for child in children:
            run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    result = OxmlElement("w:t")
    result.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(begin)
    run_with(instr)
    run_with(separate)
    run_with(result)
    run_with(end)
