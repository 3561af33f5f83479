"""Parsing of free-text Russian roadmap deadlines (the «Сроки» column).

Roadmaps are written by hand in Word, so the same idea arrives in many spellings:
``"Май-июнь 2021 Май-июнь 2022"``, ``"До 16.06.2020"``, ``"20–21 апреля 2023г., октябрь 2023г."``,
``"ежемесячно"``, ``"По отдельному графику"``. :func:`parse_deadline` turns such a string into a
:class:`Schedule` and never raises: whatever it cannot read confidently becomes
``DeadlineKind.UNKNOWN`` with a Russian explanation in ``note``, so that a person can fix the text
instead of the system silently guessing a wrong date.

Only the standard library and the month names of :mod:`opora.core.russian.dates` are used, so
the module can be imported from management commands, imports of seed documents and tests without
Django.

>>> parse_deadline("Сентябрь 2020 - апрель 2021").periods
(Period(start=datetime.date(2020, 9, 1), end=datetime.date(2021, 4, 30)),)
"""

import calendar
import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from opora.core.russian.dates import WEEKDAY_BRACKETS, month_number

__all__ = [
    "DeadlineKind",
    "Period",
    "Recurrence",
    "Schedule",
    "parse_deadline",
]


@dataclass(frozen=True)
class Period:
    """A closed range of days, both ends included.

    For «Май-июнь 2021» it is ``Period(date(2021, 5, 1), date(2021, 6, 30))``.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        # Every consumer (overdue checks, calendars) relies on this; failing early is cheaper than
        # debugging an inverted range in a report.
        if self.start > self.end:
            raise ValueError(f"Period start {self.start} is after its end {self.end}")


class DeadlineKind(StrEnum):
    """What sort of deadline the text describes."""

    DATE = "date"  # «До 16.06.2020», «16.06.2020»: due by a day
    PERIOD = "period"  # «Май-июнь 2021», «20–21 апреля 2023г., октябрь 2023г.»
    RECURRING = "recurring"  # «ежемесячно», «июнь- август 2020, далее - ежегодное обновление»
    CONTINUOUS = "continuous"  # «постоянно», «В течение года»
    BY_SCHEDULE = "by_schedule"  # «По отдельному графику»
    UNKNOWN = "unknown"


class Recurrence(StrEnum):
    """How often a recurring activity is reported («ежемесячно», «ежеквартально», «ежегодно»)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


@dataclass(frozen=True)
class Schedule:
    """The result of reading one deadline text, e.g. «Май-июнь 2021 Май-июнь 2022».

    ``periods`` is empty for ``BY_SCHEDULE`` and ``UNKNOWN``, and also for ``RECURRING`` and
    ``CONTINUOUS`` deadlines («ежемесячно», «постоянно») parsed without a roadmap period: they are
    understood, there is just no span to attach them to.
    """

    text: str
    kind: DeadlineKind
    periods: tuple[Period, ...]
    recurrence: Recurrence | None
    understood: bool
    note: str = ""

    @property
    def due(self) -> date | None:
        """The last day of the latest period: «До мая 2021» is due on 30.04.2021."""
        if not self.periods:
            return None
        return max(period.end for period in self.periods)

    def to_dict(self) -> dict:
        """A JSON-ready form, e.g. for «Август 2020»::

        {"text": "Август 2020", "kind": "period",
         "periods": [{"start": "2020-08-01", "end": "2020-08-31"}],
         "recurrence": None, "understood": True}
        """
        return {
            "text": self.text,
            "kind": self.kind.value,
            "periods": [
                {"start": period.start.isoformat(), "end": period.end.isoformat()}
                for period in self.periods
            ],
            "recurrence": self.recurrence.value if self.recurrence else None,
            "understood": self.understood,
        }

    def occurrences(self) -> list[Period]:
        """Reporting periods: for «ежеквартально» in 2023 these are the four quarters of 2023.

        Recurring deadlines are cut along calendar months, quarters or years and clipped to
        ``periods``; any other deadline simply returns its periods.
        """
        if self.recurrence is None:
            return list(self.periods)
        result: list[Period] = []
        for period in self.periods:
            cursor = period.start
            while True:
                unit_end = _unit_end(cursor, self.recurrence)
                result.append(Period(cursor, min(unit_end, period.end)))
                if unit_end >= period.end:
                    break
                cursor = unit_end + timedelta(days=1)
        return result


