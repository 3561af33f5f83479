"""The catalogue of professional-development offers as the operator keeps it in Excel.

    Вид;Название;Кто проводит;Часов;Начало;Окончание;Формат;Темы;Области компетенций;Для управленческих команд
    КПК;Формирующее оценивание на уроке;ТОИПКРО;36;01.10.2026;20.10.2026;очно-заочно;критерии, обратная связь;Оценивание образовательных результатов;нет
    семинар;Управление по результатам;ТОИПКРО;;12.11.2026;12.11.2026;дистанционно;;Управление школой;да

Areas are separated by «;» or a line break inside the cell. Dates as Russians write them
(«01.10.2026») or as Excel stores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from opora.development.models import OfferFormat, OfferKind

HEADERS = {
    "вид": "kind",
    "название": "title",
    "кто проводит": "provider",
    "организатор": "provider",
    "часов": "hours",
    "объем, часов": "hours",
    "начало": "starts_on",
    "окончание": "ends_on",
    "формат": "format",
    "темы": "topics",
    "области компетенций": "areas",
    "для управленческих команд": "for_management",
}
TEMPLATE_HEADERS = [
    "Вид",
    "Название",
    "Кто проводит",
    "Часов",
    "Начало",
    "Окончание",
    "Формат",
    "Темы",
    "Области компетенций",
    "Для управленческих команд",
]
_KINDS = [
    (re.compile(r"кпк|курс|повышени"), OfferKind.COURSE),
    (re.compile(r"вебинар"), OfferKind.WEBINAR),
    (re.compile(r"семинар"), OfferKind.SEMINAR),
    (re.compile(r"стажир"), OfferKind.INTERNSHIP),
    (re.compile(r"наставни"), OfferKind.MENTORING),
    (re.compile(r"выезд|десант|визит"), OfferKind.VISIT),
]
_FORMATS = [
    (re.compile(r"очно-заочн|смешан"), OfferFormat.BLENDED),
    (re.compile(r"дистан|онлайн|заочн"), OfferFormat.ONLINE),
    (re.compile(r"очн"), OfferFormat.ONSITE),
]
_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass
class OfferReading:
    line: int
    fields: dict = field(default_factory=dict)
    areas: list[str] = field(default_factory=list)


def _choice(text: str, table, what: str):
    low = text.lower().replace("ё", "е")
    for pattern, value in table:
        if pattern.search(low):
            return value
    raise ValueError(f"{what} «{text}» не распознан")


def parse_date(text: str) -> date | None:
    """«01.10.2026» → date(2026, 10, 1); «2026-10-01 00:00:00» (Excel) → the same."""
    s = text.strip()
    if not s:
        return None
    m = _DATE_RE.fullmatch(s)
    try:
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return datetime.fromisoformat(s).date()
    except ValueError as exc:
        raise ValueError(f"«{text}» — не дата (ожидается 01.10.2026)") from exc


def read_offer(line: int, values: dict) -> OfferReading:
    """One row → the offer's fields; ValueError in Russian for a bad cell."""
    got = {HEADERS[h]: v.strip() for h, v in values.items() if h in HEADERS}
    reading = OfferReading(line=line)
    if not got.get("title"):
        raise ValueError("не указано название")
    if not got.get("kind"):
        raise ValueError("не указан вид (КПК, семинар, вебинар, стажировка …)")
    reading.fields["title"] = " ".join(got["title"].split())
    reading.fields["kind"] = _choice(got["kind"], _KINDS, "вид")
    reading.fields["provider"] = got.get("provider", "")
    hours = got.get("hours", "")
    if hours:
        if not hours.isdigit() or not 0 < int(hours) < 10000:
            raise ValueError(f"«{hours}» — число часов должно быть целым от 1 до 9999")
        reading.fields["hours"] = int(hours)
    reading.fields["starts_on"] = parse_date(got.get("starts_on", ""))
    reading.fields["ends_on"] = parse_date(got.get("ends_on", ""))
    starts, ends = reading.fields["starts_on"], reading.fields["ends_on"]
    if starts and ends and ends < starts:
        raise ValueError("окончание раньше начала")
    if got.get("format"):
        reading.fields["format"] = _choice(got["format"], _FORMATS, "формат")
    reading.fields["topics"] = got.get("topics", "")
    reading.fields["for_management"] = got.get("for_management", "").lower() in {
        "да",
        "1",
        "+",
        "yes",
    }
    reading.areas = [
        " ".join(a.split()) for a in re.split(r"[;\n]", got.get("areas", "")) if a.strip()
    ]
    if not reading.areas:
        raise ValueError("не указаны области компетенций")
    return reading
