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
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from opora.core.intake.convert import needs_conversion, to_office
from opora.core.intake.docx_grid import docx_grid, paragraph_text, row_cells, table_rows
from opora.core.intake.files import UploadError, read_source, too_large, unpacked_limit
from opora.core.intake.grid import Cell, Grid, distinct, pad_rows
from opora.core.intake.numbering import Numbering
from opora.core.intake.sniff import OLE_SIGNATURE, office_kind, ole_is_encrypted
from opora.core.intake.wordml import w
from opora.core.intake.zipguard import check_zip
from opora.core.russian.headers import column_of

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

COLUMN_KEYS = ("number", "text", "deadline", "executors", "indicator", "evidence")

# --- public API -----------------------------------------------------------------------------


class RoadmapFileError(Exception):
    """A file that cannot be read as a roadmap; ``str(e)`` is a Russian message for the user.

    Пример: ``RoadmapFileError("Файл в старом формате .doc/.xls — сохраните его как .docx/.xlsx.")``
    """


class ColumnsNeeded(RoadmapFileError):
    """A table is there but its header is not understood: the user maps its columns.

    ``headers`` are the texts of the table's first row (``"колонка 3"`` for an empty cell), in
    order; the preview asks which of them is the event, the deadline, the executors, showing
    ``samples`` — the first rows under the header, one text per column — beside each.
    """

    def __init__(
        self, message: str, headers: list[str], samples: list[list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.headers = headers
        self.samples = samples or []


@dataclass
class ParsedEvent:
    """One roadmap row (мероприятие).

    Пример: ``ParsedEvent(number="24.", text="Организация и проведение КПК …",
    deadline_text="20–21 апреля 2023г., октябрь 2023г.", executors_text="ТОИПКРО",
    indicator_text="Проведены КПК", evidence_text="Программа КПК, приказы …", row_index=28)``.
    ``raw`` keeps the original cell text per column key (columns the reader does not know are
    keyed by their header text); rows glued to this event are listed in
    ``raw["continuation_rows"]``.
    """

    number: str = ""
    text: str = ""
    deadline_text: str = ""
    executors_text: str = ""
    indicator_text: str = ""
    evidence_text: str = ""
    row_index: int = 0
    raw: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: What the reader did to the row that the preview should say: rows glued to it.
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedSection:
    """A section of the roadmap, e.g. «Организационно-управленческая деятельность»."""

    title: str = ""
    events: list[ParsedEvent] = field(default_factory=list)


@dataclass
class ParsedRoadmap:
    """What was read from a roadmap file.

    ``columns`` lists the column keys present in the form, in the order of the table
    (e.g. ``["number", "text", "deadline", "indicator", "evidence", "executors"]`` for seed 003).
    ``goal``/``tasks``/``indicators`` come from paragraphs before the table
    («Цель: …», «Задачи: 1. …», «Показатели …: 1. …»), as in seed 002.
    """

    title: str = ""
    goal: str = ""
    tasks: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The header of the (first) table as written, and the key each column was read as.
    header_names: list[str] = field(default_factory=list)
    header_keys: list[str | None] = field(default_factory=list)

    @property
    def events(self) -> list[ParsedEvent]:
        """All events of all sections, in order."""
        return [event for section in self.sections for event in section.events]


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


# --- text normalisation ---------------------------------------------------------------------

_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200d\u200e\u200f\u2060\ufeff]")
_BULLETS = "✓✔☑•●○◦▪▫■□◆◇◊➢➣➤►▸▹▶‣⁃·\uf0a7\uf0b7\uf0d8\uf0fc\uf076\uf0a8"
_BULLET_RE = re.compile(rf"^[{_BULLETS}\uf020-\uf0ff]+\s*")
_LIST_MARKER_RE = re.compile(r"^(?:[-–—•]|\d{1,2}[.)](?!\d)|[а-яa-z]\))\s*", re.IGNORECASE)


def _clean_line(line: str) -> str:
    line = _INVISIBLE_RE.sub("", line)
    return _SPACES_RE.sub(" ", line).strip()


def _normalise_paragraph(text: str) -> list[str]:
    """Lines of one paragraph: spaces collapsed, a leading bullet glyph (✓ • ●) removed.

    A paragraph that is a whole bullet list run together («✓ а; ✓ б») becomes one line per item.
    «- пункт» items are kept as written.
    """
    lines: list[str] = []
    for piece in text.replace("\r", "\n").split("\n"):
        line = _clean_line(piece)
        if not line:
            continue
        glyph = line[0]
        if glyph in _BULLETS and f" {glyph}" in line:
            lines.extend(_clean_line(item) for item in line.split(glyph) if _clean_line(item))
            continue
        line = _BULLET_RE.sub("", line)
        if line:
            lines.append(line)
    return lines


def _normalise_text(text: str) -> str:
    """Whole-cell normalisation: paragraphs are kept as lines joined by ``"\\n"``."""
    return "\n".join(line for part in text.split("\n") for line in _normalise_paragraph(part))


def _header_words(text: str) -> str:
    """«№ п/п» → «№ п п»; «Сроки реализации:» → «сроки реализации»."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[^\w№]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# --- header detection ---------------------------------------------------------------------------

_NUMBER_HEADERS = {"№", "№№", "№пп", "пп", "номер", "номерпп", "n", "no", "nпп", "№мероприятия"}


def _header_key(text: str) -> str | None:
    """Which column a header cell names, or None."""
    words = _header_words(text)
    if not words or len(words) > 100:
        return None
    compact = words.replace(" ", "")
    if compact in _NUMBER_HEADERS or (compact.startswith("№") and len(compact) <= 6):
        return "number"
    if "показател" in words or words.startswith("индикатор"):
        return "indicator"
    if re.match(r"(срок|дата|период|время проведения)", words):
        return "deadline"
    if re.match(r"(ответствен|исполнител|соисполнител)", words):
        return "executors"
    if "результат" in words or re.match(
        r"(документ|подтвержда|отчетн|итогов|форма (отчет|представлен|контрол)|продукт)", words
    ):
        return "evidence"
    if re.match(r"(мероприят|наименование|содержание|перечень мероприят|название)", words) or (
        "мероприят" in words and len(words) <= 60
    ):
        return "text"
    return column_of(text)


#: A column mapping chosen by a user: 1-based column numbers («3») or header wordings
#: («Плановый срок») → column keys; see :func:`parse_columns`.
Columns = dict[str, str]


def parse_columns(spec: str) -> Columns:
    """Read a column mapping as the command line takes it.

    Either keys in the order of the table («number,text,deadline,executors»; «-» or «_» skips a
    column) or pairs («3=deadline; Кто отвечает=executors»). Raises ``ValueError`` with a
    Russian message for an unknown key.

    >>> parse_columns("number,text,-,deadline")
    {'1': 'number', '2': 'text', '4': 'deadline'}
    """
    mapping: Columns = {}
    pairs = [part.strip() for part in re.split(r"[;,]", spec) if part.strip()]
    if not pairs:
        raise ValueError("Пустое сопоставление колонок.")
    for position, part in enumerate(pairs, start=1):
        name, _, key = part.rpartition("=")
        key = key.strip()
        if key in ("-", "_"):
            continue
        if key not in COLUMN_KEYS:
            known = ", ".join(COLUMN_KEYS)
            raise ValueError(f"Неизвестная колонка «{key}»: допустимы {known}.")
        mapping[name.strip() or str(position)] = key
    return mapping


def _override(column: int, text: str, columns: Columns | None) -> str | None | bool:
    """The user's key for a column (``None``: ignore it), or ``False`` when not mapped."""
    if not columns:
        return False
    if str(column + 1) in columns:
        return columns[str(column + 1)]
    words = _header_words(text)
    for name, key in columns.items():
        if not name.isdigit() and _header_words(name) == words and words:
            return key
    return False


@dataclass
class _Header:
    first_data_row: int
    keys: list[str | None]
    names: list[str]
    score: int
    first_row: int = 0  # index of the (first) header row

    @property
    def shape(self) -> tuple[str | None, ...]:
        return tuple(self.keys)


def _map_header(
    texts: list[str], columns: Columns | None = None
) -> tuple[list[str | None], int, bool]:
    keys: list[str | None] = []
    for column, text in enumerate(texts):
        chosen = _override(column, text, columns)
        keys.append(_header_key(text) if chosen is False else chosen)  # type: ignore[arg-type]
    present = {key for key in keys if key}
    valid = "text" in present and bool({"deadline", "executors"} & present)
    return keys, len(present), valid


def _is_column_numbering(row: list[Cell]) -> bool:
    """A row «1 | 2 | 3 | 4» under the header."""
    values = [cell.text for cell, _ in distinct(row) if cell.text]
    if len(values) < 2 or not all(value.rstrip(".").isdigit() for value in values):
        return False
    numbers = [int(value.rstrip(".")) for value in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


def _find_header(grid: Grid, scan_rows: int, columns: Columns | None = None) -> _Header | None:
    best: _Header | None = None
    rows = grid.rows
    for index in range(min(scan_rows, len(rows))):
        row = rows[index]
        texts = [cell.text for cell in row]
        keys, score, valid = _map_header(texts, columns)
        if columns and all(_is_number(text) or not text for text in texts):
            continue  # a mapping by position still needs a header row, not an event
        first_data = index + 1
        names = texts
        if index + 1 < len(rows):
            below = rows[index + 1]
            combined = []
            for top, bottom in zip(row, below, strict=True):
                if bottom.inherited or not bottom.text or bottom.text == top.text:
                    combined.append(top.text)
                elif not top.text:
                    combined.append(bottom.text)
                else:
                    combined.append(f"{top.text} {bottom.text}")
            keys2, score2, valid2 = _map_header(combined, columns)
            top_cells = distinct(row)
            split_merge = any(
                len(columns) > 1 and len({below[c].text for c in columns}) > 1
                for _, columns in top_cells
            ) and all(  # a sub-header only splits merged cells; other columns stay empty
                below[columns[0]].inherited
                or not below[columns[0]].text
                or below[columns[0]].text == top.text
                for top, columns in top_cells
                if len(columns) == 1
            )
            number_col = keys.index("number") if "number" in keys else None
            below_is_event = number_col is not None and _is_number(below[number_col].text)
            if valid2 and not below_is_event and (score2 > score or (split_merge and valid)):
                keys, score, valid, names, first_data = keys2, score2, valid2, combined, index + 2
        if not valid:
            continue
        while first_data < len(rows) and _is_column_numbering(rows[first_data]):
            first_data += 1
        names = [_clean_line(name.replace("\n", " ")) for name in names]
        candidate = _Header(first_data, keys, names, score, index)
        if best is None or candidate.score > best.score:
            best = candidate
    return best


# --- row classification -----------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^№?\s*\d{1,3}(?:\.\d{1,3})*\.?\)?$")
_ROMAN_RE = re.compile(r"^(?:раздел\s+\S+|[IVXХ]{1,6}\.?)$", re.IGNORECASE)
_CONTINUATION_START = ",.;:)]}»-–—(/+"
_DANGLING_WORDS = {
    "и", "в", "во", "на", "по", "с", "со", "для", "о", "об", "к", "ко", "из", "от", "за",
    "при", "или", "а", "но", "что", "как", "до", "у", "под", "над", "между", "через", "не",
}  # fmt: skip


def _is_number(text: str) -> bool:
    return bool(_NUMBER_RE.match(text.strip()))


def _starts_as_continuation(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and (first.islower() or first in _CONTINUATION_START)


def _ends_mid_sentence(text: str) -> bool:
    text = text.rstrip()
    if not text:
        return False
    if text[-1] in ",-–—(«/":
        return True
    last_word = text.split()[-1].lower()
    return last_word in _DANGLING_WORDS


def _join(previous: str, addition: str) -> str:
    """Glue a continuation: a new line after a finished sentence or before a list item."""
    if not previous:
        return addition
    if not addition:
        return previous
    if previous.rstrip()[-1] in ".;:!?" or _LIST_MARKER_RE.match(addition):
        return f"{previous}\n{addition}"
    return f"{previous} {addition}"


def _section_title(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip()


_FIELD_OF = {
    "number": "number",
    "text": "text",
    "deadline": "deadline_text",
    "executors": "executors_text",
    "indicator": "indicator_text",
    "evidence": "evidence_text",
}


@dataclass
class _Block:
    """A grid with its header, plus an optional section title from a paragraph before it."""

    grid: Grid
    header: _Header
    section_title: str = ""


class _TableParser:
    """Turns rows of one or more grids into sections and events."""

    def __init__(self) -> None:
        self.sections: list[ParsedSection] = []
        self.warnings: list[str] = []
        self.last_event: ParsedEvent | None = None
        self.pending_title: str | None = None
        self.columns: list[str] = []

    # -- helpers --
    def _column_names(self, header: _Header) -> list[str]:
        names = []
        for column, key in enumerate(header.keys):
            if key:
                names.append(key)
            else:
                names.append(header.names[column] or f"column_{column + 1}")
        return names

    def _open_section(self, title: str) -> None:
        self.sections.append(ParsedSection(title=title))
        self.pending_title = None
        self.last_event = None

    def _current_section(self) -> ParsedSection:
        if self.pending_title is not None:
            self._open_section(self.pending_title)
        if not self.sections:
            self.sections.append(ParsedSection(title=""))
        return self.sections[-1]

    def _row_fields(
        self, row: list[Cell], names: list[str], own_only: bool
    ) -> tuple[dict[str, str], dict[str, str]]:
        """(normalised, raw) text per column name; merged cells counted once."""
        values: dict[str, str] = {}
        raws: dict[str, str] = {}
        for cell, columns in distinct(row):
            if own_only and cell.inherited:
                continue
            name = names[columns[0]]
            if cell.text:
                values[name] = f"{values[name]}\n{cell.text}" if values.get(name) else cell.text
            if cell.raw.strip():
                raws[name] = f"{raws[name]}\n{cell.raw}" if raws.get(name) else cell.raw
        return values, raws

    # -- main loop --
    def feed(self, block: _Block, merged_sections_style: bool) -> None:
        header, grid = block.header, block.grid
        names = self._column_names(header)
        for key in header.keys:
            if key and key not in self.columns:
                self.columns.append(key)
        if block.section_title:
            self.pending_title = block.section_title
            self.last_event = None
        number_col = header.keys.index("number") if "number" in header.keys else None
        rows = grid.rows
        for index in range(header.first_data_row, len(rows)):
            row = rows[index]
            row_number = grid.row_numbers[index]
            kind = self._classify(
                row, rows, index, row_number, header, number_col, merged_sections_style
            )
            if kind == "skip":
                continue
            if kind == "section":
                own = (cell.text for cell, _ in distinct(row) if cell.text and not cell.inherited)
                self._open_section(_section_title(" ".join(dict.fromkeys(own))))
                continue
            if kind == "continuation" and self.last_event is not None:
                values, raws = self._row_fields(row, names, own_only=True)
                event = self.last_event
                for name, value in values.items():
                    attribute = _FIELD_OF.get(name)
                    if attribute and attribute != "number":
                        setattr(event, attribute, _join(getattr(event, attribute), value))
                for name, value in raws.items():
                    event.raw[name] = _join_raw(event.raw.get(name, ""), value)
                rows_list = event.raw.get("continuation_rows", "")
                event.raw["continuation_rows"] = _join_raw(rows_list, str(row_number), ", ")
                event.notes.append(
                    f"Строка {row_number} файла присоединена как продолжение этого мероприятия."
                )
                continue
            values, raws = self._row_fields(row, names, own_only=False)
            event = ParsedEvent(row_index=row_number, raw=raws)
            for name, value in values.items():
                attribute = _FIELD_OF.get(name)
                if attribute:
                    setattr(event, attribute, value)
            event.number = " ".join(event.number.split())
            self._current_section().events.append(event)
            self.last_event = event

    def _classify(
        self,
        row: list[Cell],
        rows: list[list[Cell]],
        index: int,
        row_number: int,
        header: _Header,
        number_col: int | None,
        merged_sections_style: bool,
    ) -> str:
        keys = header.keys
        own = [(cell, cols) for cell, cols in distinct(row) if cell.text and not cell.inherited]
        if not own:
            return "skip"
        if _is_column_numbering(row):
            return "skip"
        row_keys, score, valid = _map_header([cell.text for cell in row])
        if valid and score >= 2 and row_keys == keys:
            return "skip"  # the header repeated on a new page

        texts = {cell.text for cell, _ in own}
        number_cell = row[number_col] if number_col is not None else None
        number = number_cell.text if number_cell is not None else ""

        if len(texts) == 1:
            columns = sorted({c for cell, cols in own for c in cols})
            covered = {keys[c] for c in columns}
            text = own[0][0].text
            bold = all(cell.bold for cell, _ in own)
            if len(columns) >= 2 and covered & {"text", "number", None}:
                return "section"
            if covered == {"number"}:
                if _is_number(text):
                    self.warnings.append(
                        f"Строка {row_number}: в строке только номер «{text}», строка пропущена."
                    )
                    return "skip"
                return "section"
            if "text" in covered or None in covered:
                if _starts_as_continuation(text) and self.last_event is not None:
                    return "continuation"
                if bold or text.rstrip().endswith(":"):
                    return "section"
                if merged_sections_style and self.last_event is not None:
                    return "continuation"
                return "section"
            return "continuation" if self.last_event is not None else "event"

        own_keys = {keys[c] for cell, cols in own for c in cols}
        if number_cell is not None and number_cell.inherited and number_cell.text:
            return "continuation" if self.last_event is not None else "event"
        if number and (_ROMAN_RE.match(number) or _is_number(number)):
            only_title = own_keys <= {"number", "text"}
            bold = all(cell.bold for cell, _ in own)
            if only_title and (
                _ROMAN_RE.match(number)
                or self._next_is_child(rows, index, number_col, number)
                or self._numbering_restarts(rows, index, number_col, number)
                or (bold and self._next_is_event(rows, index, number_col, header))
            ):
                return "section"
            return "event"
        if number:
            return "event"
        if self.last_event is None:
            return "event"
        values, _ = self._row_fields(row, self._column_names(header), own_only=True)
        text = values.get("text", "")
        if not text or _starts_as_continuation(text):
            return "continuation"
        if _ends_mid_sentence(self.last_event.text):
            return "continuation"
        if "deadline" in keys:
            return "event" if values.get("deadline") else "continuation"
        if "executors" in keys:
            return "event" if values.get("executors") else "continuation"
        return "event"

    @staticmethod
    def _next_is_child(
        rows: list[list[Cell]], index: int, number_col: int | None, number: str
    ) -> bool:
        """«1. Раздел» followed by «1.1 …»: the numbered row is a section."""
        if number_col is None:
            return False
        base = number.strip().lstrip("№").strip().rstrip(".)")
        if not base.isdigit():
            return False
        for row in rows[index + 1 : index + 4]:
            following = row[number_col].text.strip()
            if following:
                return (
                    following.startswith(f"{base}.")
                    and _is_number(following)
                    and bool(following[len(base) + 1 :].rstrip(".)"))
                )
        return False

    @staticmethod
    def _numbering_restarts(
        rows: list[list[Cell]], index: int, number_col: int | None, number: str
    ) -> bool:
        """«2. | Раздел» followed by «1. | …»: numbering restarts under a numbered section row."""
        if number_col is None:
            return False
        base = number.strip().lstrip("№").strip().rstrip(".)")
        if not base.isdigit():
            return False
        for row in rows[index + 1 : index + 4]:
            following = row[number_col].text.strip().lstrip("№").strip().rstrip(".)")
            if following:
                return following.isdigit() and int(following) == 1
        return False

    @staticmethod
    def _next_is_event(
        rows: list[list[Cell]], index: int, number_col: int | None, header: _Header
    ) -> bool:
        """The next row is a full event (it has a deadline or executors of its own)."""
        for row in rows[index + 1 : index + 3]:
            filled = {
                header.keys[c]
                for cell, cols in distinct(row)
                if cell.text and not cell.inherited
                for c in cols
            }
            if filled:
                return bool(filled & {"deadline", "executors", "indicator", "evidence"})
        return False

    def finish(self) -> None:
        self.sections = [section for section in self.sections if section.events or section.title]
        for section in self.sections:
            if not section.events:
                self.warnings.append(f"В разделе «{section.title}» нет мероприятий.")
        events = [event for section in self.sections for event in section.events]
        numbered = any(event.number for event in events)
        previous: int | None = None
        seen: set[str] = set()
        firsts = {id(section.events[0]) for section in self.sections if section.events}
        for event in events:
            label = event.number.rstrip(".)").lstrip("№ ")
            if id(event) in firsts and label.isdigit() and int(label) == 1:
                previous, seen = None, set()  # numbering restarts in each section
            if not event.text:
                event.warnings.append("Нет текста мероприятия.")
            if "deadline" in self.columns and not event.deadline_text:
                event.warnings.append("Не указан срок.")
            if "executors" in self.columns and not event.executors_text:
                event.warnings.append("Не указаны ответственные.")
            if not event.number:
                if numbered and "number" in self.columns:
                    event.warnings.append("Мероприятие без номера.")
                continue
            label = event.number.rstrip(".)")
            if label in seen:
                event.warnings.append(f"Номер «{event.number}» повторяется.")
            seen.add(label)
            top = label.lstrip("№ ").split(".")[0]
            if not top.isdigit():
                continue
            if label.lstrip("№ ") != top:  # «4.1.»: only remember the top level
                previous = int(top)
                continue
            current = int(top)
            if previous is not None and current not in (previous, previous + 1):
                event.warnings.append(f"Нарушена нумерация: после «{previous}» идёт «{current}».")
            previous = current


def _join_raw(previous: str, addition: str, separator: str = "\n") -> str:
    return f"{previous}{separator}{addition}" if previous else addition


def _merged_sections_style(grid: Grid, header: _Header) -> bool:
    """True if the table marks sections with merged rows (then lone cells are continuations)."""
    for row in grid.rows[header.first_data_row :]:
        for cell, columns in distinct(row):
            if cell.text and len(columns) >= 2 and len(columns) >= grid.ncols // 2:
                return True
    return False


def _parse_blocks(blocks: list[_Block]) -> _TableParser:
    parser = _TableParser()
    for block in blocks:
        parser.feed(block, _merged_sections_style(block.grid, block.header))
    parser.finish()
    return parser


# --- goal, tasks, indicators, title ---------------------------------------------------------

_GOAL_RE = re.compile(r"^цел[ьи]\b[^:\n]{0,40}[:.\-–—]\s*(.*)$", re.IGNORECASE | re.DOTALL)
_TASKS_RE = re.compile(r"^задачи\b[^:\n]{0,40}:?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_INDICATORS_RE = re.compile(
    r"^(?:целевые\s+|основные\s+)?показател\w*\b(.*)$", re.IGNORECASE | re.DOTALL
)
_TITLE_RE = re.compile(
    r"дорожн\w*\s+карт|план\w*\s+мероприяти|план\s+работы|комплекс\w*\s+мер", re.IGNORECASE
)
_INLINE_ITEMS_RE = re.compile(r"(?:^|\s)\d{1,2}[.)]\s+")


@dataclass
class _Para:
    text: str
    is_list: bool = False


def _strip_marker(text: str) -> str:
    return _LIST_MARKER_RE.sub("", _BULLET_RE.sub("", text, count=1), count=1).strip()


def _split_inline(text: str) -> list[str]:
    items = [item.strip(" ;") for item in _INLINE_ITEMS_RE.split(text)]
    return [item for item in items if item]


def _parse_preamble(paragraphs: list[_Para]) -> tuple[str, list[str], list[str], set[int]]:
    """Goal, tasks and indicators from the paragraphs before the table; also the used indexes."""
    goal = ""
    tasks: list[str] = []
    indicators: list[str] = []
    used: set[int] = set()
    state: str | None = None
    items: list[str] = []
    marked = False
    for index, para in enumerate(paragraphs):
        text = para.text.strip()
        if not text:
            continue
        if match := _GOAL_RE.match(text):
            goal = " ".join(match.group(1).split())
            state = None if goal else "goal"
            used.add(index)
            continue
        if (match := _TASKS_RE.match(text)) and (text.split()[0].endswith(":") or len(text) < 60):
            items, marked, state = tasks, False, "list"
            items.extend(_split_inline(match.group(1)))
            used.add(index)
            continue
        if (match := _INDICATORS_RE.match(text)) and len(text) < 400 and not para.is_list:
            items, marked, state = indicators, False, "list"
            rest = match.group(1)
            if ":" in rest and rest.split(":", 1)[1].strip():
                items.extend(_split_inline(rest.split(":", 1)[1]))
            used.add(index)
            continue
        if state == "goal":
            goal = " ".join(text.split())
            state = None
            used.add(index)
            continue
        if state == "list":
            has_marker = para.is_list or bool(_LIST_MARKER_RE.match(text) or _BULLET_RE.match(text))
            if has_marker or not marked:
                if marked and not has_marker:
                    state = None
                    continue
                marked = marked or has_marker
                items.append(_strip_marker(text) if has_marker else text)
                used.add(index)
                continue
            state = None
    return goal, tasks, indicators, used


def _find_title(paragraphs: list[_Para], used: set[int]) -> tuple[str, int | None]:
    """The roadmap heading: the nearest paragraph before the table naming a roadmap/plan."""
    candidates = [
        i for i in range(len(paragraphs) - 1, -1, -1) if paragraphs[i].text and i not in used
    ][:60]
    for index in candidates:
        text = paragraphs[index].text
        if _TITLE_RE.search(text) and len(text) < 600 and not _LIST_MARKER_RE.match(text):
            return _title_with_year(paragraphs, used, index), index
    if candidates:
        index = candidates[0]
        text = paragraphs[index].text
        if len(text) < 400 and not paragraphs[index].is_list and not _LIST_MARKER_RE.match(text):
            return _title_from_lines_above(paragraphs, used, index), index
    return "", None


_TITLE_YEAR_RE = re.compile(r"(?<!\d)20\d\d(?!\d)")


def _title_line(paragraphs: list[_Para], used: set[int], index: int) -> str | None:
    if not 0 <= index < len(paragraphs) or index in used:
        return None
    para = paragraphs[index]
    if not para.text or para.is_list or len(para.text) >= 300 or _LIST_MARKER_RE.match(para.text):
        return None
    return " ".join(para.text.split())


def _title_with_year(paragraphs: list[_Para], used: set[int], index: int) -> str:
    """A title split over paragraphs: «План мероприятий …» / «на 2022/23 учебный год»."""
    title = " ".join(paragraphs[index].text.split())
    if _TITLE_YEAR_RE.search(title):
        return title
    lines = [title]
    for following in range(index + 1, min(index + 4, len(paragraphs))):
        line = _title_line(paragraphs, used, following)
        if line is None:
            break
        lines.append(line)
        if _TITLE_YEAR_RE.search(line):
            return " ".join(lines)
    return title


def _title_from_lines_above(paragraphs: list[_Para], used: set[int], index: int) -> str:
    """«ПЛАН» / «мероприятий по …» / «на 2023 год»: lines that name a plan only together."""
    title = " ".join(paragraphs[index].text.split())
    lines = [title]
    for previous in range(index - 1, max(index - 4, -1), -1):
        line = _title_line(paragraphs, used, previous)
        if line is None:
            break
        lines.insert(0, line)
        if _TITLE_RE.search(" ".join(lines)):
            return " ".join(lines)
    return title


def _assemble(
    blocks: list[_Block], preamble: list[_Para], warnings: list[str], what: str
) -> ParsedRoadmap:
    preamble = preamble + _rows_above_header(blocks[0])
    goal, tasks, indicators, used = _parse_preamble(preamble)
    title, _ = _find_title(preamble, used)
    parser = _parse_blocks(blocks)
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
    )


def _rows_above_header(block: _Block) -> list[_Para]:
    """Title lines written inside the table (or the sheet) above its header."""
    paragraphs = []
    for row in block.grid.rows[: block.header.first_row]:
        for cell, _ in distinct(row):
            paragraphs.extend(_Para(line) for line in cell.text.split("\n") if line)
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
        _clean_line(cell.text.replace("\n", " ")) or f"колонка {index + 1}"
        for index, cell in enumerate(grid.rows[first])
    ]
    samples = [
        [_clean_line(cell.text.replace("\n", " "))[:200] for cell in grid.rows[i]]
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
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx raises many kinds on bad input
        raise RoadmapFileError(
            "Не удалось прочитать документ Word: файл повреждён или сохранён несовместимой "
            "программой. Откройте его в Word и сохраните заново как .docx."
        ) from exc
    numbering = Numbering(document)
    numbering.compute(body)

    tables = list(body.iter(w("tbl")))
    headers: dict[Any, tuple[Grid, _Header]] = {}
    grids: list[Grid] = []
    for tbl in tables:
        grid = docx_grid(tbl, numbering, _normalise_text)
        grids.append(grid)
        header = _find_header(grid, DOCX_HEADER_SCAN_ROWS, columns)
        if header is not None:
            headers[tbl] = (grid, header)
    if not headers:
        raise _columns_needed("документе", grids) or _no_table_error("документе", len(tables))

    candidates = set(headers)
    contains = {t for t in tables if any(c is not t and c in candidates for c in t.iter(w("tbl")))}
    blocks_seq = list(_flatten_blocks(body, candidates, contains))

    best = max(
        headers, key=lambda t: (headers[t][1].score, len(headers[t][0].rows), -tables.index(t))
    )
    shape = headers[best][1].shape
    ncols = headers[best][0].ncols
    warnings: list[str] = []

    chosen: list[_Block] = []
    preamble: list[_Para] = []
    gap: list[_Para] = []  # non-empty paragraphs since the last table
    after_chosen = False
    for element in blocks_seq:
        if element.tag == w("p"):
            text, is_list = paragraph_text(element, numbering)
            para = _Para(_clean_line(text.replace("\n", " ")), is_list)
            if not chosen:
                preamble.append(para)
            elif para.text:
                gap.append(para)
            continue
        if element in headers and headers[element][1].shape == shape:
            grid, header = headers[element]
            title = ""
            if chosen and gap and len(gap[-1].text) < 300:
                title = _section_title(gap[-1].text)
            chosen.append(_Block(grid, header, title))
            gap, after_chosen = [], True
            continue
        if chosen and after_chosen and not gap and element not in headers:
            grid = docx_grid(element, numbering, _normalise_text)
            if grid.ncols == ncols and grid.rows:
                names = chosen[-1].header.names
                chosen.append(_Block(grid, _Header(0, list(shape), names, 0)))
                continue
        if not chosen:
            preamble = []  # a table before the roadmap ends the preamble
        gap, after_chosen = [], False

    if len(chosen) > 1:
        titled = any(block.section_title for block in chosen[1:])
        if titled and not _starts_with_section(chosen[0]):
            _, _, _, used = _parse_preamble(preamble)
            _, title_index = _find_title(preamble, used)
            last = len(preamble) - 1
            while last >= 0 and not preamble[last].text:
                last -= 1
            if last >= 0 and last != title_index and last not in used:
                chosen[0].section_title = _section_title(preamble[last].text)
                preamble = preamble[:last]
        warnings.append(f"Дорожная карта собрана из {len(chosen)} таблиц с одинаковым заголовком.")
    return _assemble(chosen, preamble, warnings, "документе")


def _starts_with_section(block: _Block) -> bool:
    rows = block.grid.rows[block.header.first_data_row :]
    for row in rows:
        own = [cell for cell, _ in distinct(row) if cell.text and not cell.inherited]
        if not own:
            continue
        return len({cell.text for cell in own}) == 1
    return False


# --- .xlsx ------------------------------------------------------------------------------------


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _xlsx_grid(sheet: Any) -> Grid:
    max_row = min(sheet.max_row or 0, XLSX_MAX_ROWS)
    max_col = min(sheet.max_column or 0, XLSX_MAX_COLUMNS)
    merged: dict[tuple[int, int], tuple[int, int, int]] = {}
    for index, area in enumerate(sheet.merged_cells.ranges):
        if area.min_row > max_row or area.min_col > max_col:
            continue
        for row in range(area.min_row, min(area.max_row, max_row) + 1):
            for col in range(area.min_col, min(area.max_col, max_col) + 1):
                merged[(row, col)] = (index, area.min_row, area.min_col)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    empty_run = 0
    top_cells: dict[int, Cell] = {}
    row_keys: dict[tuple[int, int], object] = {}
    for row_number, sheet_row in enumerate(
        sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col), start=1
    ):
        cells: list[Cell] = []
        for col_number, item in enumerate(sheet_row, start=1):
            area = merged.get((row_number, col_number))
            if area is None:
                raw = _xlsx_text(item.value)
                bold = bool(item.font is not None and item.font.b)
                cells.append(Cell(_normalise_text(raw), raw, object(), False, bold))
                continue
            index, top, left = area
            key = row_keys.setdefault((index, row_number), object())
            if row_number == top and col_number == left:
                raw = _xlsx_text(item.value)
                bold = bool(item.font is not None and item.font.b)
                top_cells[index] = Cell(_normalise_text(raw), raw, key, False, bold)
            source = top_cells.get(index, Cell())
            cells.append(Cell(source.text, source.raw, key, row_number != top, source.bold))
        if any(cell.text for cell in cells):
            empty_run = 0
        else:
            empty_run += 1
            if empty_run > XLSX_MAX_EMPTY_RUN:
                break
        rows.append(cells)
        numbers.append(row_number)
    while rows and not any(cell.text for cell in rows[-1]):
        rows.pop()
        numbers.pop()
    ncols = max((len(row) for row in rows), default=0)
    pad_rows(rows, ncols)
    return Grid(rows, numbers, ncols)


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
        grid = _xlsx_grid(sheet)
        header = _find_header(grid, XLSX_HEADER_SCAN_ROWS, columns)
        if header is None:
            grids.append(grid)
            continue
        warnings = []
        if len(workbook.worksheets) > 1:
            warnings.append(f"Дорожная карта прочитана с листа «{sheet.title}».")
        return _assemble([_Block(grid, header)], [], warnings, "книге Excel")
    raise _columns_needed("книге Excel", grids) or _no_table_error("книге Excel", 0)
