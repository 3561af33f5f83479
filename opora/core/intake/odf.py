"""OpenDocument files (.odt, .ods) read natively: paragraphs, lists and tables of content.xml.

Only the standard zip reader (through the zip guard) and lxml, with entities and the network
turned off. The result is the neutral layout of :mod:`opora.core.intake.layout`.

Example: an .odt saved by LibreOffice with the title «План мероприятий на 2023 год» and a table
«№ | Мероприятие | Срок» reads as ``["План мероприятий на 2023 год", Table([...])]``.
"""

from __future__ import annotations

import zipfile

from lxml import etree

from opora.core.intake.files import UploadError
from opora.core.intake.layout import MAX_COLUMNS, Block, Span, Table
from opora.core.intake.zipguard import check_zip

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"

#: A spreadsheet repeats empty rows and cells to the end of the sheet; these bounds stop that.
MAX_ROWS = 20_000
_DAMAGED = "Файл OpenDocument повреждён: его не удалось прочитать."


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


_P, _H, _LIST = _tag(TEXT, "p"), _tag(TEXT, "h"), _tag(TEXT, "list")
_SKIPPED = {_tag(TEXT, "note"), _tag(OFFICE, "annotation"), _tag(TEXT, "tracked-changes")}


def _content(data: bytes, limit: int) -> tuple[etree._Element, etree._Element | None]:
    archive = check_zip(data, limit, damaged=_DAMAGED)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        content = etree.fromstring(archive.read("content.xml"), parser)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise UploadError(_DAMAGED) from exc
    styles = None
    try:
        styles = etree.fromstring(archive.read("styles.xml"), parser)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile):
        styles = None
    return content, styles


def inline_text(element: etree._Element) -> str:
    """The text of a paragraph: spaces (``text:s``), tabs and line breaks kept, notes left out."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _tag(TEXT, "s"):
            parts.append(" " * int(child.get(_tag(TEXT, "c"), "1") or 1))
        elif tag == _tag(TEXT, "tab"):
            parts.append("\t")
        elif tag == _tag(TEXT, "line-break"):
            parts.append("\n")
        elif tag not in _SKIPPED:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _numbered_styles(*roots: etree._Element | None) -> set[str]:
    """Names of list styles whose first level is numbered («1.», «1)»)."""
    names = set()
    for root in roots:
        if root is None:
            continue
        for style in root.iter(_tag(TEXT, "list-style")):
            first = next(iter(style), None)
            if first is not None and first.tag == _tag(TEXT, "list-level-style-number"):
                names.add(style.get(_tag(STYLE, "name"), ""))
    return names - {""}


class _Reader:
    def __init__(self, numbered: set[str]):
        self.numbered = numbered

    def blocks(self, container: etree._Element) -> list[Block]:
        found: list[Block] = []
        for child in container:
            tag = child.tag
            if tag in (_P, _H):
                found.append(inline_text(child))
            elif tag == _LIST:
                found.extend(self._list(child))
            elif tag == _tag(TABLE, "table"):
                found.append(self.table(child))
            elif tag in (_tag(TEXT, "section"), _tag(TEXT, "list-item")):
                found.extend(self.blocks(child))
        return found

    def _list(self, element: etree._Element, style: str = "") -> list[str]:
        style = element.get(_tag(TEXT, "style-name")) or style
        numbered = style in self.numbered
        lines: list[str] = []
        for number, item in enumerate(element.iter(_tag(TEXT, "list-item")), start=1):
            if item.getparent() is not element:
                continue
            marker = f"{number}. " if numbered else ""
            for child in item:
                if child.tag in (_P, _H):
                    lines.append(marker + inline_text(child))
                    marker = ""
                elif child.tag == _LIST:
                    lines.extend(self._list(child, style))
        return lines

    def _cell_text(self, cell: etree._Element) -> str:
        lines: list[str] = []
        for block in self.blocks(cell):
            if isinstance(block, Table):  # a table in a cell: its text, row by row
                lines.extend(" ".join(s.text for s in row if s.text) for row in block.rows)
            else:
                lines.append(block)
        return "\n".join(lines)

    def table(self, element: etree._Element) -> Table:
        rows: list[list[Span]] = []
        for row in _rows(element):
            repeat = min(int(row.get(_tag(TABLE, "number-rows-repeated"), "1") or 1), MAX_ROWS)
            spans = self._row(row)
            if not any(span.text for span in spans):
                repeat = 1  # a spreadsheet's empty rows to the end of the sheet
            for _ in range(repeat):
                rows.append([Span(s.text, s.colspan, s.rowspan) for s in spans])
            if len(rows) >= MAX_ROWS:
                break
        while rows and not any(span.text for span in rows[-1]):
            rows.pop()
        return Table(rows)

    def _row(self, row: etree._Element) -> list[Span]:
        spans: list[Span] = []
        width = 0
        for cell in row:
            if cell.tag == _tag(TABLE, "covered-table-cell"):
                continue  # the position belongs to a span from the left or above
            if cell.tag != _tag(TABLE, "table-cell"):
                continue
            repeat = int(cell.get(_tag(TABLE, "number-columns-repeated"), "1") or 1)
            text = self._cell_text(cell)
            colspan = int(cell.get(_tag(TABLE, "number-columns-spanned"), "1") or 1)
            rowspan = int(cell.get(_tag(TABLE, "number-rows-spanned"), "1") or 1)
            for _ in range(min(repeat, MAX_COLUMNS - width)):
                spans.append(Span(text, max(colspan, 1), max(rowspan, 1)))
                width += max(colspan, 1)
            if width >= MAX_COLUMNS:
                break
        while spans and not spans[-1].text and spans[-1].colspan == 1:
            spans.pop()
        return spans


def _rows(table: etree._Element):
    """Rows of a table in order, through header-rows, row groups and row blocks."""
    for child in table:
        if child.tag == _tag(TABLE, "table-row"):
            yield child
        elif child.tag in (
            _tag(TABLE, "table-header-rows"),
            _tag(TABLE, "table-rows"),
            _tag(TABLE, "table-row-group"),
        ):
            yield from _rows(child)


def read_text_document(data: bytes, limit: int) -> list[Block]:
    """Paragraphs and tables of an .odt, in order."""
    content, styles = _content(data, limit)
    body = content.find(f"{_tag(OFFICE, 'body')}/{_tag(OFFICE, 'text')}")
    if body is None:
        raise UploadError("Это не текстовый документ OpenDocument (.odt).")
    return _Reader(_numbered_styles(content, styles)).blocks(body)


def read_spreadsheet(data: bytes, limit: int) -> list[tuple[str, Table]]:
    """The sheets of an .ods as (name, table)."""
    content, _ = _content(data, limit)
    body = content.find(f"{_tag(OFFICE, 'body')}/{_tag(OFFICE, 'spreadsheet')}")
    if body is None:
        raise UploadError("Это не таблица OpenDocument (.ods).")
    reader = _Reader(set())
    return [
        (sheet.get(_tag(TABLE, "name"), ""), reader.table(sheet))
        for sheet in body.iter(_tag(TABLE, "table"))
    ]


def document_kind(data: bytes, limit: int) -> str | None:
    """'odt', 'ods' or None, by the ``mimetype`` member."""
    archive = check_zip(data, limit, damaged=_DAMAGED)
    try:
        mimetype = archive.read("mimetype")[:100].decode("ascii", "ignore")
    except KeyError:
        return None
    if mimetype.endswith("opendocument.text"):
        return "odt"
    if mimetype.endswith("opendocument.spreadsheet"):
        return "ods"
    return None
