"""Evidence files, approval documents and links: type checked by content, size limited."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError

from opora.core.intake.files import UploadError, read_bytes
from opora.core.intake.sniff import content_type

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


def sniff_type(data: bytes) -> str | None:
    """The content type of a whole file by its content, or None for a type not accepted.

    Office archives pass the shared zip guard first (:class:`UploadError` for a bomb or a
    damaged archive); Word is told from Excel by the parts inside, not by the name.
    """
    mime = content_type(data)
    return mime if mime in ALLOWED else None


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
    try:
        mime = sniff_type(read_bytes(upload, limit))
    except UploadError as exc:
        raise ValidationError(f"{what} «{upload.name}»: {exc}") from exc
    finally:
        upload.seek(0)
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
