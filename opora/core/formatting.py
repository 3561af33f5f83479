"""Russian formatting shared by pages and documents: plurals, dates, lists of numbers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the Russian plural form: plural(21, "школа", "школы", "школ") → «школа»."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    """«68 школ», «1 муниципалитет», «3 выезда»."""
    return f"{n} {plural(n, one, few, many)}"


def short_date(d: date | None) -> str:
    """13.03.2023"""
    return d.strftime("%d.%m.%Y") if d else ""


def long_date(d: date | None) -> str:
    """«17» июня 2020 г. — the form of dates in the body of official documents."""
    if not d:
        return ""
    return f"«{d.day:02d}» {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def document_reference(kind: str, number: str, day: date | None) -> str:
    """«распоряжение от 13.03.2023 № 352-р»"""
    parts = [kind.strip()] if kind else []
    if day:
        parts.append(f"от {short_date(day)}")
    if number:
        parts.append(f"№ {number}")
    return " ".join(parts)


def numbers_list(numbers: Iterable[int | str]) -> str:
    """School numbers as documents write them, sorted: «5, 11, 28, 38, 41, 44, 66».

    Numbers that are not integers (e.g. «2а») keep their order after the integers.
    """
    ints, others = [], []
    for n in numbers:
        s = str(n).strip()
        (ints if s.isdigit() else others).append(s)
    ordered = sorted(set(ints), key=int) + sorted(set(others))
    return ", ".join(ordered)


def academic_year(year: int) -> str:
    """2023 → «2023/2024»"""
    return f"{year}/{year + 1}"


def percent(share: float | None, digits: int = 0) -> str:
    """0.125 → «12,5 %» (Russian decimal comma, a space before the sign)."""
    if share is None:
        return "—"
    value = f"{share * 100:.{digits}f}".replace(".", ",")
    return f"{value} %"


_DATIVE = {
    "распоряжение": "распоряжению",
    "приказ": "приказу",
    "постановление": "постановлению",
    "решение": "решению",
    "указ": "указу",
    "протокол": "протоколу",
}


def dative_kind(kind: str) -> str:
    """«распоряжение ДОО ТО» → «распоряжению ДОО ТО»; «Приказ» → «приказу»."""
    if not kind:
        return ""
    first, _, rest = kind.partition(" ")
    word = _DATIVE.get(first.lower()) or _dative_word(first)
    return f"{word} {rest}".strip()


@lru_cache(maxsize=256)
def _dative_word(word: str) -> str:
    """A less common kind («решение», «определение») put in the dative by pymorphy3.

    Abbreviations and words that are not nouns in the nominative are left as written.
    """
    if not word.isalpha() or word.isupper():
        return word
    for parse in _morph().parse(word):
        if {"NOUN", "nomn"} in parse.tag:
            inflected = parse.inflect({"datv"})
            if inflected is not None:
                return inflected.word  # lower case: the kind is mid-sentence
    return word


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # loading the dictionaries takes a moment: only when a rare kind needs it

    return pymorphy3.MorphAnalyzer()


def appendix_line(kind: str, number: str, day: date | None) -> str:
    """The requisite of an approved appendix: «Приложение к распоряжению ДОО ТО от
    13.03.2023 № 352-р». The kind is stored in the nominative; its first word goes to the dative.
    """
    dative = dative_kind((kind or "").strip())
    number = (number or "").strip().lstrip("№").strip()
    if not dative and (number or day):
        dative = "документу"
    reference = document_reference(dative, number, day)
    return f"Приложение к {reference}" if reference else "Приложение"
