"""A PDF with a text layer read as paragraphs and tables (pdfplumber), in reading order.

Example: a regional plan printed to PDF from Word — the title lines above the table become
paragraphs, the ruled table becomes a :class:`~opora.core.intake.layout.Table` whose merged cells
(a section row across the whole table) keep their spans, found from the cells' rectangles.
A scanned PDF has no text layer: :class:`UploadError` says so instead of an empty import.
"""

from __future__ import annotations

import io
import re

from opora.core.intake.files import UploadError
from opora.core.intake.layout import Block, Span, Table

#: A roadmap or a protocol is tens of pages; past this the file is refused, not read for minutes.
MAX_PAGES = 300
_EPSILON = 1.5  # points: borders drawn a hair apart are one line
#: Page numbers and running page counters between the parts of a table broken across pages.
_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:стр\.?|страница|-)?\s*\d{1,4}\s*(?:(?:из|/)\s*\d{1,4})?\s*-?\s*$"
)

SCANNED = (
    "В PDF нет текстового слоя — это скан или фотография документа, и прочитать таблицу из "
    "него нельзя. Загрузите исходный файл Word, Excel или OpenDocument (или PDF, сохранённый "
    "из Word, а не отсканированный)."
)


def _starts(values: list[float]) -> list[float]:
    """Distinct coordinates, those closer than a hair merged."""
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > _EPSILON:
            found.append(value)
    return found


def _count(starts: list[float], low: float, high: float) -> int:
    return max(1, sum(1 for s in starts if low - _EPSILON <= s < high - _EPSILON))


def _table(found) -> Table:
    """A pdfplumber table with the spans of its merged cells."""
    texts = found.extract()
    cells = [cell for row in found.rows for cell in row.cells if cell is not None]
    columns = _starts([cell[0] for cell in cells])
    rows = _starts([cell[1] for cell in cells])
    table = Table()
    for row, values in zip(found.rows, texts, strict=False):
        spans = []
        for cell, text in zip(row.cells, values, strict=False):
            if cell is None:
                continue
            x0, top, x1, bottom = cell
            spans.append(
                Span(
                    unwrap(text or ""),
                    _count(columns, x0, x1),
                    _count(rows, top, bottom),
                )
            )
        table.rows.append(spans)
    return table


_ITEM_RE = re.compile(r"^(?:[-–—•·▪✓]|\d{1,2}[.)](?!\d)|[а-яa-z]\))\s")


def unwrap(text: str) -> str:
    """Lines a PDF wrapped inside a cell glued back; a list item or a finished sentence stays a
    line of its own, a word hyphenated across lines is rejoined.

    >>> unwrap("Семинар для учителей\nматематики;\n- разбор зада-\nний")
    'Семинар для учителей математики;\n- разбор заданий'
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out: list[str] = []
    for line in lines:
        if not out or _ITEM_RE.match(line) or out[-1][-1] in ".;:!?":
            out.append(line)
        elif out[-1].endswith("-") and line[:1].islower():
            out[-1] = out[-1][:-1] + line
        else:
            out[-1] = f"{out[-1]} {line}"
    return "\n".join(out)


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def read_pdf(data: bytes) -> list[Block]:
    """Paragraphs (one per text line) and tables of every page, top to bottom."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    blocks: list[Block] = []
    seen_text = False
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UploadError(f"В PDF больше {MAX_PAGES} страниц — это не похоже на план.")
            for page in pdf.pages:
                seen_text = seen_text or bool(page.chars)
                blocks.extend(_page_blocks(page))
    except UploadError:
        raise
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise UploadError("Файл PDF повреждён: его не удалось прочитать.") from exc
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        raise UploadError("Файл PDF повреждён или защищён: его не удалось прочитать.") from exc
    if not seen_text:
        raise UploadError(SCANNED)
    return blocks


def _page_blocks(page) -> list[Block]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, Block]] = [(t.bbox[1], _table(t)) for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for line in outside.extract_text_lines():
        text = line["text"].strip()
        if text and not _PAGE_NUMBER_RE.match(text):
            placed.append((line["top"], text))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]
