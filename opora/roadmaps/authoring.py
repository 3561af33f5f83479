"""A roadmap written in the app, without a file (issue 16): created empty or from another
roadmap as a template (a municipality starts from the regional one), its sections and events
added, changed, removed and reordered, its goal, tasks and indicators edited.

Every function takes the acting user, checks ``roadmaps.change_roadmap`` and runs in one
transaction; the structure changes only while the roadmap is a draft or returned, the actual
values of its indicators also in execution.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from opora.accounts.guards import require, stamp
from opora.core.formatting import quoted
from opora.registry.models import School
from opora.roadmaps.deadlines import DeadlineKind, Schedule
from opora.roadmaps.models import (
    Roadmap,
    RoadmapEvent,
    RoadmapIndicator,
    RoadmapSection,
    RoadmapStatus,
)
from opora.roadmaps.services import (
    _apply_deadline,
    _locked,
    _rebuild_periods,
    _save_executors,
    _shift_years_in_text,
    _transition,
    executor_directory,
    linked_schools,
    parse_event_cells,
)


def _editable(user, roadmap: Roadmap) -> Roadmap:
    roadmap = _locked(roadmap)
    require(user, "roadmaps.change_roadmap", roadmap)
    if not roadmap.is_editable:
        raise ValidationError(
            "Утверждённая или отправленная на согласование карта не редактируется: "
            "создайте новую версию."
        )
    return roadmap


@transaction.atomic
def create_roadmap(
    user,
    *,
    level: str,
    title: str,
    period: tuple[date, date],
    municipality=None,
    school=None,
    owner_name: str = "",
    template: Roadmap | None = None,
) -> Roadmap:
    """A draft roadmap, empty or a copy of ``template`` (any roadmap the user may read) moved
    into ``period``: goal, tasks, indicators with their targets, sections and events with their
    deadlines read again in the new period. Events copied from a regional roadmap into a
    municipal or school one are linked to the regional events they carry out.

    The copy takes the chosen period, not the template's: every year written in the events
    moves by the years between the two periods' starts («май 2023» in a 2023 template becomes
    «май 2024» in a 2024 roadmap; «ВПР-2023» «ВПР-2024»), and a deadline that still falls
    outside the new period (a two-year template copied into one year) is cleared, its text kept,
    to be set again.

    Example: the coordinator of Каргасокский район starts «Дорожная карта на 2024 год» from the
    regional roadmap of 2023.
    """
    require(user, "roadmaps.add_roadmap")
    if not title.strip():
        raise ValidationError("Укажите наименование карты.")
    roadmap = Roadmap(
        level=level,
        municipality=municipality if level == "municipality" else None,
        school=school if level == "school" else None,
        owner_name=owner_name[:300],
        title=title.strip()[:1000],
        period_start=period[0],
        period_end=period[1],
    )
    if not user.has_perm("roadmaps.change_roadmap", roadmap):
        raise PermissionDenied("Эту дорожную карту вы не можете создавать.")
    if template is not None:
        require(user, "roadmaps.view_roadmap", template)
        roadmap.goal, roadmap.tasks = template.goal, list(template.tasks)
        roadmap.has_indicator_column = template.has_indicator_column
        roadmap.has_evidence_column = template.has_evidence_column
    stamp(roadmap, user)
    roadmap.full_clean()
    roadmap.save()
    if template is not None:
        _copy_from(user, roadmap, template)
    _transition(
        roadmap,
        None,
        RoadmapStatus.DRAFT,
        user,
        f"Создана в «Опоре» по образцу {quoted(template.title)}"
        if template
        else "Создана в «Опоре»",
    )
    return roadmap


def _copy_from(user, roadmap: Roadmap, template: Roadmap) -> None:
    RoadmapIndicator.objects.bulk_create(
        RoadmapIndicator(roadmap=roadmap, order=i.order, text=i.text, target_value=i.target_value)
        for i in template.indicators.all()
    )
    sections = {
        s.pk: RoadmapSection.objects.create(roadmap=roadmap, order=s.order, title=s.title)
        for s in template.sections.all()
    }
    municipality = roadmap.municipality or (
        roadmap.school.municipality if roadmap.school_id else None
    )
    directory = executor_directory(municipality)
    schools = list(School.objects.filter(municipality=municipality)) if municipality else []
    cascade = template.level == "region" and roadmap.level != "region"
    shift = roadmap.period_start.year - template.period_start.year

    def moved(text: str) -> str:
        return _shift_years_in_text(text, shift)

    for e in template.events.filter(is_cancelled=False).order_by("order"):
        deadline_text, text = moved(e.deadline_text), moved(e.text)
        indicator_text = moved(e.indicator_text)
        parsed = parse_event_cells(
            deadline_text, e.executors_text, (indicator_text, text), roadmap.period, directory
        )
        event = RoadmapEvent(
            roadmap=roadmap,
            section=sections.get(e.section_id),
            order=e.order,
            number=e.number,
            text=text,
            deadline_text=deadline_text,
            executors_text=e.executors_text,
            indicator_text=indicator_text,
            evidence_text=moved(e.evidence_text),
            target_quantity=e.target_quantity,
            target_unit=e.target_unit,
            parent_event=e if cascade else e.parent_event,
        )
        schedule = _within(parsed.schedule, roadmap.period)
        _apply_deadline(event, schedule)
        stamp(event, user)
        event.save()
        _save_executors(event, parsed.executors)
        event.save(update_fields=["executors_unknown"])
        _rebuild_periods(event, schedule)
        named = linked_schools(e.text, schools)
        if named:
            event.schools.set(named)


def _within(schedule: Schedule, period: tuple[date, date]) -> Schedule:
    """``schedule``, or no deadline at all when any of its dates falls outside ``period``."""
    start, end = period
    if all(start <= p.start and p.end <= end for p in schedule.periods):
        return schedule
    return Schedule(
        text=schedule.text,
        kind=DeadlineKind.UNKNOWN,
        periods=(),
        recurrence=None,
        understood=False,
        note=f"Срок «{schedule.text}» вне периода карты: укажите его заново",
    )


@transaction.atomic
def update_header(user, roadmap: Roadmap, *, title: str, goal: str, tasks: list[str]) -> Roadmap:
    """The roadmap's name, goal and tasks (one task a line)."""
    roadmap = _editable(user, roadmap)
    if not title.strip():
        raise ValidationError("Укажите наименование карты.")
    roadmap.title = title.strip()[:1000]
    roadmap.goal = goal.strip()
    roadmap.tasks = [t.strip() for t in tasks if t.strip()]
    stamp(roadmap, user)
    roadmap.save(update_fields=["title", "goal", "tasks"])
    return roadmap


