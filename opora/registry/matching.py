"""Matching names as people write them («Бакcharский район», «ЗАО «Северск»») to the registry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Latin letters that look like Cyrillic ones slip into typed names.
_LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "c": "с",
        "e": "е",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
        "k": "к",
        "m": "м",
        "t": "т",
        "b": "в",
        "h": "н",
        "r": "г",
    }
)
_NOISE = re.compile(r"[«»\"'“”„().,]")
_ABBREVIATIONS = (
    (re.compile(r"\bг\.?\s*о\.?\s+"), "городской округ "),
    (re.compile(r"^г\.?\s*(?=[а-я])"), "город "),
    (re.compile(r"\bзато\b|\bзао\b"), "зато"),
)
MIN_SCORE = 80


def normalise_name(text: str) -> str:
    """«ЗАО «Северск»» → «зато северск»; «Бакcharский район» → «бакснагский район»."""
    s = str(text or "").strip().lower().replace("ё", "е")
    s = s.translate(_LOOKALIKES)
    for pattern, repl in _ABBREVIATIONS:
        s = pattern.sub(repl, s)
    s = _NOISE.sub(" ", s)
    return " ".join(s.split())


@dataclass(frozen=True)
class Match:
    target: object | None
    score: float
    written: str

    @property
    def exact(self) -> bool:
        return self.score >= 100


class NameMatcher:
    """Finds the registry object a name refers to, tolerating typos and old forms."""

    def __init__(self, items, names_of):
        self._keys: list[str] = []
        self._targets: list[object] = []
        for item in items:
            for name in names_of(item):
                key = normalise_name(name)
                if key:
                    self._keys.append(key)
                    self._targets.append(item)

    def match(self, written: str) -> Match:
        key = normalise_name(written)
        if not key or not self._keys:
            return Match(None, 0, written)
        if key in self._keys:
            return Match(self._targets[self._keys.index(key)], 100, written)
        best = process.extractOne(key, self._keys, scorer=fuzz.WRatio)
        if best is None or best[1] < MIN_SCORE:
            return Match(None, best[1] if best else 0, written)
        return Match(self._targets[best[2]], round(best[1], 1), written)


def municipality_matcher(municipalities) -> NameMatcher:
    return NameMatcher(municipalities, lambda m: [m.name, *m.aliases])
