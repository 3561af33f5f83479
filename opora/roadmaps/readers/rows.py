"""Rows of a roadmap table into sections and events.

Example: «1. | Организационное обеспечение» followed by «1.1 | Разработка плана … | сентябрь |
УО» is a section with one event; a row starting in lower case («и проведение семинара») glues to
the event above it (a row broken across pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opora.core.intake.grid import Cell, Grid, distinct
from opora.core.intake.skipped import Skipped
from opora.roadmaps.readers.header import Header, is_column_numbering, map_header
from opora.roadmaps.readers.parsed import ParsedEvent, ParsedSection
from opora.roadmaps.readers.text import LIST_MARKER_RE, is_number

_ROMAN_RE = re.compile(r"^(?:раздел\s+\S+|[IVXХ]{1,6}\.?)$", re.IGNORECASE)
_CONTINUATION_START = ",.;:)]}»-–—(/+"
_DANGLING_WORDS = {
    "и", "в", "во", "на", "по", "с", "со", "для", "о", "об", "к", "ко", "из", "от", "за",
    "при", "или", "а", "но", "что", "как", "до", "у", "под", "над", "между", "через", "не",
}  # fmt: skip


#: A note under a table: «* по согласованию», «¹ По мере …», «Примечание: …».
_FOOTNOTE_RE = re.compile(r"^\s*(?:\*+|[¹²³⁴⁵⁶⁷⁸⁹]|\(\*\)|примечани[ея]\b|сноск)", re.IGNORECASE)


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
    if previous.rstrip()[-1] in ".;:!?" or LIST_MARKER_RE.match(addition):
        return f"{previous}\n{addition}"
    return f"{previous} {addition}"


def section_title(text: str) -> str:
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
class Block:
    """A grid with its header, plus an optional section title from a paragraph before it."""

    grid: Grid
    header: Header
    section_title: str = ""


class TableParser:
    """Turns rows of one or more grids into sections and events."""

    def __init__(self) -> None:
        self.sections: list[ParsedSection] = []
        self.warnings: list[str] = []
        self.skipped: list[Skipped] = []
        self.last_event: ParsedEvent | None = None
        self.pending_title: str | None = None
        self.columns: list[str] = []

    # -- helpers --
    def _column_names(self, header: Header) -> list[str]:
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
    def feed(self, block: Block, merged_sections_style: bool) -> None:
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
                self._open_section(section_title(" ".join(dict.fromkeys(own))))
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
        header: Header,
        number_col: int | None,
        merged_sections_style: bool,
    ) -> str:
        """«skip», «section», «continuation» or «event» for one row of the table."""
        own = [(cell, cols) for cell, cols in distinct(row) if cell.text and not cell.inherited]
        if not own or is_column_numbering(row) or self._repeats_header(row, header):
            return "skip"
        if len({cell.text for cell, _ in own}) == 1:
            return self._classify_one_text(own, row_number, header, merged_sections_style)
        number_cell = row[number_col] if number_col is not None else None
        if number_cell is not None and number_cell.inherited and number_cell.text:
            return "continuation" if self.last_event is not None else "event"
        number = number_cell.text if number_cell is not None else ""
        if number and (_ROMAN_RE.match(number) or is_number(number)):
            return self._classify_numbered(own, rows, index, header, number_col, number)
        if number or self.last_event is None:
            return "event"
        return self._classify_unnumbered(row, header)

    @staticmethod
    def _repeats_header(row: list[Cell], header: Header) -> bool:
        """The header repeated on a new page."""
        row_keys, score, valid = map_header([cell.text for cell in row])
        return valid and score >= 2 and row_keys == header.keys

    def _classify_one_text(
        self,
        own: list[tuple[Cell, list[int]]],
        row_number: int,
        header: Header,
        merged_sections_style: bool,
    ) -> str:
        """A row with one text (one cell, or one text repeated over merged cells)."""
        columns = sorted({c for _, cols in own for c in cols})
        covered = {header.keys[c] for c in columns}
        text = own[0][0].text
        if _FOOTNOTE_RE.match(text):
            self.skipped.append(
                Skipped(f"строка {row_number}", text, "сноска или примечание к таблице, не раздел")
            )
            return "skip"
        if len(columns) >= 2 and covered & {"text", "number", None}:
            return "section"
        if covered == {"number"}:
            if is_number(text):
                self.warnings.append(
                    f"Строка {row_number}: в строке только номер «{text}», строка пропущена."
                )
                self.skipped.append(
                    Skipped(f"строка {row_number}", text, "в строке только номер, нет мероприятия")
                )
                return "skip"
            return "section"
        if "text" not in covered and None not in covered:
            return "continuation" if self.last_event is not None else "event"
        if _starts_as_continuation(text) and self.last_event is not None:
            return "continuation"
        if all(cell.bold for cell, _ in own) or text.rstrip().endswith(":"):
            return "section"
        if merged_sections_style and self.last_event is not None:
            return "continuation"
        return "section"

    def _classify_numbered(
        self,
        own: list[tuple[Cell, list[int]]],
        rows: list[list[Cell]],
        index: int,
        header: Header,
        number_col: int | None,
        number: str,
    ) -> str:
        """A numbered row is a section when it only titles what follows («1. | Раздел»)."""
        own_keys: set[str | None] = set()
        for _, cols in own:
            keys = {header.keys[c] for c in cols}
            # «1. | Информационное сопровождение» with the title merged over the other columns
            own_keys |= {"text"} if len(cols) > 1 and "text" in keys else keys
        if not own_keys <= {"number", "text"}:
            return "event"
        bold = all(cell.bold for cell, _ in own)
        if (
            _ROMAN_RE.match(number)
            or self._next_is_child(rows, index, number_col, number)
            or self._numbering_restarts(rows, index, number_col, number)
            or (bold and self._next_is_event(rows, index, number_col, header))
        ):
            return "section"
        return "event"

    def _classify_unnumbered(self, row: list[Cell], header: Header) -> str:
        """A row without a number after an event: a new event or the rest of that one."""
        if self.last_event is None:
            return "event"
        keys = header.keys
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
                    and is_number(following)
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
        rows: list[list[Cell]], index: int, number_col: int | None, header: Header
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


def _merged_sections_style(grid: Grid, header: Header) -> bool:
    """True if the table marks sections with merged rows (then lone cells are continuations)."""
    for row in grid.rows[header.first_data_row :]:
        for cell, columns in distinct(row):
            if cell.text and len(columns) >= 2 and len(columns) >= grid.ncols // 2:
                return True
    return False


def parse_blocks(blocks: list[Block]) -> TableParser:
    parser = TableParser()
    for block in blocks:
        parser.feed(block, _merged_sections_style(block.grid, block.header))
    parser.finish()
    return parser
