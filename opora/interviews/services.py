"""Interviews with municipal authorities and the recommendations they leave (seed 000).

The region interviews the head of each municipal education authority and writes a protocol:
for every municipality a list of recommendations («- организовать работу по наставничеству с
посещением уроков;»), and assignments to the regional institute. In Opora every
recommendation is then tracked until it is closed: its status, due date, the roadmap events
that carry it out, and the evidence.

This module holds the writes of that part (functions taking the acting user, each in a
transaction), the reads that depend on who asks (scoped querysets), the catalogue of repeated
recommendations, the suggestion of roadmap events by shared lemmas, and the Word export of a
protocol in its original shape.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.accounts.models import Role
from opora.accounts.scopes import scope_for
from opora.core.formatting import MONTHS_GENITIVE
from opora.registry.matching import municipality_matcher
from opora.registry.models import Municipality, Organisation
from opora.reviews.models import (
    Interview,
    InterviewProtocol,
    ProtocolAssignment,
    Recommendation,
    RecommendationStatus,
    RecommendationTemplate,
)
from opora.reviews.protocol_reader import ParsedProtocol, ProtocolFileError, read_protocol
from opora.roadmaps.models import (
    FINISHED,
    EventPeriod,
    ProgressReport,
    ReviewState,
    RoadmapEvent,
    RoadmapStatus,
)

OPEN_STATES = (RecommendationStatus.OPEN, RecommendationStatus.IN_WORK)
_KEY_LENGTH = RecommendationTemplate._meta.get_field("key").max_length


# ---------------------------------------------------------------- the catalogue

_PUNCTUATION_RE = re.compile(r"[^\w\s]|_")


def recommendation_key(text: str) -> str:
    """The catalogue key of a recommendation: the same advice written the same way.

    Lowercase, «ё» → «е», punctuation removed, whitespace collapsed. Example:
    ``"Организовать мероприятия (КПК, семинары) по преемственности;"`` →
    ``"организовать мероприятия кпк семинары по преемственности"``.
    """
    text = str(text or "").lower().replace("ё", "е")
    text = _PUNCTUATION_RE.sub(" ", text)
    return " ".join(text.split())[:_KEY_LENGTH]


def _templates_for(texts: Iterable[str], user) -> dict[str, RecommendationTemplate]:
    """The catalogue entries of ``texts`` by key, creating the missing ones (first text wins)."""
    wanted: OrderedDict[str, str] = OrderedDict()
    for text in texts:
        key = recommendation_key(text)
        if key:
            wanted.setdefault(key, text)
    found = {t.key: t for t in RecommendationTemplate.objects.filter(key__in=list(wanted))}
    for key, text in wanted.items():
        if key not in found:
            template = _stamp(RecommendationTemplate(key=key, text=text), user)
            template.save()
            found[key] = template
    return found


def catalogue(user, q: str = "") -> QuerySet[RecommendationTemplate]:
    """The catalogue with how many municipalities got each recommendation, most repeated first.

    The catalogue is region-wide knowledge (it names every municipality's advice), so only
    those who see the whole region read it.
    """
    if not scope_for(user).everything:
        return RecommendationTemplate.objects.none()
    qs = RecommendationTemplate.objects.annotate(
        municipality_count=Count("uses__municipality", distinct=True),
        use_count=Count("uses", distinct=True),
    )
    for word in recommendation_key(q).split():
        qs = qs.filter(key__contains=word)
    return qs.order_by("-municipality_count", "text")


# ---------------------------------------------------------------- reading a protocol file


@dataclass
class CoverLetter:
    """What the cover letter in front of the protocol adds: its number, date and due date.

    Example: «24.07.2020 № 57-3401» and «Доработанные муниципальные дорожные карты просим
    предоставить … в срок до 3 августа 2020 года» give number ``"57-3401"``, date
    ``date(2020, 7, 24)`` and revision_due ``date(2020, 8, 3)``.
    """

    number: str = ""
    date: date | None = None
    revision_due: date | None = None


_MONTHS = {name: index for index, name in enumerate(MONTHS_GENITIVE, start=1)}
_LETTER_NUMBER_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(?:г\.?)?\s*№\s*([\w./-]+)")
_REVISION_RE = re.compile(
    r"доработанн\w*.{0,40}?дорожн\w*\s+карт\w*.*?\bдо\s+(?:(?P<day>\d{1,2})\s+"
    rf"(?P<month>{'|'.join(MONTHS_GENITIVE)})\s+(?P<year>\d{{4}})|"
    r"(?P<nday>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<nyear>\d{4}))",
    re.IGNORECASE | re.DOTALL,
)


def read_cover_letter(paragraphs: Sequence[str]) -> CoverLetter:
    """Find the letter's number and date and the due date of the revised roadmaps."""
    letter = CoverLetter()
    for text in paragraphs:
        text = " ".join(text.replace("**", "").split())
        if not letter.number:
            match = _LETTER_NUMBER_RE.match(text)
            if match:
                try:
                    letter.date = date(int(match[3]), int(match[2]), int(match[1]))
                    letter.number = match[4]
                except ValueError:
                    pass
        if letter.revision_due is None:
            match = _REVISION_RE.search(text)
            if match:
                try:
                    if match["day"]:
                        letter.revision_due = date(
                            int(match["year"]), _MONTHS[match["month"].lower()], int(match["day"])
                        )
                    else:
                        letter.revision_due = date(
                            int(match["nyear"]), int(match["nmonth"]), int(match["nday"])
                        )
                except ValueError:
                    pass
    return letter


@dataclass
class ProtocolFile:
    parsed: ParsedProtocol
    cover: CoverLetter


def read_protocol_file(data: bytes) -> ProtocolFile:
    """Read the protocol and its cover letter; `ProtocolFileError` (Russian) when unreadable."""
    import docx

    parsed = read_protocol(data)
    try:
        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    except Exception:  # the reader opened it already; the letter is only a bonus
        paragraphs = []
    return ProtocolFile(parsed=parsed, cover=read_cover_letter(paragraphs))


# ---------------------------------------------------------------- the import preview


@dataclass
class PreviewRecommendation:
    text: str
    raw: str
    repeats: int  # municipalities of this file with the same recommendation
    in_catalogue: bool


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
                    )
                    for r in block.recommendations
                ],
            )
        )
    return ProtocolPreview(file=file, blocks=blocks)


