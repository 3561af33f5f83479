"""The table of an interview protocol: a row per municipality with its recommendations.

Example: «п/п | Муниципальное образование | Рекомендации в рамках собеседования» with a date row
«17 июня 2020 года» and the row «1 | Александровский район | - организовывать …; - …».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from opora.core.intake.numbering import is_list_paragraph
from opora.interviews.readers.protocol_model import (
    ParsedMunicipalityBlock,
    ParsedRecommendation,
    ProtocolFileError,
    SkippedPart,
)
from opora.interviews.readers.protocol_text import (
    ItemCollector,
    clean_recommendation,
    has_mixed_scripts,
    normalise,
    parse_date_row,
)


@dataclass
class Columns:
    """Positions of the protocol table's columns; ``None`` (or -1 for the number) is absent.

    Without a municipality column the municipality comes from a row spanning the table
    («Асиновский район») or from the paragraph right above it; every row is then one
    recommendation.
    """

    number: int
    name: int | None
    recommendations: int
    date: int | None = None
    deadline: int | None = None


_NUMBER_HEADERS = {"№", "№№", "п/п", "№ п/п", "№п/п", "n", "no", "n п/п", "номер", "пп"}
_ROLE_PATTERNS = (
    ("date", re.compile(r"^дата\b(?!.*(исполн|выполн))")),
    ("deadline", re.compile(r"^(срок|дата (исполн|выполн)|исполнить до|до какого)")),
    ("name", re.compile(r"муниципал|^территори|^мо\b|^район|^городск\w* округ")),
    (
        "recommendations",
        re.compile(r"^(рекоменд|решени|поручени|предложени|текст|содержани|что сделать)"),
    ),
)


def _role(text: str) -> str | None:
    """What a header cell names: «Дата собеседования» → date, «Срок» → deadline …"""
    if text in _NUMBER_HEADERS or (text.startswith("№") and len(text) <= 6):
        return "number"
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(text) and len(text) <= 60:
            return role
    return None


def header_columns(row: _Row) -> Columns | None:
    """Find the columns by a header such as «п/п | Муниципальное образование | Рекомендации»,
    «№ | Дата | Муниципалитет | Решение», «Рекомендация | Срок» or «№ | Текст»."""
    texts = [normalise(cell.text).lower().replace("ё", "е") for cell in row.cells]
    if any(len(t) > 80 for t in texts):
        return None  # a row with recommendations, not a header
    roles: dict[str, int] = {}
    for index, text in enumerate(texts):
        role = _role(text)
        if role is not None and role not in roles:
            roles[role] = index
    if "recommendations" not in roles or len(roles) < 2:
        return None
    if "name" in roles and "number" not in roles:
        # an unnamed first column before the municipality holds the number
        roles["number"] = 0 if roles["name"] != 0 else -1
    return Columns(
        number=roles.get("number", -1),
        name=roles.get("name"),
        recommendations=roles["recommendations"],
        date=roles.get("date"),
        deadline=roles.get("deadline"),
    )


def table_columns(table: Table) -> Columns | None:
    for row in list(table.rows)[:3]:
        columns = header_columns(row)
        if columns is not None:
            return columns
    return None


def looks_like_protocol_table(table: Table) -> bool:
    """Fallback for a table without a header: date rows and numbered municipality rows."""
    has_date = has_numbered = False
    for row in table.rows:
        cells = row.cells
        if len(cells) < 3:
            continue
        unique = _unique_texts(cells)
        if len(unique) == 1 and parse_date_row(unique[0], 2000):
            has_date = True
        elif re.fullmatch(r"\d{1,3}\.?", normalise(cells[0].text)) and normalise(cells[1].text):
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
        text = normalise(cell.text)
        if text and text not in texts:
            texts.append(text)
    return texts


def _cell_at(cells: list[_Cell], index: int) -> _Cell | None:
    try:
        return cells[index]
    except IndexError:
        return None


def _spans_row(cells: list[_Cell]) -> bool:
    """One merged cell across the whole row (a municipality's or a date's group row)."""
    return len(cells) > 1 and len({id(cell._tc) for cell in cells}) == 1


def _number_and_name(
    number_cell: _Cell | None, name_cell: _Cell | None, rec_cell: _Cell
) -> tuple[str, str]:
    """The row's number and municipality; «20 г.Томск» when the two share one cell."""
    rec_tc = rec_cell._tc
    number_text = "" if number_cell is None or number_cell._tc is rec_tc else number_cell.text
    name_text = "" if name_cell is None or name_cell._tc is rec_tc else name_cell.text
    if number_cell is not None and name_cell is not None and number_cell._tc is name_cell._tc:
        merged = normalise(name_cell.text)
        match = re.match(r"^(\d{1,3})\.?\s+(.+)$", merged)
        number_text, name_text = (match[1], match[2]) if match else ("", merged)
    return normalise(number_text).rstrip("."), normalise(name_text)


