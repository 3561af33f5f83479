"""The diagnostics of professional competences as the regional operator sends them.

One row per teacher and competence area (the «long» layout)::

    ФИО;Код ОО;Должность;Предмет;Область компетенций;Балл
    Иванова Мария Петровна;700101;учитель;математика;Предметные компетенции;14 из 20
    Иванова Мария Петровна;700101;учитель;математика;Оценивание;низкий

or one row per teacher with a column per area (the «wide» layout the diagnostics centre
exports)::

    ФИО;Код ОО;Должность;Предмет;Предметные компетенции;Оценивание
    Иванова Мария Петровна;700101;учитель;математика;70 %;45

A score is a per cent of the maximum: «72», «72,5 %», «14 из 20», «14/20»; or a level word
(«низкий», «ниже базового», «базовый», «повышенный», «высокий»). The reader only parses; the
import (:mod:`opora.development.importing`) matches schools and people and plans the writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from opora.core.intake.tables import Table, TableRows

NAME, SCHOOL, POSITION, SUBJECT, AREA, SCORE = (
    "name",
    "school",
    "position",
    "subject",
    "area",
    "score",
)
#: Header spellings (normalised: lower case, «ё» as «е») → the column's meaning.
HEADERS = {
    "фио": NAME,
    "фио педагога": NAME,
    "педагог": NAME,
    "фамилия имя отчество": NAME,
    "код оо": SCHOOL,
    "код школы": SCHOOL,
    "должность": POSITION,
    "предмет": SUBJECT,
    "преподаваемый предмет": SUBJECT,
    "область компетенций": AREA,
    "компетенция": AREA,
    "область": AREA,
    "балл": SCORE,
    "результат": SCORE,
    "уровень": SCORE,
    "балл или уровень": SCORE,
    "результат, %": SCORE,
}
REQUIRED = (NAME, SCHOOL)
#: The column titles of the template, in its order.
TEMPLATE_HEADERS = ["ФИО", "Код ОО", "Должность", "Предмет", "Область компетенций", "Балл"]

LEVELS = {
    "низкий": Decimal(20),
    "недостаточный": Decimal(30),
    "ниже базового": Decimal(40),
    "пониженный": Decimal(40),
    "базовый": Decimal(60),
    "средний": Decimal(60),
    "повышенный": Decimal(80),
    "выше базового": Decimal(80),
    "высокий": Decimal(100),
}
_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_PERCENT_RE = re.compile(rf"({_NUMBER})\s*%?")
_FRACTION_RE = re.compile(rf"({_NUMBER})\s*(?:из|/)\s*({_NUMBER})")
_MANAGEMENT_RE = re.compile(r"директор|заместител|руководител|заведующ")


@dataclass(frozen=True)
class Layout:
    """Which header is which column; ``areas`` are the area columns of the wide layout."""

    columns: dict[str, str]
    areas: tuple[str, ...] = ()

    @property
    def is_long(self) -> bool:
        return AREA in self.columns


@dataclass(slots=True)
class Reading:
    """One teacher's result in one area, as written and as understood."""

    line: int
    name: str
    school_code: str
    position: str
    subject: str
    area: str
    written: str
    score: Decimal | None
    problem: str = ""


def layout_of(table: Table | TableRows) -> Layout:
    """The columns of ``table``; raises ValueError naming what is missing."""
    columns: dict[str, str] = {}
    unknown = []
    for header in table.headers:
        if not header:
            continue
        meaning = HEADERS.get(header)
        if meaning and meaning not in columns:
            columns[meaning] = header
        else:
            unknown.append(header)
    missing = [m for m in REQUIRED if m not in columns]
    if missing:
        titles = {NAME: "ФИО", SCHOOL: "Код ОО"}
        raise ValueError(
            "В файле нет столбца " + " и ".join(f"«{titles[m]}»" for m in missing) + "."
        )
    if AREA in columns:
        if SCORE not in columns:
            raise ValueError("В файле есть «Область компетенций», но нет столбца «Балл».")
        if unknown:
            raise ValueError("Неизвестные столбцы: " + ", ".join(f"«{h}»" for h in unknown) + ".")
        return Layout(columns)
    if not unknown:
        raise ValueError(
            "В файле нет ни столбца «Область компетенций», ни столбцов с областями компетенций."
        )
    return Layout(columns, tuple(unknown))