# ---------------------------------------------------------------- writes: protocols


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
    _require(user, "reviews.add_interviewprotocol")
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
    templates = _templates_for((r.text for b in preview.blocks for r in b.recommendations), user)
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
            _stamp(
                Recommendation(
                    interview=interview,
                    municipality=municipality,
                    template=templates.get(recommendation_key(item.text)),
                    order=position,
                    text=item.text,
                    raw=item.raw,
                    due_date=revision_due,
                ),
                user,
            ).save()
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
    _require(user, "reviews.add_interviewprotocol")
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
    _require(user, "reviews.change_interviewprotocol", protocol)
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
    """Give a recommendation picked from the catalogue or typed (a typed one joins it).

    Example: ``add_recommendation(user, interview, text="организовать работу с кадровым
    резервом")`` finds the catalogue entry of the same advice or starts a new one.
    """
    _require(user, "reviews.change_interviewprotocol", interview.protocol)
    text = " ".join((text or "").split()).strip(" ;.") or (template.text if template else "")
    if not text:
        raise ValidationError("Выберите рекомендацию из каталога или введите её текст.")
    if template is None:
        template = _templates_for([text], user)[recommendation_key(text)]
    order = interview.recommendations.count()
    recommendation = _stamp(
        Recommendation(
            interview=interview,
            municipality_id=interview.municipality_id,
            template=template,
            order=order,
            text=text,
            due_date=due_date if due_date is not None else interview.protocol.revision_due,
        ),
        user,
    )
    recommendation.save()
    return recommendation


# ---------------------------------------------------------------- writes: tracking


