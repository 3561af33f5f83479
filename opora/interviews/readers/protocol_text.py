"""Text of interview protocols: list items, page-break continuations and dates.

Example: «- провести анализ; - организовать КПК.» splits into «провести анализ» and
«организовать КПК»; «17 июня 2020 года» is ``date(2020, 6, 17)``.
"""

from __future__ import annotations

import re
from datetime import date

from opora.core.russian.dates import MONTH_GENITIVE_RE, month_number, without_weekdays

INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\ufeff"), None)
_SPACES_RE = re.compile(r"\s+")
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212•·▪◦"
_LEADING_DASH_RE = re.compile(rf"^[{DASHES}]+\s*")
_TRAILING_PUNCT_RE = re.compile(r"[\s;.,]+$")
# Boundaries inside one paragraph: «...; - следующая», «... . - следующая», «..., - следующая».
_ITEM_BOUNDARY_RE = re.compile(
    rf"(?<=[;.])\s*(?=[{DASHES}]\s)|(?<=,)\s+(?=-\s)|\n+(?=\s*[{DASHES}]\s)"
)
CLOSED_ITEM_RE = re.compile(r"[;.!?]\s*$")

_DATE_ROW_RE = re.compile(
    rf"^(?P<day>\d{{1,2}})\s+(?P<month>{MONTH_GENITIVE_RE})(?:\s+(?P<year>\d{{4}}))?"
    r"(?:\s*(?:г\.?|года?))?\s*\.?$",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(
    r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?:\s*г\.?)?$"
)
_HEADER_DATE_RE = re.compile(
    r"[«\"“„']?\s*(?P<days>\d{1,2}(?:\s*(?:,|и|-|–|—)\s*\d{1,2})*)\s*[»\"”']?\s+"
    rf"(?P<month>{MONTH_GENITIVE_RE})\s+(?P<year>\d{{4}})(?:\s*(?:г\.?|года?))?",
    re.IGNORECASE,
)
_HEADER_NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
SECTION_RE = re.compile(
    r"^(?P<name>председатель|участники|присутствовали|приглаш[её]нные|секретарь|"
    r"повестка(?:\s+дня)?|решение|решили|слушали)\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
ASSIGNMENTS_RE = re.compile(r"^поручени[яе]\b\s*(?P<rest>.*?)\s*:?\s*$", re.IGNORECASE)
NUMBERED_RE = re.compile(r"^(?P<number>\d{1,3})\s*[.)]\s*(?P<text>.*)$")
SIGNATURE_RE = re.compile(r"^(председатель|секретарь)\b|_{3,}|^/.+/$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Collapse whitespace and drop invisible characters and Markdown bold marks.

    Example: ``"**Поручения\u00a0ТОИПКРО**  "`` → ``"Поручения ТОИПКРО"``.
    """
    text = text.translate(INVISIBLE).replace("**", "")
    return _SPACES_RE.sub(" ", text).strip()


def strip_trailing(text: str) -> str:
    """Remove trailing «;», «.», «,» and spaces: ``"ДОО ТО;"`` → ``"ДОО ТО"``."""
    return _TRAILING_PUNCT_RE.sub("", text)


def starts_with_dash(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in DASHES


def starts_lowercase(text: str) -> bool:
    for char in text.lstrip():
        if char.isalpha():
            return char.islower()
        if not char.isspace():
            return False
    return False


def has_mixed_scripts(text: str) -> bool:
    """True when a word mixes Cyrillic and Latin letters, e.g. «Бакcharский» (c, h, a, r)."""
    for word in re.findall(r"\w+", text):
        has_latin = any("a" <= ch.lower() <= "z" for ch in word)
        has_cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if has_latin and has_cyrillic:
            return True
    return False


def clean_recommendation(raw: str) -> str:
    """Turn a raw list item into clean text.

    The leading dash is removed, the trailing «;» / «.» is removed, whitespace is collapsed;
    the first letter stays as written.

    Example: ``"- организовать работу с кадровым резервом; "`` →
    ``"организовать работу с кадровым резервом"``.
    """
    text = normalise(raw)
    text = _LEADING_DASH_RE.sub("", text)
    return strip_trailing(text)


def _split_raw(text: str) -> list[str]:
    """Split one paragraph at the «; -» boundaries, keeping the raw pieces.

    Example: ``"- провести анализ; - организовать КПК."`` →
    ``["- провести анализ;", "- организовать КПК."]``.
    """
    pieces = [piece.strip() for piece in _ITEM_BOUNDARY_RE.split(text)]
    return [piece for piece in pieces if piece and clean_recommendation(piece)]


class ItemCollector:
    """Collects list items from consecutive paragraphs, joining an item cut by a page break.

    A paragraph without a leading dash continues the previous item when that item is not closed
    by «;» or «.»: ``"- проводить анализ прохождения курсов повышения"`` followed by
    ``"квалификации педагогами с учётом качества;"`` is one item.
    """

    def __init__(self) -> None:
        self.raw_items: list[str] = []

    def feed(self, text: str, *, is_list_item: bool = False) -> None:
        text = text.translate(INVISIBLE).replace("**", "").strip()
        if not normalise(text):
            return
        pieces = _split_raw(text)
        if not pieces:
            return
        first = pieces[0]
        if (
            self.raw_items
            and not starts_with_dash(first)
            and not CLOSED_ITEM_RE.search(self.raw_items[-1])
            and (not is_list_item or starts_lowercase(first))
        ):
            self.raw_items[-1] = f"{self.raw_items[-1]}\n{first}"
            pieces = pieces[1:]
        self.raw_items.extend(pieces)

    def last_is_open(self) -> bool:
        return bool(self.raw_items) and not CLOSED_ITEM_RE.search(self.raw_items[-1])


def split_recommendations(cell_text: str) -> list[str]:
    """Split the text of a recommendations cell into clean recommendations.

    Works both for one paragraph with «; -» separators and for list items on separate lines
    (as ``cell.text`` gives them); a line without a dash continues an unfinished item.

    Example: ``"- провести анализ; - организовать КПК; - вести работу."`` →
    ``["провести анализ", "организовать КПК", "вести работу"]``.
    """
    collector = ItemCollector()
    for line in cell_text.splitlines():
        collector.feed(line)
    return [clean_recommendation(raw) for raw in collector.raw_items]


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def parse_date_row(text: str, default_year: int | None) -> date | None:
    """Parse a date row of the table: ``"17 июня 2020 года"`` → ``date(2020, 6, 17)``;
    a weekday in brackets is allowed: «18 июня 2024 г. (вторник)»."""
    text = without_weekdays(normalise(text))
    match = _DATE_ROW_RE.match(text)
    try:
        if match:
            year = int(match["year"]) if match["year"] else default_year
            if year is None:
                return None
            return date(year, month_number(match["month"]), int(match["day"]))
        match = _NUMERIC_DATE_RE.match(text)
        if match:
            return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return None


_DATED_NAME_RE = re.compile(r"^(?P<name>.+?)\s*[(,–—-]\s*(?P<date>[^()]{6,40}?)\s*\)?\s*:?\s*$")


def dated_name(text: str, default_year: int | None) -> tuple[str, date | None]:
    """A municipality's heading with its interview's date: «Искитимский район (17 июня 2024
    г.):» → («Искитимский район», 17.06.2024); a heading without a date is returned as is."""
    match = _DATED_NAME_RE.match(normalise(text))
    if match:
        found = parse_date_row(match["date"], default_year)
        if found is not None:
            return match["name"].strip(" :,"), found
    return text, None


def parse_header_dates(text: str) -> tuple[list[date], int, int] | None:
    """Find the protocol dates in a header line.

    Example: ``"«17, 18, 19, 22» июня 2020 г."`` →
    ``[date(2020, 6, 17), date(2020, 6, 18), date(2020, 6, 19), date(2020, 6, 22)]``;
    a range ``"17–19 июня 2020 г."`` gives three dates.  Also returns the span of the match.
    """
    match = _HEADER_DATE_RE.search(text)
    if match:
        month = month_number(match["month"])
        year = int(match["year"])
        days: list[int] = []
        for part in re.split(r"\s*(?:,|\bи\b)\s*", match["days"]):
            bounds = [int(x) for x in re.split(r"\s*[-–—]\s*", part.strip()) if x]
            if len(bounds) == 2 and bounds[0] <= bounds[1]:
                days.extend(range(bounds[0], bounds[1] + 1))
            else:
                days.extend(bounds)
        try:
            dates = sorted({date(year, month, day) for day in days})
        except ValueError:
            return None
        return dates, match.start(), match.end()
    match = _HEADER_NUMERIC_DATE_RE.search(text)
    if match:
        try:
            found = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
        return [found], match.start(), match.end()
    return None
