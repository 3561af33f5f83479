"""What a roadmap file gives: sections of events, the goal, tasks and indicators.

Example: seed 002 reads as ``ParsedRoadmap(title="Дорожная карта комплекса мероприятий …",
sections=[ParsedSection(title="Нормативно-правовое обеспечение …", events=[ParsedEvent(
number="1.", text="Разработка …", deadline_text="Сентябрь 2020", executors_text="УООиП")])])``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opora.core.intake.skipped import Skipped

COLUMN_KEYS = ("number", "text", "deadline", "executors", "indicator", "evidence")


class RoadmapFileError(Exception):
    """A file that cannot be read as a roadmap; ``str(e)`` is a Russian message for the user.

    Пример: ``RoadmapFileError("Файл в старом формате .doc/.xls — сохраните его как .docx/.xlsx.")``
    """


class ColumnsNeeded(RoadmapFileError):
    """A table is there but its header is not understood: the user maps its columns.

    ``headers`` are the texts of the table's first row (``"колонка 3"`` for an empty cell), in
    order; the preview asks which of them is the event, the deadline, the executors, showing
    ``samples`` — the first rows under the header, one text per column — beside each.
    """

    def __init__(
        self, message: str, headers: list[str], samples: list[list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.headers = headers
        self.samples = samples or []


@dataclass
class ParsedEvent:
    """One roadmap row (мероприятие).

    Пример: ``ParsedEvent(number="24.", text="Организация и проведение КПК …",
    deadline_text="20–21 апреля 2023г., октябрь 2023г.", executors_text="ТОИПКРО",
    indicator_text="Проведены КПК", evidence_text="Программа КПК, приказы …", row_index=28)``.
    ``raw`` keeps the original cell text per column key (columns the reader does not know are
    keyed by their header text); rows glued to this event are listed in
    ``raw["continuation_rows"]``.
    """

    number: str = ""
    text: str = ""
    deadline_text: str = ""
    executors_text: str = ""
    indicator_text: str = ""
    evidence_text: str = ""
    row_index: int = 0
    raw: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: What the reader did to the row that the preview should say: rows glued to it.
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedSection:
    """A section of the roadmap, e.g. «Организационно-управленческая деятельность»."""

    title: str = ""
    events: list[ParsedEvent] = field(default_factory=list)


@dataclass
class ParsedRoadmap:
    """What was read from a roadmap file.

    ``columns`` lists the column keys present in the form, in the order of the table
    (e.g. ``["number", "text", "deadline", "indicator", "evidence", "executors"]`` for seed 003).
    ``goal``/``tasks``/``indicators`` come from paragraphs before the table
    («Цель: …», «Задачи: 1. …», «Показатели …: 1. …»), as in seed 002.
    """

    title: str = ""
    goal: str = ""
    tasks: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The header of the (first) table as written, and the key each column was read as.
    header_names: list[str] = field(default_factory=list)
    header_keys: list[str | None] = field(default_factory=list)
    #: Rows of the table not taken, each with its reason (shown row by row in the preview).
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def events(self) -> list[ParsedEvent]:
        """All events of all sections, in order."""
        return [event for section in self.sections for event in section.events]
