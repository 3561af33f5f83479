"""Text of roadmap cells and paragraphs: spaces, invisible characters and bullet glyphs.

Example: «  •\tпервый   пункт » → «первый пункт»; «✓ а; ✓ б» → the lines «а;» and «б».
"""

from __future__ import annotations

import re

_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200d\u200e\u200f\u2060\ufeff]")
BULLETS = "✓✔☑•●○◦▪▫■□◆◇◊➢➣➤►▸▹▶‣⁃·\uf0a7\uf0b7\uf0d8\uf0fc\uf076\uf0a8"
BULLET_RE = re.compile(rf"^[{BULLETS}\uf020-\uf0ff]+\s*")
LIST_MARKER_RE = re.compile(r"^(?:[-–—•]|\d{1,2}[.)](?!\d)|[а-яa-z]\))\s*", re.IGNORECASE)


def clean_line(line: str) -> str:
    line = _INVISIBLE_RE.sub("", line)
    return _SPACES_RE.sub(" ", line).strip()


def normalise_paragraph(text: str) -> list[str]:
    """Lines of one paragraph: spaces collapsed, a leading bullet glyph (✓ • ●) removed.

    A paragraph that is a whole bullet list run together («✓ а; ✓ б») becomes one line per item.
    «- пункт» items are kept as written.
    """
    lines: list[str] = []
    for piece in text.replace("\r", "\n").split("\n"):
        line = clean_line(piece)
        if not line:
            continue
        glyph = line[0]
        if glyph in BULLETS and f" {glyph}" in line:
            lines.extend(clean_line(item) for item in line.split(glyph) if clean_line(item))
            continue
        line = BULLET_RE.sub("", line)
        if line:
            lines.append(line)
    return lines


def normalise_text(text: str) -> str:
    """Whole-cell normalisation: paragraphs are kept as lines joined by ``"\\n"``."""
    return "\n".join(line for part in text.split("\n") for line in normalise_paragraph(part))


def header_words(text: str) -> str:
    """«№ п/п» → «№ п п»; «Сроки реализации:» → «сроки реализации»."""
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[^\w№]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


NUMBER_RE = re.compile(r"^№?\s*\d{1,3}(?:\.\d{1,3})*\.?\)?$")


def is_number(text: str) -> bool:
    return bool(NUMBER_RE.match(text.strip()))
