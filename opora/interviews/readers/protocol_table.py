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
    number: int
    name: int
    recommendations: int


def header_columns(row: _Row) -> Columns | None:
    """Find the columns by the header «п/п | Муниципальное образование | Рекомендации ...»."""
    texts = [normalise(cell.text).lower() for cell in row.cells]
    if any(len(t) > 80 for t in texts):
        return None  # a row with recommendations, not a header
    name_col = next((i for i, t in enumerate(texts) if "муниципал" in t and len(t) <= 60), None)
    rec_col = next((i for i, t in enumerate(texts) if t.startswith("рекоменд")), None)
    if name_col is None or rec_col is None or name_col == rec_col:
        return None
    number_col = next((i for i, t in enumerate(texts) if i not in (name_col, rec_col) and t), None)
    if number_col is None:
        number_col = 0 if name_col != 0 else -1
    return Columns(number=number_col, name=name_col, recommendations=rec_col)


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
        self._collectors: list[ItemCollector] = []
        self._block_tcs: tuple[Any, Any] | None = None
        self._undated: list[ParsedMunicipalityBlock] = []

    def parse_table(self, table: Table, columns: Columns, table_number: int) -> None:
        for row_index, row in enumerate(table.rows, start=1):
            self._parse_row(row, columns, f"таблица {table_number}, строка {row_index}")

    def _parse_row(self, row: _Row, columns: Columns, where: str) -> None:
        cells = row.cells
        if not cells:
            return
        unique = _unique_texts(cells)
        if not unique:
            return
        if header_columns(row) is not None:
            return  # the header row, or the header repeated after a page break
        if len(unique) == 1 and self._take_date_row(unique[0]):
            return
        number_cell = _cell_at(cells, columns.number)
        name_cell = _cell_at(cells, columns.name)
        rec_cell = _cell_at(cells, columns.recommendations)
        if rec_cell is None:
            self.warnings.append(f"{where.capitalize()}: нет колонки с рекомендациями, пропущена.")
            return
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
        collector = ItemCollector()
        self._collectors.append(collector)
        self._feed_cell(rec_cell, collector)

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
