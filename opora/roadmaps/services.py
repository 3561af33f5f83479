"""Writes to roadmaps. Each takes the acting user, checks permission, runs in a transaction."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.accounts.reach import Reach, reach_of
from opora.core import contributions
from opora.core.formatting import quoted
from opora.core.states import StateChanged, change_state, stale_message
from opora.registry.models import Organisation, School
from opora.roadmaps.deadlines import parse_deadline
from opora.roadmaps.executors import ROLE_ENTRIES, DirectoryEntry, resolve_executors
from opora.roadmaps.models import (
    FINISHED,
    EventExecutor,
    EventPeriod,
    Evidence,
    ExecutorRole,
    ProgressReport,
    ProgressStatus,
    ReviewState,
    Roadmap,
    RoadmapEvent,
    RoadmapIndicator,
    RoadmapSection,
    RoadmapStatus,
    RoadmapTransition,
)
from opora.roadmaps.periods import MAX_YEAR, check_day
from opora.roadmaps.quantities import target_quantity
from opora.roadmaps.signals import (
    reminder_requested,
    report_filed,
    report_reviewed,
    roadmap_moved,
    send_on_commit,
)

# Roles of the executor resolver → roles stored on EventExecutor.
_ROLE_KEYS = {
    "role:school": "school",
    "role:curator": "curator",
    "role:municipal_authority": "municipal_authority",
    "role:methodical_service": "methodical_service",
}


# ---------------------------------------------------------------- parsing into events


def executor_directory(municipality=None) -> list[DirectoryEntry]:
    """Organisations of the registry (region-wide and the roadmap's municipality), then roles."""
    qs = Organisation.objects.filter(municipality__isnull=True)
    if municipality is not None:
        qs = qs | Organisation.objects.filter(municipality=municipality)
    entries = [
        DirectoryEntry(
            key=f"org:{o.pk}",
            label=o.short_name,
            names=tuple(dict.fromkeys([o.short_name, *o.abbreviations])),
        )
        for o in qs
        if not o.short_name.startswith("МОУО (")  # generated demo bodies answer to the role
    ]
    people = [
        DirectoryEntry(key=key, label=label, names=(name_key,))
        for directory in contributions.person_directories()
        for key, label, name_key in directory.entries(municipality)
    ]
    return entries + people + list(ROLE_ENTRIES)


def _school_stem(school: School) -> tuple[str, int | None]:
    """The word that names a school in running text: «Вертикосская» of «МКОУ «Вертикосская СОШ»»."""
    m = re.search(r"«([^»]+)»", school.full_name)
    inner = m.group(1) if m else school.full_name
    word = next((w for w in re.split(r"[\s\-№]+", inner) if len(w) > 4 and w[0].isupper()), "")
    return word.lower()[:-2] if word else "", school.number or _number_in(inner)


def _number_in(text: str) -> int | None:
    m = re.search(r"№\s*(\d+)", text)
    return int(m.group(1)) if m else None


def linked_schools(text: str, schools) -> list[School]:
    """Schools named in an event's text (seed 002, event 10 lists twelve).

    A school is named by its distinctive word followed by its kind — «Вертикосская СОШ»,
    «Нововасюганской СОШ» — and, when it has a number, by that number: «…СОШ-интернат №1»
    is not «…СОШ№2», and «Каргасокского района» names no school at all.
    """
    low = text.lower().replace("ё", "е")
    found = []
    for school in schools:
        stem, number = _school_stem(school)
        if not stem or stem not in low:  # a plain substring test first: most schools fail it
            continue
        pattern = rf"(?<![а-я]){re.escape(stem)}\w*\s*[-–]?\s*(?:сош|оош|нош|школ|гимназ|лице)[^,;»]{{0,20}}"
        hits = re.findall(pattern, low)
        if not hits:
            continue
        numbered_elsewhere = any("№" in h for h in hits) and not any(
            re.search(rf"№\s*{number}(?!\d)", h) for h in hits
        )
        if number is not None and numbered_elsewhere:
            continue
        found.append(school)
    return found


@dataclass
class EventParse:
    schedule: object
    executors: list
    quantity: int | None
    unit: str


def parse_event_cells(
    deadline_text: str, executors_text: str, texts: tuple[str, ...], period, directory
) -> EventParse:
    schedule = parse_deadline(deadline_text or "", period)
    resolved = resolve_executors(executors_text or "", directory)
    quantity, unit = target_quantity(*texts)
    return EventParse(schedule, resolved, quantity, unit)


def _label(resolved) -> str:
    """The label a saved executor will show, so that the preview and the page agree."""
    role = _ROLE_KEYS.get(resolved.key or "")
    if resolved.qualifier or not resolved.known:
        return resolved.written
    return ExecutorRole(role).label if role else resolved.label


def _apply_deadline(event: RoadmapEvent, schedule) -> None:
    event.deadline = schedule.to_dict()
    event.deadline_kind = str(schedule.kind)
    event.deadline_understood = schedule.understood
    event.starts_on = schedule.periods[0].start if schedule.periods else None
    event.due_on = schedule.due


def _rebuild_periods(event: RoadmapEvent, schedule) -> None:
    """Reporting periods follow the schedule; reports on periods that remain are kept."""
    wanted = [(p.start, p.end) for p in schedule.occurrences()]
    existing = {(p.start, p.end): p for p in event.periods.all()}
    for key, period in existing.items():
        if key not in wanted and not period.reports.exists():
            period.delete()
    EventPeriod.objects.bulk_create(
        [EventPeriod(event=event, start=s, end=e) for s, e in wanted if (s, e) not in existing]
    )


def _save_executors(event: RoadmapEvent, resolved) -> None:
    event.executors.all().delete()
    rows, unknown = [], []
    for i, r in enumerate(resolved):
        org_id = int(r.key.split(":")[1]) if r.key and r.key.startswith("org:") else None
        rows.append(
            EventExecutor(
                event=event,
                order=i,
                written=r.written[:300],
                organisation_id=org_id,
                role=_ROLE_KEYS.get(r.key or "", ""),
                qualifier=r.qualifier[:100],
                known=r.known,
            )
        )
        if not r.known:
            unknown.append(r.written)
    EventExecutor.objects.bulk_create(rows)
    event.executors_unknown = unknown


# ---------------------------------------------------------------- editing


def _locked(roadmap: Roadmap) -> Roadmap:
    """The roadmap as it is now, its row held until the edit commits: an edit checks
    «черновик» against the status of the moment, not the one its page was shown with, and a
    concurrent submission waits for it (SQLite serialises writing transactions anyway)."""
    current = Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()
    if current is None:
        raise StateChanged(stale_message("карта удалена"), code="stale")
    return current


EDITABLE_EVENT_FIELDS = {
    "number",
    "text",
    "deadline_text",
    "executors_text",
    "indicator_text",
    "evidence_text",
    "section",
    "parent_event",
    "target_quantity",
    "target_unit",
    "is_cancelled",
}


@transaction.atomic
def update_event(user, event: RoadmapEvent, **fields) -> RoadmapEvent:
    """Change an event; a changed deadline or executors text is parsed again."""
    roadmap = _locked(event.roadmap)
    event.roadmap = roadmap
    _require(user, "roadmaps.change_roadmap", roadmap)
    if not roadmap.is_editable and set(fields) - {"parent_event", "is_cancelled"}:
        raise ValidationError(
            "Утверждённая или отправленная на согласование карта не редактируется: "
            "создайте новую версию."
        )
    unknown = set(fields) - EDITABLE_EVENT_FIELDS
    if unknown:
        raise ValueError(f"Поля нельзя менять: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(event, name, value)
    if "deadline_text" in fields:
        schedule = parse_deadline(event.deadline_text, roadmap.period)
        _apply_deadline(event, schedule)
        _rebuild_periods(event, schedule)
    if "executors_text" in fields:
        municipality = roadmap.municipality or (
            roadmap.school.municipality if roadmap.school_id else None
        )
        _save_executors(
            event, resolve_executors(event.executors_text, executor_directory(municipality))
        )
    _stamp(event, user)
    event.full_clean(exclude=["raw", "deadline", "warnings", "executors_unknown"])
    event.save()
    return event


@transaction.atomic
def add_event(user, roadmap: Roadmap, section: RoadmapSection | None, **fields) -> RoadmapEvent:
    roadmap = _locked(roadmap)
    _require(user, "roadmaps.change_roadmap", roadmap)
    if not roadmap.is_editable:
        raise ValidationError("Карта не в статусе черновика — добавлять мероприятия нельзя.")
    last = roadmap.events.order_by("-order").values_list("order", flat=True).first() or 0
    event = RoadmapEvent(
        roadmap=roadmap, section=section, order=last + 1, text=fields.get("text", "")
    )
    _stamp(event, user)
    event.save()
    return update_event(user, event, **fields)


# ---------------------------------------------------------------- approval workflow


def _transition(roadmap, from_status, to_status, user, comment=""):
    RoadmapTransition.objects.create(
        roadmap=roadmap,
        from_status=from_status or to_status,
        to_status=to_status,
        comment=comment,
        user=user if getattr(user, "pk", None) else None,
    )


def _roadmap_stale(current: Roadmap | None) -> str:
    """«карта утверждена (Иванова Е. С.)»: what the roadmap became, and who did it."""
    if current is None:
        return stale_message("карта удалена")
    last = current.transitions.select_related("user").first()
    who = f" ({last.user.display_name})" if last and last.user else ""
    return stale_message(f"карта сейчас «{current.get_status_display()}»{who}")


def expect_status(roadmap: Roadmap, seen: str) -> None:
    """Refuse a step sent from a page showing an older status (``seen``, «submitted»)."""
    if seen and seen != roadmap.status:
        raise StateChanged(_roadmap_stale(roadmap), code="stale")


def _move(user, roadmap, allowed_from, to_status, perm, comment="", **fields):
    """One step of the workflow, taken from the status the request read: a concurrent step
    (another reviewer, a second click) finds the status changed and gets a message."""
    _require(user, perm, roadmap)
    previous = roadmap.status
    if previous not in allowed_from:
        raise ValidationError(
            f"Из статуса «{roadmap.get_status_display()}» нельзя перейти в "
            f"«{RoadmapStatus(to_status).label}»."
        )
    change_state(
        _stamp(roadmap, user),
        expected={"status": previous},
        changes={"status": to_status, **fields},
        stale=_roadmap_stale,
    )
    _transition(roadmap, previous, to_status, user, comment)
    send_on_commit(
        roadmap_moved,
        Roadmap,
        roadmap=roadmap,
        user=user,
        from_status=previous,
        to_status=to_status,
        comment=comment,
    )
    return roadmap


def submitted_by_self(user, roadmap: Roadmap) -> bool:
    """Is ``roadmap`` on approval because ``user`` sent it? Then someone else approves it."""
    if roadmap.status != RoadmapStatus.SUBMITTED:
        return False
    last = roadmap.transitions.filter(to_status=RoadmapStatus.SUBMITTED).order_by("-at", "-pk")
    return last.values_list("user_id", flat=True).first() == user.pk


@transaction.atomic
def submit_roadmap(user, roadmap: Roadmap, comment: str = "") -> Roadmap:
    return _move(
        user,
        roadmap,
        {RoadmapStatus.DRAFT, RoadmapStatus.RETURNED},
        RoadmapStatus.SUBMITTED,
        "roadmaps.change_roadmap",
        comment,
    )


@transaction.atomic
def return_roadmap(user, roadmap: Roadmap, comment: str) -> Roadmap:
    if not comment.strip():
        raise ValidationError("Укажите, что нужно доработать.")
    return _move(
        user,
        roadmap,
        {RoadmapStatus.SUBMITTED},
        RoadmapStatus.RETURNED,
        "roadmaps.review_roadmap",
        comment,
    )


@transaction.atomic
def approve_roadmap(
    user, roadmap: Roadmap, *, kind: str, number: str, day: date, file=None
) -> Roadmap:
    """Approve by a document; the version it replaces goes to the archive, still readable."""
    if not (kind.strip() and number.strip() and day):
        raise ValidationError("Укажите вид, номер и дату документа об утверждении.")
    check_day(day, "Дата документа об утверждении")
    if file is not None:
        from opora.roadmaps.evidence import check_document_file

        check_document_file(file, "Файл документа об утверждении")
    if submitted_by_self(user, roadmap):
        raise PermissionDenied(
            "Карту, которую вы сами отправили на согласование, утверждает другой сотрудник."
        )
    document = {"approval_kind": kind, "approval_number": number, "approval_date": day}
    if file is not None:
        document["approval_file"] = file
    _move(
        user,
        roadmap,
        {RoadmapStatus.SUBMITTED, RoadmapStatus.DRAFT, RoadmapStatus.RETURNED},
        RoadmapStatus.APPROVED,
        "roadmaps.review_roadmap",
        f"{kind} от {day:%d.%m.%Y} № {number}",
        **document,
    )
    previous = Roadmap.objects.filter(pk=roadmap.previous_id, status=RoadmapStatus.APPROVED).first()
    if previous is not None:
        from opora.roadmaps.versions import carry_over

        # The progress of the unchanged events continues in the version in execution.
        carry_over(roadmap)
        # Archived by someone else meanwhile: what this approval wanted anyway.
        with contextlib.suppress(StateChanged):
            _move(
                user,
                previous,
                {RoadmapStatus.APPROVED},
                RoadmapStatus.ARCHIVED,
                "roadmaps.review_roadmap",
                f"Заменена версией {roadmap.version}",
            )
    return roadmap


@transaction.atomic
def archive_roadmap(user, roadmap: Roadmap) -> Roadmap:
    return _move(
        user,
        roadmap,
        {RoadmapStatus.APPROVED, RoadmapStatus.DRAFT},
        RoadmapStatus.ARCHIVED,
        "roadmaps.review_roadmap",
    )


@transaction.atomic
def copy_roadmap(
    user, roadmap: Roadmap, *, years: int = 1, as_new_version: bool = False
) -> Roadmap:
    """A draft copy: for the next period (dates shifted by ``years``) or as a new version."""
    _require(user, "roadmaps.change_roadmap", roadmap)
    if not as_new_version and not (
        isinstance(years, int) and years >= 1 and roadmap.period_end.year + years <= MAX_YEAR
    ):
        raise ValidationError(
            f"Сдвиг периода — целое число лет от 1, период копии — не позже {MAX_YEAR} года."
        )
    if as_new_version:
        roadmap = _locked(roadmap)
        pending = roadmap.next_versions.exclude(status=RoadmapStatus.ARCHIVED).first()
        if pending is not None:
            raise StateChanged(
                stale_message(
                    f"новая версия {pending.version} этой карты уже создана "
                    f"(«{pending.get_status_display()}»)"
                ),
                code="stale",
            )
    shift = 0 if as_new_version else years

    def moved(d: date) -> date:
        try:
            return d.replace(year=d.year + shift)
        except ValueError:  # 29 February
            return d.replace(year=d.year + shift, day=28)

    copy = Roadmap.objects.get(pk=roadmap.pk)
    copy.pk = None
    copy.id = None
    copy.status = RoadmapStatus.DRAFT
    copy.approval_kind = copy.approval_number = ""
    copy.approval_date = None
    copy.approval_file = ""
    copy.period_start, copy.period_end = moved(roadmap.period_start), moved(roadmap.period_end)
    # Only a new version replaces its original; a copy for the next period starts a new line.
    copy.previous = roadmap if as_new_version else None
    copy.version = roadmap.version + 1 if as_new_version else 1
    if not as_new_version:
        copy.title = _shift_years_in_text(roadmap.title, shift)
    _stamp(copy, user)
    copy.save()
    for ind in roadmap.indicators.all():
        RoadmapIndicator.objects.create(
            roadmap=copy, order=ind.order, text=ind.text, target_value=ind.target_value
        )
    sections = {}
    for s in roadmap.sections.all():
        sections[s.pk] = RoadmapSection.objects.create(roadmap=copy, order=s.order, title=s.title)
    municipality = copy.municipality or (copy.school.municipality if copy.school_id else None)
    directory = executor_directory(municipality)
    for e in roadmap.events.prefetch_related("schools").all():
        schools = list(e.schools.all())
        # A copy for the next period moves every year written in the event («ВПР-2023»).
        text = _shift_years_in_text(e.deadline_text, shift)
        new = RoadmapEvent.objects.create(
            roadmap=copy,
            section=sections.get(e.section_id),
            order=e.order,
            number=e.number,
            text=_shift_years_in_text(e.text, shift),
            deadline_text=text,
            executors_text=e.executors_text,
            indicator_text=_shift_years_in_text(e.indicator_text, shift),
            evidence_text=_shift_years_in_text(e.evidence_text, shift),
            target_quantity=e.target_quantity,
            target_unit=e.target_unit,
            raw=e.raw,
            parent_event=e.parent_event,
            origin=e if as_new_version else None,
            is_cancelled=e.is_cancelled if as_new_version else False,
        )
        schedule = parse_deadline(text, copy.period)
        _apply_deadline(new, schedule)
        _save_executors(new, resolve_executors(new.executors_text, directory))
        new.save()
        _rebuild_periods(new, schedule)
        new.schools.set(schools)
    _transition(
        copy,
        None,
        RoadmapStatus.DRAFT,
        user,
        f"Копия карты {quoted(roadmap.title)}" + (" (новая версия)" if as_new_version else ""),
    )
    return copy


def _shift_years_in_text(text: str, shift: int) -> str:
    if not shift:
        return text
    return re.sub(r"(?<!\d)(20\d\d)(?!\d)", lambda m: str(int(m.group(1)) + shift), text)


# ---------------------------------------------------------------- progress


@transaction.atomic
def report_progress(
    user,
    event: RoadmapEvent,
    *,
    status: str,
    period: EventPeriod | None = None,
    done_on: date | None = None,
    comment: str = "",
    files=(),
    links=(),
    school=None,
    municipality=None,
    curator=None,
) -> ProgressReport:
    """Report on an event (or one of its periods), with files and links as evidence.

    An addressee of a regional event (a school, a municipality) reports for itself, and so
    does a curator (``curator``: the user's own person in the registry) on an event addressed
    to curators — «Проведение консультаций для ОО, кураторы»; such a report does not change
    the owner's own period status and is reviewed like any other.
    """
    from opora.roadmaps.evidence import check_evidence_file, clean_links

    roadmap = event.roadmap
    addressee = school is not None or municipality is not None or curator is not None
    if sum(x is not None for x in (school, municipality, curator)) > 1:
        raise ValidationError(
            "Отчёт подаётся за одного исполнителя: школу, муниципалитет или куратора."
        )
    if curator is not None:
        _require(user, "roadmaps.view_roadmap", roadmap)
        if user.person_id != curator.pk:
            raise PermissionDenied("Отчитываться можно только за себя как куратора.")
        if not event.executors.filter(role=ExecutorRole.CURATOR).exists():
            raise PermissionDenied("Мероприятие не адресовано кураторам.")
    elif addressee:
        _require(user, "roadmaps.view_roadmap", roadmap)
        if school is not None and not (
            user.school_id == school.pk or user.has_perm("registry.change_school", school)
        ):
            raise PermissionDenied("Отчитываться за эту школу нельзя.")
        if municipality is not None and not (
            user.municipality_id == municipality.pk
            or user.has_perm("roadmaps.change_roadmap", roadmap)
        ):
            raise PermissionDenied("Отчитываться за этот муниципалитет нельзя.")
    else:
        _require(user, "roadmaps.report_progress", roadmap)
    if status not in ProgressStatus.values:
        raise ValidationError("Неизвестное состояние выполнения.")
    if period is not None and period.event_id != event.pk:
        raise ValidationError("Отчётный период относится к другому мероприятию.")
    if status in (ProgressStatus.DONE, ProgressStatus.DONE_LATE) and done_on is None:
        done_on = timezone.localdate()
    check_day(done_on, "Дата отчёта")
    due = period.end if period else event.due_on
    if status == ProgressStatus.DONE and due and done_on and done_on > due:
        status = ProgressStatus.DONE_LATE
    checked = [check_evidence_file(f) for f in files]
    report = ProgressReport(
        event=event,
        period=period,
        status=status,
        done_on=done_on,
        comment=comment,
        links=clean_links(links),
        reported_by=user,
        school=school,
        municipality=municipality,
        curator=curator,
    )
    _stamp(report, user)  # the audit trail names the reporter outside a request too (CLI)
    report.save()
    for f, content_type in checked:
        Evidence.objects.create(
            report=report,
            file=f,
            original_name=f.name[:300],
            content_type=content_type,
            size=f.size,
        )
    if period is not None and not addressee:
        # Held so that a review recomputing this period's status does not interleave.
        EventPeriod.objects.select_for_update().filter(pk=period.pk).update(status=status)
        period.status = status
    send_on_commit(report_filed, ProgressReport, report=report, user=user)
    return report


def _report_stale(current: ProgressReport | None) -> str:
    if current is None:
        return stale_message("отчёт удалён")
    who = f" ({current.reviewed_by.display_name})" if current.reviewed_by_id else ""
    return stale_message(f"отчёт уже {current.get_review_state_display()}{who}")


@transaction.atomic
def review_report(
    user, report: ProgressReport, *, accept: bool, comment: str = "", seen_state: str = ""
) -> ProgressReport:
    """The curator or coordinator accepts a report, or returns it with a comment.

    ``seen_state`` is the review state the page showed («pending»): when another reviewer
    decided meanwhile, this decision is refused instead of overwriting theirs.
    """
    from opora.roadmaps.selectors import visible_reports

    if not visible_reports(user).filter(pk=report.pk).exists():
        raise PermissionDenied("Этот отчёт вам недоступен.")
    if report.reported_by_id == user.pk and not user.is_superuser:
        raise PermissionDenied("Свой отчёт проверяет другой сотрудник.")
    _require(user, "roadmaps.review_this_report", report)
    if not accept and not comment.strip():
        raise ValidationError("Укажите, почему отчёт возвращён.")
    change_state(
        _stamp(report, user),
        expected={"review_state": seen_state or report.review_state},
        changes={
            "review_state": ReviewState.ACCEPTED if accept else ReviewState.RETURNED,
            "review_comment": comment,
            "reviewed_by": user,
            "reviewed_at": timezone.now(),
        },
        stale=_report_stale,
    )
    if report.period_id and not (report.school_id or report.municipality_id or report.curator_id):
        period = EventPeriod.objects.select_for_update().get(pk=report.period_id)
        latest = (
            period.reports.filter(
                school__isnull=True, municipality__isnull=True, curator__isnull=True
            )
            .exclude(review_state=ReviewState.RETURNED)
            .order_by("-reported_at")
            .first()
        )
        period.status = latest.status if latest else ProgressStatus.NOT_STARTED
        period.save(update_fields=["status"])
    send_on_commit(report_reviewed, ProgressReport, report=report, user=user, accepted=accept)
    return report


@transaction.atomic
def remind_missing(user, event: RoadmapEvent) -> tuple[Reach, str]:
    """Remind the addressees of a cascaded event who have not reported, are overdue or were
    returned (the roll-up's missing rows within the user's scope): how many were addressed and
    how many have someone in Opora to read it, and the addressees' kind («school»,
    «municipality»)."""
    from opora.roadmaps.rollup import rollup_of

    _require(user, "roadmaps.view_roadmap", event.roadmap)
    rollup = rollup_of(user, event)
    if rollup is None:
        raise PermissionDenied("Напоминать по этому мероприятию нельзя.")
    ids = [r.pk for r in rollup.missing]
    send_on_commit(
        reminder_requested,
        RoadmapEvent,
        event=event,
        user=user,
        school_ids=ids if rollup.kind == "school" else [],
        municipality_ids=ids if rollup.kind == "municipality" else [],
    )
    if rollup.kind == "school":
        return reach_of(school_ids=ids), "school"
    return reach_of(municipality_ids=ids), "municipality"


__all__ = [
    "FINISHED",
    "add_event",
    "approve_roadmap",
    "archive_roadmap",
    "copy_roadmap",
    "remind_missing",
    "report_progress",
    "return_roadmap",
    "review_report",
    "submit_roadmap",
    "update_event",
]
