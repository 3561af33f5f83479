"""Target quantities stated in an event's text: «68 школьных программ», «по 3 выезда в 17 …»."""

from __future__ import annotations

import re

from opora.core.russian.dates import MONTHS_GENITIVE

_EACH = re.compile(r"по\s+(\d+)\s+([а-яё]+)\s+в\s+(\d+)\s+([а-яё]+)", re.IGNORECASE)
_PLAIN = re.compile(r"(?<![\d.№-])(\d{1,4})\s+((?:[а-яёА-ЯЁ]+\s*){1,5})")
_ADJECTIVE = re.compile(r"(ых|их|ого|его|ой|ей|ий|ый|ая|яя|ое|ее|ые|ие)$")
_NOT_UNITS = {
    "ч",
    "час",
    "часов",
    "года",
    "год",
    "г",
    "раз",
    "числа",
    *MONTHS_GENITIVE,
    "класс",
    "класса",
    "классов",
    "новостей",
}


def target_quantity(*texts: str) -> tuple[int | None, str]:
    """The quantity an event promises, and its unit as written.

    >>> target_quantity("Разработано/откорректировано 68 школьных программ")
    (68, 'школьных программ')
    >>> target_quantity("Проведено по 3 выезда в 17 муниципалитетов")
    (51, 'выезда (по 3 в 17 муниципалитетов)')
    """
    for text in texts:
        if not text:
            continue
        m = _EACH.search(text)
        if m:
            a, unit, b, where = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
            return a * b, f"{unit} (по {a} в {b} {where})"
        for m in _PLAIN.finditer(text):
            n = int(m.group(1))
            unit = _noun_phrase(m.group(2).split())
            first = unit.split()[0].lower()
            if 1900 <= n <= 2100 or first in _NOT_UNITS or n == 0:
                continue
            if unit.split()[-1].lower() in _NOT_UNITS or first.startswith("класс"):
                continue
            return n, unit
    return None, ""


def _noun_phrase(words: list[str]) -> str:
    """Adjectives up to and including the first noun: «школьных программ», «методических десанта»."""
    phrase = []
    for word in words:
        phrase.append(word)
        if word.lower() == "и":
            continue
        if not _ADJECTIVE.search(word.lower()) or word.isupper():
            break
    return " ".join(phrase)
