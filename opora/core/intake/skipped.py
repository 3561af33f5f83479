"""A part of an uploaded file a reader did not take, and why — shown row by row in the preview
(``templates/core/_import_not_understood.html``), so that nothing is dropped silently.

Example: ``Skipped("таблица 1, строка 4", "7", "в строке только номер, нет текста")``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skipped:
    """Where in the file (in Russian, «строка 12», «таблица 2, строка 3», «абзац 40»), what
    was written there, and the reason in Russian."""

    where: str
    text: str
    reason: str
