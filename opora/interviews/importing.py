"""Importing an interview protocol (seed 000): the plan and its application.

The import-preview pattern of docs/architecture.md: ``plan_protocol_import`` matches every
municipality as written to the registry and marks repeated recommendations, writing nothing;
the preview page shows the typed ``ProtocolImportPlan`` and ``--json`` prints its ``to_dict()``.
``apply_protocol_import`` writes the plan — interviews, recommendations, assignments — all or
nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.interviews.models import Interview, InterviewProtocol, ProtocolAssignment
from opora.interviews.readers.protocol import ParsedProtocol
from opora.interviews.readers.protocol_file import ProtocolFile
from opora.recommendations import services as recommendation_services
from opora.recommendations.catalogue import recommendation_key
from opora.recommendations.models import RecommendationTemplate
from opora.registry.matching import municipality_matcher
from opora.registry.models import Municipality, Organisation


@dataclass(frozen=True)
class RecommendationPlan:
    text: str
    raw: str
    repeats: int  # municipalities of this file with the same recommendation
    in_catalogue: bool
    deadline_text: str = ""  # as written beside it («до 1 мая»), shown in the preview


@dataclass(frozen=True)
class BlockPlan:
    index: int
    number: str
    written: str
    date: date
    municipality: Municipality | None
    score: float
    recommendations: tuple[RecommendationPlan, ...] = ()

    @property
    def exact(self) -> bool:
        return self.municipality is not None and self.score >= 100


@dataclass(frozen=True)
class ProtocolImportPlan:
    """How the file was understood, shown before anything is saved."""

    file: ProtocolFile
    blocks: tuple[BlockPlan, ...]

    @property
    def parsed(self) -> ParsedProtocol:
        return self.file.parsed

    @property
    def unmatched(self) -> list[BlockPlan]:
        return [b for b in self.blocks if b.municipality is None]

    @property
    def dates(self) -> list[date]:
        return self.parsed.dates

    @property
    def recommendation_count(self) -> int:
        return sum(len(b.recommendations) for b in self.blocks)

    @property
    def repeated_count(self) -> int:
        """Distinct recommendations given to more than one municipality."""
        spread = Counter(key for block in self.blocks for key in _block_keys(block))
        return sum(1 for n in spread.values() if n > 1)

    def to_dict(self) -> dict:
        """The document ``opora import-protocol --json`` prints (it adds ``protocol``)."""
        parsed, cover = self.parsed, self.file.cover
        return {
            "dates": [d.isoformat() for d in parsed.dates],
            "municipalities": [
                {
                    "number": b.number,
                    "written": b.written,
                    "registry": b.municipality.name if b.municipality else None,
                    "score": b.score,
                    "date": b.date.isoformat(),
                    "recommendations": [r.text for r in b.recommendations],
                }
                for b in self.blocks
            ],
            "assignments": [
                {"number": a.number, "addressee": a.addressee, "text": a.text, "items": a.items}
                for a in parsed.assignments
            ],
            "revision_due": cover.revision_due.isoformat() if cover.revision_due else None,
            "recommendation_count": self.recommendation_count,
            "warnings": parsed.warnings,
        }


def _block_keys(block: BlockPlan) -> set[str]:
    return {recommendation_key(r.text) for r in block.recommendations}


def plan_protocol_import(
    file: ProtocolFile, municipalities: Iterable[Municipality]
) -> ProtocolImportPlan:
    """Match each municipality as written to the registry and mark repeated recommendations;
    writes nothing."""
    matcher = municipality_matcher(list(municipalities))
    parsed = file.parsed
    spread = Counter(
        key
        for block in parsed.blocks
        for key in {recommendation_key(r.text) for r in block.recommendations}
    )
    known = set(
        RecommendationTemplate.objects.filter(key__in=list(spread)).values_list("key", flat=True)
    )
    blocks = []
    for index, block in enumerate(parsed.blocks):
        match = matcher.match(block.name_as_written)
        blocks.append(
            BlockPlan(
                index=index,
                number=block.number,
                written=block.name_as_written,
                date=block.interview_date,
                municipality=match.target,
                score=match.score,
                recommendations=tuple(
                    RecommendationPlan(
                        text=r.text,
                        raw=r.raw,
                        repeats=spread[recommendation_key(r.text)],
                        in_catalogue=recommendation_key(r.text) in known,
                        deadline_text=r.deadline_text,
                    )
                    for r in block.recommendations
                ),
            )
        )
    return ProtocolImportPlan(file=file, blocks=tuple(blocks))


def _organisation_for(addressee: str, organisations: list[Organisation]) -> Organisation | None:
    """«ТОИПКРО» → the institute of the registry, by its short name or an abbreviation."""
    wanted = addressee.strip().lower()
    for organisation in organisations:
        names = [organisation.short_name, *(organisation.abbreviations or [])]
        if any(wanted == str(name).strip().lower() for name in names):
            return organisation
    return None


@transaction.atomic
def apply_protocol_import(
    user,
    plan: ProtocolImportPlan,
    *,
    municipalities: Sequence[Municipality | None],
    revision_due: date | None = None,
    source_name: str = "",
) -> InterviewProtocol:
    """Write a plan: the protocol: its interviews, recommendations (joined to the catalogue,
    each due on ``revision_due``) and assignments — all or nothing.

    ``municipalities`` gives the registry municipality of every block of the plan, in
    order: the matched one or the one the user chose instead.
    """
    _require(user, "interviews.add_interviewprotocol")
    if len(municipalities) != len(plan.blocks):
        raise ValidationError("Список муниципалитетов не соответствует протоколу.")
    missing = [b.written for b, m in zip(plan.blocks, municipalities, strict=True) if m is None]
    if missing:
        raise ValidationError(
            "Не выбран муниципалитет из реестра для: "
            + ", ".join(f"«{name}»" for name in missing)
            + "."
        )
    parsed, cover = plan.parsed, plan.file.cover
    protocol = _stamp(
        InterviewProtocol(
            title=parsed.title or "Протокол собеседований",
            place=parsed.place[:300],
            chairman=parsed.chairman[:300],
            secretary=parsed.secretary[:300],
            participants=parsed.participants,
            agenda=parsed.agenda,
            document_number=cover.number[:50],
            document_date=cover.date,
            revision_due=revision_due,
            source_name=source_name[:300],
            created_by=user,
        ),
        user,
    )
    protocol.save()
    templates = recommendation_services.templates_for(
        user, (r.text for b in plan.blocks for r in b.recommendations)
    )
    for order, (block, municipality) in enumerate(zip(plan.blocks, municipalities, strict=True)):
        interview = _stamp(
            Interview(
                protocol=protocol,
                municipality=municipality,
                date=block.date,
                order=order,
                name_as_written=block.written[:300],
            ),
            user,
        )
        interview.save()
        for position, item in enumerate(block.recommendations):
            recommendation_services.create_from_interview(
                user,
                interview,
                text=item.text,
                raw=item.raw,
                template=templates.get(recommendation_key(item.text)),
                due_date=revision_due,
                order=position,
            )
    organisations = list(Organisation.objects.filter(municipality__isnull=True))
    for order, assignment in enumerate(parsed.assignments):
        _stamp(
            ProtocolAssignment(
                protocol=protocol,
                order=order,
                organisation=_organisation_for(assignment.addressee, organisations),
                addressee=assignment.addressee[:300],
                text=assignment.text,
                items=assignment.items,
            ),
            user,
        ).save()
    return protocol
