"""What a file is, by its content and never by its name.

Example: a protocol saved by Word 2003 as «Протокол.doc» starts with the OLE signature
``D0 CF 11 E0 A1 B1 1A E1`` and is ``"ole"``; the same text saved as .docx is a zip with
``word/document.xml`` and is ``"docx"``.
"""

from __future__ import annotations

import struct
import zipfile

import filetype

from opora.core.intake.zipguard import check_zip, member_text

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_SIGNATURE = b"%PDF-"

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLD_WORD = "application/msword"
OLD_EXCEL = "application/vnd.ms-excel"


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'docx', 'zip', 'ole' (old .doc/.xls or an encrypted file), 'pdf' or 'text'.

    A zip passes the zip guard before its parts are listed.
    """
    if data[:4] == ZIP_SIGNATURE:
        return office_kind(check_zip(data)) or "zip"
    if data[:8] == OLE_SIGNATURE:
        return "ole"
    if data[:5] == PDF_SIGNATURE:
        return "pdf"
    return "text"


def sniff_head(head: bytes) -> str:
    """The kind by the first bytes alone (a large file is not unpacked to be named).

    'xlsx' for any zip, 'ole', 'binary' (PDF or NUL bytes) or 'text'.
    """
    if head[:4] == ZIP_SIGNATURE:
        return "xlsx"
    if head[:8] == OLE_SIGNATURE:
        return "ole"
    if head[:5] == PDF_SIGNATURE or b"\x00" in head[:4096]:
        return "binary"
    return "text"


def office_kind(archive: zipfile.ZipFile) -> str | None:
    """'docx', 'xlsx', 'odf' (OpenDocument .odt/.ods) or None for another archive."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    content_types = member_text(archive, "[Content_Types].xml", 1024 * 1024)
    if "wordprocessingml.document.main" in content_types:
        return "docx"
    if "spreadsheetml.sheet.main" in content_types:
        return "xlsx"
    if "mimetype" in names and "opendocument" in member_text(archive, "mimetype", 1024):
        return "odf"
    return None


def content_type(data: bytes) -> str | None:
    """The content type of a whole file by its content, or None if it is not recognised.

    Office archives pass the zip guard first (:class:`UploadError` for a bomb or a damaged
    archive); Word is told from Excel by the parts inside, not by the name.
    """
    if data[:4] == ZIP_SIGNATURE:
        names = set(check_zip(data).namelist())
        if "word/document.xml" in names:
            return WORD
        if "xl/workbook.xml" in names:
            return EXCEL
        return None
    if data[:8] == OLE_SIGNATURE:
        # The old formats keep their main stream under a fixed name in the OLE directory.
        if "WordDocument".encode("utf-16-le") in data:
            return OLD_WORD
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return OLD_EXCEL
        return None
    kind = filetype.guess(data[:8192])
    return kind.mime if kind else None


def ole_is_encrypted(data: bytes) -> bool:
    """True if the OLE container holds an «EncryptedPackage» (a password-protected OOXML)."""
    names = ole_directory_names(data)
    if names is None:  # not a well-formed container: look for the name anywhere
        return "EncryptedPackage".encode("utf-16-le") in data
    return "EncryptedPackage" in names


def ole_directory_names(data: bytes) -> list[str] | None:
    """Names of the entries of an OLE (Compound File) directory, or None if unreadable."""
    end_of_chain = 0xFFFFFFFA  # this value and above are special sector ids
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        if not 7 <= shift <= 16:
            return None
        size = 1 << shift
        fat_count, first_dir = struct.unpack_from("<II", data, 44)
        difat = struct.unpack_from("<109I", data, 76)

        def sector(number: int) -> bytes:
            chunk = data[(number + 1) * size : (number + 2) * size]
            if len(chunk) < size:
                raise ValueError("truncated")
            return chunk

        fat: list[int] = []
        for number in difat[: min(fat_count, 109)]:
            if number >= end_of_chain:
                break
            fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))
        names: list[str] = []
        seen: set[int] = set()
        current = first_dir
        while current < end_of_chain and current not in seen and len(seen) < 4096:
            seen.add(current)
            block = sector(current)
            for offset in range(0, size, 128):
                length = struct.unpack_from("<H", block, offset + 64)[0]
                if 2 <= length <= 64:
                    names.append(block[offset : offset + length - 2].decode("utf-16-le", "ignore"))
            current = fat[current] if current < len(fat) else end_of_chain
        return names or None
    except (struct.error, ValueError, IndexError):
        return None
