"""WordprocessingML (the XML inside a .docx): names and the few attribute readers we need.

Example: ``<w:gridSpan w:val="2"/>`` → ``int_value(attr(element, "val"), 1)`` → 2.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def w(tag: str) -> str:
    """``w("tbl")`` → the qualified name of ``<w:tbl>``."""
    return f"{W}{tag}"


def attr(element: Any, name: str) -> str | None:
    """The ``w:name`` attribute of ``element`` (None for a missing element or attribute)."""
    return element.get(w(name)) if element is not None else None


def int_value(value: str | None, default: int) -> int:
    """«3» → 3; None or «abc» → ``default``."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def is_on(element: Any) -> bool:
    """A toggle such as ``<w:b/>`` or ``<w:b w:val="0"/>``: present and not switched off."""
    if element is None:
        return False
    return (attr(element, "val") or "true").lower() not in ("0", "false", "off", "none")