class TableParser:
    """Walks the rows of one or several protocol tables keeping the current date and block."""

    def __init__(self, warnings: list[str], default_year: int | None) -> None:
        self.warnings = warnings
        self.default_year = default_year
        self.current_date: date | None = None
        self.table_dates: list[date] = []
        self.blocks: list[ParsedMunicipalityBlock] = []
        self.skipped: list[SkippedPart] = []
        self._collectors: list[ItemCollector] = []
        self._block_tcs: tuple[Any, Any] | None = None
        self._undated: list[ParsedMunicipalityBlock] = []
        self._deadlines: dict[int, dict[int, str]] = {}  # block → item index → deadline
        self.heading = ""  # the municipality of a table without a municipality column
        self._item_blocks: set[int] = set()  # blocks read from such tables

    def parse_table(
        self, table: Table, columns: Columns, table_number: int, heading: str = ""
    ) -> None:
        if heading:
            self.heading = heading
        for row_index, row in enumerate(table.rows, start=1):
            self._parse_row(row, columns, f"таблица {table_number}, строка {row_index}")

    def _skip(self, where: str, text: str, reason: str) -> None:
        self.skipped.append(SkippedPart(where, text[:200], reason))
        self.warnings.append(f"{where.capitalize()}: {reason}; строка пропущена.")

    def _parse_row(self, row: _Row, columns: Columns, where: str) -> None:
        cells = row.cells
        if not cells:
            return
        unique = _unique_texts(cells)
        if not unique or header_columns(row) == columns:
            return  # empty, or the header (repeated after a page break)
        if len(unique) == 1 and self._take_date_row(unique[0]):
            return
        if len(unique) == 1 and columns.name is None and _spans_row(cells):
            self.heading = unique[0].rstrip(":")  # «Асиновский район» spanning the table
            return
        rec_cell = _cell_at(cells, columns.recommendations)
        if rec_cell is None:
            self._skip(where, " ".join(unique), "нет колонки с рекомендациями")
            return
        if not self._take_date_cell(cells, columns, where):
            return
        if columns.name is None:
            self._take_item_row(cells, columns, rec_cell, where)
        else:
            self._take_municipality_row(cells, columns, rec_cell, where)

    def _take_date_cell(self, cells: list[_Cell], columns: Columns, where: str) -> bool:
        """The row's own date in a date column: «17.06.2020», «18 июня»; False: not understood."""
        cell = _cell_at(cells, columns.date) if columns.date is not None else None
        text = normalise(cell.text) if cell is not None else ""
        if not text:
            return True
        if self._take_date_row(text):
            return True
        self._skip(where, text, f"дата «{text}» не понята (ожидается, например, «17 июня 2020»)")
        return False

    def _take_item_row(
        self, cells: list[_Cell], columns: Columns, rec_cell: _Cell, where: str
    ) -> None:
        """A row of a table without municipalities: recommendations of the current block."""
        text = normalise(rec_cell.text)
        if not text:
            self._skip(where, " ".join(_unique_texts(cells)), "нет текста рекомендации")
            return
        current = self.blocks[-1] if self.blocks else None
        if (
            current is None
            or current.name_as_written != self.heading
            or (self.current_date is not None and current.interview_date != self.current_date)
        ):
            self._open_block("", self.heading)
            self._item_blocks.add(id(self.blocks[-1]))
        collector = self._collectors[-1]
        before = len(collector.raw_items)
        row_items = ItemCollector()  # a row is a recommendation of its own
        self._feed_cell(rec_cell, row_items)
        collector.raw_items.extend(row_items.raw_items)
        deadline = _cell_at(cells, columns.deadline) if columns.deadline is not None else None
        if deadline is not None and normalise(deadline.text):
            for index in range(before, len(collector.raw_items)):
                self._deadlines.setdefault(len(self.blocks) - 1, {})[index] = normalise(
                    deadline.text
                )

    def _take_municipality_row(
        self, cells: list[_Cell], columns: Columns, rec_cell: _Cell, where: str
    ) -> None:
        number_cell = _cell_at(cells, columns.number)
        name_cell = _cell_at(cells, columns.name) if columns.name is not None else None
        number, name = _number_and_name(number_cell, name_cell, rec_cell)
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
            text = " ".join(_unique_texts(cells))
            if number:
                self._skip(where, text, f"указан номер «{number}», но нет названия муниципалитета")
            else:
                self._skip(where, text, "рекомендации стоят до первого муниципального образования")
            return
        self._open_block(number, name)
        self._block_tcs = tcs
        self._feed_cell(rec_cell, self._collectors[-1])

    def _open_block(self, number: str, name: str) -> None:
        block = ParsedMunicipalityBlock(
            number=number,
            name_as_written=name,
            interview_date=self.current_date or date.min,
        )
        if self.current_date is None:
            self._undated.append(block)
        self.blocks.append(block)
        self._collectors.append(ItemCollector())

    def take_date(self, text: str) -> bool:
        """A date written above a table dates its rows."""
        return self._take_date_row(text)

    def _take_date_row(self, text: str) -> bool:
        """A row «17 июня 2020 года» sets the date of the rows under it."""
        row_date = parse_date_row(text, self.default_year)
        if row_date is None:
            return False
        self.current_date = row_date
        if row_date not in self.table_dates:
            self.table_dates.append(row_date)
        return True

    @staticmethod
    def _feed_cell(cell: _Cell, collector: ItemCollector) -> None:
        for paragraph in _iter_cell_paragraphs(cell):
            for line in paragraph.text.split("\n"):
                collector.feed(line, is_list_item=is_list_paragraph(paragraph))

    def finish(self, header_dates: list[date]) -> None:
        for number, (block, collector) in enumerate(
            zip(self.blocks, self._collectors, strict=True)
        ):
            deadlines = self._deadlines.get(number, {})
            block.recommendations = [
                ParsedRecommendation(
                    text=clean_recommendation(raw), raw=raw, deadline_text=deadlines.get(i, "")
                )
                for i, raw in enumerate(collector.raw_items)
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
            if has_mixed_scripts(block.name_as_written):
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
        numbers = [block.number for block in self.blocks if id(block) not in self._item_blocks]
        if not numbers:
            return  # tables without a municipality column: the rows' numbers are the items'
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
