"""The editable text of a document and what it means on paper.

A document's body is plain text an official edits in a text box; every non-empty line is one
block:

====================================  =========================================================
``ПРИКАЗЫВАЮ:``                       the operative word (capitals ending in a colon), from the
                                      margin
``## Заключение``                     a heading of a part: centred, bold
``**Решение:**``                      a bold line from the margin («Председатель:», «Решение:»)
``| № | Критерий | Балл |``           a table row; consecutive rows make one table, the first
                                      row is its header (repeated on every page)
``| 1. Оформление карты |``           in a table of several columns, a row of one cell spans
                                      the table (a group: «17 июня 2020 года», a section)
``+ - второй пункт;``                 in a table, a new line in the last cell of the row above
``Приложение 1 к приказу … № …``      an appendix mark: a new page, the mark at the right
                                      margin (ГОСТ Р 7.0.97-2016, п. 5.20)
``[диаграмма] Рисунок 1. Доля …``     a bar chart of the rows that follow: «| подпись |
                                      80 % | 4 из 5 |» (the value is the second cell); the
                                      first row of more than three cells starts a table
anything else                         a paragraph: justified, first line indented 1.25 cm
====================================  =========================================================

The signature block is several signatures separated by an empty line, each the position on
its first line and the name on its last: «Председатель\\nГрабцевич И.Б.\\n\\nСекретарь\\n…».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NBSP = "\u00a0"

_OPERATIVE = re.compile(r"^[А-ЯЁ]{5,}(?:\s[А-ЯЁ]+)*:$")
_SIGNER_NAME = re.compile(
    r"\s+((?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    r"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s(?:[А-ЯЁ]\.\s?){1,2})$"
)
_CHART = re.compile(r"^\[диаграмма\]\s*(.*)$", re.IGNORECASE)
#: «Приложение 2 к распоряжению … от … № …» (ГОСТ, п. 5.20): an appendix starts on a new page
#: with its mark at the right margin.
_APPENDIX = re.compile(r"^Приложение(?:\s+\d+)?\s+к\s+\S+")
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)")
#: A chart's rows have at most three cells: the first wider row starts a table.
CHART_CELLS = 3


# A short cell that is a figure («1,5», «4 из 5», «80 %», «—») is centred in its column.
_FIGURE = re.compile(r"^(?:[\d.,%—–\-+\s]|из)+$")
FIGURE_MAX_CHARS = 12


def is_figure(text: str) -> bool:
    return len(text) <= FIGURE_MAX_CHARS and bool(_FIGURE.match(text))


def typography(text: str) -> str:
    """Non-breaking spaces where Russian typography wants them, so that a justified line
    never ends with «№» or «г.» and never starts with a dash or with initials:
    «ООУ № 5 – МБОУ ООШ № 66», «г. Томск», «Швайко И.В.», «80 %» keep their parts together.
    The stored text keeps plain spaces; this is applied when it is laid out.
    """
    text = re.sub(r"№\s+(?=\S)", "№" + NBSP, text)
    text = re.sub(r"(?<=\d) (?=%)", NBSP, text)  # «80 %»: the sign never starts a line
    text = re.sub(r"(?<=\S) ([–—]) ", NBSP + r"\1 ", text)
    text = re.sub(r"(?<![А-Яа-яЁё])(г|с|п|пос|ул|д|им)\. (?=[А-ЯЁ\d])", r"\1." + NBSP, text)
    text = re.sub(r"(?<![А-Яа-яЁё])([А-ЯЁ]\.)\s?([А-ЯЁ]\.) (?=[А-ЯЁ][а-яё])", r"\1\2" + NBSP, text)
    text = re.sub(r"(?<=[а-яё]) ([А-ЯЁ]\.)\s?([А-ЯЁ]\.)", NBSP + r"\1\2", text)
    return text


@dataclass(frozen=True)
class LaidOutRow:
    header: bool
    group: bool
    cells: list[tuple[str, bool]]


@dataclass
class Block:
    """A piece of the text: ``paragraph``, ``operative``, ``heading``, ``strong``, ``table``
    or ``chart``. A table's row of one cell (in a wider table) is a group row; a cell's
    lines are separated by «\\n»."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def is_group(self, row: list[str]) -> bool:
        return len(row) == 1 and self.columns > 1

    @property
    def template(self) -> str:
        """The partial that previews the block on the document's page, one per kind."""
        return f"documents/blocks/{self.kind}.html"

    @property
    def laid_out(self) -> list[LaidOutRow]:
        """Rows for a preview: the header, group rows and ordinary rows, each cell with
        whether it is a figure."""
        return [
            LaidOutRow(
                header=index == 0,
                group=index > 0 and self.is_group(row),
                cells=[(cell, is_figure(cell)) for cell in row],
            )
            for index, row in enumerate(self.rows)
        ]

    @property
    def bars(self) -> list[tuple[str, float, str]]:
        """A chart's bars: (label, value in per cent, note)."""
        bars = []
        for row in self.rows:
            match = _PERCENT.search(row[1]) if len(row) > 1 else None
            value = float(match.group(1).replace(",", ".")) if match else 0.0
            bars.append((row[0], value, row[2] if len(row) > 2 else ""))
        return bars


