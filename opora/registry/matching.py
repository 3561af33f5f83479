"""Matching names as people write them («Бакcharский район», «ЗАО «Северск»») to the registry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

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
# Latin typed by sound inside a Russian word: «Бакcharский» is «Бакчарский».
_DIGRAPHS = (
    ("sch", "щ"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
)
_PHONETIC = str.maketrans(
    dict(zip("abcdefghiklmnoprstuvyz", "абцдефгхиклмнопрстувыз", strict=True))
)
_LATIN = re.compile(r"[a-z]")
_NOISE = re.compile(r"[«»\"'“”„().,]")
_ABBREVIATIONS = (
    (re.compile(r"\bг\.\s*о\.\s*|\bг\.?\s*о\.?\s+"), "городской округ "),
    # «г.Томск», «г. Томск» — but not the «г» of «город» itself.
    (re.compile(r"^г(?:\.\s*|\s+)(?=[а-я])"), "город "),
    (re.compile(r"\bзато\b|\bзао\b"), "зато"),
)
# Words that say what kind of municipality it is, not which one. Compared whole, «район»
# makes «Марсианский район» look like «Асиновский район»; so only the name proper is
# compared, and a district is never matched to a city.
_KIND_OF_WORD = {
    "район": "district",
    "р-н": "district",
    "город": "city",
    "городской": "city",
    "округ": "city",
    "г": "city",
    "зато": "zato",
}
_GENERIC = {*_KIND_OF_WORD, "муниципальный", "мо", "образование"}
MIN_SCORE = 80


def transliterated(text: str) -> str:
    """The name with Latin letters read by sound: «Бакcharский район» → «бакчарский район»."""
    s = str(text or "").strip().lower()
    for latin, cyrillic in _DIGRAPHS:
        s = s.replace(latin, cyrillic)
    return normalise_name(s.translate(_PHONETIC))


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
        self._parts: list[tuple[str, frozenset[str]]] = []
        self._targets: list[object] = []
        for item in items:
            for name in names_of(item):
                key = normalise_name(name)
                if key:
                    self._keys.append(key)
                    self._parts.append(_name_and_kind(key))
                    self._targets.append(item)

    def match(self, written: str) -> Match:
        found = self._match(normalise_name(written), written)
        if found.target is None and _LATIN.search(str(written).lower()):
            by_sound = self._match(transliterated(written), written)
            if by_sound.target is not None:
                return by_sound
        return found

    def _match(self, key: str, written: str) -> Match:
        if not key or not self._keys:
            return Match(None, 0, written)
        if key in self._keys:
            return Match(self._targets[self._keys.index(key)], 100, written)
        name, kinds = _name_and_kind(key)
        best, best_score = None, 0.0
        for (other, other_kinds), target in zip(self._parts, self._targets, strict=True):
            if kinds and other_kinds and not kinds & other_kinds:
                continue
            score = fuzz.ratio(name, other)
            if score > best_score:
                best, best_score = target, score
        if best_score < MIN_SCORE:
            return Match(None, round(best_score, 1), written)
        return Match(best, round(best_score, 1), written)


def _name_and_kind(key: str) -> tuple[str, frozenset[str]]:
    """«каргасокский район» → («каргасокский», {"district"})."""
    words = key.split()
    name = " ".join(w for w in words if w not in _GENERIC) or key
    return name, frozenset(_KIND_OF_WORD[w] for w in words if w in _KIND_OF_WORD)


def municipality_matcher(municipalities) -> NameMatcher:
    return NameMatcher(municipalities, lambda m: [m.name, *m.aliases])
