"""Evidence files, approval documents and links: type checked by content, size limited
(files through the one front door, ``core.intake.documents``)."""

from __future__ import annotations

from urllib.parse import urlparse

from django.core.exceptions import ValidationError

from opora.core.intake.documents import ALLOWED, check_document_file, sniff_type

__all__ = ["ALLOWED", "check_document_file", "check_evidence_file", "clean_links", "sniff_type"]


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