def parse_deadline(text: str, period: tuple[date, date] | None = None) -> Schedule:
    """Read a free-text Russian deadline such as «Сентябрь 2020 - апрель 2021».

    ``period`` is the roadmap's own (start, end). It supplies the year when the text has none
    («IV квартал», «Август - октябрь»), choosing the year that puts the deadline inside the
    roadmap, so «март» in a 2023–2024 school-year roadmap means March 2024. It is also the span
    of «ежемесячно», «постоянно» and «В течение года», and the start of a «До …» deadline
    (whose end is the due day).

    Recognised forms include months and month ranges with or without «г.»/«года», single dates
    and date ranges, «до …», «до конца …», «с … по …», quarters and half-years (Roman or Arabic
    numbers), years and year ranges, school years («2023-2024 уч. год», «2020/21»),
    «ежемесячно»/«ежеквартально»/«ежегодно» (optionally after a period with «далее»),
    «постоянно»/«в течение года» and «по отдельному графику». Weekly and daily activities
    («еженедельно») are reported monthly, the finest :class:`Recurrence`.

    It never raises: text it cannot read, or that needs a year while no ``period`` is given,
    gives ``kind=UNKNOWN``, ``understood=False``, no periods and a Russian ``note``.

    >>> parse_deadline("До 16.06.2020").due
    datetime.date(2020, 6, 16)
    >>> parse_deadline("IV квартал", (date(2023, 9, 1), date(2024, 8, 31))).periods
    (Period(start=datetime.date(2023, 10, 1), end=datetime.date(2023, 12, 31)),)
    >>> parse_deadline("ежемесячно").kind
    <DeadlineKind.RECURRING: 'recurring'>
    >>> parse_deadline("когда-нибудь").note
    'Не удалось распознать срок: «когда-нибудь»'
    """
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    roadmap = _roadmap_period(period)
    try:
        plain = _plain(raw)
        if plain == raw:
            return _parse(raw, roadmap)
        return dataclasses.replace(_parse(plain, roadmap), text=raw)
    except _ParseError as error:
        return _unknown(raw, error.reason)
    except (ValueError, OverflowError):
        # Impossible calendar dates («31.02.2021») surface here from the date constructor.
        return _unknown(raw, "такой даты нет в календаре")


# --- Parsing internals -----------------------------------------------------------------------


#: «в период с 10 по 14 октября», «в течение периода с …»: the words before «с … по …».
_PERIOD_WORDS = re.compile(r"\b(?:в\s+)?(?:течение\s+)?период[аеу]?\s+(?=с\s)", re.IGNORECASE)


def _plain(text: str) -> str:
    """The text without weekday brackets and the words «в период» before «с … по …»."""
    plain = _PERIOD_WORDS.sub("", WEEKDAY_BRACKETS.sub(" ", text))
    return " ".join(plain.split()) if plain != text else text


class _ParseError(Exception):
    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


_NEED_YEAR = "не указан год, а период дорожной карты не задан"


class _Token(NamedTuple):
    kind: str
    value: object = None
    text: str = ""


@dataclass(frozen=True)
class _Ref:
    """A point or span of time as written, possibly without its year.

    ``bare`` is a lone number on the left of a range («20–21 апреля», «I-II квартал») that borrows
    everything but itself from the right-hand side.
    """

    unit: str  # day | month | quarter | half | year | bare
    year: int | None = None
    month: int | None = None
    day: int | None = None
    index: int | None = None
    last_year: int | None = None
    academic: bool = False
    ordinal: bool = False


@dataclass(frozen=True)
class _Item:
    mode: str  # single | range | from | by | by_end | by_begin
    left: _Ref | None
    right: _Ref | None


_BY_MODES = frozenset({"by", "by_end", "by_begin"})

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# «і» is the Ukrainian/Belarusian letter that Word sometimes substitutes for a Latin Roman «I».
_CHAR_TABLE = str.maketrans({**dict.fromkeys(_DASHES, "-"), "ё": "е", "і": "i"})

