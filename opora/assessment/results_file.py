"""Reading assessment result files: pupil-level or school-level, CSV or XLSX, fast.

A pupil-level file has one row per pupil and subject, for example (``;``-separated, UTF-8 or
Windows-1251, headers in any order and case, Russian or English)::

    Год;Процедура;Код ОО;Класс;Предмет;Код участника;Первичный балл;Отметка;Отметка по журналу
    2024;ВПР;700901;5;Математика;10023;9;3;4
    2024;ВПР;700901;5;матем.;10024;3;2;

A school-level file gives the distribution of marks instead of pupils::

    Год;Процедура;Код ОО;Класс;Предмет;Участников;Кол-во «2»;Кол-во «3»;Кол-во «4»;Кол-во «5»
    2024;ВПР;700901;5;Русский язык;31;4;12;10;5

:func:`read_results` returns the valid rows as a normalised ``pyarrow.Table`` and every
rejected row with its line number and a reason in Russian. A file that cannot be read at all
(no header, a required column missing, binary garbage, a zip bomb) raises
:class:`ResultsFileError`.

Why it is fast (≥ 1 million rows per second): pyarrow's multi-threaded CSV reader parses
the number columns as numbers and the code and name columns straight into dictionary arrays,
so each distinct text («Математика», «700901») is judged once in Python and the verdict is
spread over the rows with numpy; ranges are checked with vectorised comparisons; the pupil
code stays one string column, screened with vectorised kernels. When a number column holds
text («5 класс», «12,5»), the file is read again with every column as dictionary text and
each distinct value parsed in Python — same outcome, a little slower. Duplicates are found
by sorting a 64-bit hash of (cell, pupil code) and checking the rare collisions exactly; a
duplicate is the same pupil code in the same year, procedure, school, grade and subject (ВПР
codes are unique within a school only). A clean file builds no per-row status arrays.

Line numbers assume one record per physical line (a quoted value containing a line break
shifts the numbers of the lines after it).
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from opora.core.intake.encodings import decode_head, strip_invisible
from opora.core.intake.files import UploadError, unpacked_limit
from opora.core.intake.sniff import sniff_head
from opora.core.intake.tables import cell_text
from opora.core.intake.zipguard import check_zip

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


# ---------------------------------------------------------------- reading


def read_results(
    data: bytes | str | os.PathLike,
    filename: str,
    known_codes: set[str] | None,
    *,
    on_read: Callable[[float], None] | None = None,
) -> ReadResult:
    """Read a pupil-level or school-level results file and validate every row.

    ``data`` is the file's bytes or a path (a path is read without loading it whole);
    ``filename`` is only a hint for messages; ``known_codes`` are the registry's school
    codes (``None`` accepts any code); ``on_read`` is told the share of a CSV file read so
    far (0…1, from the reader's thread) for a progress bar. Example of a pupil row:
    «2024;ВПР;700901;5;Математика;10023;9;3;4».
    """
    source = _Source(data, on_read)
    try:
        if source.size == 0 or not source.head.strip():
            raise ResultsFileError("Файл пустой.")
        kind = sniff_head(source.head)
        if kind == "xlsx":
            raw = _read_xlsx(source.whole())
        elif kind == "text":
            raw = _read_csv(source)
        elif kind == "ole":
            raise ResultsFileError(
                "Файл в старом формате Excel (.xls) или защищён паролем. "
                "Сохраните его как .xlsx без пароля или как CSV."
            )
        else:
            name = f"«{filename}» " if filename else ""
            raise ResultsFileError(f"Файл {name}не CSV и не книга Excel (.xlsx).")
    finally:
        source.close()
    return _validate(raw, known_codes)


class _Source:
    """The file's bytes: given, or memory-mapped from a path (no copy of a large file)."""

    HEAD = 1 << 20

    def __init__(self, data, on_read: Callable[[float], None] | None = None):
        self.on_read = on_read
        self._watchers: list[threading.Thread] = []
        self._file = self._map = None
        if isinstance(data, (bytes, bytearray, memoryview)):
            self.data = bytes(data) if not isinstance(data, bytes) else data
            self.path = None
        else:
            self.path = Path(data)
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed in close()
            size = os.fstat(self._file.fileno()).st_size
            self.data = b""
            if size:
                self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self.size = len(self._map) if self._map is not None else len(self.data)
        self.head = self._map[: self.HEAD] if self._map is not None else self.data[: self.HEAD]

    def whole(self) -> bytes:
        return self._map[:] if self._map is not None else self.data

    def stream(self, offset: int):
        """A pyarrow input stream positioned at ``offset``."""
        if self.path is not None:
            handle = pa.OSFile(str(self.path), "rb")
            handle.seek(offset)
            if self.on_read is not None:
                self._watchers.append(_watch(handle, self.size, self.on_read))
            return handle
        return pa.BufferReader(pa.py_buffer(self.data)[offset:])

    def find(self, needle: bytes, start: int) -> int:
        target = self._map if self._map is not None else self.data
        return target.find(needle, start)

    def close(self) -> None:
        for watcher in self._watchers:  # their streams are closed: each reports 1.0 and ends
            with watcher.closed:
                watcher.closed.notify_all()
            watcher.join()
        if self._map is not None:
            self._map.close()
        if self._file is not None:
            self._file.close()


def _watch(handle, size: int, report: Callable[[float], None]) -> threading.Thread:
    """Tell ``report`` how far the reader is in the file, twice a second, until the stream
    is closed. The position is asked of the file descriptor (the CSV reader reads it in
    8 MB blocks just ahead of parsing them): no wrapper between the reader and the file."""
    descriptor, size = handle.fileno(), max(size, 1)

    def watch() -> None:
        while not handle.closed:
            try:
                report(min(os.lseek(descriptor, 0, os.SEEK_CUR) / size, 1.0))
            except OSError:
                break
            with handle_closed:
                handle_closed.wait_for(lambda: handle.closed, timeout=0.5)
        report(1.0)

    handle_closed = threading.Condition()
    thread = threading.Thread(target=watch, daemon=True, name="results-progress")
    thread.start()
    thread.closed = handle_closed
    return thread


@dataclass
class _Raw:
    """Columns as read (strings or dictionary strings) with the file line of each row."""

    kind: str
    table: pa.Table
    lines: _Lines
    broken: list[tuple[int, str]]
    encoding: str = ""
    delimiter: str = ""


def _decode_head(head: bytes) -> tuple[str, str]:
    try:
        return decode_head(head)
    except UploadError as exc:
        raise ResultsFileError(
            "Не удалось определить кодировку файла: сохраните его в UTF-8."
        ) from exc


def _find_header(lines: list[list[str]]) -> tuple[int, list[str | None]]:
    """The first of the leading lines naming at least three known columns."""
    for index, cells in enumerate(lines[:HEADER_SEARCH_LINES]):
        fields = [header_field(c) for c in cells]
        if sum(f is not None for f in fields) >= 3:
            return index, fields
    raise ResultsFileError(
        "Не найдена строка заголовков. Нужны столбцы: "
        + ", ".join(f"«{LABELS[k]}»" for k in PUPIL_REQUIRED)
        + " (или для данных по школам — «Участников» и «Кол-во «2»» … «Кол-во «5»»)."
    )


def _check_columns(fields: list[str | None]) -> str:
    present = [f for f in fields if f]
    seen = set()
    for f in present:
        if f in seen:
            raise ResultsFileError(f"Столбец «{LABELS[f]}» встречается в заголовке дважды.")
        seen.add(f)
    if "pupil_code" in seen or "mark" in seen or "primary_score" in seen:
        kind, required = "pupil", PUPIL_REQUIRED
    elif seen & {"participants", "n2", "n3", "n4", "n5"}:
        kind, required = "school", SCHOOL_REQUIRED
    else:
        kind, required = "pupil", PUPIL_REQUIRED
    missing = [k for k in required if k not in seen]
    if missing:
        raise ResultsFileError(
            "В файле нет обязательных столбцов: " + ", ".join(f"«{LABELS[k]}»" for k in missing)
        )
    return kind


def _read_csv(source: _Source) -> _Raw:
    head_text, encoding = _decode_head(source.head)
    head_lines = head_text.split("\n")[: HEADER_SEARCH_LINES + 1]
    delimiter = _delimiter(head_lines)
    parsed = [_split_line(line, delimiter) for line in head_lines[:HEADER_SEARCH_LINES]]
    header_index, fields = _find_header(parsed)
    kind = _check_columns(fields)
    offset = _data_offset(source, header_index)
    if offset >= source.size:
        raise ResultsFileError("В файле нет строк с результатами — только заголовок.")
    reader = _CsvReader(source, offset, fields, delimiter)
    table, encoding = reader.read("utf8" if encoding == "utf-8" else "cp1251", encoding)
    first_line = header_index + 2  # 1-based line of the first data row
    numbered = [(first_line - 1 + n, t) for n, t in zip(reader.numbers, reader.broken, strict=True)]
    lines = _Lines(first_line)
    if numbered:
        every = np.arange(first_line, first_line + table.num_rows + len(numbered))
        skipped = np.isin(every, [n for n, _ in numbered])
        lines = _Lines(explicit=every[~skipped][: table.num_rows])
    return _Raw(kind, table, lines, numbered, encoding, delimiter)


def _data_offset(source: _Source, header_index: int) -> int:
    """Byte offset of the first data line: raw newlines counted (the encoding may be cp1251)."""
    offset = 0
    for _ in range(header_index + 1):
        offset = source.find(b"\n", offset) + 1
        if offset == 0:
            return source.size
    return offset


class _CsvReader:
    """pyarrow's CSV reader over the data lines, with explicit column types.

    First numbers are read as numbers (cheapest to parse); any odd text («5 класс», «12,5»)
    makes pyarrow refuse the block, and then every column is read as dictionary text and
    each distinct value is judged in Python. Broken lines (a wrong number of columns) are
    skipped and remembered with their line numbers.
    """

    def __init__(self, source: _Source, offset: int, fields: list[str | None], delimiter: str):
        self.source, self.offset, self.delimiter = source, offset, delimiter
        self.names = [f or f"_skip{i}" for i, f in enumerate(fields)]
        self.wanted = [f for f in fields if f]
        dictionary = pa.dictionary(pa.int32(), pa.string())
        self.typed = {f: _FAST_TYPES.get(f, dictionary) for f in self.wanted}
        self.texts = {f: (pa.string() if f == "pupil_code" else dictionary) for f in self.wanted}
        self.broken: list[str] = []
        self.numbers: list[int | None] = []

    def read(self, codec: str, encoding: str) -> tuple[pa.Table, str]:
        """The table and the encoding it was read in (refused files raise in Russian)."""
        try:
            try:
                return self._attempt(self.typed, codec), encoding
            except pa.ArrowInvalid as exc:
                if len(self.broken) > MAX_BROKEN_LINES:
                    raise
                if codec == "utf8" and "utf" in str(exc).lower():
                    # The sample looked like UTF-8 but the file is not: Windows-1251 it is.
                    codec = encoding = "cp1251"
                return self._attempt(self.texts, codec), encoding
        except pa.ArrowInvalid as exc:
            raise self._refusal(exc) from exc

    def _refusal(self, exc: pa.ArrowInvalid) -> ResultsFileError:
        if len(self.broken) > MAX_BROKEN_LINES:
            return ResultsFileError(
                "Строки файла не совпадают с заголовком по числу столбцов — проверьте "
                "разделитель и формат файла."
            )
        if "Empty CSV" in str(exc):
            return ResultsFileError("В файле нет строк с результатами — только заголовок.")
        return ResultsFileError(f"Файл CSV не удалось прочитать: {exc}")

    def _attempt(self, types: dict, codec: str) -> pa.Table:
        table = self._read(types, True, codec)
        if self.broken:
            # Only a single-threaded read knows the line of a broken row; rare, so re-read.
            table = self._read(types, False, codec)
        return table

    def _on_broken(self, row) -> str:
        # Not the line's text: a broken line may well hold a pupil's name.
        self.broken.append(f"столбцов {row.actual_columns} вместо {row.expected_columns}")
        self.numbers.append(row.number)
        return "skip" if len(self.broken) <= MAX_BROKEN_LINES else "error"

    def _read(self, types: dict, threads: bool, codec: str) -> pa.Table:
        self.broken.clear()
        self.numbers.clear()
        with self.source.stream(self.offset) as stream:
            return pa_csv.read_csv(
                stream,
                read_options=pa_csv.ReadOptions(
                    column_names=self.names,
                    use_threads=threads,
                    block_size=8 << 20,
                    encoding=codec,
                ),
                parse_options=pa_csv.ParseOptions(
                    delimiter=self.delimiter,
                    ignore_empty_lines=False,  # keeps row i on line header + 1 + i
                    invalid_row_handler=self._on_broken,
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types=types,
                    include_columns=self.wanted,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )


_FAST_TYPES = {
    "year": pa.int16(),
    "grade": pa.int8(),
    "pupil_code": pa.string(),
    "primary_score": pa.float32(),
    "mark": pa.int8(),
    "term_mark": pa.int8(),
    "participants": pa.int32(),
    "n2": pa.int32(),
    "n3": pa.int32(),
    "n4": pa.int32(),
    "n5": pa.int32(),
}


def _delimiter(lines: list[str]) -> str:
    best, best_score = ";", -1
    for candidate in (";", ",", "\t"):
        score = max(
            (
                sum(header_field(c) is not None for c in _split_line(line, candidate))
                for line in lines[:HEADER_SEARCH_LINES]
            ),
            default=0,
        )
        if score > best_score:
            best, best_score = candidate, score
    return best


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
    except csv.Error:
        return line.rstrip("\r").split(delimiter)


def _read_xlsx(data: bytes) -> _Raw:
    import openpyxl

    _check_zip(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise ResultsFileError("Книга Excel повреждена и не открывается.") from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        leading = []
        for row in rows:
            leading.append(["" if v is None else cell_text(v) for v in row])
            if len(leading) >= HEADER_SEARCH_LINES:
                break
        header_index, fields = _find_header(leading)
        kind = _check_columns(fields)
        positions = [(i, f) for i, f in enumerate(fields) if f]
        columns: dict[str, list] = {f: [] for _, f in positions}
        lines: list[int] = []

        def add(line: int, row) -> None:
            for i, f in positions:
                value = row[i] if i < len(row) else None
                text = None if value is None else cell_text(value).strip()
                columns[f].append(text or None)
            lines.append(line)

        for index in range(header_index + 1, len(leading)):
            add(index + 1, leading[index])
        for offset, row in enumerate(rows, start=len(leading) + 1):
            add(offset, row)
    finally:
        book.close()
    table = pa.table(
        {
            f: pa.array(values, pa.string())
            if f == "pupil_code"
            else pa.array(values, pa.string()).dictionary_encode()
            for f, values in columns.items()
        }
    )
    return _Raw(kind, table, _Lines(explicit=np.asarray(lines)), [], "xlsx", "")


def _check_zip(data: bytes) -> None:
    """The shared zip guard (every member, bounded unpacking), then: is it a workbook?"""
    try:
        archive = check_zip(
            data,
            unpacked_limit("results"),
            damaged="Файл повреждён: его не удалось открыть как книгу Excel.",
        )
    except UploadError as exc:
        raise ResultsFileError(str(exc)) from exc
    if "xl/workbook.xml" not in archive.namelist():
        raise ResultsFileError("Архив не является книгой Excel (.xlsx).")


# ---------------------------------------------------------------- validation


class _Lines:
    """File line of each row: ``first + row`` unless rows were skipped (then an array)."""

    def __init__(self, first: int = 0, explicit: np.ndarray | None = None):
        self.first, self.explicit = first, explicit

    def __getitem__(self, row: int) -> int:
        return int(self.explicit[row]) if self.explicit is not None else self.first + int(row)


def _map_dictionary(column: pa.ChunkedArray, parse, dtype, n: int):
    """Parse each distinct text once and spread the verdicts over the rows.

    Returns the values and the per-row status, or ``None`` for the status when every row is
    fine (the common case costs one gather per chunk and nothing more).
    """
    values = np.empty(n, dtype=dtype)
    status = None
    cache: dict[str, tuple] = {}
    position = 0
    for chunk in column.chunks:
        if not pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_encode()
        texts = chunk.dictionary.to_pylist()
        chunk_values = np.zeros(len(texts) + 1, dtype=dtype)
        chunk_status = np.full(len(texts) + 1, MISSING, dtype=np.uint8)
        for j, text in enumerate(texts):
            verdict = cache.get(text)
            if verdict is None:
                stripped = text.strip()
                verdict = parse(stripped) if stripped else (0, MISSING)
                cache[text] = verdict
            chunk_values[j], chunk_status[j] = verdict
        indices = chunk.indices
        if chunk.null_count:
            indices = pc.fill_null(indices, len(texts))
        indices = indices.to_numpy()
        end = position + len(indices)
        np.take(chunk_values, indices, out=values[position:end])
        if chunk.null_count or chunk_status[:-1].any():
            if status is None:
                status = np.zeros(n, dtype=np.uint8)
            np.take(chunk_status, indices, out=status[position:end])
        position = end
    return values, status


_BOUNDS = {
    "year": (MIN_YEAR, MAX_YEAR),
    "grade": (1, 11),
    "mark": (2, 5),
    "term_mark": (2, 5),
}


def _check_numbers(column: pa.ChunkedArray, key: str):
    """Values and status of a column pyarrow already parsed as numbers."""
    values = (pc.fill_null(column, 0) if column.null_count else column).to_numpy()
    dtype = _DTYPES[key]
    values = values.astype(dtype, copy=False)
    low, high = _BOUNDS.get(key, (0, None))
    bad = values < low
    if high is not None:
        bad |= values > high
    if column.null_count:
        missing = column.is_null().to_numpy(zero_copy_only=False)
        bad &= ~missing
    else:
        missing = None
    not_finite = None
    if values.dtype.kind == "f":
        not_finite = ~np.isfinite(values)
    if not bad.any() and missing is None and (not_finite is None or not not_finite.any()):
        return values, None
    status = np.where(bad, RANGE, OK).astype(np.uint8)
    if not_finite is not None:
        status[not_finite] = BAD
    if missing is not None:
        status[missing] = MISSING
        if values.dtype.kind == "f":
            values = values.copy()  # arrow's buffer is read-only
            values[missing] = 0
    return values, status


def _parse_school(known: set[str] | None, code_ids: dict[str, int], codes: list[str]):
    def parse(code: str) -> tuple[int, int]:
        code = strip_invisible(code)  # «700901\u200b» pasted from a web page is 700901
        if code not in code_ids:
            code_ids[code] = len(codes)
            codes.append(code)
        return code_ids[code], OK if known is None or code in known else BAD

    return parse


def _check_pupil_codes(column: pa.ChunkedArray):
    """Trimmed codes, status per row (missing, or a person's name instead of a code) and a
    64-bit number per code for the duplicate search."""
    status = None
    if column.null_count:
        status = np.zeros(len(column), dtype=np.uint8)
        status[column.is_null().to_numpy(zero_copy_only=False)] = MISSING
    try:
        # All digits (the usual ВПР code): nothing can look like a name, skip the screens.
        numeric = pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numeric = None
    if numeric is None:
        # Cheap vectorised screen: plain ASCII codes without spaces need no further look.
        suspicious = pc.or_(pc.invert(pc.string_is_ascii(column)), pc.match_substring(column, " "))
        if pc.any(suspicious).as_py():
            rows = np.flatnonzero(pc.fill_null(suspicious, False).to_numpy(zero_copy_only=False))
            values = column.take(pa.array(rows))
            trimmed = pc.utf8_trim_whitespace(values)
            if status is None:
                status = np.zeros(len(column), dtype=np.uint8)
            if not pc.all(pc.equal(values, trimmed)).as_py():
                column = pc.utf8_trim_whitespace(column)
                emptied = pc.fill_null(pc.equal(trimmed, ""), False)
                status[rows[emptied.to_numpy(zero_copy_only=False)]] = MISSING
            named = pc.fill_null(pc.match_substring_regex(trimmed, _NAME_LIKE), False)
            status[rows[named.to_numpy(zero_copy_only=False)]] = BAD
        import duckdb

        frame = pa.table({"p": column})  # noqa: F841 - read by DuckDB by name
        with duckdb.connect() as con:
            numeric = con.sql("SELECT hash(p) AS h FROM frame").to_arrow_table()["h"]
    if numeric.null_count:
        numeric = pc.fill_null(numeric, 0)
    return column, status, numeric.to_numpy().view(np.uint64)


_DTYPES = {
    "year": np.int16,
    "procedure": np.int8,
    "grade": np.int8,
    "subject": np.int8,
    "primary_score": np.float32,
    "mark": np.int8,
    "term_mark": np.int8,
    "participants": np.int32,
    "n2": np.int32,
    "n3": np.int32,
    "n4": np.int32,
    "n5": np.int32,
}
_OPTIONAL = {"term_mark"}


@dataclass
class _Columns:
    """Parsed values and per-row status of each column (``None``: every row is fine)."""

    values: dict[str, np.ndarray]
    statuses: dict[str, np.ndarray | None]
    codes: list[str]
    pupil_codes: pa.ChunkedArray | None = None
    pupil_hash: np.ndarray | None = None


@dataclass
class _Verdicts:
    """Row-level findings beyond the per-field statuses: row → reason, row → reason kind."""

    reasons: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    def add(self, row: int, reason: str, kind: str) -> None:
        self.reasons[row] = reason
        self.kinds[row] = kind


def _validate(raw: _Raw, known_codes: set[str] | None) -> ReadResult:
    table, n = raw.table, raw.table.num_rows
    parsed = _parse_columns(table, known_codes)
    statuses = parsed.statuses
    blank = _blank_rows(statuses)
    _allow_optional(statuses)
    keep = ~blank if blank is not None else None
    order = list(statuses)
    code = _status_code(statuses, order, n, blank)
    verdicts = _check_rows(raw.kind, parsed, keep, raw.lines)
    valid, rejected_rows = _valid_rows(code, verdicts, keep, n)
    counts = _count_reasons(statuses, order, code, verdicts, raw.broken)
    listed = _rejections(
        table, rejected_rows[:MAX_LISTED_REJECTIONS], code, order, raw.lines, verdicts.reasons
    )
    listed.extend(Rejection(line, f"{BROKEN_KIND}: {text}") for line, text in raw.broken)
    listed.sort(key=lambda r: r.line)
    del listed[MAX_LISTED_REJECTIONS:]
    values, codes = parsed.values, parsed.codes
    return ReadResult(
        kind=raw.kind,
        table=_normalised(raw.kind, values, codes, parsed.pupil_codes, valid),
        rejected=listed,
        rows_total=(n if keep is None else int(np.count_nonzero(keep))) + len(raw.broken),
        years=_present(values["year"], valid, MIN_YEAR),
        procedures=[PROCEDURES[p] for p in _present(values["procedure"], valid, 0)],
        schools=len(codes) if valid is None else len(_present(values["school_code"], valid, 0)),
        rejected_total=len(rejected_rows) + len(raw.broken),
        rejected_counts=counts,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
    )


def _parse_columns(table: pa.Table, known_codes: set[str] | None) -> _Columns:
    """Each column's values and status: numbers checked in place, texts parsed once per
    distinct value, pupil codes screened."""
    n = table.num_rows
    parsed = _Columns(values={}, statuses={}, codes=[])
    school_parse = _parse_school(known_codes, {}, parsed.codes)
    for key in table.column_names:
        column = table[key]
        if key == "pupil_code":
            parsed.pupil_codes, parsed.statuses[key], parsed.pupil_hash = _check_pupil_codes(column)
        elif not pa.types.is_dictionary(column.type) and not pa.types.is_string(column.type):
            parsed.values[key], parsed.statuses[key] = _check_numbers(column, key)
        elif key == "school_code":
            parsed.values[key], parsed.statuses[key] = _map_dictionary(
                column, school_parse, np.int32, n
            )
        else:
            parsed.values[key], parsed.statuses[key] = _map_dictionary(
                column, _PARSERS[key], _DTYPES[key], n
            )
    return parsed


def _blank_rows(statuses: dict[str, np.ndarray | None]) -> np.ndarray | None:
    """Rows with nothing at all (trailing «;;;;» lines, blank lines) are not data; a column
    without a single gap proves there are none."""
    if any(s is None for s in statuses.values()):
        return None
    return np.logical_and.reduce([s == MISSING for s in statuses.values()])


def _allow_optional(statuses: dict[str, np.ndarray | None]) -> None:
    """An empty journal mark is allowed."""
    for key in _OPTIONAL & set(statuses):
        status = statuses[key]
        if status is not None:
            status[status == MISSING] = OK
            if not status.any():
                statuses[key] = None


def _status_code(statuses, order: list[str], n: int, blank) -> np.ndarray | None:
    """Every field's status of a row packed in one number (two bits a field), 0 = fine."""
    code = None
    for k, key in enumerate(order):
        status = statuses[key]
        if status is None:
            continue
        if code is None:
            code = np.zeros(n, dtype=np.uint32)
        code |= status.astype(np.uint32) << np.uint32(2 * k)
    if code is not None and blank is not None:
        code[blank] = 0
    return code


def _all_ok(statuses, keys, start: np.ndarray | None) -> np.ndarray | None:
    """``start`` narrowed to the rows whose given fields are fine (``None``: every row)."""
    mask = start
    for key in keys:
        if statuses[key] is not None:
            ok = statuses[key] == OK
            mask = ok if mask is None else mask & ok
    return mask


def _check_rows(kind: str, parsed: _Columns, keep, lines) -> _Verdicts:
    """Repeated pupils (pupil rows), or sums and repeated cells (school rows)."""
    verdicts = _Verdicts()
    key_fields = ["year", "procedure", "school_code", "grade", "subject"]
    if kind == "pupil":
        eligible = _all_ok(parsed.statuses, [*key_fields, "pupil_code"], keep)
        _find_duplicate_pupils(
            parsed.values,
            pupil_codes=parsed.pupil_codes,
            pupil=parsed.pupil_hash,
            eligible=eligible,
            lines=lines,
            verdicts=verdicts,
        )
        return verdicts
    _check_sums(parsed, keep, verdicts)
    eligible = _all_ok(parsed.statuses, key_fields, keep)
    cell = _cell_key(parsed.values, parsed.values["school_code"])
    _find_duplicate_cells(cell, eligible, lines, verdicts)
    return verdicts


def _check_sums(parsed: _Columns, keep, verdicts: _Verdicts) -> None:
    values = parsed.values
    sums = values["n2"] + values["n3"] + values["n4"] + values["n5"]
    counted = keep if keep is not None else np.ones(len(sums), dtype=bool)
    counted = _all_ok(parsed.statuses, ("participants", "n2", "n3", "n4", "n5"), counted)
    for row in np.flatnonzero(counted & (sums != values["participants"])).tolist():
        verdicts.add(
            row,
            f"участников {values['participants'][row]}, а сумма отметок «2»–«5» равна {sums[row]}",
            SUM_KIND,
        )


def _valid_rows(code, verdicts: _Verdicts, keep, n: int):
    """The mask of valid rows (``None``: all of them, no copies at all) and the rejected rows."""
    rejected_mask = code != 0 if code is not None else None
    if verdicts.reasons:
        if rejected_mask is None:
            rejected_mask = np.zeros(n, dtype=bool)
        rejected_mask[list(verdicts.reasons)] = True
    if rejected_mask is None and keep is None:
        return None, np.empty(0, dtype=np.int64)
    if rejected_mask is None:
        rejected_mask = np.zeros(n, bool)
    valid = ~rejected_mask if keep is None else keep & ~rejected_mask
    return valid, np.flatnonzero(rejected_mask)


def _count_reasons(statuses, order, code, verdicts: _Verdicts, broken) -> dict[str, int]:
    """Rows rejected, by kind of reason (a row may count under several)."""
    counts: dict[str, int] = {}
    for k, key in enumerate(order):
        if statuses[key] is None:
            continue
        field_status = (code >> np.uint32(2 * k)) & np.uint32(3)
        for status_value, hits in enumerate(np.bincount(field_status, minlength=4).tolist()):
            if status_value and hits:
                name = _reason_kind(key, status_value)
                counts[name] = counts.get(name, 0) + hits
    for name in verdicts.kinds.values():
        counts[name] = counts.get(name, 0) + 1
    if broken:
        counts[BROKEN_KIND] = len(broken)
    return counts


def _present(array: np.ndarray, valid: np.ndarray | None, offset: int) -> list[int]:
    """Distinct small non-negative values (after ``offset``) among the valid rows."""
    array = array if valid is None else array[valid]
    if not len(array):
        return []
    low = int(array.min())
    if low == int(array.max()):
        return [low]
    counts = np.bincount(array.astype(np.int64) - offset)
    return [int(v) + offset for v in np.flatnonzero(counts)]


def _cell_key(values: dict, school_ids: np.ndarray) -> np.ndarray:
    """One uint64 per (year, procedure, school, grade, subject), computed in place."""
    key = school_ids.astype(np.uint64)
    # Unsigned views keep numpy in the uint64 loop (uint64 + int8 would go through float64).
    key *= np.uint64(16)
    key += values["grade"].view(np.uint8)
    key *= np.uint64(len(SUBJECTS))
    key += values["subject"].view(np.uint8)
    # Year and procedure are nearly always constant within a file: skip them then.
    year, procedure = values["year"], values["procedure"]
    if year.min() != year.max():
        key *= np.uint64(MAX_YEAR - MIN_YEAR + 1)
        key += (year - np.int16(MIN_YEAR)).view(np.uint16)
    if procedure.min() != procedure.max():
        key *= np.uint64(len(PROCEDURES))
        key += procedure.view(np.uint8)
    return key


_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xC2B2AE3D27D4EB4F)


def _mixed(cell: np.ndarray, pupil: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        cell *= _MIX_B
        cell ^= pupil
        cell *= _MIX_A
        cell ^= cell >> np.uint64(31)
    return cell


def _find_duplicate_pupils(values, *, pupil_codes, pupil, eligible, lines, verdicts) -> None:
    """Rows repeating a pupil in one (year, procedure, school, grade, subject)."""
    if len(pupil_codes) < 2:
        return
    school_ids = values["school_code"]
    mixed = _mixed(_cell_key(values, school_ids), pupil)
    if eligible is not None:
        mixed = mixed[eligible]
    mixed.sort()
    if not (mixed[1:] == mixed[:-1]).any():
        return
    repeated = np.unique(mixed[1:][mixed[1:] == mixed[:-1]])
    # Recompute unsorted (rare path) and check the colliding rows exactly.
    cell = _cell_key(values, school_ids)
    all_mixed = _mixed(cell.copy(), pupil)
    hit = np.isin(all_mixed, repeated)
    if eligible is not None:
        hit &= eligible
    candidates = np.flatnonzero(hit)
    texts = pupil_codes.take(pa.array(candidates)).to_pylist()
    groups: dict[tuple[int, str], list[int]] = {}
    for row, text in zip(candidates.tolist(), texts, strict=True):
        groups.setdefault((int(cell[row]), text), []).append(row)
    for (_, text), members in groups.items():
        if len(members) < 2:
            continue
        shown = ", ".join(str(lines[m]) for m in members[:5])
        more = f" и ещё {len(members) - 5}" if len(members) > 5 else ""
        reason = (
            f"участник «{text}» повторяется в строках {shown}{more} "
            "(тот же год, процедура, ОО, класс и предмет)"
        )
        for m in members:
            verdicts.add(m, reason, DUPLICATE_KIND)


def _find_duplicate_cells(cell, eligible, lines, verdicts: _Verdicts) -> None:
    rows = np.flatnonzero(eligible) if eligible is not None else np.arange(len(cell))
    _, inverse, counts = np.unique(cell[rows], return_inverse=True, return_counts=True)
    for group in np.flatnonzero(counts > 1):
        members = rows[inverse == group].tolist()
        shown = ", ".join(str(lines[m]) for m in members[:5])
        reason = f"строки {shown} повторяют одну и ту же ОО, класс, предмет и процедуру"
        for m in members:
            verdicts.add(m, reason, DUPLICATE_CELL_KIND)


def _rejections(table, rows, code, order, lines, extra) -> list[Rejection]:
    if not len(rows):
        return []
    picked = table.take(pa.array(rows))
    raw = {key: picked[key].to_pylist() for key in picked.column_names}
    result = []
    for position, row in enumerate(rows.tolist()):
        reasons = []
        row_code = int(code[row]) if code is not None else 0
        for k, key in enumerate(order):
            status = (row_code >> (2 * k)) & 3
            if status:
                text = raw[key][position]
                reasons.append(_reason(key, status, "" if text is None else str(text).strip()))
        if row in extra:
            reasons.append(extra[row])
        school = raw["school_code"][position]
        result.append(Rejection(lines[row], "; ".join(reasons), (school or "").strip()))
    return result


def _normalised(kind, values, codes, pupil_codes, valid) -> pa.Table:
    def pick(array: np.ndarray) -> np.ndarray:
        return array if valid is None else array[valid]

    columns = {
        "year": pa.array(pick(values["year"])),
        "procedure": pa.DictionaryArray.from_arrays(
            pa.array(pick(values["procedure"])), pa.array(PROCEDURES)
        ),
        "school_code": pa.DictionaryArray.from_arrays(
            pa.array(pick(values["school_code"])), pa.array(codes, pa.string())
        ),
        "grade": pa.array(pick(values["grade"])),
        "subject": pa.DictionaryArray.from_arrays(
            pa.array(pick(values["subject"])), pa.array(SUBJECTS)
        ),
    }
    if kind == "pupil":
        columns["pupil_code"] = pupil_codes if valid is None else pupil_codes.filter(valid)
        columns["primary_score"] = pa.array(pick(values["primary_score"]))
        columns["mark"] = pa.array(pick(values["mark"]))
        if "term_mark" in values:
            term = pick(values["term_mark"])
            missing = term == 0
            columns["term_mark"] = pa.array(term, mask=missing if missing.any() else None)
        else:
            rows = len(columns["mark"])
            columns["term_mark"] = pa.nulls(rows, pa.int8())
    else:
        for key in ("participants", "n2", "n3", "n4", "n5"):
            columns[key] = pa.array(pick(values[key]))
    return pa.table(columns)
