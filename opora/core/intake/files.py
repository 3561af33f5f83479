"""Reading what users hand in: an upload, a path or bytes, refused past the size limit.

Every failure is an :class:`UploadError` whose text is shown to the user as is; a reader that
has its own error class turns it into one with the same text.
"""

from __future__ import annotations

import os
from typing import IO, Any, BinaryIO

from django.conf import settings


class UploadError(Exception):
    """A file we refuse, with the reason in Russian."""


def unpacked_limit(kind: str) -> int:
    """How far an Office archive read as ``kind`` ('document', 'table', 'results') may unpack.

    ``settings.MAX_UNPACKED_BYTES``; a reader run without a configured Django project (the
    reader tests with ``-p no:django``) takes the project's numbers from its settings module.
    """
    if settings.configured:
        return settings.MAX_UNPACKED_BYTES[kind]
    from opora import settings as project_settings

    return project_settings.MAX_UNPACKED_BYTES[kind]


def read_bytes(upload: BinaryIO | bytes, limit: int | None = None) -> bytes:
    """Read an upload whole, refusing it past the size limit (20 MB by default)."""
    limit = limit or settings.MAX_UPLOAD_BYTES
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise UploadError(too_large(limit))
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadError(too_large(limit))
    if not data:
        raise UploadError("Файл пустой.")
    return data


def read_source(source: Any, limit: int, name: str | None = None) -> tuple[bytes, str | None]:
    """The bytes and the file name of a path, a binary file object or bytes, up to ``limit``.

    Example: ``read_source("Протокол 17.06.2020.docx", 50 * 2**20)`` →
    ``(b"PK\\x03\\x04…", "Протокол 17.06.2020.docx")``. An empty file passes (readers say
    «пустой» in their own words); a missing file, a folder, a text-mode stream or a file past
    ``limit`` raise :class:`UploadError`.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        name = name or os.path.basename(os.fspath(source))
        try:
            with open(source, "rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError as exc:
            raise UploadError(f"Файл «{name}» не найден.") from exc
        except IsADirectoryError as exc:
            raise UploadError(f"«{name}» — это папка, а не файл.") from exc
        except OSError as exc:
            raise UploadError(f"Не удалось открыть файл «{name}».") from exc
    elif hasattr(source, "read"):
        stream: IO[Any] = source
        name = name or os.path.basename(str(getattr(stream, "name", "") or "")) or None
        try:
            if getattr(stream, "seekable", lambda: False)():
                stream.seek(0)
            data = stream.read(limit + 1)
        except OSError as exc:
            raise UploadError(f"Не удалось прочитать файл «{name or 'файл'}».") from exc
        if isinstance(data, str):
            raise UploadError("Файл нужно открыть в двоичном режиме.")
        data = bytes(data)
    else:
        raise TypeError("expected a path, bytes or a binary file object")
    if len(data) > limit:
        raise UploadError(too_large(limit))
    return data, name


def too_large(limit: int) -> str:
    return f"Файл больше {limit // (1024 * 1024)} МБ — такой файл не принимается."
