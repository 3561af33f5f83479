"""Tables users upload: the first sheet of an .xlsx or a CSV, as rows keyed by the header.

Example input (a CSV saved from Excel in Windows-1251, «;» between the columns)::

    Код ОО;Наименование ОО;Муниципалитет
    700101;МБОУ «СОШ № 1»;Томский район

reads as ``Table(headers=["код оо", "наименование оо", "муниципалитет"],
rows=[(2, {"код оо": "700101", "наименование оо": "МБОУ «СОШ № 1»", …})])``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from opora.core.intake.encodings import decode_text, strip_invisible
from opora.core.intake.files import UploadError
from opora.core.intake.sniff import sniff_kind


@dataclass
class Table:
    """Rows of a table keyed by the normalised header; ``line`` is the row number in the file."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def normalise_header(text: str) -> str:
    """«Наименование\\nОО » → «наименование оо»; «Ёмкость» → «емкость»."""
    text = strip_invisible(str(text or ""))
    return " ".join(text.replace("\n", " ").lower().replace("ё", "е").split())


def read_table(data: bytes, filename: str = "") -> Table:
    """Read the first sheet of an .xlsx or a CSV (``;`` or ``,``) into a :class:`Table`."""
    kind = sniff_kind(data)
    if kind == "xlsx":
        return _read_xlsx(data)
    if kind == "text":
        return _read_csv(decode_text(data))
    if kind == "ole":
        raise UploadError(
            "Файл в старом формате Excel (.xls) или защищён паролем. "
            "Сохраните его как .xlsx без пароля или как CSV."
        )
    raise UploadError("Нужен файл Excel (.xlsx) или CSV.")


def csv_delimiter(first_line: str) -> str:
    """«;» unless the first line has more commas: «Код;Имя» → «;», «Код,Имя» → «,»."""
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _read_csv(text: str) -> Table:
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UploadError(f"Файл CSV повреждён: {exc}.") from exc
    return _to_table(rows)


def _read_xlsx(data: bytes) -> Table:
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
    return _to_table(rows)


def cell_text(value) -> str:
    """A spreadsheet value as text: 700101.0 → «700101», «СОШ» → «СОШ»."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_table(rows: list[list[str]]) -> Table:
    header_index = next((i for i, r in enumerate(rows) if any(str(c).strip() for c in r)), None)
    if header_index is None:
        raise UploadError("В файле нет ни одной строки.")
    headers = [normalise_header(h) for h in rows[header_index]]
    table = Table(headers=headers)
    named = [(i, h) for i, h in enumerate(headers) if h]
    width = len(headers)
    append = table.rows.append
    # A region's file has a million cells: one search of the joined row for invisible
    # characters, and a dict built by ``zip``, instead of a call per cell.
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [c if isinstance(c, str) else str(c) for c in row]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        joined = "\x1f".join(cells)
        if not joined.replace("\x1f", "").strip():
            continue
        if strip_invisible(joined) is not joined:
            cells = [strip_invisible(c) for c in cells]
        append((offset, {h: cells[i].strip() for i, h in named}))
    return table
