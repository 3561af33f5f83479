"""Evidence files and links: type checked by content, size limited."""

from __future__ import annotations

from urllib.parse import urlparse

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

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


def _sniff(head: bytes) -> str | None:
    if head[:4] == b"PK\x03\x04":
        # OOXML: tell Word from Excel by the part names near the start of the archive.
        if b"word/" in head:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if b"xl/" in head:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return None
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "application/msword"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_evidence_file(upload) -> tuple[object, str]:
    """Return the upload and its content type, or raise a Russian ValidationError."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(f"Файл «{upload.name}» больше 20 МБ.")
    if upload.size == 0:
        raise ValidationError(f"Файл «{upload.name}» пустой.")
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    mime = _sniff(head)
    if mime not in ALLOWED:
        raise ValidationError(
            f"Файл «{upload.name}» не принят: допускаются PDF, Word, Excel и изображения "
            "(тип определяется по содержимому, а не по расширению)."
        )
    return upload, mime


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
