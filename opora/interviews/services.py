"""Interviews with municipal authorities (seed 000): the writes.

The region interviews the head of each municipal education authority and writes a protocol:
for every municipality a list of recommendations («- организовать работу по наставничеству с
посещением уроков;»), and assignments to the regional institute. This module imports such a
protocol (preview first, then save all or nothing), types one by hand and adds interviews to
it; the recommendations themselves are given and tracked by ``opora.recommendations.services``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
from opora.recommendations.models import (
    Recommendation,
    RecommendationTemplate,
)
from opora.registry.matching import municipality_matcher
from opora.registry.models import Municipality, Organisation


@dataclass
class PreviewRecommendation:
    text: str
    raw: str
    repeats: int  # municipalities of this file with the same recommendation
    in_catalogue: bool
    deadline_text: str = ""  # as written beside it («до 1 мая»), shown in the preview


@dataclass
class PreviewBlock:
    index: int
    number: str
    written: str
    date: date
    municipality: Municipality | None
    score: float
    recommendations: list[PreviewRecommendation] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.municipality is not None and self.score >= 100


@dataclass
class ProtocolPreview:
    """How the file was understood, shown before anything is saved."""

    file: ProtocolFile
    blocks: list[PreviewBlock]

    @property
    def parsed(self) -> ParsedProtocol:
        return self.file.parsed

    @property
    def unmatched(self) -> list[PreviewBlock]:
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

    def as_json(self, protocol_id: int | None = None) -> dict:
        """The document ``opora import-protocol --json`` prints."""
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
            "protocol": protocol_id,
        }


def _block_keys(block: PreviewBlock) -> set[str]:
    return {recommendation_key(r.text) for r in block.recommendations}


def protocol_preview(file: ProtocolFile, municipalities: Iterable[Municipality]) -> ProtocolPreview:
    """Match each municipality as written to the registry and mark repeated recommendations."""
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
            PreviewBlock(
                index=index,
                number=block.number,
                written=block.name_as_written,
                date=block.interview_date,
                municipality=match.target,
                score=match.score,
                recommendations=[
                    PreviewRecommendation(
                        text=r.text,
                        raw=r.raw,
                        repeats=spread[recommendation_key(r.text)],
                        in_catalogue=recommendation_key(r.text) in known,
                        deadline_text=r.deadline_text,
                    )
                    for r in block.recommendations
                ],
            )
        )
    return ProtocolPreview(file=file, blocks=blocks)


def _organisation_for(addressee: str, organisations: list[Organisation]) -> Organisation | None:
    """«ТОИПКРО» → the institute of the registry, by its short name or an abbreviation."""
    wanted = addressee.strip().lower()
    for organisation in organisations:
        names = [organisation.short_name, *(organisation.abbreviations or [])]
        if any(wanted == str(name).strip().lower() for name in names):
            return organisation
    return None


@transaction.atomic
def import_protocol(
    user,
    preview: ProtocolPreview,
    *,
    municipalities: Sequence[Municipality | None],
    revision_due: date | None = None,
    source_name: str = "",
) -> InterviewProtocol:
    """Save an understood protocol: its interviews, recommendations (joined to the catalogue,
    each due on ``revision_due``) and assignments — all or nothing.

    ``municipalities`` gives the registry municipality of every block of the preview, in
    order: the matched one or the one the user chose instead.
    """
    _require(user, "interviews.add_interviewprotocol")
    if len(municipalities) != len(preview.blocks):
        raise ValidationError("Список муниципалитетов не соответствует протоколу.")
    missing = [b.written for b, m in zip(preview.blocks, municipalities, strict=True) if m is None]
    if missing:
        raise ValidationError(
            "Не выбран муниципалитет из реестра для: "
            + ", ".join(f"«{name}»" for name in missing)
            + "."
        )
    parsed, cover = preview.parsed, preview.file.cover
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
        user, (r.text for b in preview.blocks for r in b.recommendations)
    )
    for order, (block, municipality) in enumerate(zip(preview.blocks, municipalities, strict=True)):
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


@transaction.atomic
def create_protocol(user, **fields) -> InterviewProtocol:
    """A protocol typed by hand: title, place, chairman, participants, agenda, due date…"""
    _require(user, "interviews.add_interviewprotocol")
    allowed = {
        "title",
        "place",
        "chairman",
        "secretary",
        "participants",
        "agenda",
        "document_number",
        "document_date",
        "revision_due",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Неизвестные поля протокола: {', '.join(sorted(unknown))}.")
    if not str(fields.get("title", "")).strip():
        raise ValidationError("Укажите заголовок протокола.")
    protocol = _stamp(InterviewProtocol(created_by=user, **fields), user)
    protocol.full_clean()
    protocol.save()
    return protocol


@transaction.atomic
def add_interview(
    user,
    protocol: InterviewProtocol,
    *,
    municipality: Municipality,
    day: date,
    participants: str = "",
) -> Interview:
    """Add the interview of one municipality on ``day`` to a protocol."""
    _require(user, "interviews.change_interviewprotocol", protocol)
    order = protocol.interviews.count()
    interview = _stamp(
        Interview(
            protocol=protocol,
            municipality=municipality,
            date=day,
            order=order,
            name_as_written=municipality.name,
            participants=participants,
        ),
        user,
    )
    interview.save()
    return interview


@transaction.atomic
def add_recommendation(
    user,
    interview: Interview,
    *,
    text: str = "",
    template: RecommendationTemplate | None = None,
    due_date: date | None = None,
) -> Recommendation:
    """Give a recommendation at an interview: picked from the catalogue or typed.

    Example: ``add_recommendation(user, interview, text="организовать работу с кадровым
    резервом")`` finds the catalogue entry of the same advice or starts a new one.
    """
    _require(user, "interviews.change_interviewprotocol", interview.protocol)
    return recommendation_services.create_from_interview(
        user, interview, text=text, template=template, due_date=due_date
    )


# ---------------------------------------------------------------- documents


def draft_protocol(user, protocol: InterviewProtocol):
    """The protocol's draft (a Document sourced from it), opened if one is being edited, else
    built now from every interview: (document, created)."""
    from opora.documents import services as documents
    from opora.interviews.documents import interviews_of, protocol_draft

    _require(user, "interviews.change_interviewprotocol", protocol)
    return documents.open_draft(
        user,
        lambda: protocol_draft(protocol, interviews_of(protocol, Interview.objects.all())),
        kind="protocol",
        source=protocol,
    )


def draft_cover_letter(user, protocol: InterviewProtocol):
    """The letter sending the protocol to the municipalities (a Document sourced from the
    protocol), opened if one is being edited, else built now: (document, created)."""
    from opora.documents import services as documents
    from opora.interviews.documents import cover_letter

    _require(user, "interviews.change_interviewprotocol", protocol)
    return documents.open_draft(
        user, lambda: cover_letter(protocol, user), kind="letter", source=protocol
    )


def draft_certified_excerpt(user, interview: Interview):
    """The excerpt of the protocol for the interview's municipality, certified «Верно» (a
    Document sourced from the interview): (document, created)."""
    from opora.documents import services as documents
    from opora.interviews.documents import certified_excerpt, interviews_of

    _require(user, "interviews.change_interview", interview)
    protocol = interview.protocol

    def build():
        rows = interviews_of(protocol, Interview.objects.filter(pk=interview.pk))
        return certified_excerpt(protocol, rows[0])

    return documents.open_draft(user, build, kind="excerpt", source=interview)
