"""The one front door for a document a user attaches as evidence — a report's proof, an approval
order, a checklist item's confirmation, a course certificate: size limited, its type found by
its content (never by its name), Office archives past the zip guard; and the one way such a
file goes back out, as a download the browser never runs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse

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

    Size limited (``settings.MAX_UPLOAD_BYTES``), Office archives checked for zip bombs, PDF,
    Word, Excel and images only. Example: «Приказ № 12.pdf» → ``(upload, "application/pdf")``;
    «отчёт.pdf» that is an HTML page → «Файл «отчёт.pdf» не принят: допускаются PDF, …».
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


def attachment(file, name: str, content_type: str | None) -> FileResponse:
    """A stored upload as a download: the type its content was found to have, never sniffed
    by the browser, never shown inline (an HTML file must not run on our origin)."""
    if content_type not in ALLOWED:
        content_type = "application/octet-stream"
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