def _cells(line: str) -> list[str]:
    return [typography(c.strip()) for c in line.strip().strip("|").split("|")]


def body_blocks(body: str) -> list[Block]:
    """Split the editable text into blocks (see the module's docstring).

    >>> [b.kind for b in body_blocks("Текст.\\n\\nПРИКАЗЫВАЮ:\\n1. Пункт.\\n| А | Б |\\n| 1 | 2 |")]
    ['paragraph', 'operative', 'paragraph', 'table']
    """
    blocks: list[Block] = []
    for raw in (body or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        last = blocks[-1] if blocks else None
        if not line:
            continue
        if line.startswith("|"):
            cells = _cells(line)
            if last is not None and (
                last.kind == "table" or (last.kind == "chart" and len(cells) <= CHART_CELLS)
            ):
                last.rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif line.startswith("+") and last is not None and last.kind == "table":
            last.rows[-1][-1] += "\n" + typography(line[1:].strip())
        else:
            blocks.append(_line_block(line))
    return blocks


def _line_block(line: str) -> Block:
    chart = _CHART.match(line)
    if chart:
        return Block("chart", typography(chart.group(1).strip()))
    if line.startswith("## "):
        return Block("heading", typography(line[3:].strip()))
    if line.startswith("**") and line.endswith("**") and len(line) > 4:
        return Block("strong", typography(line[2:-2].strip()))
    if _OPERATIVE.match(line):
        return Block("operative", line)
    if _APPENDIX.match(line):
        return Block("appendix", typography(line))
    return Block("paragraph", typography(line))


def split_signer(signer: str) -> tuple[str, str]:
    """«Начальник департамента И.В. Васильева» → («Начальник департамента», «И.В. Васильева»).

    Two lines (position, then name) are taken as they are; a single line is split before
    the initials and surname at its end.
    """
    text = (signer or "").strip()
    if "\n" in text:
        position, _, name = text.rpartition("\n")
        return position.strip(), name.strip()
    match = _SIGNER_NAME.search(text)
    if match:
        return text[: match.start()].strip(), match.group(1).strip()
    return text, ""


def signatures(signer: str) -> list[tuple[str, str]]:
    """The signatures of a document, separated by an empty line:

    >>> signatures("Председатель\\nГрабцевич И.Б.\\n\\nСекретарь\\nКузнецова Е.А.")
    [('Председатель', 'Грабцевич И.Б.'), ('Секретарь', 'Кузнецова Е.А.')]
    """
    parts = re.split(r"\n\s*\n", (signer or "").replace("\r\n", "\n").strip())
    return [split_signer(part) for part in parts if part.strip()]


# ---------------------------------------------------------------- writing the text

_MARKUP_START = "|+#[*"


def paragraphs(text: str) -> list[str]:
    """What a person wrote (a conclusion, a comment), one paragraph a line, never read as
    markup: a line that happens to start with «|» or «#» stays a paragraph."""
    lines = (line.strip() for line in (text or "").replace("\r\n", "\n").split("\n"))
    return [line.lstrip(_MARKUP_START).strip() for line in lines if line.strip()]


def _cell(text: str) -> str:
    return " ".join(str(text or "").replace("|", "/").split())


def table_row(*cells: str) -> str:
    """«| 1.1 | Ответственные у всех мероприятий | 2 |»; lines of the last cell after the first
    go on lines of their own («+ …»)."""
    *head, last = cells
    lines = [line for line in str(last or "").split("\n") if line.strip()] or [""]
    row = "| " + " | ".join([*(_cell(c) for c in head), _cell(lines[0])]) + " |"
    return "\n".join([row, *(f"+ {_cell(line)}" for line in lines[1:])])


def group_row(text: str) -> str:
    """A row spanning the table: «| 1. Оформление программы |»."""
    return f"| {_cell(text)} |"


def heading(text: str) -> str:
    return f"## {_cell(text)}"


def strong(text: str) -> str:
    return f"**{_cell(text)}**"


def chart(caption: str) -> str:
    """The line before a chart's table of «| подпись | 80 % | 4 из 5 |» rows."""
    return f"[диаграмма] {_cell(caption)}"


def sentence(text: str) -> str:
    """A list item as a sentence starts with a capital: «провести анализ» → «Провести анализ»
    (an abbreviation or a quote stays as written)."""
    text = (text or "").strip()
    return text[:1].upper() + text[1:]