# Multi-word phrases are collapsed into single keywords before tokenising, so that the grammar
# below only ever looks at one word at a time.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    # «1-й квартал», «2-е полугодие»: the ordinal ending carries no information.
    (re.compile(r"([0-9])-?(?:ый|ий|ой|й|ое|ее|е|го|ого|ом)\b"), r"\1"),
    (re.compile(r"\bне\s+(?:позднее|позже)\b"), " до "),
    (re.compile(r"\bначиная\s+(?:с|со)\b"), " с "),
    (re.compile(r"\bв\s+соответствии\s+(?:с|со)\b"), " по "),
    # «до 5 числа» makes sense only as a monthly reporting deadline.
    (re.compile(r"\b(?:до|к)\s+[0-9]{1,2}\s+числа(?:\s+кажд\w*\s+месяца)?"), " ежемесячно "),
    (re.compile(r"\b(?:(?:один|1)\s+)?раз\s+в\s+месяц\b"), " ежемесячно "),
    (re.compile(r"\b(?:(?:один|1)\s+)?раз\s+в\s+квартал\b"), " ежеквартально "),
    (re.compile(r"\b(?:(?:один|1)\s+)?раз\s+в\s+год\b"), " ежегодно "),
    (re.compile(r"\bкажд\w*\s+месяц\w*"), " ежемесячно "),
    (re.compile(r"\bкажд\w*\s+квартал\w*"), " ежеквартально "),
    (re.compile(r"\bкажд\w*\s+год\w*"), " ежегодно "),
    # Only a year *without a number* is the roadmap's own year; «в течение 2023 года» is not.
    (
        re.compile(
            r"\b(?:в\s+течение|на\s+протяжении)\s+(?:всего\s+)?"
            r"(?:текущего\s+|календарного\s+|учебного\s+)?(?:года|периода|срока)\b"
        ),
        " постоянно ",
    ),
    (re.compile(r"\bвесь\s+период\b"), " постоянно "),
    (re.compile(r"\bа\s+также\b"), " , "),
)

_TOKEN_RE = re.compile(
    r"(?P<iso>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?![0-9])"
    r"|(?P<date>[0-9]{1,2}\.[0-9]{1,2}(?:\.(?:[0-9]{4}|[0-9]{2}))?)(?![0-9])"
    r"|(?P<num>[0-9]+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<dash>-)"
    r"|(?P<sep>[,;+&])"
    r"|(?P<slash>/)"
    r"|(?P<space>\s+)"
    r"|(?P<ignored>[.()\[\]«»\"'„“”‘’:!?*])"
    r"|(?P<junk>.)",
    re.DOTALL,
)

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_RE = re.compile(
    r"^(?:(перв|втор|четверт)(?:ый|ой|ое|ого|ом|ая|ую)|(трет)(?:ий|ье|ьего|ьем|ья|ью))$"
)
_ORDINAL_STEMS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4}

_RECURRENCE_PREFIXES = (
    ("ежемесячн", Recurrence.MONTHLY),
    ("ежеквартальн", Recurrence.QUARTERLY),
    ("ежегодн", Recurrence.YEARLY),
    ("еженедельн", Recurrence.MONTHLY),
    ("ежедневн", Recurrence.MONTHLY),
    ("ежедекадн", Recurrence.MONTHLY),
)
_CONTINUOUS_PREFIXES = ("постоянн", "круглогодичн")
_CONTINUOUS_WORDS = frozenset({"постоянно", "систематически", "регулярно", "непрерывно"})
_SCHEDULE_WORDS = frozenset(
    {
        "запросу",
        "запросам",
        "заявкам",
        "заявке",
        "необходимости",
        "согласованию",
        "потребности",
    }
)

_KEYWORDS = {
    **dict.fromkeys(("г", "гг", "год", "года", "году", "годом", "годы", "годов", "годах"), "yearw"),
    **dict.fromkeys(
        ("уч", "учеб", "учебн", "учебный", "учебного", "учебном", "учебному", "учебные"), "acad"
    ),
    **dict.fromkeys(("квартал", "квартала", "квартале", "кварталы", "кв"), "quarterw"),
    **dict.fromkeys(("полугодие", "полугодия", "полугодии", "полугодье", "полугодья"), "halfw"),
    **dict.fromkeys(("до", "к", "ко"), "by"),
    **dict.fromkeys(("конца", "конец", "концу", "окончания", "окончанию"), "end"),
    **dict.fromkeys(("начала", "начало", "началу"), "begin"),
    **dict.fromkeys(("с", "со"), "from"),
    "по": "to",
    **dict.fromkeys(("далее", "затем", "дальнейшем", "впоследствии", "потом"), "then"),
    **dict.fromkeys(("и", "а"), "sep"),
    **dict.fromkeys(
        (
            "в",
            "во",
            "на",
            "течение",
            "протяжении",
            "срок",
            "сроки",
            "срока",
            "включительно",
            "текущего",
            "текущий",
            "текущем",
            "этого",
            "календарного",
            "календарный",
            "всего",
            "также",
        ),
        "noise",
    ),
}

