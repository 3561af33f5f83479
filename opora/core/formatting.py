"""Numbers and references as pages and documents write them: percentages, lists of school
numbers, academic years, «распоряжение от 13.03.2023 № 352-р».

Russian words — plurals, dates, declension — are in :mod:`opora.core.russian`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from opora.core.russian.dates import short_date
from opora.core.russian.inflect import dative_kind


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


def quoted(title: str) -> str:
    """A title in quotes; quotes inside it become the inner kind, as Russian nests them:
    «„Дорожная карта“ по реализации региональной программы „Повышение качества образования“»,
    not ««Дорожная карта» по реализации … образования»».
    """
    inner = title.strip().replace("«", "„").replace("»", "“")
    return f"«{inner}»"


def academic_year(year: int) -> str:
    """2023 → «2023/2024»"""
    return f"{year}/{year + 1}"


def percent(share: float | None, digits: int = 0) -> str:
    """0.125 → «12,5 %» (Russian decimal comma, a space before the sign).

    Halves round up, as people round by hand: 0.325 → «33 %», 0.125 → «13 %» (Python's
    ``format`` rounds half to even and also trips over binary fractions: 32.5 → «32»).
    The share goes through its shortest decimal repr so that 0.325 is 32.5, not 32.49999….
    """
    if share is None:
        return "—"
    exact = Decimal(repr(float(share))) * 100
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    value = f"{rounded:.{digits}f}".replace(".", ",")
    if value.startswith("-") and rounded == 0:
        value = value[1:]
    return f"{value} %"


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
