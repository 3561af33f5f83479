"""Reader of an interview protocol («протокол проведения индивидуальных собеседований»).

The Department of General Education holds individual interviews with the heads of municipal
education authorities and sends out a protocol in Word.  The protocol looks like this::

    ПРОТОКОЛ
    проведения индивидуальных собеседований с руководителями органов местного
    самоуправления, осуществляющих управление в сфере образования, ...
    г. Томск, ДОО ТО, ул. Ленина, 111
    «17, 18, 19, 22» июня 2020 г.
    Председатель:
    Грабцевич И.Б., начальник Департамента общего образования Томской области.
    Участники:
    Вторина Е.В., заместитель начальника ДОО ТО;
    ...
    Секретарь:
    Сысолятина Н.А., главный специалист ДОО ТО.
    Повестка:
    1. О результатах проведенного анализа ...
    Решение:
    ┌─────┬───────────────────────────┬────────────────────────────────────────────┐
    │ п/п │ Муниципальное образование │ Рекомендации в рамках собеседования        │
    ├─────┴───────────────────────────┴────────────────────────────────────────────┤
    │ 17 июня 2020 года                                                            │
    ├─────┬───────────────────────────┬────────────────────────────────────────────┤
    │ 1   │ Александровский район     │ - организовывать участие ...; - с учетом ...│
    │     │                           │ - активизировать работу по наставничеству; │
    │     │                           │ - проводить анализ прохождения курсов      │
    ├─────┼───────────────────────────┼────────────────────────────────────────────┤  <- page break
    │     │                           │ квалификации педагогами ...;               │
    └─────┴───────────────────────────┴────────────────────────────────────────────┘
    Поручения ТОИПКРО (О.М.Замятина):
    1. Определить сроки педагогических десантов и курсов повышения квалификации по вопросам:
    - инклюзивного образования;
    - управления качеством образования;
    2. Взять на «патронаж» общеобразовательную организацию ...

`read_protocol` turns such a file into a `ParsedProtocol`.  The module is pure Python (only
python-docx), it does not touch Django, so it can be used from a management command, a task or a
test alike.  Names of municipalities are returned exactly as written; matching them with the
registry is somebody else's job.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

import docx
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from opora.core.intake.convert import needs_conversion, to_office
from opora.core.intake.files import UploadError, read_source, unpacked_limit
from opora.core.intake.numbering import is_list_paragraph, list_level
from opora.core.intake.sniff import ZIP_SIGNATURE
from opora.core.intake.zipguard import check_zip
from opora.core.russian.dates import MONTH_GENITIVE_RE, month_number

__all__ = [
    "ParsedAssignment",
    "ParsedMunicipalityBlock",
    "ParsedProtocol",
    "ParsedRecommendation",
    "ProtocolFileError",
    "clean_recommendation",
    "read_protocol",
    "split_recommendations",
]


class ProtocolFileError(Exception):
    """The file cannot be read as an interview protocol; the message is in Russian.

    Example: ``ProtocolFileError("Файл сохранён в старом формате Word (.doc) ...")``.
    """


@dataclass
class ParsedRecommendation:
    """One recommendation given to a municipality.

    Example: raw ``"- организовать работу с кадровым резервом; "`` gives
    text ``"организовать работу с кадровым резервом"``.
    """

    text: str
    raw: str


@dataclass
class ParsedMunicipalityBlock:
    """A row of the protocol table (with its continuation rows after a page break).

    Example: number ``"2"``, name_as_written ``"Асиновский район"``, interview_date
    ``date(2020, 6, 17)`` and eleven recommendations.
    """

    number: str
    name_as_written: str
    interview_date: date
    recommendations: list[ParsedRecommendation] = field(default_factory=list)


@dataclass
class ParsedAssignment:
    """A numbered assignment after the table, e.g. from «Поручения ТОИПКРО (О.М.Замятина):».

    Example: number ``"1"``, text ``"Определить сроки педагогических десантов ... по вопросам:"``,
    addressee ``"ТОИПКРО"``, items ``["инклюзивного образования", ...]``.
    """

    number: str
    text: str
    addressee: str
    items: list[str] = field(default_factory=list)


@dataclass
class ParsedProtocol:
    """Everything read from the protocol file; ``warnings`` are Russian, for the user."""

    title: str
    dates: list[date]
    place: str
    chairman: str
    participants: list[str]
    secretary: str
    agenda: list[str]
    blocks: list[ParsedMunicipalityBlock]
    assignments: list[ParsedAssignment]
    warnings: list[str] = field(default_factory=list)

    @property
    def recommendation_count(self) -> int:
        """Total number of recommendations over all municipalities."""
        return sum(len(block.recommendations) for block in self.blocks)


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"), None)
_SPACES_RE = re.compile(r"\s+")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212•·▪◦"
_LEADING_DASH_RE = re.compile(rf"^[{_DASHES}]+\s*")
_TRAILING_PUNCT_RE = re.compile(r"[\s;.,]+$")
# Boundaries inside one paragraph: «...; - следующая», «... . - следующая», «..., - следующая».
_ITEM_BOUNDARY_RE = re.compile(
    rf"(?<=[;.])\s*(?=[{_DASHES}]\s)|(?<=,)\s+(?=-\s)|\n+(?=\s*[{_DASHES}]\s)"
)
_CLOSED_ITEM_RE = re.compile(r"[;.!?]\s*$")

_DATE_ROW_RE = re.compile(
    rf"^(?P<day>\d{{1,2}})\s+(?P<month>{MONTH_GENITIVE_RE})(?:\s+(?P<year>\d{{4}}))?"
    r"(?:\s*(?:г\.?|года?))?\s*\.?$",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(
    r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?:\s*г\.?)?$"
)
_HEADER_DATE_RE = re.compile(
    r"[«\"“„']?\s*(?P<days>\d{1,2}(?:\s*(?:,|и|-|–|—)\s*\d{1,2})*)\s*[»\"”']?\s+"
    rf"(?P<month>{MONTH_GENITIVE_RE})\s+(?P<year>\d{{4}})(?:\s*(?:г\.?|года?))?",
    re.IGNORECASE,
)
_HEADER_NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_SECTION_RE = re.compile(
    r"^(?P<name>председатель|участники|присутствовали|приглаш[её]нные|секретарь|"
    r"повестка(?:\s+дня)?|решение|решили|слушали)\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_ASSIGNMENTS_RE = re.compile(r"^поручени[яе]\b\s*(?P<rest>.*?)\s*:?\s*$", re.IGNORECASE)
_NUMBERED_RE = re.compile(r"^(?P<number>\d{1,3})\s*[.)]\s*(?P<text>.*)$")
_SIGNATURE_RE = re.compile(r"^(председатель|секретарь)\b|_{3,}|^/.+/$", re.IGNORECASE)


def _normalise(text: str) -> str:
    """Collapse whitespace and drop invisible characters and Markdown bold marks.

    Example: ``"**Поручения\u00a0ТОИПКРО**  "`` → ``"Поручения ТОИПКРО"``.
    """
    text = text.translate(_INVISIBLE).replace("**", "")
    return _SPACES_RE.sub(" ", text).strip()


def _strip_trailing(text: str) -> str:
    """Remove trailing «;», «.», «,» and spaces: ``"ДОО ТО;"`` → ``"ДОО ТО"``."""
    return _TRAILING_PUNCT_RE.sub("", text)


def _starts_with_dash(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in _DASHES


def _starts_lowercase(text: str) -> bool:
    for char in text.lstrip():
        if char.isalpha():
            return char.islower()
        if not char.isspace():
            return False
    return False


def _has_mixed_scripts(text: str) -> bool:
    """True when a word mixes Cyrillic and Latin letters, e.g. «Бакcharский» (c, h, a, r)."""
    for word in re.findall(r"\w+", text):
        has_latin = any("a" <= ch.lower() <= "z" for ch in word)
        has_cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if has_latin and has_cyrillic:
            return True
    return False


def clean_recommendation(raw: str) -> str:
    """Turn a raw list item into clean text.

    The leading dash is removed, the trailing «;» / «.» is removed, whitespace is collapsed;
    the first letter stays as written.

    Example: ``"- организовать работу с кадровым резервом; "`` →
    ``"организовать работу с кадровым резервом"``.
    """
    text = _normalise(raw)
    text = _LEADING_DASH_RE.sub("", text)
    return _strip_trailing(text)


def _split_raw(text: str) -> list[str]:
    """Split one paragraph at the «; -» boundaries, keeping the raw pieces.

    Example: ``"- провести анализ; - организовать КПК."`` →
    ``["- провести анализ;", "- организовать КПК."]``.
    """
    pieces = [piece.strip() for piece in _ITEM_BOUNDARY_RE.split(text)]
    return [piece for piece in pieces if piece and clean_recommendation(piece)]


class _ItemCollector:
    """Collects list items from consecutive paragraphs, joining an item cut by a page break.

    A paragraph without a leading dash continues the previous item when that item is not closed
    by «;» or «.»: ``"- проводить анализ прохождения курсов повышения"`` followed by
    ``"квалификации педагогами с учётом качества;"`` is one item.
    """

    def __init__(self) -> None:
        self.raw_items: list[str] = []

    def feed(self, text: str, *, is_list_item: bool = False) -> None:
        text = text.translate(_INVISIBLE).replace("**", "").strip()
        if not _normalise(text):
            return
        pieces = _split_raw(text)
        if not pieces:
            return
        first = pieces[0]
        if (
            self.raw_items
            and not _starts_with_dash(first)
            and not _CLOSED_ITEM_RE.search(self.raw_items[-1])
            and (not is_list_item or _starts_lowercase(first))
        ):
            self.raw_items[-1] = f"{self.raw_items[-1]}\n{first}"
            pieces = pieces[1:]
        self.raw_items.extend(pieces)

    def last_is_open(self) -> bool:
        return bool(self.raw_items) and not _CLOSED_ITEM_RE.search(self.raw_items[-1])


def split_recommendations(cell_text: str) -> list[str]:
    """Split the text of a recommendations cell into clean recommendations.

    Works both for one paragraph with «; -» separators and for list items on separate lines
    (as ``cell.text`` gives them); a line without a dash continues an unfinished item.

    Example: ``"- провести анализ; - организовать КПК; - вести работу."`` →
    ``["провести анализ", "организовать КПК", "вести работу"]``.
    """
    collector = _ItemCollector()
    for line in cell_text.splitlines():
        collector.feed(line)
    return [clean_recommendation(raw) for raw in collector.raw_items]


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def _parse_date_row(text: str, default_year: int | None) -> date | None:
    """Parse a date row of the table: ``"17 июня 2020 года"`` → ``date(2020, 6, 17)``."""
    text = _normalise(text)
    match = _DATE_ROW_RE.match(text)
    try:
        if match:
            year = int(match["year"]) if match["year"] else default_year
            if year is None:
                return None
            return date(year, month_number(match["month"]), int(match["day"]))
        match = _NUMERIC_DATE_RE.match(text)
        if match:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return None


def _parse_header_dates(text: str) -> tuple[list[date], int, int] | None:
    """Find the protocol dates in a header line.

    Example: ``"«17, 18, 19, 22» июня 2020 г."`` →
    ``[date(2020, 6, 17), date(2020, 6, 18), date(2020, 6, 19), date(2020, 6, 22)]``;
    a range ``"17–19 июня 2020 г."`` gives three dates.  Also returns the span of the match.
    """
    match = _HEADER_DATE_RE.search(text)
    if match:
        month = month_number(match["month"])
        year = int(match["year"])
        days: list[int] = []
        for part in re.split(r"\s*(?:,|\bи\b)\s*", match["days"]):
            bounds = [int(x) for x in re.split(r"\s*[-–—]\s*", part.strip()) if x]
            if len(bounds) == 2 and bounds[0] <= bounds[1]:
                days.extend(range(bounds[0], bounds[1] + 1))
            else:
                days.extend(bounds)
        try:
            dates = sorted({date(year, month, day) for day in days})
        except ValueError:
            return None
        return dates, match.start(), match.end()
    match = _HEADER_NUMERIC_DATE_RE.search(text)
    if match:
        try:
            found = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
        return [found], match.start(), match.end()
    return None


# --------------------------------------------------------------------------------------------
# Opening the file
# --------------------------------------------------------------------------------------------


def _read_bytes(path_or_file: Any) -> tuple[bytes, str]:
    if path_or_file is None:
        raise ProtocolFileError("Не передан файл протокола.")
    try:
        data, name = read_source(path_or_file, unpacked_limit("document"))
    except UploadError as exc:
        raise ProtocolFileError(str(exc)) from exc
    except TypeError as exc:
        raise ProtocolFileError("Не передан файл протокола.") from exc
    return data, name or "файл"


def _open_document(path_or_file: Any) -> DocxDocument:
    data, name = _read_bytes(path_or_file)
    if not data:
        raise ProtocolFileError(f"Файл «{name}» пустой.")
    try:  # OpenDocument, PDF with text, .rtf/.doc (through LibreOffice) become .docx
        if needs_conversion(data, unpacked_limit("document")):
            data, _ = to_office(data, unpacked_limit("document"))
    except UploadError as exc:
        raise ProtocolFileError(str(exc)) from exc
    if not data.startswith(ZIP_SIGNATURE):
        raise ProtocolFileError(
            f"Файл «{name}» не является документом Word (.docx). "
            "Загрузите протокол в формате .docx."
        )
    damaged = (
        f"Файл «{name}» повреждён: не удалось прочитать документ Word. "
        "Откройте его в Word, сохраните заново и загрузите ещё раз."
    )
    try:
        check_zip(data, unpacked_limit("document"), damaged=damaged)
    except UploadError as exc:
        raise ProtocolFileError(str(exc)) from exc
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        # python-docx: "file '...' is not a Word file, content type is ..."
        raise ProtocolFileError(
            f"Файл «{name}» не является документом Word (.docx) — возможно, это таблица "
            "или презентация. Загрузите протокол в формате .docx."
        ) from exc
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise ProtocolFileError(
            f"Файл «{name}» повреждён: не удалось прочитать документ Word. "
            "Откройте его в Word, сохраните заново и загрузите ещё раз."
        ) from exc
    except Exception as exc:  # lxml and zip errors of every kind mean a damaged file
        raise ProtocolFileError(
            f"Файл «{name}» повреждён: не удалось разобрать содержимое документа Word."
        ) from exc


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


@dataclass
class _Columns:
    number: int
    name: int
    recommendations: int


def _header_columns(row: _Row) -> _Columns | None:
    """Find the columns by the header «п/п | Муниципальное образование | Рекомендации ...»."""
    texts = [_normalise(cell.text).lower() for cell in row.cells]
    if any(len(t) > 80 for t in texts):
        return None  # a row with recommendations, not a header
    name_col = next((i for i, t in enumerate(texts) if "муниципал" in t and len(t) <= 60), None)
    rec_col = next((i for i, t in enumerate(texts) if t.startswith("рекоменд")), None)
    if name_col is None or rec_col is None or name_col == rec_col:
        return None
    number_col = next((i for i, t in enumerate(texts) if i not in (name_col, rec_col) and t), None)
    if number_col is None:
        number_col = 0 if name_col != 0 else -1
    return _Columns(number=number_col, name=name_col, recommendations=rec_col)


def _table_columns(table: Table) -> _Columns | None:
    for row in list(table.rows)[:3]:
        columns = _header_columns(row)
        if columns is not None:
            return columns
    return None


def _looks_like_protocol_table(table: Table) -> bool:
    """Fallback for a table without a header: date rows and numbered municipality rows."""
    has_date = has_numbered = False
    for row in table.rows:
        cells = row.cells
        if len(cells) < 3:
            continue
        unique = _unique_texts(cells)
        if len(unique) == 1 and _parse_date_row(unique[0], 2000):
            has_date = True
        elif re.fullmatch(r"\d{1,3}\.?", _normalise(cells[0].text)) and _normalise(cells[1].text):
            has_numbered = True
    return has_date and has_numbered


def _unique_texts(cells: Iterable[_Cell]) -> list[str]:
    """Non-empty texts of the distinct cells of a row (merged cells repeat in ``row.cells``)."""
    seen: set[int] = set()
    texts: list[str] = []
    for cell in cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        text = _normalise(cell.text)
        if text and text not in texts:
            texts.append(text)
    return texts


class _TableParser:
    """Walks the rows of one or several protocol tables keeping the current date and block."""

    def __init__(self, warnings: list[str], default_year: int | None) -> None:
        self.warnings = warnings
        self.default_year = default_year
        self.current_date: date | None = None
        self.table_dates: list[date] = []
        self.blocks: list[ParsedMunicipalityBlock] = []
        self._collectors: list[_ItemCollector] = []
        self._block_tcs: tuple[Any, Any] | None = None
        self._undated: list[ParsedMunicipalityBlock] = []

    def parse_table(self, table: Table, columns: _Columns, table_number: int) -> None:
        for row_index, row in enumerate(table.rows, start=1):
            self._parse_row(row, columns, f"таблица {table_number}, строка {row_index}")

    def _parse_row(self, row: _Row, columns: _Columns, where: str) -> None:
        cells = row.cells
        if not cells:
            return
        unique = _unique_texts(cells)
        if not unique:
            return
        if _header_columns(row) is not None:
            return  # the header row, or the header repeated after a page break
        if len(unique) == 1:
            row_date = _parse_date_row(unique[0], self.default_year)
            if row_date is not None:
                self.current_date = row_date
                if row_date not in self.table_dates:
                    self.table_dates.append(row_date)
                return

        def cell_at(index: int) -> _Cell | None:
            try:
                return cells[index]
            except IndexError:
                return None

        number_cell = cell_at(columns.number)
        name_cell = cell_at(columns.name)
        rec_cell = cell_at(columns.recommendations)
        if rec_cell is None:
            self.warnings.append(f"{where.capitalize()}: нет колонки с рекомендациями, пропущена.")
            return
        rec_tc = rec_cell._tc
        number_text = "" if number_cell is None or number_cell._tc is rec_tc else number_cell.text
        name_text = "" if name_cell is None or name_cell._tc is rec_tc else name_cell.text
        if number_cell is not None and name_cell is not None and number_cell._tc is name_cell._tc:
            # «№» and the name merged into one cell: «20 г.Томск» or empty.
            merged = _normalise(name_cell.text)
            match = re.match(r"^(\d{1,3})\.?\s+(.+)$", merged)
            number_text, name_text = (match[1], match[2]) if match else ("", merged)
        number = _normalise(number_text).rstrip(".")
        name = _normalise(name_text)

        if re.fullmatch(r"\d+", name):
            return  # a row with column numbers «1 | 2 | 3»

        tcs = (
            number_cell._tc if number_cell is not None else None,
            name_cell._tc if name_cell is not None else None,
        )
        current = self.blocks[-1] if self.blocks else None
        is_continuation = current is not None and (
            (not number and not name)
            or (self._block_tcs is not None and tcs == self._block_tcs)
            or (name == current.name_as_written and number in ("", current.number))
        )
        if is_continuation:
            self._feed_cell(rec_cell, self._collectors[-1])
            return
        if not name:
            if number:
                self.warnings.append(
                    f"{where.capitalize()}: указан номер «{number}», но нет названия "
                    "муниципального образования; строка пропущена."
                )
            else:
                self.warnings.append(
                    f"{where.capitalize()}: рекомендации стоят до первого муниципального "
                    "образования; строка пропущена."
                )
            return
        block = ParsedMunicipalityBlock(
            number=number,
            name_as_written=name,
            interview_date=self.current_date or date.min,
        )
        if self.current_date is None:
            self._undated.append(block)
        self.blocks.append(block)
        self._block_tcs = tcs
        collector = _ItemCollector()
        self._collectors.append(collector)
        self._feed_cell(rec_cell, collector)

    @staticmethod
    def _feed_cell(cell: _Cell, collector: _ItemCollector) -> None:
        for paragraph in _iter_cell_paragraphs(cell):
            for line in paragraph.text.split("\n"):
                collector.feed(line, is_list_item=is_list_paragraph(paragraph))

    def finish(self, header_dates: list[date]) -> None:
        for block, collector in zip(self.blocks, self._collectors, strict=True):
            block.recommendations = [
                ParsedRecommendation(text=clean_recommendation(raw), raw=raw)
                for raw in collector.raw_items
            ]
            if not block.recommendations:
                self.warnings.append(
                    f"Для «{block.name_as_written}» не найдено ни одной рекомендации."
                )
            elif collector.last_is_open():
                self.warnings.append(
                    f"Последняя рекомендация для «{block.name_as_written}» не закончена "
                    "(нет «;» или «.» в конце) — проверьте, не потерялось ли продолжение."
                )
            if _has_mixed_scripts(block.name_as_written):
                self.warnings.append(
                    f"В названии «{block.name_as_written}» смешаны русские и латинские буквы."
                )
        if self._undated:
            if len(header_dates) == 1:
                for block in self._undated:
                    block.interview_date = header_dates[0]
            else:
                names = ", ".join(f"«{b.name_as_written}»" for b in self._undated)
                raise ProtocolFileError(
                    f"Не удалось определить дату собеседования для {names}: в таблице нет строки "
                    "с датой (например, «17 июня 2020 года») перед этими строками."
                )
        self._check_numbers()

    def _check_numbers(self) -> None:
        numbers = [block.number for block in self.blocks]
        if all(n.isdigit() for n in numbers):
            expected = [str(i) for i in range(1, len(numbers) + 1)]
            if numbers != expected:
                self.warnings.append(
                    "Номера муниципальных образований в таблице идут не по порядку: "
                    + ", ".join(numbers)
                    + "."
                )
        elif any(not n for n in numbers):
            self.warnings.append("У некоторых муниципальных образований в таблице нет номера.")
        seen: set[str] = set()
        for block in self.blocks:
            key = block.name_as_written.casefold()
            if key in seen:
                self.warnings.append(
                    f"Муниципальное образование «{block.name_as_written}» встречается в таблице "
                    "несколько раз."
                )
            seen.add(key)


def _iter_cell_paragraphs(cell: _Cell) -> Iterator[Paragraph]:
    """Paragraphs of a cell including those of tables nested in it, in document order."""
    for item in cell.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        else:
            for row in item.rows:
                seen: set[int] = set()
                for inner in row.cells:
                    if id(inner._tc) not in seen:
                        seen.add(id(inner._tc))
                        yield from _iter_cell_paragraphs(inner)


# --------------------------------------------------------------------------------------------
# Header and assignments
# --------------------------------------------------------------------------------------------


@dataclass
class _Header:
    title: str = ""
    dates: list[date] = field(default_factory=list)
    place: str = ""
    chairman: str = ""
    participants: list[str] = field(default_factory=list)
    secretary: str = ""
    agenda: list[str] = field(default_factory=list)


def _section_key(name: str) -> str:
    name = name.lower()
    if name.startswith("председ"):
        return "chairman"
    if name.startswith(("участ", "присут", "пригл")):
        return "participants"
    if name.startswith("секрет"):
        return "secretary"
    if name.startswith("повест"):
        return "agenda"
    return "decision"


def _is_title_continuation(line: str) -> bool:
    """«проведения индивидуальных собеседований ...» continues the title; «г. Томск, ...» not."""
    return (
        _starts_lowercase(line)
        and not re.match(r"^\w{1,3}\.", line)
        and _SECTION_RE.match(line) is None
        and _parse_header_dates(line) is None
    )


def _parse_header(paragraphs: list[Paragraph], warnings: list[str]) -> _Header:
    header = _Header()
    lines = [_normalise(p.text) for p in paragraphs]
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"^протокол\b", line, re.IGNORECASE)), None
    )
    if start is None:
        warnings.append(
            "Не найден заголовок «ПРОТОКОЛ»; шапка протокола прочитана по всему тексту."
        )
        start = -1
        title_lines: list[str] = []
    else:
        title_lines = [lines[start]]
        while start + 1 < len(lines) and (
            not lines[start + 1] or _is_title_continuation(lines[start + 1])
        ):
            start += 1
            if lines[start]:
                title_lines.append(lines[start])
    header.title = " ".join(title_lines)

    sections: dict[str, list[str]] = {
        "chairman": [],
        "participants": [],
        "secretary": [],
        "agenda": [],
    }
    current: str | None = None
    place_candidates: list[str] = []
    for paragraph in paragraphs[start + 1 :]:
        for raw_line in paragraph.text.split("\n"):
            line = _normalise(raw_line)
            if not line:
                continue
            section = _SECTION_RE.match(line)
            if section:
                current = _section_key(section["name"])
                rest = (section["rest"] or "").strip()
                if rest and current in sections:
                    sections[current].append(rest)
                continue
            if current is None:
                if not header.dates:
                    found = _parse_header_dates(line)
                    if found:
                        header.dates, begin, _ = found
                        prefix = line[:begin].strip(' \t,;«"“„')
                        if prefix:
                            place_candidates.insert(0, prefix)
                        continue
                place_candidates.append(line)
            elif current in sections:
                sections[current].append(line)
    if place_candidates:
        header.place = _strip_trailing(place_candidates[0])
    header.chairman = _strip_trailing(" ".join(sections["chairman"]))
    header.secretary = _strip_trailing(" ".join(sections["secretary"]))
    for line in sections["participants"]:
        for part in re.split(r";\s+", line):
            part = _strip_trailing(part)
            if part:
                header.participants.append(part)
    for line in sections["agenda"]:
        text = _strip_trailing(re.sub(r"^\d{1,2}\s*[.)]\s*", "", line))
        if text:
            header.agenda.append(text)

    if not header.dates:
        warnings.append("В шапке протокола не найдена дата (например, «17, 18 июня 2020 г.»).")
    for key, label in (
        ("chairman", "председатель"),
        ("participants", "участники"),
        ("secretary", "секретарь"),
        ("agenda", "повестка"),
    ):
        if not sections[key]:
            warnings.append(f"В шапке протокола не найден раздел «{label.capitalize()}».")
    return header


def _split_addressee(rest: str) -> str:
    """``"ТОИПКРО (О.М.Замятина)"`` → ``"ТОИПКРО"``."""
    rest = re.sub(r"\(.*?\)", "", rest)
    return _normalise(rest).strip(" :,;.")


def _parse_assignments(paragraphs: list[Paragraph], warnings: list[str]) -> list[ParsedAssignment]:
    assignments: list[ParsedAssignment] = []
    addressee: str | None = None
    items: _ItemCollector | None = None
    collectors: list[_ItemCollector] = []

    for paragraph in paragraphs:
        is_list = is_list_paragraph(paragraph)
        level = list_level(paragraph)
        for raw_line in paragraph.text.split("\n"):
            line = _normalise(raw_line)
            if not line:
                continue
            heading = _ASSIGNMENTS_RE.match(line)
            if heading:
                addressee = _split_addressee(heading["rest"])
                items = None
                continue
            if addressee is None:
                continue
            if _SIGNATURE_RE.search(line):
                addressee = None
                continue
            numbered = _NUMBERED_RE.match(line)
            if numbered and not _starts_with_dash(line):
                assignment = ParsedAssignment(
                    number=numbered["number"],
                    text=_strip_trailing(numbered["text"]),
                    addressee=addressee,
                )
            elif is_list and level == 0 and not _starts_with_dash(line):
                assignment = ParsedAssignment(
                    number=str(len(assignments) + 1),
                    text=_strip_trailing(line),
                    addressee=addressee,
                )
            else:
                assignment = None
            if assignment is not None:
                assignments.append(assignment)
                items = _ItemCollector()
                collectors.append(items)
                continue
            if not assignments or items is None:
                warnings.append(f"Поручения: абзац «{line[:60]}» не относится ни к одному пункту.")
                continue
            if _starts_with_dash(line) or is_list or items.raw_items:
                items.feed(raw_line, is_list_item=is_list)
            else:
                assignments[-1].text = _strip_trailing(f"{assignments[-1].text} {line}")
    for assignment, collector in zip(assignments, collectors, strict=True):
        assignment.items = [clean_recommendation(raw) for raw in collector.raw_items]
    return assignments


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def read_protocol(path_or_file: str | os.PathLike[str] | IO[bytes] | bytes) -> ParsedProtocol:
    """Read an interview protocol from a .docx file (a path, a binary file object or bytes).

    Example input: a Word file with «ПРОТОКОЛ проведения индивидуальных собеседований ...»,
    the date «"17, 18, 19, 22" июня 2020 г.», the table «п/п | Муниципальное образование |
    Рекомендации в рамках собеседования» with rows «17 июня 2020 года» and
    «1 | Александровский район | - организовывать участие 100 % педагогов ...; - ...»,
    and «Поручения ТОИПКРО (О.М.Замятина):» after it.

    Raises `ProtocolFileError` (Russian message) for a missing, empty, damaged, .doc or
    non-Word file, or when there is no protocol table in it.
    """
    document = _open_document(path_or_file)
    warnings: list[str] = []

    body: list[Paragraph | Table] = list(document.iter_inner_content())
    protocol_tables: list[tuple[int, Table, _Columns]] = []
    for index, item in enumerate(body):
        if not isinstance(item, Table):
            continue
        columns = _table_columns(item)
        if columns is not None:
            protocol_tables.append((index, item, columns))
        elif protocol_tables and _only_blank_between(body, protocol_tables[-1][0], index):
            # The table was cut in two by a page break: same columns, no header.
            previous = protocol_tables[-1][2]
            protocol_tables.append((index, item, previous))
    if not protocol_tables:
        for index, item in enumerate(body):
            if isinstance(item, Table) and _looks_like_protocol_table(item):
                width = len(item.columns)
                protocol_tables.append(
                    (index, item, _Columns(number=0, name=1, recommendations=width - 1))
                )
                warnings.append(
                    "У таблицы протокола нет строки заголовка; колонки определены по порядку: "
                    "№, муниципальное образование, рекомендации."
                )
                break
    if not protocol_tables:
        raise ProtocolFileError(
            "В документе не найдена таблица протокола с колонками «п/п», «Муниципальное "
            "образование» и «Рекомендации в рамках собеседования»."
        )

    first_index = protocol_tables[0][0]
    last_index = protocol_tables[-1][0]
    header = _parse_header(
        [item for item in body[:first_index] if isinstance(item, Paragraph)], warnings
    )

    default_year = header.dates[0].year if header.dates else None
    parser = _TableParser(warnings, default_year)
    for number, (_, table, columns) in enumerate(protocol_tables, start=1):
        parser.parse_table(table, columns, number)
    if not parser.blocks:
        raise ProtocolFileError(
            "В таблице протокола не найдено ни одного муниципального образования с рекомендациями."
        )
    parser.finish(header.dates)

    dates = sorted(set(header.dates) | set(parser.table_dates))
    if header.dates and parser.table_dates and set(header.dates) != set(parser.table_dates):
        warnings.append(
            "Даты в шапке протокола ("
            + ", ".join(d.strftime("%d.%m.%Y") for d in header.dates)
            + ") не совпадают с датами в таблице ("
            + ", ".join(d.strftime("%d.%m.%Y") for d in parser.table_dates)
            + ")."
        )

    after = [item for item in body[last_index + 1 :] if isinstance(item, Paragraph)]
    assignments = _parse_assignments(after, warnings)
    if not assignments:
        warnings.append("После таблицы не найдены поручения (раздел «Поручения …:»).")

    return ParsedProtocol(
        title=header.title,
        dates=dates,
        place=header.place,
        chairman=header.chairman,
        participants=header.participants,
        secretary=header.secretary,
        agenda=header.agenda,
        blocks=parser.blocks,
        assignments=assignments,
        warnings=warnings,
    )


def _only_blank_between(body: list[Paragraph | Table], start: int, end: int) -> bool:
    """True when only empty paragraphs (or Markdown leftovers like «-- --») lie between."""
    for item in body[start + 1 : end]:
        if isinstance(item, Table):
            return False
        if re.sub(r"[-\s|*]", "", item.text):
            return False
    return True