# Tokens next to a recurrence/continuity/schedule keyword that belong to its phrase
# («далее - ежегодное обновление», «по отдельному графику») rather than to a date.
_ANCHORS = frozenset({"recur", "cont", "sched"})
_SOFT = frozenset({"word", "then", "to", "dash", "sep"}) | _ANCHORS

_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _roadmap_period(period: tuple[date, date] | None) -> Period | None:
    if period is None:
        return None
    start, end = (d.date() if isinstance(d, datetime) else d for d in period)
    # A reversed roadmap period is a data-entry slip, not a reason to reject every deadline in it.
    if start > end:
        start, end = end, start
    return Period(start, end)


def _unknown(raw: str, reason: str) -> Schedule:
    shown = " ".join(raw.split())
    if not shown:
        note = "Не удалось распознать срок: срок не указан"
    elif reason:
        note = f"Не удалось распознать срок: «{shown}» — {reason}"
    else:
        note = f"Не удалось распознать срок: «{shown}»"
    return Schedule(
        text=raw,
        kind=DeadlineKind.UNKNOWN,
        periods=(),
        recurrence=None,
        understood=False,
        note=note,
    )


def _normalize(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).lower().translate(_CHAR_TABLE)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


def _classify_word(word: str) -> _Token:
    if word in _KEYWORDS:
        return _Token(_KEYWORDS[word], None, word)
    month = month_number(word)
    if month is not None:
        return _Token("month", month, word)
    if word in _ROMAN:
        return _Token("ord", _ROMAN[word], word)
    match = _ORDINAL_RE.match(word)
    if match:
        return _Token("ord", _ORDINAL_STEMS[match.group(1) or match.group(2)], word)
    for prefix, recurrence in _RECURRENCE_PREFIXES:
        if word.startswith(prefix):
            return _Token("recur", recurrence, word)
    if word in _CONTINUOUS_WORDS or word.startswith(_CONTINUOUS_PREFIXES):
        return _Token("cont", None, word)
    if word.startswith("график") or word in _SCHEDULE_WORDS:
        return _Token("sched", None, word)
    return _Token("word", None, word)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "ignored"):
            continue
        if kind == "iso":
            year, month, day = (int(part) for part in value.split("-"))
            tokens.append(_Token("date", (day, month, year), value))
        elif kind == "date":
            parts = [int(part) for part in value.split(".")]
            year = None
            if len(parts) == 3:
                year = parts[2] + 2000 if parts[2] < 100 else parts[2]
            tokens.append(_Token("date", (parts[0], parts[1], year), value))
        elif kind == "num":
            tokens.append(_Token("num", int(value), value))
        elif kind == "word":
            token = _classify_word(value)
            if token.kind != "noise":
                tokens.append(token)
        else:
            tokens.append(_Token(kind, None, value))
    return tokens


def _strip_anchors(tokens: list[_Token]) -> list[_Token]:
    """Drop keyword phrases, leaving only the dates: «июнь 2020, далее - ежегодно» → «июнь 2020»."""
    remove = [False] * len(tokens)
    for index, token in enumerate(tokens):
        if token.kind not in _ANCHORS:
            continue
        remove[index] = True
        left = index - 1
        while left >= 0 and tokens[left].kind in _SOFT:
            remove[left] = True
            left -= 1
        right = index + 1
        while right < len(tokens) and tokens[right].kind in _SOFT:
            remove[right] = True
            right += 1
    result: list[_Token] = []
    for token, removed in zip(tokens, remove, strict=True):
        if not removed:
            result.append(token)
        elif result and result[-1].kind != "sep":
            # What stood on either side of the phrase are separate items, not one range.
            result.append(_Token("sep"))
    return result


class _Cursor:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def kind(self, offset: int = 0) -> str | None:
        token = self.peek(offset)
        return token.kind if token else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def skip(self, kind: str) -> None:
        while self.kind() == kind:
            self.pos += 1


