"""The zip guard every Office file (.xlsx, .docx) passes before openpyxl or python-docx sees it.

Issue 9: a 4 MB .xlsx whose one incompressible member hid a 300 MB sheet took a server past
5 GB, because only the ratio of the whole archive was judged. Now each member is judged and
really unpacked, a chunk at a time, against a budget.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from opora.core.intake.files import UploadError, unpacked_limit

# Text XML compresses about 10:1; a member packed better than this is a bomb (zeros give 1000:1).
MAX_COMPRESSION_RATIO = 200
# Small members are not judged by their ratio: a few hundred KB can do no harm.
RATIO_CHECK_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
_CHUNK = 256 * 1024

ZIP_BOMB = "Файл отклонён: после распаковки он слишком велик (похоже на «zip-бомбу»)."
DAMAGED_OFFICE = "Файл повреждён: его не удалось открыть как документ Office."


def check_zip(
    data: bytes, limit: int | None = None, damaged: str = DAMAGED_OFFICE
) -> zipfile.ZipFile:
    """Open an OOXML container (.xlsx, .docx), refusing damaged archives and zip bombs.

    Each member is judged by its declared size and its own compression ratio (the ratio of the
    whole archive lets one incompressible member hide a bomb), and then really unpacked, a
    chunk at a time, through a counter that stops at ``limit`` bytes in all and at the
    member's declared size: headers can lie. A member passes only if its stream ends exactly
    at its declared size with its CRC, so whoever opens the archive afterwards (with
    :mod:`zipfile`, as openpyxl and python-docx do) cannot unpack more than was counted here.
    ``limit`` is :func:`opora.core.intake.files.unpacked_limit` of the reader's kind (a
    table's by default);
    ``damaged`` is the reader's own words for a file that is not a sound archive, e.g.
    «Файл «Протокол.docx» повреждён: не удалось прочитать документ Word.».
    """
    limit = limit or unpacked_limit("table")
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


def member_text(archive: zipfile.ZipFile, member: str, limit: int) -> str:
    """The first ``limit`` bytes of a member as text («» for a missing or damaged member)."""
    try:
        with archive.open(member) as handle:
            return handle.read(limit).decode("utf-8", "replace")
    except Exception:  # a missing or damaged member: python-docx/openpyxl will say more
        return ""


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
