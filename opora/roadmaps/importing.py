"""Importing a roadmap file: the plan (what would be saved, nothing written) and its application.

The import-preview pattern of docs/architecture.md: ``plan_roadmap_import`` reads the parsed
file against the registry (deadlines, executors, named schools) and returns a typed
``RoadmapImportPlan`` the preview page shows and ``--json`` prints; ``apply_roadmap_import``
writes that plan as a draft in one transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.core.intake.skipped import Skipped
from opora.registry.models import School
from opora.roadmaps.models import (
    ColumnMapping,
    Roadmap,
    RoadmapEvent,
    RoadmapIndicator,
    RoadmapLevel,
    RoadmapSection,
    RoadmapStatus,
)
from opora.roadmaps.readers.parsed import ParsedEvent, ParsedRoadmap
from opora.roadmaps.readers.preamble import indicator_values
from opora.roadmaps.services import (
    EventParse,
    _apply_deadline,
    _label,
    _rebuild_periods,
    _save_executors,
    _transition,
    executor_directory,
    linked_schools,
    parse_event_cells,
)


@dataclass(frozen=True)
class ExecutorPlan:
    """One executor as written and as understood."""

    written: str
    key: str | None
    label: str
    known: bool
    qualifier: str
    #: «Иванова Н.П.» when the executor is a person (``qualifier`` then holds the position).
    person: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class EventPlan:
    """One event as it would be saved: its understood deadline, executors, schools, warnings."""

    number: str
    row: int | None
    notes: tuple[str, ...]
    text: str
    deadline_text: str
    deadline: dict
    executors_text: str
    executors: tuple[ExecutorPlan, ...]
    indicator: str
    evidence: str
    target_quantity: int | None
    target_unit: str
    schools: tuple[str, ...]
    warnings: tuple[str, ...]
    # What the application writes; not shown, not printed.
    source: ParsedEvent = field(repr=False, compare=False)
    parse: EventParse = field(repr=False, compare=False)
    linked: tuple[School, ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "row": self.row,
            "notes": list(self.notes),
            "text": self.text,
            "deadline_text": self.deadline_text,
            "deadline": self.deadline,
            "executors_text": self.executors_text,
            "executors": [x.to_dict() for x in self.executors],
            "indicator": self.indicator,
            "evidence": self.evidence,
            "target_quantity": self.target_quantity,
            "target_unit": self.target_unit,
            "schools": list(self.schools),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class SectionPlan:
    title: str
    events: tuple[EventPlan, ...]

    def to_dict(self) -> dict:
        return {"title": self.title, "events": [e.to_dict() for e in self.events]}


@dataclass(frozen=True)
class RoadmapImportPlan:
    """What an import would save. ``municipality`` is the body whose registry was read."""

    parsed: ParsedRoadmap = field(repr=False, compare=False)
    period: tuple[date, date]
    municipality: object
    sections: tuple[SectionPlan, ...]
    warnings: tuple[str, ...]
    skipped: tuple[Skipped, ...]

    title = property(lambda self: self.parsed.title)
    goal = property(lambda self: self.parsed.goal)
    tasks = property(lambda self: self.parsed.tasks)
    indicators = property(lambda self: self.parsed.indicators)
    columns = property(lambda self: self.parsed.columns)

    @property
    def has_indicator(self) -> bool:
        return "indicator" in self.parsed.columns

    @property
    def has_evidence(self) -> bool:
        return "evidence" in self.parsed.columns

    @property
    def events(self) -> list[EventPlan]:
        return [e for s in self.sections for e in s.events]

    def to_dict(self) -> dict:
        """The keys the CLI's ``--json`` has always printed."""
        return {
            "title": self.title,
            "goal": self.goal,
            "tasks": self.tasks,
            "indicators": self.indicators,
            "columns": self.columns,
            "has_indicator": self.has_indicator,
            "has_evidence": self.has_evidence,
            "sections": [s.to_dict() for s in self.sections],
            "warnings": list(self.warnings),
            "skipped": [asdict(part) for part in self.skipped],
        }


def _event_plan(e: ParsedEvent, period, directory, schools) -> EventPlan:
    p = parse_event_cells(
        e.deadline_text, e.executors_text, (e.indicator_text, e.text), period, directory
    )
    warnings = list(e.warnings)
    if not p.schedule.understood:
        warnings.append(f"Срок не распознан: «{e.deadline_text}»")
    unknown = [r.written for r in p.executors if not r.known]
    if unknown:
        warnings.append("Неизвестные исполнители: " + ", ".join(unknown))
    linked = tuple(linked_schools(e.text, schools))
    return EventPlan(
        number=e.number,
        row=e.row_index,
        notes=tuple(e.notes),
        text=e.text,
        deadline_text=e.deadline_text,
        deadline=p.schedule.to_dict(),
        executors_text=e.executors_text,
        executors=tuple(
            ExecutorPlan(r.written, r.key, _label(r), r.known, r.qualifier, r.person)
            for r in p.executors
        ),
        indicator=e.indicator_text,
        evidence=e.evidence_text,
        target_quantity=p.quantity,
        target_unit=p.unit,
        schools=tuple(s.short_name for s in linked),
        warnings=tuple(warnings),
        source=e,
        parse=p,
        linked=linked,
    )


