"""Text as Russian offices save it: UTF-8 (with or without BOM) or Windows-1251.

Example: the bytes of «Школа;Код» saved by Excel as «CSV (разделители — точка с запятой)»
are ``b"\\xd8\\xea\\xee\\xeb\\xe0;\\xca\\xee\\xe4"`` (cp1251) and decode to ``"Школа;Код"``.
"""

from __future__ import annotations

import re

from opora.core.intake.files import UploadError

UNKNOWN_ENCODING = "Не удалось определить кодировку: сохраните файл в UTF-8."

# Zero-width characters and the soft hyphen, pasted from Word or a web page: invisible, yet
# they make «700101» and «700101\u200b» two codes and two names.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# ``translate`` with a table costs tens of microseconds per call, a search of the class a
# fraction of one: a file of 200 000 rows has a million cells and almost none of them
# holds an invisible character.
_ANY_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a zero-width character or a soft hyphen: ``"7001\u200b01"`` → True."""
    return _ANY_INVISIBLE.search(text) is not None


def strip_invisible(text: str) -> str:
    """``"7001\u200b01"`` → ``"700101"``: drop zero-width characters and soft hyphens."""
    if _ANY_INVISIBLE.search(text) is None:
        return text
    return text.translate(_INVISIBLE)


def looks_russian(text: str) -> bool:
    """Whether the letters of ``text`` are mostly Cyrillic or Latin («Школа №1» → True).

    cp1251 decodes almost any bytes; a text of other letters (``"Ð¨ÐºÐ¾Ð»Ð°"``) means
    the guess was wrong.
    """
    letters = [c for c in text if c.isalpha()]
    odd = sum(1 for c in letters if not ("а" <= c.lower() <= "я" or c.isascii() or c in "ёЁ"))
    return not letters or odd / len(letters) <= 0.2


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1251: ``b"\\xd8\\xea\\xee\\xeb\\xe0"`` → «Школа»."""
    if b"\x00" in data[:4096]:
        raise UploadError("Это не текстовый файл CSV и не книга Excel (.xlsx).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise UploadError(UNKNOWN_ENCODING) from exc
    if not looks_russian(text):
        raise UploadError(UNKNOWN_ENCODING)
    return text


def decode_head(head: bytes) -> tuple[str, str]:
    """The text and encoding of the first bytes of a large file, which may end mid-letter.

    Example: ``"Код ОО;Предмет".encode()[:-1]`` (the last «т» cut in half) →
    ``("Код ОО;Предме", "utf-8")``. A BOM is kept in the text: the caller streams the rest.
    """
    try:
        return head.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return head[: exc.start].decode("utf-8"), "utf-8"
    text = head.decode("cp1251", errors="replace")
    if not looks_russian(text[:20000]):
        raise UploadError(UNKNOWN_ENCODING)
    return text, "cp1251"
