"""Evidence files, approval documents and links: type checked by content, size limited."""

from __future__ import annotations

from urllib.parse import urlparse

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

from opora.core.uploads import UploadError, check_zip

ALLOWED = {
    "application/pdf": "PDF",
    "image/png": "изображение",
    "image/jpeg": "изображение",
    "image/gif": "изображение",
    "image/webp": "изображение",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/msword": "Word",
    "application/vnd.ms-excel": "Excel",
}


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_type(data: bytes) -> str | None:
    """The content type of a whole file by its content, or None for a type not accepted.

    Office archives pass the shared zip guard first (:class:`UploadError` for a bomb or a
    damaged archive); Word is told from Excel by the parts inside, not by the name.
    """
    if data[:4] == b"PK\x03\x04":
        names = set(check_zip(data).namelist())
        if "word/document.xml" in names:
            return WORD
        if "xl/workbook.xml" in names:
            return EXCEL
        return None
    if data[:8] == _OLE:
        # The old formats keep their main stream under a fixed name in the OLE directory.
        if "WordDocument".encode("utf-16-le") in data:
            return "application/msword"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "application/vnd.ms-excel"
        return None
    kind = filetype.guess(data[:8192])
    return kind.mime if kind and kind.mime in ALLOWED else None


def check_document_file(upload, what: str = "Файл") -> tuple[object, str]:
    """Return the upload and its content type (by content), or raise a Russian ValidationError.

    Used for evidence and for the approval document: size limited, Office archives checked
    for zip bombs, PDF, Word, Excel and images only.
    """
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"{what} «{upload.name}» больше {limit // (1024 * 1024)} МБ — такой файл не принимается."
        )
    if upload.size == 0:
        raise ValidationError(f"{what} «{upload.name}» пустой.")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    try:
        mime = sniff_type(data)
    except UploadError as exc:
        raise ValidationError(f"{what} «{upload.name}»: {exc}") from exc
    if mime not in ALLOWED:
        raise ValidationError(
            f"{what} «{upload.name}» не принят: допускаются PDF, Word, Excel и изображения "
            "(тип определяется по содержимому, а не по расширению)."
        )
    return upload, mime


def check_evidence_file(upload) -> tuple[object, str]:
    """Return the upload and its content type, or raise a Russian ValidationError."""
    return check_document_file(upload)


def clean_links(links) -> list[str]:
    result = []
    for link in links:
        link = (link or "").strip()
        if not link:
            continue
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValidationError(f"«{link}» — не ссылка (нужен адрес вида https://…).")
        result.append(link[:1000])
    return result