def plan_roadmap_import(
    parsed: ParsedRoadmap, period: tuple[date, date], municipality=None
) -> RoadmapImportPlan:
    """Every event with its understood deadline, executors and schools; writes nothing.

    ``municipality`` is the body whose organisations and schools the file is read against (the
    roadmap's municipality, or its school's); a regional roadmap reads region-wide bodies only.
    """
    directory = executor_directory(municipality)
    schools = list(School.objects.filter(municipality=municipality)) if municipality else []
    sections = tuple(
        SectionPlan(
            title=section.title,
            events=tuple(_event_plan(e, period, directory, schools) for e in section.events),
        )
        for section in parsed.sections
    )
    return RoadmapImportPlan(
        parsed=parsed,
        period=period,
        municipality=municipality,
        sections=sections,
        warnings=tuple(parsed.warnings),
        skipped=tuple(parsed.skipped),
    )


@transaction.atomic
def apply_roadmap_import(
    user,
    plan: RoadmapImportPlan,
    *,
    level: str,
    title: str = "",
    municipality=None,
    school=None,
    owner_name: str = "",
    source_name: str = "",
    columns: dict[str, str] | None = None,
) -> Roadmap:
    """Save a plan as a draft roadmap, all-or-nothing.

    ``columns`` is the column mapping the user chose in the preview (header wording or column
    number → column key, ``{"Кто отвечает": "executors"}``): it is remembered for the body the
    roadmap belongs to, so that its next file is read the same way.
    """
    parsed = plan.parsed
    roadmap = Roadmap(
        level=level,
        municipality=municipality if level == "municipality" else None,
        school=school if level == "school" else None,
        owner_name=owner_name[:300],
        title=(title or parsed.title or "Дорожная карта")[:1000],
        period_start=plan.period[0],
        period_end=plan.period[1],
        goal=parsed.goal,
        tasks=parsed.tasks,
        source_name=source_name[:300],
        has_indicator_column=plan.has_indicator,
        has_evidence_column=plan.has_evidence,
    )
    _require(user, "roadmaps.add_roadmap")
    if not user.has_perm("roadmaps.change_roadmap", roadmap):
        raise PermissionDenied("Эту дорожную карту вы не можете создавать.")
    _stamp(roadmap, user)
    roadmap.full_clean()
    roadmap.save()
    RoadmapIndicator.objects.bulk_create(
        [
            RoadmapIndicator(
                roadmap=roadmap, order=i, text=text, target_value=target, actual_value=actual
            )
            for i, (text, target, actual) in enumerate(map(indicator_values, plan.indicators))
        ]
    )
    order = 0
    for s_index, planned in enumerate(plan.sections):
        section = RoadmapSection.objects.create(roadmap=roadmap, order=s_index, title=planned.title)
        for e in planned.events:
            order += 1
            _save_event(user, roadmap, section, order, e)
    if columns:
        _remember_columns(user, roadmap, columns)
    _transition(roadmap, None, RoadmapStatus.DRAFT, user, "Импорт из файла " + source_name)
    return roadmap


def _save_event(user, roadmap: Roadmap, section: RoadmapSection, order: int, e: EventPlan):
    source, p = e.source, e.parse
    event = RoadmapEvent(
        roadmap=roadmap,
        section=section,
        order=order,
        number=source.number[:20],
        text=source.text,
        deadline_text=source.deadline_text[:500],
        executors_text=source.executors_text[:1000],
        indicator_text=source.indicator_text,
        evidence_text=source.evidence_text,
        target_quantity=p.quantity,
        target_unit=p.unit[:100],
        raw=source.raw,
        warnings=source.warnings,
    )
    _apply_deadline(event, p.schedule)
    _stamp(event, user)
    event.save()
    _save_executors(event, p.executors)
    event.save(update_fields=["executors_unknown"])
    _rebuild_periods(event, p.schedule)
    if e.linked:
        event.schools.set(e.linked)


def _remember_columns(user, roadmap: Roadmap, columns: dict[str, str]) -> ColumnMapping:
    """Add the wordings of ``columns`` to the mapping of the roadmap's body (created once)."""
    owner = {"level": roadmap.level}
    if roadmap.level == RoadmapLevel.MUNICIPALITY:
        owner["municipality"] = roadmap.municipality
    elif roadmap.level == RoadmapLevel.SCHOOL:
        owner["school"] = roadmap.school
    mapping = ColumnMapping.objects.select_for_update().filter(**owner).first()
    if mapping is None:
        mapping = ColumnMapping(**owner)
    mapping.headers = {**mapping.headers, **columns}
    _stamp(mapping, user)
    mapping.save()
    return mapping
