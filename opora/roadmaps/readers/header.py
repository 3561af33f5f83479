"""Finding a roadmap table by its header, or by the columns a user mapped.

Example: the header «№ п/п | Мероприятие | Сроки | Ответственные» gives the keys
``["number", "text", "deadline", "executors"]``; «Кто отвечает» is known through
``core.russian.headers``; ``parse_columns("3=deadline")`` maps a column the reader does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from opora.core.intake.grid import Cell, Grid, distinct
from opora.core.russian.headers import column_of, column_strength
from opora.roadmaps.readers.parsed import COLUMN_KEYS
from opora.roadmaps.readers.text import clean_line, header_words, is_number

_NUMBER_HEADERS = {"№", "№№", "№пп", "пп", "номер", "номерпп", "n", "no", "nпп", "№мероприятия"}


@lru_cache(maxsize=8192)
def header_key(text: str) -> str | None:
    """Which column a header cell names, or None."""
    words = header_words(text)
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
    words = header_words(text)
    for name, key in columns.items():
        if not name.isdigit() and header_words(name) == words and words:
            return key
    return False


@dataclass
class Header:
    first_data_row: int
    keys: list[str | None]
    names: list[str]
    score: int
    first_row: int = 0  # index of the (first) header row

    @property
    def shape(self) -> tuple[str | None, ...]:
        return tuple(self.keys)


def map_header(
    texts: list[str], columns: Columns | None = None
) -> tuple[list[str | None], int, bool]:
    keys: list[str | None] = []
    strengths: list[int] = []
    for column, text in enumerate(texts):
        chosen = _override(column, text, columns)
        key = header_key(text) if chosen is False else chosen
        keys.append(key)  # type: ignore[arg-type]
        named, strength = column_strength(text)
        strengths.append(strength if chosen is False and named == key else 2)
    for column, key in enumerate(keys):  # «Участники» beside «Ответственные» are not executors
        if (
            key
            and strengths[column] < 2
            and any(other == key and strengths[i] == 2 for i, other in enumerate(keys))
        ):
            keys[column] = None
    present = {key for key in keys if key}
    valid = "text" in present and bool({"deadline", "executors"} & present)
    return keys, len(present), valid


def is_column_numbering(row: list[Cell]) -> bool:
    """A row «1 | 2 | 3 | 4» under the header."""
    values = [cell.text for cell, _ in distinct(row) if cell.text]
    if len(values) < 2 or not all(value.rstrip(".").isdigit() for value in values):
        return False
    numbers = [int(value.rstrip(".")) for value in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


def find_header(grid: Grid, scan_rows: int, columns: Columns | None = None) -> Header | None:
    best: Header | None = None
    rows = grid.rows
    for index in range(min(scan_rows, len(rows))):
        row = rows[index]
        texts = [cell.text for cell in row]
        keys, score, valid = map_header(texts, columns)
        if columns and all(is_number(text) or not text for text in texts):
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
            keys2, score2, valid2 = map_header(combined, columns)
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
            below_is_event = number_col is not None and is_number(below[number_col].text)
            if valid2 and not below_is_event and (score2 > score or (split_merge and valid)):
                keys, score, valid, names, first_data = keys2, score2, valid2, combined, index + 2
        if not valid:
            continue
        while first_data < len(rows) and is_column_numbering(rows[first_data]):
            first_data += 1
        names = [clean_line(name.replace("\n", " ")) for name in names]
        candidate = Header(first_data, keys, names, score, index)
        if best is None or candidate.score > best.score:
            best = candidate
    return best
