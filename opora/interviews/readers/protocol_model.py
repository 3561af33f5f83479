"""What an interview protocol file gives: the municipalities with their recommendations.

Example: ``ParsedMunicipalityBlock(number="2", name_as_written="Асиновский район",
interview_date=date(2020, 6, 17), recommendations=[ParsedRecommendation(text="организовать
работу с кадровым резервом", raw="- организовать работу с кадровым резервом;")])``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from opora.core.intake.skipped import Skipped


class ProtocolFileError(Exception):
    """The file cannot be read as an interview protocol; the message is in Russian.

    Example: ``ProtocolFileError("Файл сохранён в старом формате Word (.doc) ...")``.
    """


@dataclass
class ParsedRecommendation:
    """One recommendation given to a municipality.

    Example: raw ``"- организовать работу с кадровым резервом; "`` gives
    text ``"организовать работу с кадровым резервом"``.
    """

    text: str
    raw: str
    #: The deadline written beside it in a «Рекомендация | Срок» table, as written.
    deadline_text: str = ""


@dataclass
class ParsedMunicipalityBlock:
    """A row of the protocol table (with its continuation rows after a page break).

    Example: number ``"2"``, name_as_written ``"Асиновский район"``, interview_date
    ``date(2020, 6, 17)`` and eleven recommendations.
    """

    number: str
    name_as_written: str
    interview_date: date
    recommendations: list[ParsedRecommendation] = field(default_factory=list)


@dataclass
class ParsedAssignment:
    """A numbered assignment after the table, e.g. from «Поручения ТОИПКРО (О.М.Замятина):».

    Example: number ``"1"``, text ``"Определить сроки педагогических десантов ... по вопросам:"``,
    addressee ``"ТОИПКРО"``, items ``["инклюзивного образования", ...]``.
    """

    number: str
    text: str
    addressee: str
    items: list[str] = field(default_factory=list)


#: A row or paragraph of the decision the reader did not take (see core.intake.skipped).
SkippedPart = Skipped


@dataclass
class ParsedProtocol:
    """Everything read from the protocol file; ``warnings`` are Russian, for the user."""

    title: str
    dates: list[date]
    place: str
    chairman: str
    participants: list[str]
    secretary: str
    agenda: list[str]
    blocks: list[ParsedMunicipalityBlock]
    assignments: list[ParsedAssignment]
    warnings: list[str] = field(default_factory=list)
    #: Rows and paragraphs of the decision that were not taken, each with its reason.
    skipped: list[SkippedPart] = field(default_factory=list)

    @property
    def recommendation_count(self) -> int:
        """Total number of recommendations over all municipalities."""
        return sum(len(block.recommendations) for block in self.blocks)