# ---------------------------------------------------------------- sections


@transaction.atomic
def add_section(user, roadmap: Roadmap, title: str) -> RoadmapSection:
    roadmap = _editable(user, roadmap)
    if not title.strip():
        raise ValidationError("Укажите название раздела.")
    last = roadmap.sections.aggregate(m=Max("order"))["m"]
    section = RoadmapSection(roadmap=roadmap, order=(last or 0) + 1, title=title.strip())
    stamp(section, user)
    section.save()
    return section


@transaction.atomic
def rename_section(user, section: RoadmapSection, title: str) -> RoadmapSection:
    _editable(user, section.roadmap)
    if not title.strip():
        raise ValidationError("Укажите название раздела.")
    section.title = title.strip()
    stamp(section, user)
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def remove_section(user, section: RoadmapSection) -> None:
    """Remove an empty section; events are moved or removed first, so none is lost unseen."""
    _editable(user, section.roadmap)
    if section.events.exists():
        raise ValidationError("В разделе есть мероприятия: перенесите или удалите их сначала.")
    stamp(section, user)
    section.delete()


def _swap(items: list, obj, direction: str) -> list:
    i = next(n for n, x in enumerate(items) if x.pk == obj.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    return items


@transaction.atomic
def move_section(user, section: RoadmapSection, direction: str) -> None:
    roadmap = _editable(user, section.roadmap)
    ordered = _swap(list(roadmap.sections.order_by("order", "pk")), section, direction)
    for n, s in enumerate(ordered, 1):
        if s.order != n:
            s.order = n
            stamp(s, user)
            s.save(update_fields=["order"])


# ---------------------------------------------------------------- events


@transaction.atomic
def remove_event(user, event: RoadmapEvent) -> None:
    """Remove an event of a draft with its periods; an event already reported on is kept
    (cancel it instead: its reports are the programme's record)."""
    _editable(user, event.roadmap)
    if event.reports.exists():
        raise ValidationError("По мероприятию есть отчёты: отметьте его отменённым, а не удаляйте.")
    stamp(event, user)
    event.delete()


@transaction.atomic
def move_event(user, event: RoadmapEvent, direction: str) -> None:
    """Move an event up or down within its section."""
    roadmap = _editable(user, event.roadmap)
    ordered = list(roadmap.events.order_by("order", "pk"))
    siblings = [e for e in ordered if e.section_id == event.section_id]
    moved = _swap(list(siblings), event, direction)
    slots = sorted(e.order for e in siblings)
    for slot, e in zip(slots, moved, strict=True):
        if e.order != slot:
            e.order = slot
            stamp(e, user)
            e.save(update_fields=["order"])


# ---------------------------------------------------------------- indicators


@transaction.atomic
def save_indicator(
    user,
    roadmap: Roadmap,
    indicator: RoadmapIndicator | None,
    *,
    text: str,
    target_value: str,
    actual_value: str,
) -> RoadmapIndicator:
    """Add or change an indicator. Its text and target are the plan (draft only); its actual
    value is the execution, entered while the roadmap is approved too."""
    roadmap = _locked(roadmap)
    require(user, "roadmaps.change_roadmap", roadmap)
    plan_changed = indicator is None or (text, target_value) != (
        indicator.text,
        indicator.target_value,
    )
    if plan_changed and not roadmap.is_editable:
        raise ValidationError(
            "Показатель и его целевое значение меняются в черновике; "
            "в утверждённой карте вносится фактическое значение."
        )
    if roadmap.status == RoadmapStatus.ARCHIVED:
        raise ValidationError("Карта в архиве не меняется.")
    if not text.strip():
        raise ValidationError("Укажите показатель.")
    if indicator is None:
        last = roadmap.indicators.aggregate(m=Max("order"))["m"]
        indicator = RoadmapIndicator(roadmap=roadmap, order=(last if last is not None else -1) + 1)
    indicator.text = text.strip()
    indicator.target_value = target_value.strip()[:100]
    indicator.actual_value = actual_value.strip()[:100]
    stamp(indicator, user)
    indicator.save()
    return indicator


@transaction.atomic
def remove_indicator(user, indicator: RoadmapIndicator) -> None:
    _editable(user, indicator.roadmap)
    stamp(indicator, user)
    indicator.delete()
