"""OpenDocument files made in tests, as LibreOffice writes them (the zip, ``mimetype`` first).

Example: ``odt([["Перечень мероприятий на 2024 год"], [["№", "Мероприятие"], ["1.", "Совещание"]]])``
— a paragraph, then a table; a cell written as ``("Раздел", 2)`` spans two columns, ``None``
marks the position a span covers.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)


def _paragraphs(text: str) -> str:
    return "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))


def _cell(cell) -> str:
    if cell is None:
        return "<table:covered-table-cell/>"
    text, span = (cell, 1) if isinstance(cell, str) else cell
    spanned = f' table:number-columns-spanned="{span}"' if span > 1 else ""
    return f"<table:table-cell{spanned}>{_paragraphs(text)}</table:table-cell>"


def _table(rows, header_rows: int) -> str:
    width = max(len(row) for row in rows)
    head = "".join(
        "<table:table-row>" + "".join(_cell(c) for c in row) + "</table:table-row>"
        for row in rows[:header_rows]
    )
    body = "".join(
        "<table:table-row>" + "".join(_cell(c) for c in row) + "</table:table-row>"
        for row in rows[header_rows:]
    )
    return (
        f'<table:table table:name="Таблица1"><table:table-column '
        f'table:number-columns-repeated="{width}"/>'
        f"<table:table-header-rows>{head}</table:table-header-rows>{body}</table:table>"
    )


def _package(mimetype: str, body: str, styles: str = "") -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body>{body}</office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return buffer.getvalue()


NUMBERED = (
    '<text:list-style style:name="L1"><text:list-level-style-number text:level="1" '
    'style:num-format="1" style:num-suffix="."/></text:list-style>'
)


def odt(blocks, *, header_rows: int = 1) -> bytes:
    """Blocks: a str is a paragraph, a list of rows a table, ("list", [...]) a numbered list."""
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(_paragraphs(block))
        elif isinstance(block, tuple) and block[0] == "list":
            items = "".join(
                f"<text:list-item><text:p>{escape(item)}</text:p></text:list-item>"
                for item in block[1]
            )
            parts.append(f'<text:list text:style-name="L1">{items}</text:list>')
        else:
            parts.append(_table(block, header_rows))
    return _package(
        "application/vnd.oasis.opendocument.text",
        f"<office:text>{''.join(parts)}</office:text>",
        NUMBERED,
    )


def ods(rows) -> bytes:
    """One sheet with the rows (cells as in :func:`odt`)."""
    return _package(
        "application/vnd.oasis.opendocument.spreadsheet",
        f"<office:spreadsheet>{_table(rows, 0)}</office:spreadsheet>",
    )