@transaction.atomic
def update_recommendation(
    user,
    recommendation: Recommendation,
    *,
    status: str | None = None,
    evidence: str | None = None,
    due_date: date | None = None,
    change_due_date: bool = False,
) -> Recommendation:
    """Change the status and evidence (the municipality does it), or the due date (the region).

    «выполнена» and «неприменима» need a written confirmation or reason in ``evidence``.
    """
    _require(user, "reviews.track_recommendation", recommendation)
    if change_due_date:
        _require(user, "reviews.change_recommendation", recommendation)
        recommendation.due_date = due_date
    if evidence is not None:
        recommendation.evidence = evidence.strip()
    if status is not None:
        if status not in RecommendationStatus.values:
            raise ValidationError("Неизвестное состояние рекомендации.")
        closing = status == RecommendationStatus.DONE and recommendation.status != status
        if closing and not recommendation.evidence:
            raise ValidationError(
                "Чтобы отметить рекомендацию выполненной, опишите подтверждение "
                "(документ, ссылку) или закройте её через выполненные мероприятия."
            )
        if status == RecommendationStatus.NOT_APPLICABLE and not recommendation.evidence:
            raise ValidationError(
                "Укажите в поле «Подтверждение», почему рекомендация неприменима."
            )
        _set_status(recommendation, status)
    _stamp(recommendation, user)
    recommendation.save()
    return recommendation


def _set_status(recommendation: Recommendation, status: str) -> None:
    if status == RecommendationStatus.DONE and recommendation.status != status:
        recommendation.closed_at = timezone.now()
    elif status != RecommendationStatus.DONE:
        recommendation.closed_at = None
    recommendation.status = status


def events_for_municipality(municipality_id: int) -> QuerySet[RoadmapEvent]:
    """Events that may carry out a municipality's recommendation: its municipal roadmaps and
    its schools' roadmaps, archived ones aside."""
    return (
        RoadmapEvent.objects.filter(
            Q(roadmap__municipality_id=municipality_id)
            | Q(roadmap__school__municipality_id=municipality_id)
        )
        .exclude(roadmap__status=RoadmapStatus.ARCHIVED)
        .select_related("roadmap__municipality", "roadmap__school", "section")
        .order_by("-roadmap__period_start", "roadmap_id", "order")
    )


@transaction.atomic
def link_event(user, recommendation: Recommendation, event: RoadmapEvent) -> Recommendation:
    """Name a roadmap event that carries the recommendation out; an open one goes «в работе»."""
    _require(user, "reviews.track_recommendation", recommendation)
    if not events_for_municipality(recommendation.municipality_id).filter(pk=event.pk).exists():
        raise ValidationError(
            "Можно связать только мероприятие дорожной карты этого муниципалитета или его школ."
        )
    recommendation.events.add(event)
    if recommendation.status == RecommendationStatus.OPEN:
        recommendation.status = RecommendationStatus.IN_WORK
        _stamp(recommendation, user)
        recommendation.save()
    return recommendation


@transaction.atomic
def unlink_event(user, recommendation: Recommendation, event: RoadmapEvent) -> Recommendation:
    _require(user, "reviews.track_recommendation", recommendation)
    recommendation.events.remove(event)
    return recommendation


@transaction.atomic
def close_through_events(user, recommendation: Recommendation) -> Recommendation:
    """Close a recommendation whose linked events are all done (or cancelled).

    The closing is recorded with who and when («История изменений»); when no confirmation
    was written, the events themselves become it.
    """
    _require(user, "reviews.track_recommendation", recommendation)
    if recommendation.status not in OPEN_STATES:
        raise ValidationError("Рекомендация уже закрыта.")
    events = linked_events(recommendation)
    if not events:
        raise ValidationError("Нет связанных мероприятий: закрыть через мероприятия нельзя.")
    unfinished = [e for e in events if not e.finished]
    if unfinished:
        raise ValidationError(
            "Не все мероприятия выполнены: "
            + ", ".join(f"№ {e.number or '—'} {e.text[:60]}" for e in unfinished)
            + "."
        )
    if not recommendation.evidence:
        lines = [
            f"№ {e.number.rstrip('.') or '—'} «{_shorten(e.text, 120)}» ({e.roadmap.title[:80]})"
            for e in events
        ]
        recommendation.evidence = "Исполнена через мероприятия дорожной карты:\n" + "\n".join(lines)
    _set_status(recommendation, RecommendationStatus.DONE)
    _stamp(recommendation, user)
    recommendation.save()
    return recommendation


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- reads


def protocols_for(user) -> QuerySet[InterviewProtocol]:
    """Protocols the user may open: all for the region-wide roles, those with an interview
    of one's municipalities for a municipality or a curator, none for a school."""
    if not user.is_authenticated or user.role == Role.SCHOOL:
        return InterviewProtocol.objects.none()
    scope = scope_for(user)
    if scope.everything:
        return InterviewProtocol.objects.all()
    return InterviewProtocol.objects.filter(
        Exists(
            Interview.objects.filter(
                protocol=OuterRef("pk"), municipality_id__in=scope.municipality_ids
            )
        )
    )


