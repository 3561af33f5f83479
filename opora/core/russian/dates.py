"""Russian months and dates as officials write them.

The one month table: readers find «17 июня 2020 года», «Май-июнь 2021» or «сент. 2023» in
documents, and documents write «17» июня 2020 г. back.

>>> month_number("июня"), month_number("Сентябрь"), month_number("мае"), month_number("дек")
(6, 9, 5, 12)
>>> long_date(date(2020, 6, 17))
'«17» июня 2020 г.'
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

#: «17 июня»: months in the genitive, as they follow a day.
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
#: «декабрь 2026»: months in the nominative, as a month is named on its own.
MONTHS_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
#: A regular-expression alternative of the genitive names: «(?P<month>{MONTH_GENITIVE_RE})».
MONTH_GENITIVE_RE = "|".join(MONTHS_GENITIVE)

# Every case of a month but May starts with its stem: «январь», «января», «январе» …
_MONTH_STEMS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_MONTH_WORDS = {
    **dict.fromkeys(("май", "мая", "мае", "маю", "маем"), 5),
    **{"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9},
    **{"окт": 10, "ноя": 11, "нояб": 11, "дек": 12},
}


def month_number(word: str) -> int | None:
    """The month a word names, in any case or abbreviated; None for any other word.

    >>> month_number("Января"), month_number("апреле"), month_number("февр")
    (1, 4, 2)
    >>> month_number("мартовский") is None  # an adjective, not a month
    True
    """
    word = word.lower()
    if word in _MONTH_WORDS:
        return _MONTH_WORDS[word]
    for stem, month in _MONTH_STEMS.items():
        # A short ending only: «мартовский» is an adjective, not a month.
        if word.startswith(stem) and len(word) - len(stem) <= 3:
            return month
    return None


def short_date(d: date | None) -> str:
    """13.03.2023"""
    return d.strftime("%d.%m.%Y") if d else ""


def long_date(d: date | None) -> str:
    """«17» июня 2020 г. — the form of dates in the body of official documents."""
    if not d:
        return ""
    return f"«{d.day:02d}» {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def row_date(day: date) -> str:
    """A date in a row of a table: «17 июня 2020 года»."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def date_line(dates: Sequence[date]) -> str:
    """Several days as the header of a protocol writes them: «17, 18, 19, 22» июня 2020 г.

    Dates in two months: «30» июня, «01, 02» июля 2020 г.
    """
    if not dates:
        return ""
    groups: OrderedDict[tuple[int, int], list[int]] = OrderedDict()
    for d in sorted(set(dates)):
        groups.setdefault((d.year, d.month), []).append(d.day)
    years = {year for year, _ in groups}
    parts = []
    for (year, month), days in groups.items():
        part = f"«{', '.join(f'{day:02d}' for day in days)}» {MONTHS_GENITIVE[month - 1]}"
        if len(years) > 1:
            part += f" {year} г."
        parts.append(part)
    line = ", ".join(parts)
    if len(years) == 1:
        line += f" {years.pop()} г."
    return line


def month_title(year: int, month: int) -> str:
    """A month on its own, as a heading names it.

    >>> month_title(2026, 12)
    'декабрь 2026'
    """
    return f"{MONTHS_NOMINATIVE[month - 1]} {year}"


def day_text(d: date | None) -> str:
    """A date in running text: «17 июня 2020 г.»."""
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г." if d else ""


#: «(четверг)», «(пт)», «(ср, чт)»: the weekday of a date says nothing more about it.
WEEKDAY_BRACKETS = re.compile(
    r"\(\s*(?:(?:понедельник|вторник|сред[аиуы]|четверг|пятниц[аиуы]|суббот[аиуы]|"
    r"воскресень[ея]|пн|вт|ср|чт|пт|сб|вс)\.?\s*[,;и\-–]?\s*)+\)",
    re.IGNORECASE,
)


def without_weekdays(text: str) -> str:
    """«18 июня 2024 г. (вторник)» → «18 июня 2024 г.»."""
    plain = WEEKDAY_BRACKETS.sub(" ", text)
    return " ".join(plain.split()) if plain != text else text
