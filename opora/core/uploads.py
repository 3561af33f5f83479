"""Reading what users upload: tables from CSV/XLSX, checked before anything is parsed.

Every failure is an :class:`UploadError` whose text is shown to the user as is.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings

# A real registry workbook unpacks to a few tens of MB; more is a zip bomb. Readers that stream
# (results) pass a larger limit, those that load a whole document (Word, roadmaps) a smaller one.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Text XML compresses about 10:1; a member packed better than this is a bomb (zeros give 1000:1).
MAX_COMPRESSION_RATIO = 200
# Small members are not judged by their ratio: a few hundred KB can do no harm.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
_CHUNK = 256 * 1024

ZIP_BOMB = "Файл отклонён: после распаковки он слишком велик (похоже на «zip-бомбу»)."
DAMAGED_OFFICE = "Файл повреждён: его не удалось открыть как документ Office."


# Zero-width characters and the soft hyphen, pasted from Word or a web page: invisible, yet
# they make «700101» and «700101\u200b» two codes and two names.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def strip_invisible(text: str) -> str:
    """``"7001\u200b01"`` → ``"700101"``: drop zero-width characters and soft hyphens."""
    return text.translate(_INVISIBLE)


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


def check_zip(
    data: bytes, limit: int | None = None, damaged: str = DAMAGED_OFFICE
) -> zipfile.ZipFile:
    """Open an OOXML container (.xlsx, .docx), refusing damaged archives and zip bombs.

    Every zip upload passes here before openpyxl or python-docx sees it. Each member is judged
    by its declared size and its own compression ratio (the ratio of the whole archive lets one
    incompressible member hide a bomb), and then really unpacked, a chunk at a time, through a
    counter that stops at ``limit`` bytes in all and at the member's declared size: headers can
    lie. A member passes only if its stream ends exactly at its declared size with its CRC, so
    whoever opens the archive afterwards (with :mod:`zipfile`, as openpyxl and python-docx do)
    cannot unpack more than was counted here. ``damaged`` is the reader's own words for a
    file that is not a sound archive.
    """
    limit = limit or MAX_UNCOMPRESSED_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise UploadError(damaged) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UploadError(ZIP_BOMB)
    declared = 0
    for info in infos:
        declared += info.file_size
        if declared > limit:
            raise UploadError(ZIP_BOMB)
        if (
            info.file_size > RATIO_CHECK_MIN_BYTES
            and info.file_size / max(info.compress_size, 1) > MAX_COMPRESSION_RATIO
        ):
            raise UploadError(ZIP_BOMB)
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise UploadError(damaged)
    budget = limit
    for info in infos:
        budget -= _unpacked_size(data, info, budget, damaged)
    return archive


def _unpacked_size(data: bytes, info: zipfile.ZipInfo, budget: int, damaged: str) -> int:
    """Unpack a member a chunk at a time, stopping past its declared size or the budget.

    The raw stream is located and inflated here rather than through ``ZipFile.open``, whose
    ``read()`` inflates a whole compressed block at once before cutting it to the declared size.
    """
    offset = info.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise UploadError(damaged)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise UploadError(damaged)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced, crc = 0, 0
    position = 0
    pending = b""
    while True:
        if inflater is None:
            chunk = bytes(raw[position : position + _CHUNK])
            position += len(chunk)
            done = position >= len(raw)
        else:
            if not pending:
                pending = bytes(raw[position : position + _CHUNK])
                position += len(pending)
            try:
                chunk = inflater.decompress(pending, _CHUNK)
            except zlib.error as exc:
                raise UploadError(damaged) from exc
            pending = inflater.unconsumed_tail
            done = inflater.eof or (position >= len(raw) and not pending and not chunk)
        produced += len(chunk)
        if produced > info.file_size or produced > budget:
            raise UploadError(ZIP_BOMB)
        crc = zlib.crc32(chunk, crc)
        if done:
            break
    if produced != info.file_size or crc != info.CRC:
        raise UploadError(damaged)
    return produced


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
    text = strip_invisible(str(text or ""))
    return " ".join(text.replace("\n", " ").replace("ё", "е").lower().split())


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
            h: strip_invisible(str(row[i])).strip() if i < len(row) else ""
            for i, h in enumerate(headers)
            if h
        }
        table.rows.append((offset, values))
    return table
