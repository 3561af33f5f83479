"""Import of the diagnostics of professional competences: plan (nothing written), preview,
then apply all-or-nothing — the registry's school import pattern (docs/architecture.md).

Each reading of the file (:mod:`opora.development.readers.diagnostics`) becomes a planned
result: the school matched by its code, the teacher matched by name among the school's people
(or to be added to them), the area matched by its title (or to be added); or a rejection with
its line and reason. A plan with a rejection is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from opora.accounts.guards import require, stamp
from opora.core.intake.files import UploadError
from opora.core.intake.tables import read_table
from opora.development.models import (
    CompetenceArea,
    Diagnostic,
    DiagnosticResult,
    TeamKind,
)
from opora.development.readers.diagnostics import is_management, layout_of, readings
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
    title: str
    year: int
    file_name: str = ""
    rows: list[RowPlan] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.rows)

    @property
    def teachers(self) -> int:
        return len({(r.school.pk, r.person_key) for r in self.rows})

    @property
    def new_teachers(self) -> int:
        return len({(r.school.pk, r.person_key) for r in self.rows if r.is_new_person})

    @property
    def schools(self) -> int:
        return len({r.school.pk for r in self.rows})

    @property
    def new_areas(self) -> list[str]:
        return sorted({r.area_title for r in self.rows if r.is_new_area})

    @property
    def shown_rows(self) -> list[RowPlan]:
        return self.rows[:PREVIEW_ROWS]


def plan_diagnostics_import(data: bytes, filename: str, *, title: str, year: int):
    """Read the file and work out what would be written; writes nothing."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UploadError(f"Год диагностики — от {MIN_YEAR} до {MAX_YEAR}, а не {year}.")
    if not title.strip():
        raise UploadError("Укажите название диагностики.")
    table = read_table(data, filename)
    try:
        layout = layout_of(table)
    except ValueError as exc:
        raise UploadError(str(exc)) from exc
    if not table.rows:
        raise UploadError("В файле нет строк с данными.")
    all_readings = list(readings(table, layout))
    codes = {r.school_code for r in all_readings if r.school_code}
    schools = {s.code: s for s in School.objects.filter(code__in=codes)}
    people = {
        (school_id, name_key(" ".join(p for p in (last, first, middle) if p)))
        for school_id, last, first, middle in Person.objects.filter(
            school__in=schools.values()
        ).values_list("school_id", "last_name", "first_name", "patronymic")
    }
    areas = {name_key(a.title): a.title for a in CompetenceArea.objects.all()}
    plan = DiagnosticsPlan(title=title.strip()[:300], year=year, file_name=filename[:300])
    seen: dict[tuple, int] = {}
    keys: dict[str, str] = {}  # a file repeats each name and area many times
    titles: dict[str, str] = {}
    for reading in all_readings:
        reason = _problem(reading, schools)
        person_key = keys.get(reading.name) or keys.setdefault(reading.name, name_key(reading.name))
        area_key = keys.get(reading.area) or keys.setdefault(reading.area, name_key(reading.area))
        key = (reading.school_code, person_key, area_key)
        if not reason and key in seen:
            reason = f"педагог и область компетенций повторяют строку {seen[key]}"
        if reason:
            plan.rejected.append(Rejection(reading.line, reading.school_code, reason))
            continue
        seen[key] = reading.line
        school = schools[reading.school_code]
        if area_key not in titles:
            titles[area_key] = areas.get(area_key) or _capitalised(reading.area)
        plan.rows.append(
            RowPlan(
                line=reading.line,
                school=school,
                person_key=person_key,
                name=reading.name,
                is_new_person=(school.pk, person_key) not in people,
                position=reading.position,
                subject=reading.subject,
                area_key=area_key,
                area_title=titles[area_key],
                is_new_area=area_key not in areas,
                written=reading.written,
                score=reading.score,
            )
        )
    return plan


def _problem(reading, schools: dict) -> str:
    if reading.problem:
        return reading.problem
    if not reading.name:
        return "не указаны фамилия, имя и отчество педагога"
    if not reading.school_code:
        return "не указан код ОО"
    if reading.school_code not in schools:
        return f"школы с кодом «{reading.school_code}» нет в реестре"
    if not reading.area:
        return "не указана область компетенций"
    if len(reading.name) > _MAX["name"] and any(
        len(part) > _MAX["name"] for part in split_name(reading.name)
    ):
        return f"фамилия, имя или отчество длиннее {_MAX['name']} символов"
    if len(reading.position) > _MAX["position"]:
        return _too_long("position")
    if len(reading.subject) > _MAX["subject"]:
        return _too_long("subject")
    if len(reading.area) > _MAX["area"]:
        return _too_long("area")
    if len(reading.written) > _MAX["written"]:
        return _too_long("written")
    return ""