def _is_year(token: _Token | None) -> bool:
    return (
        token is not None
        and token.kind == "num"
        and len(token.text) == 4
        and _MIN_YEAR <= token.value <= _MAX_YEAR
    )


def _parse_year(cursor: _Cursor) -> int | None:
    if not _is_year(cursor.peek()):
        return None
    year = cursor.take().value
    cursor.skip("yearw")
    return year


def _parse_years(cursor: _Cursor) -> _Ref:
    """«2020», «2020-2021», «2021-2024г.г.», «2023-2024 уч. год», «2020/21»."""
    first = cursor.take().value
    last = None
    slash = False
    link, following = cursor.peek(), cursor.peek(1)
    if link and link.kind in ("dash", "slash") and following and following.kind == "num":
        if len(following.text) == 4:
            last = following.value
        elif len(following.text) == 2:
            last = first // 100 * 100 + following.value
        if last is not None:
            cursor.pos += 2
            slash = link.kind == "slash"
    cursor.skip("yearw")
    academic = slash
    if cursor.kind() == "acad":
        cursor.take()
        cursor.skip("yearw")
        academic = True
    if last is not None and last < first:
        raise _ParseError("год окончания раньше года начала")
    if academic and (last is None or last == first):
        # «2023 учебный год» could mean 2022/23 or 2023/24; guessing would misplace a year.
        raise _ParseError("учебный год нужно указать двумя годами, например «2023-2024»")
    if slash and last != first + 1:
        raise _ParseError("учебный год через «/» должен состоять из соседних лет")
    return _Ref("year", year=first, last_year=last, academic=academic)


def _parse_ref(cursor: _Cursor, relative: bool = False) -> _Ref | None:
    """One time reference; ``relative`` allows a yearless «года» as in «до конца года»."""
    token = cursor.peek()
    if token is None:
        return None
    following = cursor.kind(1)
    if token.kind == "date":
        cursor.take()
        day, month, year = token.value
        cursor.skip("yearw")
        return _Ref("day", year=year, month=month, day=day)
    if token.kind == "num" and following == "month" and len(token.text) <= 2:
        cursor.take()
        month = cursor.take().value
        return _Ref("day", year=_parse_year(cursor), month=month, day=token.value)
    if token.kind == "month":
        cursor.take()
        return _Ref("month", year=_parse_year(cursor), month=token.value)
    if token.kind in ("ord", "num") and following in ("quarterw", "halfw"):
        unit, limit = ("quarter", 4) if following == "quarterw" else ("half", 2)
        if not 1 <= token.value <= limit:
            raise _ParseError(
                "нет такого квартала" if unit == "quarter" else "нет такого полугодия"
            )
        cursor.pos += 2
        return _Ref(unit, year=_parse_year(cursor), index=token.value)
    if _is_year(token):
        return _parse_years(cursor)
    if not relative:
        return None
    if token.kind == "yearw":
        # «до конца года»: the year is the roadmap's.
        cursor.take()
        cursor.skip("yearw")
        return _Ref("year")
    if token.kind == "acad" and following == "yearw":
        cursor.take()
        cursor.skip("yearw")
        return _Ref("year", academic=True)
    return None


def _parse_ref_or_bare(cursor: _Cursor) -> _Ref | None:
    ref = _parse_ref(cursor)
    if ref is not None:
        return ref
    token = cursor.peek()
    if token is not None and token.kind == "num" and len(token.text) <= 2 and token.value >= 1:
        cursor.take()
        return _Ref("bare", index=token.value)
    if token is not None and token.kind == "ord":
        cursor.take()
        return _Ref("bare", index=token.value, ordinal=True)
    return None


def _require(ref: _Ref | None) -> _Ref:
    if ref is None:
        raise _ParseError()
    return ref


def _parse_item(cursor: _Cursor) -> _Item:
    token = cursor.take()
    if token.kind in ("by", "to"):
        # «по 31.05.2024» on its own is inclusive, like «до конца мая».
        mode = "by" if token.kind == "by" else "by_end"
        if cursor.kind() == "end":
            cursor.take()
            mode = "by_end"
        elif cursor.kind() == "begin":
            cursor.take()
            mode = "by_begin"
        return _Item(mode, None, _require(_parse_ref(cursor, relative=True)))
    if token.kind == "from":
        left = _require(_parse_ref_or_bare(cursor))
        if cursor.kind() in ("to", "by", "dash"):
            cursor.take()
            if cursor.kind() == "end":
                cursor.take()
            return _Item("range", left, _require(_parse_ref(cursor)))
        if left.unit == "bare":
            raise _ParseError()
        return _Item("from", left, None)
    cursor.pos -= 1
    left = _require(_parse_ref_or_bare(cursor))
    if cursor.kind() == "dash":
        cursor.take()
        return _Item("range", left, _require(_parse_ref(cursor)))
    if left.unit == "bare":
        raise _ParseError()
    return _Item("single", None, left)


