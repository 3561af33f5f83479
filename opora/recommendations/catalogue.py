"""How the text of a recommendation is read: one per line, and its catalogue key.

Recommendations repeat across municipalities; the key finds the same advice written the same
way («Организовать наставничество;» and «организовать наставничество» share one entry).
"""

from __future__ import annotations

import re

from opora.recommendations.models import (
    RecommendationTemplate,
)

_KEY_LENGTH = RecommendationTemplate._meta.get_field("key").max_length


_PUNCTUATION_RE = re.compile(r"[^\w\s]|_")


def recommendation_key(text: str) -> str:
    """The catalogue key of a recommendation: the same advice written the same way.

    Lowercase, «ё» → «е», punctuation removed, whitespace collapsed. Example:
    ``"Организовать мероприятия (КПК, семинары) по преемственности;"`` →
    ``"организовать мероприятия кпк семинары по преемственности"``.
    """
    text = str(text or "").lower().replace("ё", "е")
    text = _PUNCTUATION_RE.sub(" ", text)
    return " ".join(text.split())[:_KEY_LENGTH]


_BULLET = re.compile(r"^\s*(?:[-–—•·*]|\d{1,2}[.)])\s*")


def recommendation_pairs(text: str) -> list[tuple[str, str]]:
    """``(as written, cleaned)`` for each line: «1) провести анализ;» → «провести анализ»."""
    pairs = []
    for line in (text or "").splitlines():
        cleaned = _BULLET.sub("", line).strip().rstrip(";.").strip()
        if cleaned:
            pairs.append((line.strip(), cleaned))
    return pairs


def recommendation_lines(text: str) -> list[str]:
    """One recommendation per line, without list marks and the closing «;»."""
    return [cleaned for _, cleaned in recommendation_pairs(text)]