@lru_cache(maxsize=4096)
def parse_score(text: str) -> Decimal:
    """«72,5 %» → 72.5; «14 из 20» → 70; «ниже базового» → 40. ValueError in Russian.

    Cached: a region's file repeats the same few hundred scores a hundred thousand times.
    """
    s = " ".join(text.lower().replace("ё", "е").split())
    if s in LEVELS:
        return LEVELS[s]
    try:
        fraction = _FRACTION_RE.fullmatch(s)
        if fraction:
            got, top = (Decimal(g.replace(",", ".")) for g in fraction.groups())
            if top == 0 or got > top:
                raise ValueError(f"«{text}» — набрано больше максимума")
            return (got * 100 / top).quantize(Decimal("0.01"))
        percent = _PERCENT_RE.fullmatch(s)
        if percent:
            value = Decimal(percent.group(1).replace(",", "."))
            if value > 100:
                raise ValueError(f"«{text}» — больше 100 %")
            return value.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError(f"«{text}» — не число") from exc
    raise ValueError(
        f"«{text}» — ожидается балл (72 или 72 %, «14 из 20») или уровень "
        "(низкий, ниже базового, базовый, повышенный, высокий)"
    )


def is_management(position: str) -> bool:
    """«Заместитель директора по УВР» → True; «учитель математики» → False."""
    return bool(_MANAGEMENT_RE.search(position.lower()))


def readings(table: TableRows, layout: Layout):
    """Every (teacher, area, score) of the table, in file order; a bad score is a reading
    with its ``problem`` (the import refuses the file, naming the line)."""
    for row in reading_rows(table, layout):
        yield Reading(*row)


#: A reading as a plain tuple: (line, name, school code, position, subject, area, written,
#: score or None, problem) — what :func:`reading_rows` yields, 200 000 of them for a region.
ReadingRow = tuple[int, str, str, str, str, str, str, "Decimal | None", str]


def reading_rows(table: TableRows, layout: Layout):
    """:func:`readings` as tuples (the fields of :class:`Reading`, in order): the import of a
    region's file reads them without an object per row. The cells come stripped
    (:class:`~opora.core.intake.tables.TableRows`), so each is taken as it is."""
    col = layout.columns
    name_at, school_at = table.column(col[NAME]), table.column(col[SCHOOL])
    position_at = table.column(col[POSITION]) if POSITION in col else None
    subject_at = table.column(col[SUBJECT]) if SUBJECT in col else None
    if layout.is_long:
        area_at, score_at = table.column(col[AREA]), table.column(col[SCORE])
    else:
        area_columns = [(area, table.column(area)) for area in layout.areas]
    names: dict[str, str] = {}  # a file repeats each teacher's name once per area
    for line, cells in table.rows:
        raw = cells[name_at]
        name = names.get(raw)
        if name is None:
            name = names[raw] = " ".join(raw.split())
        code = cells[school_at]
        position = "" if position_at is None else cells[position_at]
        subject = "" if subject_at is None else cells[subject_at]
        if layout.is_long:
            pairs = [(cells[area_at], cells[score_at])]
        else:
            pairs = [(area, cells[at]) for area, at in area_columns if cells[at]] or [("", "")]
        for area, written in pairs:
            if not written:
                yield line, name, code, position, subject, area, "", None, "не указан балл"
                continue
            try:
                score = parse_score(written)
            except ValueError as exc:
                yield line, name, code, position, subject, area, written, None, str(exc)
                continue
            yield line, name, code, position, subject, area, written, score, ""
