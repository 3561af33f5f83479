"""Reading what users upload: tables from CSV/XLSX, checked before anything is parsed.

Every failure is an :class:`UploadError` whose text is shown to the user as is.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings

# A real registry or results workbook unpacks to tens of MB; more is a zip bomb.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


class UploadError(Exception):
    """A file we refuse, with the reason in Russian."""


@dataclass
class Table:
    """Rows of a table keyed by the normalised header; ``line`` is the row number in the file."""

    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_bytes(upload: BinaryIO | bytes, limit: int | None = None) -> bytes:
    """Read an upload whole, refusing it past the size limit (20 MB by default)."""
    limit = limit or settings.MAX_UPLOAD_BYTES
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise UploadError(_too_large(limit))
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_too_large(limit))
    if not data:
        raise UploadError("Файл пустой.")
    return data


def _too_large(limit: int) -> str:
    return f"Файл больше {limit // (1024 * 1024)} МБ — такой файл не принимается."


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open an OOXML container, refusing damaged archives and zip bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadError("Файл повреждён: его не удалось открыть как документ Office.") from exc
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise UploadError(
            "Файл отклонён: после распаковки он слишком велик (похоже на «zip-бомбу»)."
        )
    return archive


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'docx', 'ole' (old .doc/.xls or an encrypted file), 'pdf' or 'text'."""
    if data[:4] == b"PK\x03\x04":
        names = set(check_zip(data).namelist())
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    if data[:5] == b"%PDF-":
        return "pdf"
    return "text"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1251, as Russian offices save CSV."""
    if b"\x00" in data[:4096]:
        raise UploadError("Это не текстовый файл CSV и не книга Excel (.xlsx).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise UploadError("Не удалось определить кодировку: сохраните файл в UTF-8.") from exc
    # cp1251 decodes almost any bytes; demand mostly Cyrillic/ASCII letters to trust it.
    letters = [c for c in text if c.isalpha()]
    odd = sum(1 for c in letters if not ("а" <= c.lower() <= "я" or c.isascii() or c in "ёЁ"))
    if letters and odd / len(letters) > 0.2:
        raise UploadError("Не удалось определить кодировку: сохраните файл в UTF-8.")
    return text


def normalise_header(text: str) -> str:
    return " ".join(str(text or "").replace("\n", " ").replace("ё", "е").lower().split())


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


def _read_csv(text: str) -> Table:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
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
        ["" if v is None else _cell_text(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    return _to_table(rows)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_table(rows: list[list[str]]) -> Table:
    rows = [r for r in rows]
    header_index = next((i for i, r in enumerate(rows) if any(str(c).strip() for c in r)), None)
    if header_index is None:
        raise UploadError("В файле нет ни одной строки.")
    headers = [normalise_header(h) for h in rows[header_index]]
    table = Table(headers=headers)
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(str(c).strip() for c in row):
            continue
        values = {
            h: str(row[i]).strip() if i < len(row) else "" for i, h in enumerate(headers) if h
        }
        table.rows.append((offset, values))
    return table
