"""Reading a roadmap («дорожная карта») table from .docx and .xlsx files.

Other formats (.odt, .ods, a PDF with a text layer, .doc/.rtf/.xls through LibreOffice) are
brought to .docx/.xlsx by ``core.intake.convert`` first. Pure Python, no Django. The entry point is :func:`read_roadmap`;
every refusal is a :class:`RoadmapFileError` whose text is shown to the user as is.

Example (seed 002, Kargasok district)::

    roadmap = read_roadmap("002_kargasok_roadmap_2020.docx")
    roadmap.title        # «Дорожная карта комплекса мероприятий по работе со школами … на
                         #  2020 - 2021 год»
    roadmap.sections[0].title  # «Нормативно-правовое обеспечение реализации мероприятий …»
    event = roadmap.sections[0].events[5]
    event.number, event.deadline_text, event.executors_text
    # ("6.", "Май-июнь 2021 Май-июнь 2022 Май-июнь 2023", "УООиП")

How the table is read:

* the table is found by its header (``№``, «Мероприятие», «Сроки», «Ответственные»,
  «Показатель реализации», «Результат» … in any order, one or two header rows);
* a row whose text fills the whole row (merged cells) or sits alone in one cell is a section;
* a row without a number that continues the previous event (a row broken across pages) is
  glued to that event; a row with its own capitalised text and its own deadline is a new event
  without a number (seed 002 has one after event 23);
* paragraphs of a cell are kept as lines separated by ``"\\n"``.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from typing import Any

from opora.core.intake.convert import needs_conversion, to_office
from opora.core.intake.docx_grid import docx_grid, paragraph_text, row_cells, table_rows
from opora.core.intake.files import UploadError, read_source, too_large, unpacked_limit
from opora.core.intake.grid import Grid, distinct
from opora.core.intake.numbering import Numbering
from opora.core.intake.sniff import OLE_SIGNATURE, office_kind, ole_is_encrypted
from opora.core.intake.wordml import w
from opora.core.intake.xlsx_grid import xlsx_grid
from opora.core.intake.zipguard import check_zip
from opora.roadmaps.readers.header import Columns, Header, find_header, header_key, parse_columns
from opora.roadmaps.readers.parsed import (
    COLUMN_KEYS,
    ColumnsNeeded,
    ParsedEvent,
    ParsedRoadmap,
    ParsedSection,
    RoadmapFileError,
)
from opora.roadmaps.readers.preamble import Para, find_title, parse_preamble
from opora.roadmaps.readers.rows import Block, parse_blocks, section_title
from opora.roadmaps.readers.text import clean_line, normalise_paragraph, normalise_text

# --- limits ---------------------------------------------------------------------------------

# Files and archives past ``settings.MAX_UNPACKED_BYTES["document"]`` are refused (a real
# roadmap is well under 10 MB; the whole document is loaded into memory).
#: How many rows from the top of a Word table / an Excel sheet may precede the header.
DOCX_HEADER_SCAN_ROWS = 6
XLSX_HEADER_SCAN_ROWS = 30
#: Excel reading stops after this many empty rows in a row, and never reads past these bounds.
XLSX_MAX_EMPTY_RUN = 200
XLSX_MAX_ROWS = 20_000
XLSX_MAX_COLUMNS = 40

# The parts tests and callers know by this module's name.
__all__ = [
    "COLUMN_KEYS",
    "ColumnsNeeded",
    "Columns",
    "ParsedEvent",
    "ParsedRoadmap",
    "ParsedSection",
    "RoadmapFileError",
    "parse_columns",
    "read_roadmap",
]
_header_key = header_key
_normalise_paragraph = normalise_paragraph
_normalise_text = normalise_text


def read_roadmap(
    path_or_file: Any, filename: str | None = None, columns: Columns | None = None
) -> ParsedRoadmap:
    """Read a roadmap table from a .docx or .xlsx file (path, bytes or binary file object).

    The format is detected by content, not by the file name. Raises :class:`RoadmapFileError`
    with a Russian message for old .doc/.xls files, password-protected files, damaged or
    oversized archives and documents without a roadmap table.

    Пример: ``read_roadmap("003_region_roadmap_2023.docx").events[0].executors_text``
    → ``"ДОО ТО, ТОИПКРО"``.

    ``columns`` overrides the header: ``{"3": "deadline", "Кто отвечает": "executors"}`` (see
    :func:`parse_columns`); it is how a user resolves a table whose header is not understood.
    """
    data, name = _read_input(path_or_file, filename)
    data, note = _converted(data)
    kind = _detect_format(data, name)
    try:
        parsed = _read_docx(data, columns) if kind == "docx" else _read_xlsx(data, columns)
        if note:
            parsed.warnings.insert(0, note)
        return parsed
    except RoadmapFileError:
        raise
    except Exception as exc:  # a malformed file must not end in a server error
        raise RoadmapFileError(
            "Не удалось разобрать таблицу дорожной карты: файл повреждён или имеет необычную "
            "структуру. Сохраните его заново в Word или Excel и загрузите снова."
        ) from exc


# --- input and format detection ---------------------------------------------------------------

_SUPPORTED = (
    "загрузите документ Word (.docx, .doc, .rtf), OpenDocument (.odt, .ods), PDF с текстом "
    "или таблицу Excel (.xlsx, .xls)"
)


def _read_input(path_or_file: Any, filename: str | None) -> tuple[bytes, str | None]:
    if not isinstance(path_or_file, bytes | bytearray | memoryview | str | os.PathLike) and (
        not hasattr(path_or_file, "read")
    ):
        raise TypeError("read_roadmap() expects a path, bytes or a binary file object")
    limit = unpacked_limit("document")
    try:
        data, name = read_source(path_or_file, limit, filename)
    except UploadError as exc:
        if str(exc) == too_large(limit):
            raise RoadmapFileError(
                f"Файл больше {limit // (1024 * 1024)} МБ — это не похоже на дорожную карту."
            ) from exc
        raise RoadmapFileError(str(exc)) from exc
    if not data:
        raise RoadmapFileError("Файл пустой.")
    return data, name


def _converted(data: bytes) -> tuple[bytes, str]:
    """OpenDocument, PDF, RTF, .doc and .xls brought to .docx/.xlsx by the shared intake."""
    if data.startswith(OLE_SIGNATURE) and ole_is_encrypted(data):
        raise RoadmapFileError(
            "Файл защищён паролем. Снимите пароль (в Word или Excel: «Файл» → «Сведения» → "
            "«Защита документа») и загрузите файл снова."
        )
    try:
        if not needs_conversion(data, unpacked_limit("document")):
            return data, ""
        return to_office(data, unpacked_limit("document"))
    except UploadError as exc:
        raise RoadmapFileError(str(exc)) from exc


def _detect_format(data: bytes, name: str | None) -> str:
    """'docx' or 'xlsx' by content; anything else raises RoadmapFileError."""
    if not data.startswith(b"PK"):
        shown = f"«{name}» " if name else ""
        raise RoadmapFileError(f"Файл {shown}не является документом Office: {_SUPPORTED}.")
    kind = office_kind(_open_zip(data))
    if kind in ("docx", "xlsx"):
        return kind
    raise RoadmapFileError(f"Архив не похож на документ Word или таблицу Excel: {_SUPPORTED}.")


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """Open the archive through the shared zip guard, before anything is parsed."""
    try:
        return check_zip(
            data,
            unpacked_limit("document"),
            damaged="Файл повреждён: его не удалось открыть как документ .docx/.xlsx.",
        )
    except UploadError as exc:
        raise RoadmapFileError(str(exc)) from exc


# --- the parts put together ------------------------------------------------------------------


def _assemble(
    blocks: list[Block], preamble: list[Para], warnings: list[str], what: str
) -> ParsedRoadmap:
    preamble = preamble + _rows_above_header(blocks[0])
    goal, tasks, indicators, used = parse_preamble(preamble)
    title, _ = find_title(preamble, used)
    parser = parse_blocks(blocks)
    events = [event for section in parser.sections for event in section.events]
    if not events:
        raise RoadmapFileError(
            f"В {what} найдена таблица дорожной карты, но в ней нет ни одного мероприятия."
        )
    if "deadline" not in parser.columns:
        warnings.append("В таблице нет колонки «Сроки»: сроки мероприятий не указаны.")
    return ParsedRoadmap(
        title=title,
        goal=goal,
        tasks=tasks,
        indicators=indicators,
        sections=parser.sections,
        columns=parser.columns,
        warnings=warnings + parser.warnings,
        header_names=list(blocks[0].header.names),
        header_keys=list(blocks[0].header.keys),
        skipped=parser.skipped,
    )


def _rows_above_header(block: Block) -> list[Para]:
    """Title lines written inside the table (or the sheet) above its header."""
    paragraphs = []
    for row in block.grid.rows[: block.header.first_row]:
        for cell, _ in distinct(row):
            paragraphs.extend(Para(line) for line in cell.text.split("\n") if line)
    return paragraphs


def _columns_needed(what: str, grids: list[Grid]) -> ColumnsNeeded | None:
    """Ask for a mapping of the largest table with at least three columns, if there is one."""
    grids = [grid for grid in grids if grid.ncols >= 3 and len(grid.rows) >= 2]
    if not grids:
        return None
    grid = max(grids, key=lambda g: len(g.rows) * g.ncols)
    filled = [i for i, row in enumerate(grid.rows) if sum(1 for c in row if c.text) >= 2]
    first = filled[0] if filled else 0
    headers = [
        clean_line(cell.text.replace("\n", " ")) or f"колонка {index + 1}"
        for index, cell in enumerate(grid.rows[first])
    ]
    samples = [
        [clean_line(cell.text.replace("\n", " "))[:200] for cell in grid.rows[i]]
        for i in filled[1:4]
    ]
    return ColumnsNeeded(
        f"В {what} есть таблица, но её заголовок не распознан: укажите, какая колонка — "
        "мероприятие, какая — сроки, какая — ответственные.",
        headers,
        samples,
    )


def _no_table_error(what: str, tables_seen: int) -> RoadmapFileError:
    need = "«Мероприятие» и «Сроки» (или «Ответственные»)"
    if tables_seen:
        return RoadmapFileError(
            f"В {what} есть таблицы, но ни в одной не найден заголовок дорожной карты: "
            f"нужны колонки {need}."
        )
    return RoadmapFileError(
        f"В {what} не найдена таблица дорожной карты: нужна таблица с колонками {need}."
    )


# --- .docx ------------------------------------------------------------------------------------


def _flatten_blocks(container: Any, candidates: set[Any], contains: set[Any]) -> Iterator[Any]:
    """Paragraphs and tables in document order; layout tables holding a roadmap are opened."""
    for child in container:
        tag = child.tag
        if tag == w("p"):
            yield child
        elif tag == w("tbl"):
            if child in contains and child not in candidates:
                for tr in table_rows(child):
                    for tc in row_cells(tr):
                        yield from _flatten_blocks(tc, candidates, contains)
            else:
                yield child
        elif tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from _flatten_blocks(child, candidates, contains)


def _read_docx(data: bytes, columns: Columns | None = None) -> ParsedRoadmap:
    document = _open_docx(data)
    body = document.element.body
    numbering = Numbering(document)
    numbering.compute(body)
    tables = list(body.iter(w("tbl")))
    headers = _docx_headers(tables, numbering, columns)
    candidates = set(headers)
    contains = {t for t in tables if any(c is not t and c in candidates for c in t.iter(w("tbl")))}
    best = max(
        headers, key=lambda t: (headers[t][1].score, len(headers[t][0].rows), -tables.index(t))
    )
    collected = _DocxBlocks(headers, headers[best][1].shape, headers[best][0].ncols, numbering)
    for element in _flatten_blocks(body, candidates, contains):
        collected.take(element)
    chosen, preamble = collected.chosen, collected.preamble
    warnings: list[str] = []
    if len(chosen) > 1:
        preamble = _first_table_title(chosen, preamble)
        warnings.append(f"Дорожная карта собрана из {len(chosen)} таблиц с одинаковым заголовком.")
    return _assemble(chosen, preamble, warnings, "документе")


def _open_docx(data: bytes) -> Any:
    try:
        import docx

        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on bad input
        raise RoadmapFileError(
            "Не удалось прочитать документ Word: файл повреждён или сохранён несовместимой "
            "программой. Откройте его в Word и сохраните заново как .docx."
        ) from exc


def _docx_headers(
    tables: list[Any], numbering: Numbering, columns: Columns | None
) -> dict[Any, tuple[Grid, Header]]:
    """The tables with a roadmap header; none at all is a refusal (or a mapping to ask for)."""
    headers: dict[Any, tuple[Grid, Header]] = {}
    grids: list[Grid] = []
    for tbl in tables:
        grid = docx_grid(tbl, numbering, normalise_text)
        grids.append(grid)
        header = find_header(grid, DOCX_HEADER_SCAN_ROWS, columns)
        if header is not None:
            headers[tbl] = (grid, header)
    if not headers:
        raise _columns_needed("документе", grids) or _no_table_error("документе", len(tables))
    return headers


class _DocxBlocks:
    """Walks the document: the paragraphs before the roadmap, then its tables in order.

    A table with the same header as the best one continues the roadmap (a paragraph just
    before it titles its section); a headerless table of the same width right after one is
    the rest of it, cut by a page break.
    """

    def __init__(
        self,
        headers: dict[Any, tuple[Grid, Header]],
        shape: tuple[str | None, ...],
        ncols: int,
        numbering: Numbering,
    ) -> None:
        self.headers, self.shape, self.ncols, self.numbering = headers, shape, ncols, numbering
        self.chosen: list[Block] = []
        self.preamble: list[Para] = []
        self.gap: list[Para] = []  # non-empty paragraphs since the last table
        self.after_chosen = False

    def take(self, element: Any) -> None:
        if element.tag == w("p"):
            self._paragraph(element)
            return
        if element in self.headers and self.headers[element][1].shape == self.shape:
            grid, header = self.headers[element]
            title = ""
            if self.chosen and self.gap and len(self.gap[-1].text) < 300:
                title = section_title(self.gap[-1].text)
            self.chosen.append(Block(grid, header, title))
            self.gap, self.after_chosen = [], True
            return
        if self._continues_last(element):
            return
        if not self.chosen:
            self.preamble = []  # a table before the roadmap ends the preamble
        self.gap, self.after_chosen = [], False

    def _paragraph(self, element: Any) -> None:
        text, is_list = paragraph_text(element, self.numbering)
        para = Para(clean_line(text.replace("\n", " ")), is_list)
        if not self.chosen:
            self.preamble.append(para)
        elif para.text:
            self.gap.append(para)

    def _continues_last(self, element: Any) -> bool:
        if not (self.chosen and self.after_chosen and not self.gap) or element in self.headers:
            return False
        grid = docx_grid(element, self.numbering, normalise_text)
        if grid.ncols != self.ncols or not grid.rows:
            return False
        names = self.chosen[-1].header.names
        self.chosen.append(Block(grid, Header(0, list(self.shape), names, 0)))
        return True


def _first_table_title(chosen: list[Block], preamble: list[Para]) -> list[Para]:
    """When later tables have section titles above them, so has the first: the last paragraph
    before it (unless that is the roadmap's title). Returns the preamble without it."""
    titled = any(block.section_title for block in chosen[1:])
    if not titled or _starts_with_section(chosen[0]):
        return preamble
    _, _, _, used = parse_preamble(preamble)
    _, title_index = find_title(preamble, used)
    last = len(preamble) - 1
    while last >= 0 and not preamble[last].text:
        last -= 1
    if last >= 0 and last != title_index and last not in used:
        chosen[0].section_title = section_title(preamble[last].text)
        return preamble[:last]
    return preamble


def _starts_with_section(block: Block) -> bool:
    rows = block.grid.rows[block.header.first_data_row :]
    for row in rows:
        own = [cell for cell, _ in distinct(row) if cell.text and not cell.inherited]
        if not own:
            continue
        return len({cell.text for cell in own}) == 1
    return False


# --- .xlsx ------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, columns: Columns | None = None) -> ParsedRoadmap:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on bad input
        raise RoadmapFileError(
            "Не удалось прочитать таблицу Excel: файл повреждён или сохранён несовместимой "
            "программой. Откройте его в Excel и сохраните заново как .xlsx."
        ) from exc
    grids: list[Grid] = []
    for sheet in workbook.worksheets:
        grid = xlsx_grid(sheet, normalise_text, XLSX_MAX_ROWS, XLSX_MAX_COLUMNS, XLSX_MAX_EMPTY_RUN)
        header = find_header(grid, XLSX_HEADER_SCAN_ROWS, columns)
        if header is None:
            grids.append(grid)
            continue
        warnings = []
        if len(workbook.worksheets) > 1:
            warnings.append(f"Дорожная карта прочитана с листа «{sheet.title}».")
        return _assemble([Block(grid, header)], [], warnings, "книге Excel")
    raise _columns_needed("книге Excel", grids) or _no_table_error("книге Excel", 0)
