"""The municipal indicators computed from the rows they count (seed 002, indicators 2 and 4;
seed 000, «100 % педагогов прошли КПК»), never typed.

* **courses** — of the heads and teachers of the schools on this year's low-results list who
  took the diagnostics, the share who completed a course (КПК) of their approved route; a
  management team's completed course counts for every member of the team.
* **practice** — the number and share of the diagnosed teachers of the municipality's schools
  who spread a practice this year (event, date, topic): presented it at a support event they
  attended, took part in a professional contest with it, or mentored a teacher (a mentor pair
  with an entry in its log).
* **enrolled** — seed 000's «участие 100 % педагогов в КПК»: of the same staff of the listed
  schools as *courses*, the share who are on a course (КПК) of their approved route this year —
  enrolled, attending or completed.

:func:`figure` gives the number; :func:`rows_behind` the rows it was counted from, so a link
beside each value shows exactly what it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Min

from opora.accounts.guards import stamp
from opora.core.formatting import percent
from opora.development.models import (
    ContestParticipant,
    IndicatorLink,
    Measure,
    MentoringActivity,
    OfferKind,
    ParticipantRole,
    Registration,
    RouteStatus,
    RouteStep,
    StepStatus,
    TeamKind,
)
from opora.development.selectors import latest_results
from opora.registry.models import Municipality, StatusKind
from opora.roadmaps import authoring
from opora.roadmaps.models import RoadmapIndicator


@dataclass
class Figure:
    measure: str
    municipality: Municipality | None
    year: int
    counted: int
    total: int

    @property
    def share(self) -> float | None:
        return self.counted / self.total if self.total else None

    @property
    def text(self) -> str:
        if not self.total:
            return "нет данных диагностики"
        if self.measure == Measure.PRACTICE:
            return f"{self.counted} чел. ({percent(self.share)})"
        return f"{percent(self.share)} ({self.counted} из {self.total})"


@dataclass
class Row:
    """One person counted in the denominator, and what (if anything) counts them in."""

    person_id: int
    name: str
    school: str
    school_id: int
    counted: bool
    what: str = ""
    on: date | None = None
    topic: str = ""


def _base(measure: str, municipality: Municipality | None, year: int) -> dict[int, tuple]:
    """person → (name, school name, school id, team) of everybody the share is taken of."""
    rows = latest_results()
    if municipality is not None:
        rows = rows.filter(school__municipality=municipality)
    if measure in (Measure.COURSES, Measure.ENROLLED):
        rows = rows.filter(
            school__statuses__year=year, school__statuses__kind=StatusKind.LOW_RESULTS
        )
    base: dict[int, tuple] = {}
    for pk, last, first, middle, school_name, school_id, team in rows.values_list(
        "person_id",
        "person__last_name",
        "person__first_name",
        "person__patronymic",
        "school__short_name",
        "school_id",
        "team",
    ).distinct():
        name = " ".join(p for p in (last, first, middle) if p)
        known = base.get(pk)
        if known is None or team == TeamKind.MANAGEMENT:
            base[pk] = (name, school_name, school_id, team)
    return base


def _courses_done(
    base: dict[int, tuple], year: int, statuses: tuple[str, ...] = (StepStatus.COMPLETED,)
) -> dict[int, tuple[str, date | None]]:
    done: dict[int, tuple[str, date | None]] = {}
    steps = RouteStep.objects.filter(
        status__in=statuses,
        offer__kind=OfferKind.COURSE,
        route__status=RouteStatus.APPROVED,
        route__year=year,
        route__school_id__in={v[2] for v in base.values()},
    ).values_list("route__person_id", "route__school_id", "offer__title", "completed_on")
    managers: dict[int, list[int]] = {}
    for pk, (_, _, school_id, team) in base.items():
        if team == TeamKind.MANAGEMENT:
            managers.setdefault(school_id, []).append(pk)
    for person_id, school_id, title, on in steps:
        for pk in [person_id] if person_id else managers.get(school_id, []):
            if pk in base and pk not in done:
                done[pk] = (title, on)
    return done


def _practice(base: dict[int, tuple], year: int) -> dict[int, tuple[str, date, str]]:
    """person → (what, when, topic) of the earliest practice they spread this year: a talk at
    a support event they attended, a contest entry, mentoring with an entry in the log."""
    found: list[tuple[date, int, str, str]] = []
    people = list(base)
    for person_id, title, starts, topic in Registration.objects.filter(
        role=ParticipantRole.SPEAKER,
        attended=True,
        event__starts_at__year=year,
        person_id__in=people,
    ).values_list("person_id", "event__title", "event__starts_at", "topic"):
        found.append((starts.date(), person_id, f"Выступление: {title}", topic))
    for person_id, title, first_stage, topic in (
        ContestParticipant.objects.filter(contest__year=year, person_id__in=people)
        .annotate(first_stage=Min("contest__stages__starts_on"))
        .values_list("person_id", "contest__title", "first_stage", "topic")
    ):
        found.append((first_stage or date(year, 1, 1), person_id, f"Конкурс: {title}", topic))
    for person_id, mentee_last, mentee_first, held_on, topic in MentoringActivity.objects.filter(
        mentor_pair__mentor_id__in=people, held_on__year=year
    ).values_list(
        "mentor_pair__mentor_id",
        "mentor_pair__mentee__last_name",
        "mentor_pair__mentee__first_name",
        "held_on",
        "topic",
    ):
        mentee = f"{mentee_last} {mentee_first[:1]}.".strip() if mentee_first else mentee_last
        found.append((held_on, person_id, f"Наставничество: {mentee}", topic))
    done: dict[int, tuple[str, date, str]] = {}
    for on, person_id, what, topic in sorted(found, key=lambda f: (f[0], f[1], f[2])):
        done.setdefault(person_id, (what, on, topic))
    return done


def rows_behind(measure: str, municipality: Municipality | None, year: int) -> list[Row]:
    base = _base(measure, municipality, year)
    rows = []
    if measure in (Measure.COURSES, Measure.ENROLLED):
        statuses = (StepStatus.COMPLETED,)
        if measure == Measure.ENROLLED:
            statuses = (StepStatus.ENROLLED, StepStatus.ATTENDED, StepStatus.COMPLETED)
        done = _courses_done(base, year, statuses)
        for pk, (name, school, school_id, _) in base.items():
            what, on = done.get(pk, ("", None))
            rows.append(Row(pk, name, school, school_id, pk in done, what, on))
    else:
        spoke = _practice(base, year)
        for pk, (name, school, school_id, _) in base.items():
            what, on, topic = spoke.get(pk, ("", None, ""))
            rows.append(Row(pk, name, school, school_id, pk in spoke, what, on, topic))
    return sorted(rows, key=lambda r: (not r.counted, r.school, r.name))


def figure(measure: str, municipality: Municipality | None, year: int) -> Figure:
    rows = rows_behind(measure, municipality, year)
    return Figure(
        measure=measure,
        municipality=municipality,
        year=year,
        counted=sum(1 for r in rows if r.counted),
        total=len(rows),
    )


@transaction.atomic
def fill_indicator(user, indicator: RoadmapIndicator, measure: str, year: int) -> Figure:
    """Compute ``measure`` for the roadmap's municipality (the whole region for a regional
    roadmap) and write it as the indicator's actual value, through the roadmaps' service."""
    if measure not in Measure.values:
        raise ValueError("Неизвестный способ расчёта.")
    roadmap = indicator.roadmap
    result = figure(measure, roadmap.municipality, year)
    authoring.save_indicator(
        user,
        roadmap,
        indicator,
        text=indicator.text,
        target_value=indicator.target_value,
        actual_value=result.text,
    )
    link = IndicatorLink.objects.filter(indicator=indicator).first() or IndicatorLink(
        indicator=indicator
    )
    link.measure, link.value = measure, result.text
    stamp(link, user)
    link.save()
    return result


@dataclass
class SchoolCount:
    school: str
    counted: int | None
    total: int


def by_school(rows: list[Row], min_group: int) -> list[SchoolCount]:
    """The rows folded per school; a school of fewer than ``min_group`` people shows its size
    but not how many of them were counted."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        pair = counts.setdefault(row.school, [0, 0])
        pair[0] += row.counted
        pair[1] += 1
    return [
        SchoolCount(school, counted if total >= min_group else None, total)
        for school, (counted, total) in sorted(counts.items())
    ]
