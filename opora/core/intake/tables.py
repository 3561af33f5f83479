"""Tables users upload: the first sheet of an .xlsx or a CSV, as rows keyed by the header.

Example input (a CSV saved from Excel in Windows-1251, «;» between the columns)::

    Код ОО;Наименование ОО;Муниципалитет
    700101;МБОУ «СОШ № 1»;Томский район

reads as ``Table(headers=["код оо", "наименование оо", "муниципалитет"],
rows=[(2, {"код оо": "700101", "наименование оо": "МБОУ «СОШ № 1»", …})])``; a file too
large for a dict per row is read by ``read_table_rows`` as ``TableRows`` (the same headers,
rows as ``(2, ["700101", "МБОУ «СОШ № 1»", "Томский район"])``, yielded as they are parsed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from opora.core.intake.encodings import decode_text, has_invisible, strip_invisible
from opora.core.intake.files import UploadError
from opora.core.intake.sniff import sniff_kind


@dataclass
class Table:
    """Rows of a table keyed by the normalised header; ``line`` is the row number in the file."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class TableRows:
    """The same table with each row as its list of cells, in the order of ``headers``, read
    once as the file is parsed: a region's file of 200 000 rows without a dict per row.

    ``rows`` yields ``(line, cells)``: the cells stripped, invisible characters dropped, at
    least as many as the headers (a short row is padded with ``""``); empty rows skipped.
    A damaged CSV raises :class:`UploadError` while the rows are read.
    """

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]

    def column(self, header: str) -> int:
        """The index of the cells under ``header`` (the last such column, as in a
        :class:`Table`'s dict); ValueError when there is none."""
        return len(self.headers) - 1 - self.headers[::-1].index(header)


def normalise_header(text: str) -> str:
    """«Наименование\\nОО » → «наименование оо»; «Ёмкость» → «емкость»."""
    text = strip_invisible(str(text or ""))
    return " ".join(text.replace("\n", " ").lower().replace("ё", "е").split())


def read_table(data: bytes, filename: str = "") -> Table:
    """Read the first sheet of an .xlsx or a CSV (``;`` or ``,``) into a :class:`Table`."""
    found = read_table_rows(data, filename)
    named = [(i, h) for i, h in enumerate(found.headers) if h]
    return Table(
        headers=found.headers,
        rows=[(line, {h: cells[i] for i, h in named}) for line, cells in found.rows],
    )


def read_table_rows(data: bytes, filename: str = "") -> TableRows:
    """:func:`read_table` as :class:`TableRows`, for files too large for a dict per row."""
    kind = sniff_kind(data)
    if kind == "xlsx":
        return _table_rows(_read_xlsx(data), may_hide=True)
    if kind == "text":
        text = decode_text(data)
        return _table_rows(_read_csv(text), may_hide=has_invisible(text))
    if kind == "ole":
        raise UploadError(
            "Файл в старом формате Excel (.xls) или защищён паролем. "
            "Сохраните его как .xlsx без пароля или как CSV."
        )
    raise UploadError("Нужен файл Excel (.xlsx) или CSV.")


def csv_delimiter(first_line: str) -> str:
    """«;» unless the first line has more commas: «Код;Имя» → «;», «Код,Имя» → «,»."""
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _read_csv(text: str) -> Iterator[list[str]]:
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as exc:
        raise UploadError(f"Файл CSV повреждён: {exc}.") from exc


def _read_xlsx(data: bytes) -> Iterator[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise UploadError("Книга Excel повреждена и не открывается.") from exc
    sheet = book.worksheets[0]
    rows = [
        ["" if v is None else cell_text(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    return iter(rows)


def cell_text(value) -> str:
    """A spreadsheet value as text: 700101.0 → «700101», «СОШ» → «СОШ»."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table_rows(rows: Iterator[list[str]], *, may_hide: bool) -> TableRows:
    """The first row with any text is the header; the rows below it follow lazily.
    ``may_hide``: whether any cell may hold an invisible character (a CSV is searched for
    one once as a whole, so its rows are not searched one by one)."""
    for index, row in enumerate(rows):
        if any(c.strip() for c in row):
            headers = [normalise_header(h) for h in row]
            return TableRows(headers, _cells(rows, len(headers), index + 2, may_hide))
    raise UploadError("В файле нет ни одной строки.")


def _cells(
    rows: Iterable[list[str]], width: int, start: int, may_hide: bool
) -> Iterator[tuple[int, list[str]]]:
    for line, row in enumerate(rows, start=start):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if may_hide and has_invisible("".join(cells)):
            cells = [strip_invisible(c).strip() for c in row]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        yield line, cells
