"""The columns of a results file and the values they take: the header aliases, the subjects
and procedures, the parsers of each value and the Russian reasons a value is refused.

Example: ``header_field("Код ОО")`` → ``"school_code"``; ``subject_name("матем.")`` →
``"Математика"``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import pyarrow as pa

PROCEDURES = ("ВПР", "ОГЭ", "ЕГЭ", "РМ")
SUBJECTS = (
    "Русский язык",
    "Математика",
    "Математика (базовая)",
    "Математика (профильная)",
    "Окружающий мир",
    "История",
    "Обществознание",
    "География",
    "Биология",
    "Физика",
    "Химия",
    "Информатика",
    "Английский язык",
    "Немецкий язык",
    "Французский язык",
    "Испанский язык",
    "Китайский язык",
    "Иностранный язык",
    "Литература",
    "Литературное чтение",
)
MIN_YEAR, MAX_YEAR = 2000, 2100
# Rejections listed one by one (all of them are counted in ``rejected_total``/``rejected_counts``).
MAX_LISTED_REJECTIONS = 10_000
# More broken lines than this and the file is refused as a whole: it is not this format.
MAX_BROKEN_LINES = 10_000
HEADER_SEARCH_LINES = 30

PUPIL_REQUIRED = (
    "year",
    "procedure",
    "school_code",
    "grade",
    "subject",
    "pupil_code",
    "primary_score",
    "mark",
)
PUPIL_OPTIONAL = ("term_mark",)
SCHOOL_REQUIRED = (
    "year",
    "procedure",
    "school_code",
    "grade",
    "subject",
    "participants",
    "n2",
    "n3",
    "n4",
    "n5",
)
LABELS = {
    "year": "Год",
    "procedure": "Процедура",
    "school_code": "Код ОО",
    "grade": "Класс",
    "subject": "Предмет",
    "pupil_code": "Код участника",
    "primary_score": "Первичный балл",
    "mark": "Отметка",
    "term_mark": "Отметка по журналу",
    "participants": "Участников",
    "n2": "Кол-во «2»",
    "n3": "Кол-во «3»",
    "n4": "Кол-во «4»",
    "n5": "Кол-во «5»",
}


class ResultsFileError(Exception):
    """A results file refused as a whole; the message (Russian) is shown to the user."""


@dataclass
class Rejection:
    """A row left out, with its line in the file (Excel row number for XLSX)."""

    line: int
    reason: str
    school_code: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReadResult:
    """What a file holds.

    ``table`` has the valid rows with normalised columns — pupil-level: ``year`` int16,
    ``procedure``, ``school_code``, ``subject`` (dictionary strings), ``grade`` int8,
    ``pupil_code`` string, ``primary_score`` float32, ``mark`` and ``term_mark`` int8
    (``term_mark`` null when not given); school-level: ``participants``, ``n2`` … ``n5``
    int32 instead of the pupil columns. ``rejected`` lists at most
    :data:`MAX_LISTED_REJECTIONS` rows; ``rejected_total`` and ``rejected_counts`` (reason
    kind → rows) count them all.
    """

    kind: str
    table: pa.Table
    rejected: list[Rejection]
    rows_total: int
    years: list[int]
    procedures: list[str]
    schools: int
    rejected_total: int = 0
    rejected_counts: dict[str, int] = field(default_factory=dict)
    encoding: str = ""
    delimiter: str = ""
    # sha256 of the file's bytes, when the reader was asked for it (computed as it read)
    checksum: str = ""

    @property
    def rows_valid(self) -> int:
        return self.table.num_rows

    def summary(self) -> dict:
        """The JSON-ready figures of a file, without the table."""
        return {
            "kind": self.kind,
            "rows_total": self.rows_total,
            "rows_valid": self.rows_valid,
            "years": self.years,
            "procedures": self.procedures,
            "schools": self.schools,
            "rejected_total": self.rejected_total,
            "rejected_counts": self.rejected_counts,
            "rejected": [r.to_dict() for r in self.rejected],
        }


# ---------------------------------------------------------------- headers


def _norm(text: object) -> str:
    """Lower case, «ё» → «е», no quotes, underscores as spaces, single spaces."""
    value = str(text or "").replace("\ufeff", "").lower().replace("ё", "е")
    value = re.sub("[«»\"'“”„`]", "", value).replace("_", " ")
    return " ".join(value.split()).strip(" .:")


HEADER_ALIASES = {
    "year": ["Год", "year", "год проведения"],
    "procedure": ["Процедура", "procedure", "оценочная процедура", "вид процедуры"],
    "school_code": [
        "Код ОО",
        "school_code",
        "код школы",
        "код ОУ",
        "код образовательной организации",
    ],
    "grade": ["Класс", "Параллель", "grade"],
    "subject": ["Предмет", "subject", "учебный предмет"],
    "pupil_code": [
        "Код участника",
        "pupil_code",
        "код ученика",
        "код обучающегося",
        "participant_code",
    ],
    "primary_score": ["Первичный балл", "primary_score", "балл", "первичные баллы"],
    "mark": ["Отметка", "mark", "оценка"],
    "term_mark": [
        "Отметка по журналу",
        "term_mark",
        "оценка по журналу",
        "отметка в журнале",
        "журнальная отметка",
        "отметка за период",
    ],
    "participants": [
        "Участников",
        "participants",
        "участники",
        "количество участников",
        "кол-во участников",
        "число участников",
    ],
}
_HEADER_LOOKUP = {_norm(a): key for key, aliases in HEADER_ALIASES.items() for a in aliases}
_MARK_COUNT = re.compile(
    r"^(?:(?:кол-во|кол во|количество|число)\s+)?"
    r"(?:(?:отметок|отметки|отметка|оценок|оценки|оценка)\s+)?(?:на\s+)?([2-5])$"
    r"|^(?:marks|n|count)\s?([2-5])$"
)


def header_field(text: object) -> str | None:
    """The canonical field a header names: «Кол-во «2»» → ``n2``, «Параллель» → ``grade``."""
    norm = _norm(text)
    if norm in _HEADER_LOOKUP:
        return _HEADER_LOOKUP[norm]
    match = _MARK_COUNT.match(norm)
    if match:
        return "n" + (match.group(1) or match.group(2))
    return None


# ---------------------------------------------------------------- values


OK, MISSING, BAD, RANGE = 0, 1, 2, 3


def _norm_subject(text: str) -> str:
    value = text.lower().replace("ё", "е")
    value = re.sub(r"[().,\-–—_/:]", " ", value)
    return " ".join(value.split())


_SUBJECT_ALIASES = {
    "Русский язык": ["русский", "рус яз", "русск яз", "рус язык", "russian"],
    "Математика": ["матем", "мат", "math", "mathematics"],
    "Математика (базовая)": [
        "математика базовая",
        "базовая математика",
        "математика база",
        "математика базовый уровень",
        "математика б",
    ],
    "Математика (профильная)": [
        "математика профильная",
        "профильная математика",
        "математика профиль",
        "математика профильный уровень",
        "математика п",
    ],
    "Окружающий мир": ["окр мир", "окружающий", "world around us"],
    "История": ["history", "история россии"],
    "Обществознание": ["общество", "обществ", "social studies"],
    "География": ["геогр", "geography"],
    "Биология": ["биол", "biology"],
    "Физика": ["physics"],
    "Химия": ["chemistry"],
    "Информатика": ["информатика и икт", "информ", "computer science", "informatics"],
    "Английский язык": ["английский", "англ яз", "англ язык", "english"],
    "Немецкий язык": ["немецкий", "нем яз", "german"],
    "Французский язык": ["французский", "франц яз", "french"],
    "Испанский язык": ["испанский", "spanish"],
    "Китайский язык": ["китайский", "chinese"],
    "Иностранный язык": ["иностранный", "ин яз", "иняз"],
    "Литература": ["лит ра", "литер", "literature"],
    "Литературное чтение": ["лит чтение", "литчтение"],
}
_SUBJECT_LOOKUP = {_norm_subject(s): i for i, s in enumerate(SUBJECTS)}
for _subject, _aliases in _SUBJECT_ALIASES.items():
    for _alias in _aliases:
        _SUBJECT_LOOKUP[_norm_subject(_alias)] = SUBJECTS.index(_subject)

_PROCEDURE_LOOKUP = {
    "ВПР": 0,
    "VPR": 0,
    "ОГЭ": 1,
    "OGE": 1,
    "ЕГЭ": 2,
    "EGE": 2,
    "РМ": 3,
    "RM": 3,
    "РЕГИОНАЛЬНЫЙ МОНИТОРИНГ": 3,
    "РЕГ МОНИТОРИНГ": 3,
    "МОНИТОРИНГ": 3,
}
_GRADE = re.compile(r"^(\d{1,2})\s*(?:класс|кл\.?|-?й)?$", re.IGNORECASE)


def subject_name(text: str) -> str | None:
    """«матем.» → «Математика», «Математика (профильная)» stays itself; unknown → None."""
    index = _SUBJECT_LOOKUP.get(_norm_subject(text))
    return None if index is None else SUBJECTS[index]


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _integer(text: str, low: int, high: int | None) -> tuple[int, int]:
    value = _number(text)
    if value is None or not value.is_integer():
        return 0, BAD
    value = int(value)
    if value < low or (high is not None and value > high):
        return 0, RANGE
    return value, OK


def _parse_year(text: str) -> tuple[int, int]:
    return _integer(text, MIN_YEAR, MAX_YEAR)


def _parse_procedure(text: str) -> tuple[int, int]:
    key = " ".join(text.upper().replace("Ё", "Е").replace(".", " ").split())
    index = _PROCEDURE_LOOKUP.get(key)
    return (0, BAD) if index is None else (index, OK)


def _parse_grade(text: str) -> tuple[int, int]:
    match = _GRADE.match(text)
    if not match:
        return _integer(text, 1, 11)
    value = int(match.group(1))
    return (value, OK) if 1 <= value <= 11 else (0, RANGE)


def _parse_subject(text: str) -> tuple[int, int]:
    index = _SUBJECT_LOOKUP.get(_norm_subject(text))
    return (0, BAD) if index is None else (index, OK)


def _parse_score(text: str) -> tuple[float, int]:
    value = _number(text)
    if value is None:
        return 0.0, BAD
    return (value, OK) if value >= 0 else (0.0, RANGE)


def _parse_mark(text: str) -> tuple[int, int]:
    return _integer(text, 2, 5)


def _parse_count(text: str) -> tuple[int, int]:
    return _integer(text, 0, None)


_PARSERS: dict[str, Callable[[str], tuple]] = {
    "year": _parse_year,
    "procedure": _parse_procedure,
    "grade": _parse_grade,
    "subject": _parse_subject,
    "primary_score": _parse_score,
    "mark": _parse_mark,
    "term_mark": _parse_mark,
    "participants": _parse_count,
    "n2": _parse_count,
    "n3": _parse_count,
    "n4": _parse_count,
    "n5": _parse_count,
}

# A person's name where a code belongs: Cyrillic without digits («Иванов», «Иванов И.И.»),
# or two words of letters in a row («Иванов Иван 5А», «Ivan Petrov»).
_NAME_LIKE = r"^[^0-9]*[А-Яа-яЁё][^0-9]*$|[А-Яа-яЁёA-Za-z]{2,}\.?\s+[А-Яа-яЁёA-Za-z]"


# ---------------------------------------------------------------- reasons


def _reason(key: str, status: int, raw: str) -> str:
    label = LABELS[key]
    if status == MISSING:
        return f"не заполнено поле «{label}»"
    if key == "school_code":
        return f"неизвестный код ОО «{raw}»"
    if key == "pupil_code":
        return "в поле «Код участника» похоже на имя человека — нужен код участника, а не ФИО"
    if key == "procedure":
        return f"неизвестная процедура «{raw}» (нужна ВПР, ОГЭ, ЕГЭ или РМ)"
    if key == "subject":
        return f"неизвестный предмет «{raw}»"
    if status == BAD:
        return f"не число в поле «{label}»: «{raw}»"
    ranges = {
        "year": f"от {MIN_YEAR} до {MAX_YEAR}",
        "grade": "от 1 до 11",
        "mark": "от 2 до 5",
        "term_mark": "от 2 до 5",
    }
    expected = ranges.get(key, "не меньше 0")
    return f"значение «{raw}» в поле «{label}» вне диапазона: нужно {expected}"


_KIND_NAMES = {
    MISSING: "не заполнено поле",
    BAD: "неверное значение",
    RANGE: "значение вне диапазона",
}


def _reason_kind(key: str, status: int) -> str:
    if key == "school_code" and status == BAD:
        return "неизвестный код ОО"
    if key == "pupil_code" and status == BAD:
        return "ФИО вместо кода участника"
    if key == "subject" and status == BAD:
        return "неизвестный предмет"
    if key == "procedure" and status == BAD:
        return "неизвестная процедура"
    return f"{_KIND_NAMES[status]} «{LABELS[key]}»"


DUPLICATE_KIND = "повтор участника"
DUPLICATE_CELL_KIND = "повтор строки ОО, класса и предмета"
SUM_KIND = "участников не равно сумме отметок"
BROKEN_KIND = "неверное число столбцов"