def protocol_for(user, pk: int) -> InterviewProtocol | None:
    return protocols_for(user).filter(pk=pk).first()


def interviews_for(user) -> QuerySet[Interview]:
    if not user.is_authenticated or user.role == Role.SCHOOL:
        return Interview.objects.none()
    scope = scope_for(user)
    if scope.everything:
        return Interview.objects.all()
    return Interview.objects.filter(municipality_id__in=scope.municipality_ids)


def recommendations_for(user) -> QuerySet[Recommendation]:
    """Recommendations of the user's municipalities (all for the region-wide roles)."""
    if not user.is_authenticated or user.role == Role.SCHOOL:
        return Recommendation.objects.none()
    scope = scope_for(user)
    if scope.everything:
        return Recommendation.objects.all()
    return Recommendation.objects.filter(municipality_id__in=scope.municipality_ids)


def municipalities_with_recommendations(user) -> QuerySet[Municipality]:
    return Municipality.objects.filter(
        pk__in=recommendations_for(user).values("municipality_id")
    ).order_by("name")


def protocol_list(user) -> QuerySet[InterviewProtocol]:
    """Protocols with the counts of what the user sees in them: municipalities,
    recommendations, done and overdue ones."""
    today = timezone.localdate()
    visible = recommendations_for(user).filter(interview__protocol=OuterRef("pk"))

    def counted(qs, column="pk"):
        return Coalesce(
            Subquery(
                qs.order_by()
                .values("interview__protocol")
                .annotate(n=Count(column, distinct=True))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return (
        protocols_for(user)
        .annotate(
            municipality_count=counted(visible, "municipality"),
            recommendation_count=counted(visible),
            done_count=counted(visible.filter(status=RecommendationStatus.DONE)),
            overdue_count=counted(visible.filter(due_date__lt=today, status__in=OPEN_STATES)),
            first_date=Subquery(
                Interview.objects.filter(protocol=OuterRef("pk"))
                .order_by("date")
                .values("date")[:1]
            ),
            last_date=Subquery(
                Interview.objects.filter(protocol=OuterRef("pk"))
                .order_by("-date")
                .values("date")[:1]
            ),
        )
        .order_by(F("first_date").desc(nulls_last=True), "-created_at")
    )


def _event_finished_q() -> Q:
    """An event is done when it is cancelled, when all its reporting periods are finished, or
    — having no periods — when its own latest accepted-or-pending report says so."""
    periods = EventPeriod.objects.filter(event=OuterRef("pk"))
    open_periods = periods.exclude(status__in=FINISHED)
    done_reports = ProgressReport.objects.filter(
        event=OuterRef("pk"),
        status__in=FINISHED,
        school__isnull=True,
        municipality__isnull=True,
    ).exclude(review_state=ReviewState.RETURNED)
    return (
        Q(is_cancelled=True)
        | (Q(Exists(periods)) & ~Q(Exists(open_periods)))
        | (~Q(Exists(periods)) & Q(Exists(done_reports)))
    )


def _with_tracking(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Annotate overdue, «можно закрыть» and how many municipalities share the advice."""
    today = timezone.localdate()
    links = Recommendation.events.through.objects.filter(recommendation_id=OuterRef("pk"))
    unfinished = RoadmapEvent.objects.filter(recommendations=OuterRef("pk")).exclude(
        _event_finished_q()
    )
    repeats = (
        Recommendation.objects.filter(template_id=OuterRef("template_id"))
        .order_by()
        .values("template_id")
        .annotate(n=Count("municipality_id", distinct=True))
        .values("n")[:1]
    )
    return qs.annotate(
        is_overdue=ExpressionWrapper(
            Q(due_date__lt=today, status__in=OPEN_STATES), output_field=BooleanField()
        ),
        closable=ExpressionWrapper(
            Q(Exists(links)) & ~Q(Exists(unfinished)) & Q(status__in=OPEN_STATES),
            output_field=BooleanField(),
        ),
        repeats=Coalesce(Subquery(repeats, output_field=IntegerField()), Value(1)),
    )


@dataclass
class RecommendationFilter:
    municipality: int | None = None
    status: str = ""
    overdue: bool = False
    closable: bool = False
    protocol: int | None = None
    q: str = ""


def recommendation_list(user, f: RecommendationFilter | None = None) -> QuerySet[Recommendation]:
    """The tracker: the user's recommendations, filtered, with their events in two queries."""
    f = f or RecommendationFilter()
    qs = _with_tracking(recommendations_for(user))
    if f.municipality:
        qs = qs.filter(municipality_id=f.municipality)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(due_date__lt=timezone.localdate(), status__in=OPEN_STATES)
    if f.closable:
        qs = qs.filter(closable=True)
    if f.protocol:
        qs = qs.filter(interview__protocol_id=f.protocol)
    for word in recommendation_key(f.q).split():
        qs = qs.filter(Q(template__key__contains=word) | Q(text__icontains=word))
    return (
        qs.select_related("municipality", "interview__protocol")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=RoadmapEvent.objects.select_related("roadmap").order_by(
                    "roadmap_id", "order"
                ),
            )
        )
        .order_by("municipality__name", "interview__date", "interview_id", "order", "pk")
    )


def recommendation_for(user, pk: int) -> Recommendation | None:
    return (
        _with_tracking(recommendations_for(user))
        .select_related("municipality", "interview__protocol", "template")
        .filter(pk=pk)
        .first()
    )


def overdue_recommendations(user) -> QuerySet[Recommendation]:
    """Open or in-work recommendations past their due date, within the user's scope, the
    longest overdue first. The dashboards of the region and of a municipality count them."""
    return (
        recommendations_for(user)
        .filter(due_date__lt=timezone.localdate(), status__in=OPEN_STATES)
        .select_related("municipality")
        .order_by("due_date", "municipality__name", "order", "pk")
    )


def overdue_widget(user, limit: int = 5) -> dict:
    """Context of ``reviews/interviews/_overdue_widget.html``: the count and the oldest few."""
    qs = overdue_recommendations(user)
    return {"count": qs.count(), "items": list(qs[:limit])}


def linked_events(recommendation: Recommendation) -> list[RoadmapEvent]:
    """The events carrying the recommendation out, each with ``finished`` and its periods."""
    return list(
        recommendation.events.select_related("roadmap__municipality", "roadmap__school")
        .annotate(
            finished=ExpressionWrapper(_event_finished_q(), output_field=BooleanField()),
            period_count=Count("periods", distinct=True),
            finished_periods=Count(
                "periods", filter=Q(periods__status__in=FINISHED), distinct=True
            ),
        )
        .order_by("roadmap_id", "order")
    )


def closing_record(recommendation: Recommendation):
    """The history record of the closing (who and when), or None when it is not closed."""
    if recommendation.status != RecommendationStatus.DONE or recommendation.closed_at is None:
        return None
    return (
        recommendation.history.filter(
            status=RecommendationStatus.DONE, history_date__gte=recommendation.closed_at
        )
        .select_related("history_user")
        .order_by("history_date")
        .first()
    )


# ---------------------------------------------------------------- suggested events

# Parts of speech that carry no topic, and words every recommendation and event shares.
_SKIP_POS = {"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "NUMR", "PRED", "COMP"}
_GENERIC_LEMMAS = {
    "организовать",
    "организация",
    "организовывать",
    "провести",
    "проводить",
    "проведение",
    "работа",
    "мероприятие",
    "вопрос",
    "рамка",
    "участие",
    "использовать",
    "использование",
    "обеспечить",
    "рассмотреть",
    "возможность",
    "необходимость",
    "следующий",
    "тематика",
    "который",
    "свой",
    "весь",
    "это",
    "такой",
    "данный",
    "целое",
    "случай",
}
_WORD_RE = re.compile(r"[а-яёa-z]{3,}", re.IGNORECASE)


@functools.cache
def _morph():
    """One analyser per process: building it reads the dictionaries (a fraction of a second)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    parse = _morph().parse(word)[0]
    if parse.tag.POS in _SKIP_POS:
        return ""
    lemma = parse.normal_form.replace("ё", "е")
    return "" if lemma in _GENERIC_LEMMAS else lemma


def lemmas(text: str) -> frozenset[str]:
    """The meaningful lemmas of a text: «педагогический десанта ТОИПКРО для управленцев» →
    {«педагогический», «десант», «тоипкро», «управленец»}."""
    found = (_lemma(word.lower()) for word in _WORD_RE.findall(text or ""))
    return frozenset(lemma for lemma in found if lemma)


@dataclass
class Suggestion:
    event: RoadmapEvent
    shared: list[str]
    score: float


def suggested_events(
    recommendation: Recommendation,
    candidates: Sequence[RoadmapEvent],
    limit: int = 6,
) -> list[Suggestion]:
    """Events whose text shares lemmas with the recommendation, best first.

    Lemmas found in most candidate events («школа», «результат») weigh little; an event needs
    a lemma shared with few other events, two shared lemmas or one rare one, and a score not
    far below the best event's.
    """
    target = lemmas(recommendation.text)
    if not target or not candidates:
        return []
    pool = [(event, lemmas(event.text) & target) for event in candidates]
    frequency = Counter(lemma for _, shared in pool for lemma in shared)
    total = len(pool)
    rare = max(1, total // 5)  # a lemma of at most a fifth of the events names a topic
    found = []
    for event, shared in pool:
        if not shared or all(frequency[lemma] > rare for lemma in shared):
            continue
        score = sum(1 + math.log(total / frequency[lemma]) for lemma in shared)
        if len(shared) >= 2 or score >= 3:
            found.append(Suggestion(event=event, shared=sorted(shared), score=round(score, 2)))
    if not found:
        return []
    # Far weaker than the best match means «shares a couple of common words», not the topic.
    cut = max(s.score for s in found) / 3
    found = [s for s in found if s.score >= cut]
    found.sort(key=lambda s: (-s.score, s.event.order))
    return found[:limit]


# ---------------------------------------------------------------- Word export


def date_line(dates: Sequence[date]) -> str:
    """The protocol's dates as its header writes them: «17, 18, 19, 22» июня 2020 г.

    Dates in two months: «30» июня, «01, 02» июля 2020 г.
    """
    if not dates:
        return ""
    groups: OrderedDict[tuple[int, int], list[int]] = OrderedDict()
    for d in sorted(set(dates)):
        groups.setdefault((d.year, d.month), []).append(d.day)
    years = {year for year, _ in groups}
    parts = []
    for (year, month), days in groups.items():
        part = f"«{', '.join(f'{day:02d}' for day in days)}» {MONTHS_GENITIVE[month - 1]}"
        if len(years) > 1:
            part += f" {year} г."
        parts.append(part)
    line = ", ".join(parts)
    if len(years) == 1:
        line += f" {years.pop()} г."
    return line


def row_date(day: date) -> str:
    """A date row of the protocol table: «17 июня 2020 года»."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def _signature_name(text: str) -> str:
    """«Грабцевич И.Б., начальник Департамента…» → «Грабцевич И.Б.»"""
    return text.split(",")[0].strip()


def protocol_docx(protocol: InterviewProtocol, user) -> bytes:
    """The protocol in Word, as the region writes it (seed 000): title, place, date line,
    chairman, participants, secretary, agenda, the table «п/п | Муниципальное образование |
    Рекомендации в рамках собеседования» with merged date rows, then the assignments.

    A user who sees only some municipalities gets «Выписка из протокола» with their rows.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from opora.documents import docx_style as ds

    interviews = list(
        interviews_for(user)
        .filter(protocol=protocol)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("order", "pk"))
        )
        .order_by("date", "order", "pk")
    )
    excerpt = interviews_for(user).filter(protocol=protocol).count() != (
        protocol.interviews.count()
    )
    doc = ds.new_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    if excerpt:
        ds.add_paragraph(doc, "Выписка из протокола", bold=True, align=center)
    title = protocol.title.strip()
    head, _, rest = title.partition(" ")
    if head.upper() == "ПРОТОКОЛ":
        ds.add_paragraph(doc, "ПРОТОКОЛ", bold=True, align=center)
        if rest:
            ds.add_paragraph(doc, rest, bold=True, align=center, space_after_pt=12)
    else:
        ds.add_paragraph(doc, title, bold=True, align=center, space_after_pt=12)
    dates = sorted({i.date for i in protocol.interviews.all()})
    if protocol.place:
        ds.add_paragraph(doc, protocol.place, align=WD_ALIGN_PARAGRAPH.LEFT)
    if dates:
        ds.add_paragraph(doc, date_line(dates), align=WD_ALIGN_PARAGRAPH.LEFT, space_after_pt=12)

    def section(label: str, lines: Sequence[str], numbered: bool = False) -> None:
        lines = [line for line in lines if line]
        if not lines:
            return
        ds.add_paragraph(doc, f"{label}:", bold=True)
        for index, line in enumerate(lines, start=1):
            full_stop = "" if line.endswith(".") else "."  # «… Замятина О.М.»
            if numbered:  # the agenda: «1. О результатах … организаций.»
                text = f"{index}. {line}{full_stop}"
            else:  # participants: «…;» and the last one «….»
                text = f"{line}{';' if index < len(lines) else full_stop}"
            ds.add_paragraph(doc, text)
        doc.paragraphs[-1].paragraph_format.space_after = Pt(6)

    section("Председатель", [protocol.chairman])
    section("Участники", list(protocol.participants or []))
    section("Секретарь", [protocol.secretary])
    section("Повестка", list(protocol.agenda or []), numbered=True)
    ds.add_paragraph(doc, "Решение:", bold=True, space_after_pt=6)

    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, text in zip(
        header,
        ("п/п", "Муниципальное образование", "Рекомендации в рамках собеседования"),
        strict=True,
    ):
        ds.set_cell_text(cell, text, bold=True, align=center)
    ds.repeat_header(table.rows[0])
    current = None
    for number, interview in enumerate(interviews, start=1):
        if interview.date != current:
            current = interview.date
            ds.merged_row(table, row_date(current), bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        cells = table.add_row().cells
        ds.set_cell_text(cells[0], str(number), align=center)
        ds.set_cell_text(cells[1], interview.municipality.name)
        items = [r.text for r in interview.recommendations.all()]
        lines = [
            f"- {text}{'.' if index == len(items) else ';'}"
            for index, text in enumerate(items, start=1)
        ]
        ds.set_cell_text(cells[2], "\n".join(lines))
    ds.set_col_widths(table, [12, 50, ds.text_width_mm(doc) - 62])
    ds.set_table_font(table)

    assignments = list(protocol.assignments.all()) if not excerpt else []
    by_addressee: OrderedDict[str, list[ProtocolAssignment]] = OrderedDict()
    for assignment in assignments:
        by_addressee.setdefault(assignment.addressee, []).append(assignment)
    for addressee, items in by_addressee.items():
        ds.add_paragraph(doc, "")
        ds.add_paragraph(doc, f"Поручения {addressee}:", bold=True)
        for index, assignment in enumerate(items, start=1):
            text = assignment.text.rstrip(" .;")
            end = ":" if assignment.items and not text.endswith(":") else ""
            end = end or ("" if text.endswith(":") else ".")
            ds.add_paragraph(doc, f"{index}. {text}{end}")
            for position, item in enumerate(assignment.items, start=1):
                mark = "." if position == len(assignment.items) else ";"
                ds.add_paragraph(doc, f"- {item}{mark}")

    ds.add_paragraph(doc, "")
    for label, person in (("Председатель", protocol.chairman), ("Секретарь", protocol.secretary)):
        if person:
            ds.add_paragraph(doc, f"{label}:", align=WD_ALIGN_PARAGRAPH.LEFT)
            ds.add_paragraph(
                doc,
                f"_____________ /{_signature_name(person)}/",
                align=WD_ALIGN_PARAGRAPH.LEFT,
                space_after_pt=12,
            )
    ds.add_page_numbers(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


__all__ = [
    "CoverLetter",
    "ProtocolFile",
    "ProtocolFileError",
    "ProtocolPreview",
    "RecommendationFilter",
    "add_interview",
    "add_recommendation",
    "catalogue",
    "close_through_events",
    "create_protocol",
    "import_protocol",
    "link_event",
    "linked_events",
    "overdue_recommendations",
    "overdue_widget",
    "protocol_docx",
    "protocol_list",
    "protocol_preview",
    "read_protocol_file",
    "recommendation_key",
    "recommendation_list",
    "recommendations_for",
    "suggested_events",
    "unlink_event",
    "update_recommendation",
]


def home_widget(user) -> str:
    """The dashboard card of overdue recommendations (region-wide roles and municipalities)."""
    from django.template.loader import render_to_string

    from opora.accounts.models import Role

    if user.role == Role.SCHOOL:
        return ""
    return render_to_string(
        "reviews/interviews/_overdue_widget.html", {"overdue": overdue_widget(user)}
    )