def _parse_items(tokens: list[_Token]) -> list[_Item]:
    cursor = _Cursor(tokens)
    items: list[_Item] = []
    while cursor.peek() is not None:
        if cursor.kind() == "sep":
            cursor.take()
            continue
        items.append(_parse_item(cursor))
    return items


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _span(ref: _Ref, year: int) -> tuple[date, date]:
    match ref.unit:
        case "day":
            day = date(year, ref.month, ref.day)
            return day, day
        case "month":
            return date(year, ref.month, 1), _month_end(year, ref.month)
        case "quarter":
            first = 3 * ref.index - 2
            return date(year, first, 1), _month_end(year, first + 2)
        case "half":
            first = 6 * ref.index - 5
            return date(year, first, 1), _month_end(year, first + 5)
        case _:
            if ref.academic:
                last = ref.last_year if ref.last_year is not None else year + 1
                return date(year, 9, 1), date(last, 8, 31)
            last = ref.last_year if ref.last_year is not None else year
            return date(year, 1, 1), date(last, 12, 31)


def _borrow(bare: _Ref, right: _Ref) -> _Ref:
    """«20–21 апреля»: the lone «20» takes the month and year of «21 апреля»."""
    if right.unit == "day" and not bare.ordinal:
        return _Ref("day", year=right.year, month=right.month, day=bare.index)
    if right.unit in ("quarter", "half"):
        return _Ref(right.unit, year=right.year, index=bare.index)
    raise _ParseError()


def _has_year(item: _Item) -> bool:
    return any(
        ref is not None and ref.unit != "bare" and ref.year is not None
        for ref in (item.left, item.right)
    )


def _item_period(item: _Item, year: int | None, roadmap: Period | None) -> Period:
    """Resolve one item; ``year`` fills in a year the text left out."""
    if item.mode == "from":
        start, _ = _span(item.left, _year_or_fail(item.left.year, year))
        if roadmap is None or roadmap.end < start:
            raise _ParseError("не указано окончание периода")
        return Period(start, roadmap.end)

    right, left = item.right, item.left
    right_year = right.year
    if right_year is None and left is not None and left.unit != "bare" and left.year is not None:
        # «с сентября 2020 по май»: the end follows the start, into the next year if needed.
        right_year = left.year
        if _span(right, right_year)[1] < _span(left, left.year)[0]:
            right_year += 1
    right_year = _year_or_fail(right_year, year)
    right_start, right_end = _span(right, right_year)

    if item.mode in _BY_MODES:
        if item.mode == "by_end" or (item.mode == "by" and right.unit == "day"):
            due = right_end
        else:
            # «до мая 2021» means before May begins.
            due = right_start - timedelta(days=1)
        start = roadmap.start if roadmap is not None and roadmap.start <= due else due
        return Period(start, due)

    if left is None:
        return Period(right_start, right_end)

    if left.unit == "bare":
        left_start, _ = _span(_borrow(left, right), right_year)
    else:
        left_year = left.year
        if left_year is None:
            # «Декабрь - январь 2024»: a start later than the end belongs to the year before.
            left_year = right_year
            if _span(left, left_year)[0] > right_end:
                left_year -= 1
        left_start, _ = _span(left, left_year)
    if left_start > right_end:
        raise _ParseError("окончание периода раньше его начала")
    return Period(left_start, right_end)


def _year_or_fail(explicit: int | None, fallback: int | None) -> int:
    if explicit is not None:
        return explicit
    if fallback is None:
        raise _ParseError(_NEED_YEAR)
    return fallback


