"""Import of the diagnostics of professional competences: plan (nothing written), preview,
then apply all-or-nothing — the registry's school import pattern (docs/architecture.md).

Each reading of the file (:mod:`opora.development.readers.diagnostics`) becomes a planned
result: the school matched by its code, the teacher matched by name among the school's people
(or to be added to them), the area matched by its title (or to be added); or a rejection with
its line and reason. A plan with a rejection is refused whole.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection, transaction

from opora.accounts.guards import require, stamp
from opora.core.bulk import insert_rows
from opora.core.intake.files import UploadError
from opora.core.intake.tables import read_table_rows
from opora.development import summaries
from opora.development.models import (
    CompetenceArea,
    Diagnostic,
    DiagnosticResult,
    TeamKind,
)
from opora.development.readers.diagnostics import is_management, layout_of, reading_rows
from opora.people import services as people_services
from opora.people.models import Person
from opora.registry.models import School

MIN_YEAR, MAX_YEAR = 2000, 2100
#: How many planned rows the preview shows (the counts cover all of them).
PREVIEW_ROWS = 200
_BATCH = 5000
_MAX = {"name": 100, "position": 200, "subject": 200, "area": 200, "written": 100}


def name_key(text: str) -> str:
    """«Иванова  Мария Пётровна» and «иванова мария петровна» are one teacher of a school."""
    return " ".join(text.lower().replace("ё", "е").split())


def split_name(text: str) -> tuple[str, str, str]:
    """«Иванова Мария Петровна» → («Иванова», «Мария», «Петровна»); a longer patronymic
    («Оглы») stays in the patronymic."""
    parts = text.split()
    return parts[0], (parts[1] if len(parts) > 1 else ""), " ".join(parts[2:])


@dataclass(slots=True)
class RowPlan:
    line: int
    school: School
    person_key: str
    name: str
    is_new_person: bool
    position: str
    subject: str
    area_key: str
    area_title: str
    is_new_area: bool
    written: str
    score: Decimal


@dataclass
class Rejection:
    line: int
    code: str
    reason: str

    def to_dict(self) -> dict:
        return {"line": self.line, "code": self.code, "reason": self.reason}


@dataclass
class DiagnosticsPlan:
    """What an import would write. The rows are kept as tuples (a region's file has 200 000
    of them); :attr:`rows` shows each as a :class:`RowPlan` when asked."""

    title: str
    year: int
    file_name: str = ""
    rejected: list[Rejection] = field(default_factory=list)
    #: (line, school id, person key, name, position, subject, area key, written, score)
    records: list[tuple] = field(default_factory=list)
    school_by_pk: dict[int, School] = field(default_factory=dict)
    area_titles: dict[str, str] = field(default_factory=dict)
    known_areas: set[str] = field(default_factory=set)
    known_people: set[tuple[int, str]] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.records)

    @property
    def rows(self) -> PlannedRows:
        return PlannedRows(self)

    @cached_property
    def _people(self) -> set[tuple[int, str]]:
        return {(r[1], r[2]) for r in self.records}

    @property
    def teachers(self) -> int:
        return len(self._people)

    @property
    def new_people(self) -> set[tuple[int, str]]:
        return self._people - self.known_people

    @property
    def new_teachers(self) -> int:
        return len(self.new_people)

    @property
    def schools(self) -> int:
        return len({r[1] for r in self.records})

    @property
    def new_areas(self) -> list[str]:
        return sorted(t for k, t in self.area_titles.items() if k not in self.known_areas)

    @property
    def shown_rows(self) -> list[RowPlan]:
        return self.rows[:PREVIEW_ROWS]

    def row(self, record: tuple) -> RowPlan:
        line, school_id, person_key, name, position, subject, area_key, written, score = record
        return RowPlan(
            line=line,
            school=self.school_by_pk[school_id],
            person_key=person_key,
            name=name,
            is_new_person=(school_id, person_key) not in self.known_people,
            position=position,
            subject=subject,
            area_key=area_key,
            area_title=self.area_titles[area_key],
            is_new_area=area_key not in self.known_areas,
            written=written,
            score=score,
        )


class PlannedRows(Sequence):
    """The plan's rows as :class:`RowPlan`, made one by one as they are read."""

    def __init__(self, plan: DiagnosticsPlan) -> None:
        self.plan = plan

    def __len__(self) -> int:
        return len(self.plan.records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.plan.row(r) for r in self.plan.records[index]]
        return self.plan.row(self.plan.records[index])

    def __iter__(self):
        return map(self.plan.row, self.plan.records)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A region's file becomes a million small strings and tuples and not one cycle: the
    cyclic garbage collector would walk them over and over as they pile up (a third of the
    import's time), so it rests while a file is planned or written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def plan_diagnostics_import(data: bytes, filename: str, *, title: str, year: int):
    """Read the file and work out what would be written; writes nothing."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UploadError(f"Год диагностики — от {MIN_YEAR} до {MAX_YEAR}, а не {year}.")
    if not title.strip():
        raise UploadError("Укажите название диагностики.")
    table = read_table_rows(data, filename)
    try:
        layout = layout_of(table)
    except ValueError as exc:
        raise UploadError(str(exc)) from exc
    all_readings = list(reading_rows(table, layout))
    if not all_readings:
        raise UploadError("В файле нет строк с данными.")
    codes = {r[2] for r in all_readings if r[2]}
    schools = {s.code: s for s in School.objects.filter(code__in=codes)}
    school_ids = {code: s.pk for code, s in schools.items()}
    areas = {name_key(t): t for t in CompetenceArea.objects.values_list("title", flat=True)}
    plan = DiagnosticsPlan(
        title=title.strip()[:300],
        year=year,
        file_name=filename[:300],
        school_by_pk={s.pk: s for s in schools.values()},
        known_areas=set(areas),
        known_people={
            (school_id, name_key(" ".join(p for p in (last, first, middle) if p)))
            for school_id, last, first, middle in Person.objects.filter(
                school__in=schools.values()
            ).values_list("school_id", "last_name", "first_name", "patronymic")
        },
    )
    seen: dict[tuple, int] = {}
    keys: dict[str, str] = {}  # a file repeats each name and area many times
    titles = plan.area_titles
    records = plan.records
    name_max, position_max, subject_max, area_max, written_max = (
        _MAX[k] for k in ("name", "position", "subject", "area", "written")
    )
    for reading in all_readings:
        line, name, code, position, subject, area, written, score, problem = reading
        # A few comparisons clear a good row without a call (200 000 rows in a region's
        # file); a row they do not clear goes to _problem, which names what is wrong.
        fits = (
            code in schools
            and name
            and area
            and len(name) <= name_max
            and len(position) <= position_max
            and len(subject) <= subject_max
            and len(area) <= area_max
            and len(written) <= written_max
        )
        reason = problem or ("" if fits else _problem(reading, schools))
        person_key = keys.get(name) or keys.setdefault(name, name_key(name))
        area_key = keys.get(area) or keys.setdefault(area, name_key(area))
        key = (code, person_key, area_key)
        if not reason and key in seen:
            reason = f"педагог и область компетенций повторяют строку {seen[key]}"
        if reason:
            plan.rejected.append(Rejection(line, code, reason))
            continue
        seen[key] = line
        if area_key not in titles:
            titles[area_key] = areas.get(area_key) or _capitalised(area)
        records.append(
            (line, school_ids[code], person_key, name, position, subject, area_key, written, score)
        )
    return plan


def _problem(reading: tuple, schools: dict) -> str:
    _line, name, code, position, subject, area, written, _score, problem = reading
    if problem:
        return problem
    if not name:
        return "не указаны фамилия, имя и отчество педагога"
    if not code:
        return "не указан код ОО"
    if code not in schools:
        return f"школы с кодом «{code}» нет в реестре"
    if not area:
        return "не указана область компетенций"
    if len(name) > _MAX["name"] and any(len(part) > _MAX["name"] for part in split_name(name)):
        return f"фамилия, имя или отчество длиннее {_MAX['name']} символов"
    if len(position) > _MAX["position"]:
        return _too_long("position")
    if len(subject) > _MAX["subject"]:
        return _too_long("subject")
    if len(area) > _MAX["area"]:
        return _too_long("area")
    if len(written) > _MAX["written"]:
        return _too_long("written")
    return ""


def _too_long(attr: str) -> str:
    return f"поле «{_TITLES[attr]}» длиннее {_MAX[attr]} символов"


_TITLES = {"position": "Должность", "subject": "Предмет", "area": "Область", "written": "Балл"}


def _capitalised(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


@_collector_paused()
@transaction.atomic
def apply_diagnostics_import(user, plan: DiagnosticsPlan) -> Diagnostic:
    """Write a plan all-or-nothing: new areas, new teachers (through people's services), the
    diagnostic and its results; earlier results of the same teacher and area stop being the
    latest. A plan with rejected rows is refused whole."""
    require(user, "development.import_diagnostics")
    if plan.rejected or not plan.records:
        raise UploadError("В файле есть ошибки — ничего не записано.")
    _check_references(plan)
    areas = _ensure_areas(user, plan)
    people = _ensure_people(user, plan)
    diagnostic = stamp(
        Diagnostic(title=plan.title, year=plan.year, file_name=plan.file_name, imported_by=user),
        user,
    )
    diagnostic.save()
    records = plan.records
    retired_schools = _retire_earlier({(people[(r[1], r[2])], areas[r[6]]) for r in records})
    teams = {
        position: TeamKind.MANAGEMENT if is_management(position) else TeamKind.TEACHING
        for position in {r[4] for r in records}
    }
    # SQLite is given the score as text (its decimals are exact only so); PostgreSQL's COPY
    # takes the Decimal.
    as_text = connection.vendor != "postgresql"
    scores = {score: str(score) if as_text else score for score in {r[8] for r in records}}
    diagnostic_id = diagnostic.pk
    _insert_results(
        (
            diagnostic_id,
            people[(school_id, person_key)],
            school_id,
            teams[position],
            position,
            subject,
            areas[area_key],
            scores[score],
            written,
            True,
        )
        for _line, school_id, person_key, _name, position, subject, area_key, written, score in (
            records
        )
    )
    summaries.recount(schools=plan.school_by_pk.keys() | retired_schools)
    return diagnostic


def _check_references(plan: DiagnosticsPlan) -> None:
    """The schools of a plan still exist (a preview waits for its confirmation while the
    registry may change): the results have no constraint in the database to refuse them one
    by one, so the import checks its schools at once. Areas, people and the diagnostic are
    found or made in this very transaction."""
    found = School.objects.filter(pk__in=plan.school_by_pk).count()
    if found != len(plan.school_by_pk):
        raise UploadError(
            "Пока файл ждал подтверждения, школы из него удалили из реестра — "
            "загрузите файл снова. Ничего не записано."
        )


_RESULT_FIELDS = (
    "diagnostic",
    "person",
    "school",
    "team",
    "position",
    "subject",
    "area",
    "score",
    "written",
    "is_latest",
)


def _insert_results(rows) -> None:
    """The results without model objects — 200 000 rows of a region in about a second
    (:func:`opora.core.bulk.insert_rows`), in the caller's transaction. The rows are the
    import's record; they are never edited, so they have no history of their own (the
    :class:`Diagnostic` has)."""
    meta = DiagnosticResult._meta
    insert_rows(meta.db_table, [meta.get_field(name).column for name in _RESULT_FIELDS], rows)


def _ensure_areas(user, plan: DiagnosticsPlan) -> dict[str, int]:
    existing = {
        name_key(title): pk for pk, title in CompetenceArea.objects.values_list("pk", "title")
    }
    titles = {k: t for k, t in plan.area_titles.items() if k not in existing}
    if titles:
        last = max(CompetenceArea.objects.values_list("order", flat=True), default=0)
        for offset, (key, title) in enumerate(sorted(titles.items()), start=1):
            area = stamp(CompetenceArea(title=title, order=last + offset), user)
            area.save()
            existing[key] = area.pk
    return existing


def _ensure_people(user, plan: DiagnosticsPlan) -> dict[tuple[int, str], int]:
    """The id of each teacher of the plan by (school id, name key): found among the schools'
    people, or added in bulk through people's services."""
    found: dict[tuple[int, str], int] = {}
    for pk, school_id, last, first, middle in Person.objects.filter(
        school_id__in=plan.school_by_pk
    ).values_list("pk", "school_id", "last_name", "first_name", "patronymic"):
        found.setdefault((school_id, name_key(" ".join(p for p in (last, first, middle) if p))), pk)
    new: dict[tuple[int, str], tuple] = {}
    for record in plan.records:
        key = record[1:3]  # (school id, person key)
        if key in found or key in new:
            continue
        new[key] = (record[1], *split_name(record[3]), record[4][:500])
    if new:
        ids = people_services.add_school_staff_rows(user, list(new.values()))
        found.update(zip(new, ids, strict=True))
    return found


def _retire_earlier(pairs: set[tuple[int, int]]) -> set[int]:
    """Results of the same teacher in the same area stop being the latest; the schools of
    those results come back (their summaries change)."""
    person_ids = {p for p, _ in pairs}
    earlier = DiagnosticResult.objects.filter(person_id__in=person_ids, is_latest=True)
    stale, schools = [], set()
    for pk, person_id, area_id, school_id in earlier.values_list(
        "pk", "person_id", "area_id", "school_id"
    ):
        if (person_id, area_id) in pairs:
            stale.append(pk)
            schools.add(school_id)
    for start in range(0, len(stale), _BATCH):
        DiagnosticResult.objects.filter(pk__in=stale[start : start + _BATCH]).update(
            is_latest=False
        )
    return schools
