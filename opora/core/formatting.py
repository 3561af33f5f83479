"""Russian formatting shared by pages and documents: plurals, dates, lists of numbers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