def _too_long(attr: str) -> str:
    return f"поле «{_TITLES[attr]}» длиннее {_MAX[attr]} символов"


_TITLES = {"position": "Должность", "subject": "Предмет", "area": "Область", "written": "Балл"}


def _capitalised(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


@transaction.atomic
def apply_diagnostics_import(user, plan: DiagnosticsPlan) -> Diagnostic:
    """Write a plan all-or-nothing: new areas, new teachers (through people's services), the
    diagnostic and its results; earlier results of the same teacher and area stop being the
    latest. A plan with rejected rows is refused whole."""
    require(user, "development.import_diagnostics")
    if plan.rejected or not plan.rows:
        raise UploadError("В файле есть ошибки — ничего не записано.")
    areas = _ensure_areas(user, plan)
    people = _ensure_people(user, plan)
    diagnostic = stamp(
        Diagnostic(title=plan.title, year=plan.year, file_name=plan.file_name, imported_by=user),
        user,
    )
    diagnostic.save()
    pairs = {(people[(r.school.pk, r.person_key)], areas[r.area_key]) for r in plan.rows}
    _retire_earlier(pairs)
    management = {r.position: is_management(r.position) for r in plan.rows}
    _insert_results(
        (
            diagnostic.pk,
            people[(r.school.pk, r.person_key)],
            r.school.pk,
            TeamKind.MANAGEMENT if management[r.position] else TeamKind.TEACHING,
            r.position,
            r.subject,
            areas[r.area_key],
            r.score,
            r.written,
            True,
        )
        for r in plan.rows
    )
    return diagnostic


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
    """The results without model objects — 200 000 rows of a region in a second or two:
    PostgreSQL ``COPY``, SQLite one ``executemany``, in the caller's transaction. The rows
    are the import's record; they are never edited, so they have no history of their own
    (the :class:`Diagnostic` has)."""
    meta = DiagnosticResult._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(meta.get_field(name).column) for name in _RESULT_FIELDS)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(_RESULT_FIELDS))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",
                [(*row[:7], str(row[7]), *row[8:]) for row in rows],
            )


def _ensure_areas(user, plan: DiagnosticsPlan) -> dict[str, int]:
    existing = {name_key(a.title): a.pk for a in CompetenceArea.objects.all()}
    titles = {r.area_key: r.area_title for r in plan.rows if r.area_key not in existing}
    if titles:
        last = max(CompetenceArea.objects.values_list("order", flat=True), default=0)
        for offset, (key, title) in enumerate(sorted(titles.items()), start=1):
            area = stamp(CompetenceArea(title=title, order=last + offset), user)
            area.save()
            existing[key] = area.pk
    return existing


def _ensure_people(user, plan: DiagnosticsPlan) -> dict[tuple[int, str], int]:
    schools = {r.school.pk for r in plan.rows}
    found: dict[tuple[int, str], int] = {}
    for pk, school_id, last, first, middle in Person.objects.filter(
        school_id__in=schools
    ).values_list("pk", "school_id", "last_name", "first_name", "patronymic"):
        found.setdefault((school_id, name_key(" ".join(p for p in (last, first, middle) if p))), pk)
    new: dict[tuple[int, str], Person] = {}
    for r in plan.rows:
        key = (r.school.pk, r.person_key)
        if key in found or key in new:
            continue
        last, first, middle = split_name(r.name)
        new[key] = Person(
            last_name=last,
            first_name=first,
            patronymic=middle,
            position=r.position[:500],
            school=r.school,
        )
    if new:
        people_services.add_school_staff(user, list(new.values()))
        ids = _ids_of(new)
        found.update(ids)
    return found


def _ids_of(new: dict[tuple[int, str], Person]) -> dict[tuple[int, str], int]:
    """The keys of people just added (a backend that does not return them is asked again)."""
    if all(p.pk for p in new.values()):
        return {key: p.pk for key, p in new.items()}
    wanted = set(new)
    ids = {}
    for pk, school_id, last, first, middle in Person.objects.filter(
        school_id__in={k[0] for k in wanted}
    ).values_list("pk", "school_id", "last_name", "first_name", "patronymic"):
        key = (school_id, name_key(" ".join(p for p in (last, first, middle) if p)))
        if key in wanted:
            ids[key] = pk
    return ids


def _retire_earlier(pairs: set[tuple[int, int]]) -> None:
    """Results of the same teacher in the same area stop being the latest."""
    person_ids = {p for p, _ in pairs}
    earlier = DiagnosticResult.objects.filter(person_id__in=person_ids, is_latest=True)
    stale = [
        pk
        for pk, person_id, area_id in earlier.values_list("pk", "person_id", "area_id")
        if (person_id, area_id) in pairs
    ]
    for start in range(0, len(stale), _BATCH):
        DiagnosticResult.objects.filter(pk__in=stale[start : start + _BATCH]).update(
            is_latest=False
        )
