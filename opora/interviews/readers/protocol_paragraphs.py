"""A protocol's decision written as paragraphs, without a table.

Example input (numbered paragraphs under a decision heading, a municipality per sub-heading)::

    РЕШИЛИ:
    Асиновский район:
    1. Организовать методическое сопровождение молодых учителей.
    2. Провести анализ результатов ВПР по математике;
    Бакчарский район:
    1. Обновить программу наставничества.
    Поручения ТОИПКРО:
    1. …

gives two blocks: «Асиновский район» with two recommendations, «Бакчарский район» with one.
Without sub-headings the recommendations belong to a block without a municipality (the user
chooses it in the preview). A date line («18 июня 2020 года») dates the blocks under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from docx.text.paragraph import Paragraph

from opora.core.intake.numbering import is_list_paragraph
from opora.interviews.readers.protocol_model import (
    ParsedMunicipalityBlock,
    ParsedRecommendation,
    SkippedPart,
)
from opora.interviews.readers.protocol_text import (
    ASSIGNMENTS_RE,
    NUMBERED_RE,
    SIGNATURE_RE,
    ItemCollector,
    clean_recommendation,
    dated_name,
    normalise,
    parse_date_row,
    starts_with_dash,
)

#: «Рекомендации:», «РЕШИЛИ:», «Решение комиссии:», «Рекомендовано муниципалитетам:».
DECISION_RE = re.compile(
    r"^(?:\d{1,2}\s*[.)]\s*)?(рекомендаци\w*|рекомендовано|решили|решение|постановили|"
    r"предложения)\b[^:]{0,80}:?\s*$",
    re.IGNORECASE,
)
_MAX_HEADING = 120
_NUMBER_RE = re.compile(r"^\d{1,3}\s*[.)]\s*")
#: A sub-heading names a territory: «Асиновский район:», «г. Кедровый:», «ЗАТО Северск:».
_TERRITORY_RE = re.compile(
    r"район|округ|город|\bг\.|зато|муниципал|поселени|\bмо\b|территори", re.IGNORECASE
)


@dataclass
class DecisionParagraphs:
    """What the paragraphs of a decision gave; ``end`` is the index after the decision."""

    blocks: list[ParsedMunicipalityBlock] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    skipped: list[SkippedPart] = field(default_factory=list)
    start: int = -1
    end: int = 0


def decision_start(paragraphs: list[Paragraph]) -> int | None:
    """Index of the decision heading, or None."""
    for index, paragraph in enumerate(paragraphs):
        if DECISION_RE.match(normalise(paragraph.text)):
            return index
    return None


class _Reader:
    def __init__(self, default_year: int | None, result: DecisionParagraphs) -> None:
        self.default_year = default_year
        self.result = result
        self.current_date: date | None = None
        self.collectors: list[ItemCollector] = []
        self.numbered: list[set[int]] = []  # per block: items written with a number

    def open_block(self, number: str, name: str) -> None:
        self.result.blocks.append(
            ParsedMunicipalityBlock(
                number=number, name_as_written=name, interview_date=self.current_date or date.min
            )
        )
        self.collectors.append(ItemCollector())
        self.numbered.append(set())

    def take(self, line: str, is_list: bool, where: str) -> None:
        found = parse_date_row(line, self.default_year)
        if found is not None:
            self.current_date = found
            if found not in self.result.dates:
                self.result.dates.append(found)
            return
        numbered = NUMBERED_RE.match(line)
        name = numbered["text"] if numbered else line
        if line.endswith(":") and len(line) <= _MAX_HEADING and _TERRITORY_RE.search(name):
            name, day = dated_name(name.rstrip(" :"), self.default_year)
            if day is not None:  # «1. Искитимский район (17 июня 2024 г.):»
                self.current_date = day
                if day not in self.result.dates:
                    self.result.dates.append(day)
            self.open_block(numbered["number"] if numbered else "", name)
            return
        if not self.collectors:
            self.open_block("", "")
        collector = self.collectors[-1]
        if numbered and not starts_with_dash(line):
            self.numbered[-1].add(len(collector.raw_items))
            collector.raw_items.append(line)
            return
        if not normalise(line):
            self.result.skipped.append(SkippedPart(where, line, "пустой пункт"))
            return
        collector.feed(line, is_list_item=is_list)

    def finish(self) -> None:
        for block, collector, numbered in zip(
            self.result.blocks, self.collectors, self.numbered, strict=True
        ):
            block.recommendations = [
                ParsedRecommendation(
                    text=clean_recommendation(_NUMBER_RE.sub("", raw) if i in numbered else raw),
                    raw=raw,
                )
                for i, raw in enumerate(collector.raw_items)
            ]


def read_decision_paragraphs(
    paragraphs: list[Paragraph], default_year: int | None
) -> DecisionParagraphs:
    """Read the decision that follows its heading, up to the assignments or the signatures."""
    result = DecisionParagraphs()
    start = decision_start(paragraphs)
    if start is None:
        return result
    result.start, result.end = start, len(paragraphs)
    reader = _Reader(default_year, result)
    for index in range(start + 1, len(paragraphs)):
        paragraph = paragraphs[index]
        is_list = is_list_paragraph(paragraph)
        lines = [normalise(raw) for raw in paragraph.text.split("\n")]
        if lines and (ASSIGNMENTS_RE.match(lines[0]) or SIGNATURE_RE.search(lines[0])):
            result.end = index
            break
        for line in filter(None, lines):
            reader.take(line, is_list, f"абзац {index + 1}")
    reader.finish()
    return result
