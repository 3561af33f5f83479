"""The period of a roadmap from what a user types or a title says."""

from __future__ import annotations

import re
from datetime import date

_RANGE = re.compile(r"(20\d\d)\s*[-–—/]\s*(20\d\d|\d\d)")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def parse_period(text: str) -> tuple[date, date] | None:
    """«2023» → 2023 year; «2020-2021» / «2020 - 2021 год» → 01.01.2020–31.12.2021.

    A title like «… на 2020 - 2021 год» is read the same way; None when no year is found.
    """
    text = text or ""
    m = _RANGE.search(text)
    if m:
        start = int(m.group(1))
        end = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
        if start <= end <= start + 10:
            return date(start, 1, 1), date(end, 12, 31)
    m = _YEAR.search(text)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    return None
