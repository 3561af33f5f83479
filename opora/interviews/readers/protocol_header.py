"""The head of an interview protocol and the assignments after its decision.

Example: «ПРОТОКОЛ проведения индивидуальных собеседований …», «г. Томск, ДОО ТО», «"17, 18"
июня 2020 г.», «Председатель: …», «Участники: …»; after the table «Поручения ТОИПКРО
(О.М.Замятина): 1. Определить сроки …».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from docx.text.paragraph import Paragraph

from opora.core.intake.numbering import is_list_paragraph, list_level
from opora.interviews.readers.protocol_model import ParsedAssignment
from opora.interviews.readers.protocol_text import (
    ASSIGNMENTS_RE,
    NUMBERED_RE,
    SECTION_RE,
    SIGNATURE_RE,
    ItemCollector,
    clean_recommendation,
    normalise,
    parse_header_dates,
    starts_lowercase,
    starts_with_dash,
    strip_trailing,
)


@dataclass
class Header:
    title: str = ""
    dates: list[date] = field(default_factory=list)
    place: str = ""
    chairman: str = ""
    participants: list[str] = field(default_factory=list)
    secretary: str = ""
    agenda: list[str] = field(default_factory=list)


def _section_key(name: str) -> str:
    name = name.lower()
    if name.startswith("председ"):
        return "chairman"
    if name.startswith(("участ", "присут", "пригл")):
        return "participants"
    if name.startswith("секрет"):
        return "secretary"
    if name.startswith("повест"):
        return "agenda"
    return "decision"


def _is_title_continuation(line: str) -> bool:
    """«проведения индивидуальных собеседований ...» continues the title; «г. Томск, ...» not."""
    return (
        starts_lowercase(line)
        and not re.match(r"^\w{1,3}\.", line)
        and SECTION_RE.match(line) is None
        and parse_header_dates(line) is None
    )


def parse_header(paragraphs: list[Paragraph], warnings: list[str]) -> Header:
    header = Header()
    lines = [normalise(p.text) for p in paragraphs]
    header.title, start = _title(lines, warnings)
    sections: dict[str, list[str]] = {key: [] for key in _HEADER_SECTIONS}
    place_candidates = _read_sections(paragraphs[start + 1 :], header, sections)
    if place_candidates:
        header.place = strip_trailing(place_candidates[0])
    header.chairman = strip_trailing(" ".join(sections["chairman"]))
    header.secretary = strip_trailing(" ".join(sections["secretary"]))
    for line in sections["participants"]:
        for part in re.split(r";\s+", line):
            part = strip_trailing(part)
            if part:
                header.participants.append(part)
    for line in sections["agenda"]:
        text = strip_trailing(re.sub(r"^\d{1,2}\s*[.)]\s*", "", line))
        if text:
            header.agenda.append(text)
    if not header.dates:
        warnings.append("В шапке протокола не найдена дата (например, «17, 18 июня 2020 г.»).")
    for key, label in _HEADER_SECTIONS.items():
        if not sections[key]:
            warnings.append(f"В шапке протокола не найден раздел «{label.capitalize()}».")
    return header


_HEADER_SECTIONS = {
    "chairman": "председатель",
    "participants": "участники",
    "secretary": "секретарь",
    "agenda": "повестка",
}


def _title(lines: list[str], warnings: list[str]) -> tuple[str, int]:
    """«ПРОТОКОЛ» with the lower-case lines that continue it, and the index of its last line."""
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"^протокол\b", line, re.IGNORECASE)), None
    )
    if start is None:
        warnings.append(
            "Не найден заголовок «ПРОТОКОЛ»; шапка протокола прочитана по всему тексту."
        )
        return "", -1
    title_lines = [lines[start]]
    while start + 1 < len(lines) and (
        not lines[start + 1] or _is_title_continuation(lines[start + 1])
    ):
        start += 1
        if lines[start]:
            title_lines.append(lines[start])
    return " ".join(title_lines), start


def _read_sections(
    paragraphs: list[Paragraph], header: Header, sections: dict[str, list[str]]
) -> list[str]:
    """Lines under «Председатель:», «Участники:» … into ``sections``; the dates into
    ``header``; returns the lines before the first section (the place is among them)."""
    current: str | None = None
    place_candidates: list[str] = []
    for paragraph in paragraphs:
        for raw_line in paragraph.text.split("\n"):
            line = normalise(raw_line)
            if not line:
                continue
            section = SECTION_RE.match(line)
            if section:
                current = _section_key(section["name"])
                rest = (section["rest"] or "").strip()
                if rest and current in sections:
                    sections[current].append(rest)
            elif current is None:
                _place_or_dates(line, header, place_candidates)
            elif current in sections:
                sections[current].append(line)
    return place_candidates


def _place_or_dates(line: str, header: Header, place_candidates: list[str]) -> None:
    """«г. Томск, ДОО ТО» is a place; «г. Томск, «17, 18» июня 2020 г.» a place and the dates."""
    if not header.dates:
        found = parse_header_dates(line)
        if found:
            header.dates, begin, _ = found
            prefix = line[:begin].strip(' \t,;«"“„')
            if prefix:
                place_candidates.insert(0, prefix)
            return
    place_candidates.append(line)


def _split_addressee(rest: str) -> str:
    """``"ТОИПКРО (О.М.Замятина)"`` → ``"ТОИПКРО"``."""
    rest = re.sub(r"\(.*?\)", "", rest)
    return normalise(rest).strip(" :,;.")


def parse_assignments(paragraphs: list[Paragraph], warnings: list[str]) -> list[ParsedAssignment]:
    assignments: list[ParsedAssignment] = []
    addressee: str | None = None
    items: ItemCollector | None = None
    collectors: list[ItemCollector] = []

    for paragraph in paragraphs:
        is_list = is_list_paragraph(paragraph)
        level = list_level(paragraph)
        for raw_line in paragraph.text.split("\n"):
            line = normalise(raw_line)
            if not line:
                continue
            heading = ASSIGNMENTS_RE.match(line)
            if heading:
                addressee = _split_addressee(heading["rest"])
                items = None
                continue
            if addressee is None:
                continue
            if SIGNATURE_RE.search(line):
                addressee = None
                continue
            numbered = NUMBERED_RE.match(line)
            if numbered and not starts_with_dash(line):
                assignment = ParsedAssignment(
                    number=numbered["number"],
                    text=strip_trailing(numbered["text"]),
                    addressee=addressee,
                )
            elif is_list and level == 0 and not starts_with_dash(line):
                assignment = ParsedAssignment(
                    number=str(len(assignments) + 1),
                    text=strip_trailing(line),
                    addressee=addressee,
                )
            else:
                assignment = None
            if assignment is not None:
                assignments.append(assignment)
                items = ItemCollector()
                collectors.append(items)
                continue
            if not assignments or items is None:
                warnings.append(f"Поручения: абзац «{line[:60]}» не относится ни к одному пункту.")
                continue
            if starts_with_dash(line) or is_list or items.raw_items:
                items.feed(raw_line, is_list_item=is_list)
            else:
                assignments[-1].text = strip_trailing(f"{assignments[-1].text} {line}")
    for assignment, collector in zip(assignments, collectors, strict=True):
        assignment.items = [clean_recommendation(raw) for raw in collector.raw_items]
    return assignments