def _item_in_roadmap(item: _Item, roadmap: Period | None) -> Period:
    """Pick the year for a yearless item so that it lands inside the roadmap if it can."""
    if roadmap is None:
        raise _ParseError(_NEED_YEAR)
    overlapping = None
    # The year before the start is tried too: «до конца учебного года» in a calendar-2023
    # roadmap is the 2022/23 school year.
    first = max(roadmap.start.year - 1, 1)
    last = min(roadmap.end.year, 9998)
    for year in range(first, last + 1):
        try:
            period = _item_period(item, year, roadmap)
        except (ValueError, OverflowError):
            continue  # «29 февраля» exists only in leap years
        if roadmap.start <= period.start and period.end <= roadmap.end:
            return period
        if overlapping is None and period.start <= roadmap.end and roadmap.start <= period.end:
            overlapping = period
    if overlapping is not None:
        return overlapping
    return _item_period(item, roadmap.start.year, roadmap)


def _resolve_items(items: list[_Item], roadmap: Period | None) -> list[Period]:
    resolved: list[Period | None] = [
        _item_period(item, None, roadmap) if _has_year(item) else None for item in items
    ]
    # «март, май 2023»: a yearless item shares the year written after it, as in ordinary prose.
    following: Period | None = None
    for index in reversed(range(len(items))):
        if resolved[index] is not None:
            following = resolved[index]
            continue
        if following is None:
            continue
        year = following.end.year
        period = _item_period(items[index], year, roadmap)
        if period.end > following.end:
            period = _item_period(items[index], year - 1, roadmap)
        resolved[index] = following = period
    preceding: Period | None = None
    for index, item in enumerate(items):
        if resolved[index] is None:
            if preceding is None:
                resolved[index] = _item_in_roadmap(item, roadmap)
            else:
                year = preceding.end.year
                period = _item_period(item, year, roadmap)
                if period.end < preceding.end:
                    period = _item_period(item, year + 1, roadmap)
                resolved[index] = period
        preceding = resolved[index]
    return [period for period in resolved if period is not None]


def _unit_end(day: date, recurrence: Recurrence) -> date:
    match recurrence:
        case Recurrence.MONTHLY:
            return _month_end(day.year, day.month)
        case Recurrence.QUARTERLY:
            return _month_end(day.year, (day.month - 1) // 3 * 3 + 3)
        case _:
            return date(day.year, 12, 31)


def _continuation(
    periods: list[Period], roadmap: Period | None, recurrence: Recurrence | None
) -> list[Period]:
    """The «далее …» part: from the next reporting unit after the stated periods to the roadmap end.

    Starting at the next unit rather than the next day keeps «июнь-август 2020, далее ежегодно»
    from producing a spurious «yearly» occurrence in September–December 2020.
    """
    if roadmap is None or not periods:
        return []
    last_end = max(period.end for period in periods)
    if recurrence is None:
        start = last_end + timedelta(days=1)
    else:
        start = _unit_end(last_end, recurrence) + timedelta(days=1)
    start = max(start, roadmap.start)
    if start > roadmap.end:
        return []
    return [Period(start, roadmap.end)]


def _parse(raw: str, roadmap: Period | None) -> Schedule:
    tokens = _tokenize(_normalize(raw))
    if not tokens:
        raise _ParseError()
    recurrences = {token.value for token in tokens if token.kind == "recur"}
    if len(recurrences) > 1:
        raise _ParseError("указано несколько разных периодичностей")
    recurrence = next(iter(recurrences), None)
    kinds = {token.kind for token in tokens}
    has_then = "then" in kinds

    items = _parse_items(_strip_anchors(tokens))
    periods = _resolve_items(items, roadmap) if items else []
    whole_roadmap = [roadmap] if roadmap is not None else []

    if recurrence is not None:
        kind = DeadlineKind.RECURRING
        if not periods:
            periods = whole_roadmap
        elif has_then:
            periods += _continuation(periods, roadmap, recurrence)
    elif "cont" in kinds:
        kind = DeadlineKind.CONTINUOUS
        if not periods:
            periods = whole_roadmap
        elif has_then:
            periods += _continuation(periods, roadmap, None)
    elif periods:
        single_day = (
            len(items) == 1
            and items[0].mode in ("single", *_BY_MODES)
            and (items[0].mode != "single" or items[0].right.unit == "day")
        )
        kind = DeadlineKind.DATE if single_day else DeadlineKind.PERIOD
    elif "sched" in kinds:
        kind = DeadlineKind.BY_SCHEDULE
    else:
        raise _ParseError()

    return Schedule(
        text=raw,
        kind=kind,
        periods=tuple(periods),
        recurrence=recurrence,
        understood=True,
    )
