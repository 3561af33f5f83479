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
import hashlib
import io
import mmap
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from opora.assessment.readers.results_checks import (
    FileLines,
    RawTable,
    validate,
)
from opora.assessment.readers.results_columns import (
    HEADER_SEARCH_LINES,
    LABELS,
    MAX_BROKEN_LINES,
    PUPIL_REQUIRED,
    SCHOOL_REQUIRED,
    ReadResult,
    ResultsFileError,
    header_field,
)
from opora.core.intake.encodings import decode_head
from opora.core.intake.files import UploadError, unpacked_limit
from opora.core.intake.sniff import sniff_head
from opora.core.intake.tables import cell_text
from opora.core.intake.zipguard import check_zip

# ---------------------------------------------------------------- reading


def read_results(
    data: bytes | str | os.PathLike,
    filename: str,
    known_codes: set[str] | None,
    *,
    on_read: Callable[[float], None] | None = None,
    checksum: bool = False,
) -> ReadResult:
    """Read a pupil-level or school-level results file and validate every row.

    ``data`` is the file's bytes or a path (a path is read without loading it whole);
    ``filename`` is only a hint for messages; ``known_codes`` are the registry's school
    codes (``None`` accepts any code); ``on_read`` is told the share of a CSV file read so
    far (0…1, from the reader's thread) for a progress bar; with ``checksum`` the result
    carries the sha256 of the file's bytes, computed on the blocks as the reader takes them
    (a national file is not read a second time to be hashed). Example of a pupil row:
    «2024;ВПР;700901;5;Математика;10023;9;3;4».
    """
    source = _Source(data, on_read, checksum=checksum)
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
        result = validate(raw, known_codes)
        if checksum:
            result.checksum = source.checksum()
        return result
    finally:
        source.close()


class _Source:
    """The file's bytes: given, or memory-mapped from a path (no copy of a large file)."""

    HEAD = 1 << 20

    def __init__(self, data, on_read: Callable[[float], None] | None = None, *, checksum=False):
        self.on_read = on_read
        self.hashing = checksum
        self._checksum: str | None = None
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
        """An input stream positioned at ``offset`` for pyarrow's reader."""
        if self.path is not None:
            return _Stream(self, offset)
        return pa.BufferReader(pa.py_buffer(self.data)[offset:])

    def hashed(self, digest: str) -> None:
        """A stream read the whole file: its checksum is the file's (a second read, after a
        refused first attempt, is not hashed again)."""
        if self._checksum is None:
            self._checksum = digest

    def checksum(self) -> str:
        """The sha256 of the file: from the reader's pass, else (an Excel book, bytes in
        memory) from the bytes now."""
        if self._checksum is None:
            self._checksum = hashlib.sha256(self.whole()).hexdigest()
        return self._checksum

    def find(self, needle: bytes, start: int) -> int:
        target = self._map if self._map is not None else self.data
        return target.find(needle, start)

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        if self._file is not None:
            self._file.close()


class _Stream:
    """The file from ``offset`` as pyarrow's CSV reader pulls it: 16 MB blocks, asked from its
    reading thread. Each block is added to the file's checksum when one is wanted (hashlib
    lets go of the GIL: the parsing threads go on meanwhile) and the share read is told to
    the source's ``on_read``."""

    def __init__(self, source: _Source, offset: int):
        self.source, self.position = source, offset
        self.file = open(source.path, "rb", buffering=0)  # noqa: SIM115 - closed by pyarrow
        self.file.seek(offset)
        self.digest = None
        if source.hashing and source._checksum is None:
            self.digest = hashlib.sha256(source._map[:offset])  # the header lines
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size if size >= 0 else None)
        if self.digest is not None:
            if data:
                self.digest.update(data)
            else:  # the end of the file: every byte was hashed
                self.source.hashed(self.digest.hexdigest())
                self.digest = None
        self.position += len(data)
        if self.source.on_read is not None:
            self.source.on_read(min(self.position / max(self.source.size, 1), 1.0))
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.file.close()
            if self.source.on_read is not None:
                self.source.on_read(1.0)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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


def _read_csv(source: _Source) -> RawTable:
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
    lines = FileLines(first_line)
    if numbered:
        every = np.arange(first_line, first_line + table.num_rows + len(numbered))
        skipped = np.isin(every, [n for n, _ in numbered])
        lines = FileLines(explicit=every[~skipped][: table.num_rows])
    return RawTable(kind, table, lines, numbered, encoding, delimiter)


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
                    block_size=BLOCK_BYTES,
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


# The reader's blocks: 16 MB rather than 8 — half the dictionaries to build and judge.
BLOCK_BYTES = 16 << 20

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


def _read_xlsx(data: bytes) -> RawTable:
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
    return RawTable(kind, table, FileLines(explicit=np.asarray(lines)), [], "xlsx", "")


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
