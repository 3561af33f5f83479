"""The period of a roadmap from what a user types or a title says, and the bounds of dates.

What a user types is read strictly (:func:`read_period`): «2020-2999», «-1» or a twenty-digit
year is refused with a Russian message, never read as something else. A title is free text and
is searched leniently (:func:`parse_period`), but a range in it that makes no sense gives no
period rather than a guessed one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

#: The years a roadmap, a report or an approval may fall in.
MIN_YEAR, MAX_YEAR = 2000, 2100
#: The longest roadmap: «Программа развития на 2020-2030 годы».
MAX_SPAN_YEARS = 10
#: How far ahead of today a report or a document may be dated (a slip of the calendar, not
#: «31.12.9999»).
MAX_DAYS_AHEAD = 366

_RANGE = re.compile(r"(?<!\d)(\d{4})\s*[-–—/]\s*(\d{4}|\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_TYPED = re.compile(
    r"^(\d{1,8})(?:\s*[-–—/]\s*(\d{1,8}))?\s*(?:г\.?|гг\.?|год|года|годы)?$", re.IGNORECASE
)
_HINT = "укажите год или годы, например 2023 или 2020-2021"


class PeriodError(ValidationError):
    """A period typed by a user that is not one (a Russian message)."""


def _range(start: int, end_text: str) -> tuple[int, int]:
    end = int(end_text)
    if len(end_text) == 2:  # «2020-21»
        end += start // 100 * 100
    return start, end


def _check_years(start: int, end: int, written: str) -> tuple[date, date]:
    for year in (start, end):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(
                f"Период «{written}»: год {year} вне допустимых {MIN_YEAR}–{MAX_YEAR}; {_HINT}."
            )
    if end < start:
        raise PeriodError(f"Период «{written}»: год окончания раньше года начала; {_HINT}.")
    if end - start > MAX_SPAN_YEARS:
        raise PeriodError(
            f"Период «{written}» длиннее {MAX_SPAN_YEARS} лет — проверьте годы; {_HINT}."
        )
    return date(start, 1, 1), date(end, 12, 31)


def read_period(text: str) -> tuple[date, date] | None:
    """A period as a user types it: «2023», «2020-2021», «2020 – 21 гг.»; empty → None.

    Anything else raises :class:`PeriodError`: «-1», «100000000000000000000», «2020-2999»,
    «2021-2020», «двадцатый».
    """
    written = " ".join((text or "").split())
    if not written:
        return None
    m = _TYPED.match(written)
    if not m or len(m.group(1)) != 4 or (m.group(2) and len(m.group(2)) not in (2, 4)):
        raise PeriodError(f"Период «{written[:40]}» не понят: {_HINT}.")
    start = int(m.group(1))
    start, end = _range(start, m.group(2)) if m.group(2) else (start, start)
    return _check_years(start, end, written[:40])


def parse_period(text: str) -> tuple[date, date] | None:
    """«2023» → 2023 year; «2020-2021» / «2020 - 2021 год» → 01.01.2020–31.12.2021.

    A title like «… на 2020 - 2021 год» is read the same way; None when no year is found, and
    when a range is written that is no period («на 2020-2999 годы»): the caller asks for one.
    """
    text = text or ""
    m = _RANGE.search(text)
    if m:
        start, end = _range(int(m.group(1)), m.group(2))
        try:
            return _check_years(start, end, m.group(0))
        except PeriodError:
            return None
    m = _YEAR.search(text)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    return None


def _ru(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def check_day(day: date | None, what: str) -> None:
    """Refuse a date outside 2000–2100 or far ahead of today: «Дата отчёта 31.12.9999 …»."""
    if day is None:
        return
    latest = timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD)
    if day.year < MIN_YEAR:
        raise ValidationError(f"{what} {_ru(day)} — раньше {MIN_YEAR} года: проверьте дату.")
    if day > latest:
        raise ValidationError(
            f"{what} {_ru(day)} — в далёком будущем: укажите дату не позже {_ru(latest)}."
        )


def check_year(year: int) -> int:
    """A year typed alone (``opora deadline --period``): 2000–2100, else a Russian message."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"Год {year} вне допустимых {MIN_YEAR}–{MAX_YEAR}.")
    return year
