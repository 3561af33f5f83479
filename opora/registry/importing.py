"""Import of the school registry and yearly passports from XLSX/CSV.

The file is first planned (nothing written): each row becomes a creation or an update with
the fields that change, or a rejection with its reason. Applying a plan without rejections
writes everything in one transaction.

Example row (headers in any order, case-insensitive)::

    Код ОО;Наименование;Муниципалитет;Вид ОО;Обучающихся;Доля ОВЗ;Сельская
    700101;МКОУ «Вертикосская СОШ»;Каргасокский р-н;СОШ;84;12,5 %;да
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from opora.accounts.guards import require
from opora.core import pending
from opora.core.intake.files import UploadError
from opora.core.intake.tables import normalise_header, read_table
from opora.registry.matching import municipality_matcher
from opora.registry.models import (
    ImportStatus,
    Municipality,
    RegistryImport,
    School,
    SchoolKind,
    SchoolPassport,
)

logger = logging.getLogger(__name__)

# The same bounds as the upload form's year (the command line passes any number).
MIN_YEAR, MAX_YEAR = 2000, 2100

SCHOOL_COLUMNS = {
    "код оо": "code",
    "наименование": "full_name",
    "муниципалитет": "municipality",
    "вид оо": "kind",
    "адрес": "address",
    "руководитель": "head_name",
}
# The export shows this year's lists beside the passport; a list is changed on the school card
# with its basis document, never by a spreadsheet, so these columns are read and left alone.
INFORMATIONAL_COLUMNS = {"шнор", "шнсу"}
PASSPORT_COLUMNS = {
    "обучающихся": ("pupils", "int"),
    "педагогов": ("teachers", "int"),
    "коэффициент совместительства": ("part_time_ratio", "ratio"),
    "доля овз": ("share_special_needs", "share"),
    "доля инофонов": ("share_non_native", "share"),
    "доля малоимущих": ("share_low_income", "share"),
    "доля неполных семей": ("share_single_parent", "share"),
    "сельская": ("is_rural", "bool"),
    "малокомплектная": ("is_small", "bool"),
    "удаленная": ("is_remote", "bool"),
}
KNOWN = set(SCHOOL_COLUMNS) | set(PASSPORT_COLUMNS) | INFORMATIONAL_COLUMNS
#: How a column is named to the user (the headers are matched in lower case).
COLUMN_TITLES = {
    normalise_header(title): title
    for title in (
        "Код ОО",
        "Наименование",
        "Муниципалитет",
        "Вид ОО",
        "Адрес",
        "Руководитель",
        "Обучающихся",
        "Педагогов",
        "Коэффициент совместительства",
        "Доля ОВЗ",
        "Доля инофонов",
        "Доля малоимущих",
        "Доля неполных семей",
        "Сельская",
        "Малокомплектная",
        "Удалённая",
    )
}
#: The column each model field comes from, to name it in a refusal.
_FIELD_COLUMNS = {
    "code": "код оо",
    "full_name": "наименование",
    "short_name": "наименование",
    "address": "адрес",
    "head_name": "руководитель",
    "kind": "вид оо",
    **{name: header for header, (name, _kind) in PASSPORT_COLUMNS.items()},
}
# Numbers as offices write them, in ASCII digits only: «²» or «٣» is not a digit here, and
# «NaN» or «Infinity» is not a number (Decimal would take all of them).
_INT_RE = re.compile(r"[0-9]+")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")

_KIND_WORDS = [
    (re.compile(r"интернат"), SchoolKind.BOARDING),
    (re.compile(r"гимназ"), SchoolKind.GYMNASIUM),
    (re.compile(r"лице"), SchoolKind.LYCEUM),
    (re.compile(r"\bнош\b|начальн"), SchoolKind.NOSH),
    (re.compile(r"\bоош\b|основн"), SchoolKind.OOSH),
    (re.compile(r"\bсош\b|средн"), SchoolKind.SOSH),
    (re.compile(r"коррекц"), SchoolKind.CORRECTIONAL),
    (re.compile(r"центр"), SchoolKind.CENTRE),
]
_FIELD_LABELS = {
    "code": "код ОО",
    "full_name": "наименование",
    "short_name": "краткое наименование",
    "municipality": "муниципалитет",
    "kind": "вид ОО",
    "address": "адрес",
    "head_name": "руководитель",
    "number": "номер",
}


def guess_kind(text: str) -> str | None:
    """«МКОУ «Каргасокская СОШ-интернат №1»» → boarding; «СОШ» → sosh; «другое» → other."""
    low = text.lower()
    for kind, label in SchoolKind.choices:  # the labels the export writes
        if low.strip() == label.lower():
            return kind
    for pattern, kind in _KIND_WORDS:
        if pattern.search(low):
            return kind
    return None


def short_name_of(full_name: str) -> str:
    """The name without the legal form: «МАОУ СОШ № 5 имени А.К. Ерохина» stays readable."""
    return re.sub(r"\s+", " ", full_name).strip()[:200]


def school_number(name: str) -> int | None:
    """«МАОУ СОШ № 5» → 5; a number that does not fit the registry is not a school number."""
    m = re.search(r"№\s*([0-9]{1,9})(?![0-9])", name)
    return int(m.group(1)) if m else None


def parse_share(text: str) -> Decimal | None:
    """«0.125», «0,125», «12,5 %» → Decimal('0.125')."""
    s = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not s:
        return None
    percent = s.endswith("%")
    number = s.rstrip("%")
    if not _NUMBER_RE.fullmatch(number):
        raise ValueError(f"«{text}» — не доля (ожидается 0,125 или 12,5 %)")
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise ValueError(f"«{text}» — не доля (ожидается 0,125 или 12,5 %)") from exc
    if percent or value > 1:
        value = value / 100
    if not Decimal(0) <= value <= Decimal(1):
        raise ValueError(f"«{text}» — доля должна быть от 0 до 100 %")
    return value.quantize(Decimal("0.0001"))


def parse_bool(text: str) -> bool | None:
    s = text.strip().lower()
    if not s:
        return None
    if s in {"да", "1", "true", "yes", "д", "+"}:
        return True
    if s in {"нет", "0", "false", "no", "н", "-"}:
        return False
    raise ValueError(f"«{text}» — ожидается «да» или «нет»")


def parse_int(text: str) -> int | None:
    s = text.strip().replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    if not _INT_RE.fullmatch(s):
        raise ValueError(f"«{text}» — ожидается целое число (цифрами 0–9)")
    if len(s) > 12:
        raise ValueError(f"«{text}» — слишком большое число")
    return int(s)


def parse_ratio(text: str) -> Decimal | None:
    s = text.strip().replace(" ", "").replace(",", ".")
    if not s:
        return None
    if not _NUMBER_RE.fullmatch(s):
        raise ValueError(f"«{text}» — ожидается число, например 1,25")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(f"«{text}» — ожидается число, например 1,25") from exc
    if value < 0 or value > 99:
        raise ValueError(f"«{text}» — коэффициент вне допустимых пределов")
    return value.quantize(Decimal("0.001"))


_PARSERS = {"int": parse_int, "share": parse_share, "bool": parse_bool, "ratio": parse_ratio}


@dataclass
class RowPlan:
    line: int
    code: str
    action: str  # "create" | "update" | "unchanged"
    school_fields: dict = field(default_factory=dict)
    passport_fields: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    municipality_written: str = ""
    municipality_matched: str = ""
    municipality_score: float = 0

    @property
    def is_new(self) -> bool:
        return self.action == "create"

    @property
    def is_update(self) -> bool:
        return self.action == "update"


@dataclass
class Rejection:
    line: int
    code: str
    reason: str

    def to_dict(self) -> dict:
        return {"line": self.line, "code": self.code, "reason": self.reason}


@dataclass
class ImportPlan:
    year: int
    rows: list[RowPlan] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.rows)


def plan_school_import(data: bytes, year: int, filename: str = "") -> ImportPlan:
    """Read the file and work out what would change; writes nothing."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UploadError(f"Учебный год паспортов — от {MIN_YEAR} до {MAX_YEAR}, а не {year}.")
    table = read_table(data, filename)
    headers = [h for h in table.headers if h]
    if "код оо" not in headers:
        raise UploadError(
            "В файле нет столбца «Код ОО». Ожидаются столбцы: "
            + ", ".join(f"«{h}»" for h in ("Код ОО", "Наименование", "Муниципалитет", "Вид ОО"))
            + " и показатели паспорта."
        )
    unknown = [h for h in headers if normalise_header(h) not in KNOWN]
    plan = ImportPlan(year=year)
    if unknown:
        raise UploadError("Неизвестные столбцы: " + ", ".join(f"«{h}»" for h in unknown) + ".")
    if not table.rows:
        raise UploadError("В файле нет строк с данными.")

    matcher = municipality_matcher(list(Municipality.objects.all()))
    codes = [values.get("код оо", "").strip() for _, values in table.rows]
    existing = {
        s.code: s for s in School.objects.filter(code__in=codes).select_related("municipality")
    }
    passports = {
        p.school_id: p for p in SchoolPassport.objects.filter(school__code__in=codes, year=year)
    }
    seen: dict[str, int] = {}
    for line, values in table.rows:
        code = values.get("код оо", "").strip()
        if not code:
            plan.rejected.append(Rejection(line, "", "не указан код ОО"))
            continue
        if code in seen:
            plan.rejected.append(Rejection(line, code, f"код ОО повторяет строку {seen[code]}"))
            continue
        seen[code] = line
        try:
            row = _plan_row(line, code, values, existing.get(code), passports, matcher)
        except ValueError as exc:
            plan.rejected.append(Rejection(line, code, str(exc)))
            continue
        plan.rows.append(row)
    return plan


def _plan_row(line, code, values, school, passports, matcher) -> RowPlan:
    row = RowPlan(line=line, code=code, action="update" if school else "create")
    _plan_school_fields(row, values, school, matcher)
    _plan_passport_fields(row, values)
    if school is not None:
        _plan_changes(row, school, passports.get(school.pk))
        if not row.changes:
            row.action = "unchanged"
    return row


def _plan_school_fields(row: RowPlan, values: dict, school, matcher) -> None:
    name = values.get("наименование", "").strip()
    written = values.get("муниципалитет", "").strip()
    if written:
        match = matcher.match(written)
        if match.target is None:
            raise ValueError(f"муниципалитет «{written}» не найден в реестре")
        row.municipality_written = written
        row.municipality_matched = match.target.name
        row.municipality_score = match.score
        row.school_fields["municipality"] = match.target
    kind_text = values.get("вид оо", "").strip()
    if kind_text:
        kind = guess_kind(kind_text)
        if kind is None:
            raise ValueError(
                f"вид ОО «{kind_text}» не распознан (НОШ, ООШ, СОШ, гимназия, лицей …)"
            )
        row.school_fields["kind"] = kind
    if name:
        row.school_fields["full_name"] = name
        # The short name and number are derived from a new name only: a short name typed on
        # the card («ЦО № 3») must survive the re-import of an exported list.
        if school is None or school.full_name != name:
            row.school_fields.update(short_name=short_name_of(name), number=school_number(name))
        if "kind" not in row.school_fields and school is None:
            row.school_fields["kind"] = guess_kind(name) or SchoolKind.OTHER
    for header in ("адрес", "руководитель"):
        if values.get(header, "").strip():
            row.school_fields[SCHOOL_COLUMNS[header]] = values[header].strip()
    if school is None:
        missing = [
            label
            for key, label in (("full_name", "наименование"), ("municipality", "муниципалитет"))
            if key not in row.school_fields
        ]
        if missing:
            raise ValueError("новая школа: не указано " + " и ".join(missing))


def _plan_passport_fields(row: RowPlan, values: dict) -> None:
    for header, (name_, kind) in PASSPORT_COLUMNS.items():
        if header in values:
            try:
                value = _PARSERS[kind](values[header])
            except ValueError as exc:
                raise ValueError(f"столбец «{COLUMN_TITLES[header]}»: {exc}") from exc
            if value is not None:
                row.passport_fields[name_] = value
    _check_fit(row)
    if row.passport_fields.get("pupils") is not None and row.passport_fields.get("teachers") == 0:
        raise ValueError("педагогов 0 при ненулевом числе обучающихся")


def _plan_changes(row: RowPlan, school: School, passport: SchoolPassport | None) -> None:
    """The changes in words, for the preview: «адрес: «старый» → «новый»»."""
    for key, value in row.school_fields.items():
        if getattr(school, key) != value:
            row.changes.append(
                f"{_FIELD_LABELS.get(key, key)}: «{getattr(school, key) or '—'}» → «{value}»"
            )
    for key, value in row.passport_fields.items():
        old = getattr(passport, key) if passport else None
        if old != value:
            row.changes.append(
                f"{SchoolPassport._meta.get_field(key).verbose_name}: {_show(old)} → {_show(value)}"
            )


def _check_fit(row: RowPlan) -> None:
    """Every value fits its model field (length, integer range, digits, choices) on every
    database — SQLite would store an over-long name as is, PostgreSQL would fail — or a
    Russian refusal naming the column."""
    values = [(School, "code", row.code)]
    values += [(School, name, value) for name, value in row.school_fields.items()]
    values += [(SchoolPassport, name, value) for name, value in row.passport_fields.items()]
    for model, name, value in values:
        field = model._meta.get_field(name)
        problem = _misfit(field, value)
        if problem:
            column = COLUMN_TITLES.get(_FIELD_COLUMNS.get(name, ""), str(field.verbose_name))
            raise ValueError(f"столбец «{column}»: {problem}")


def _misfit(field, value) -> str | None:
    if value is None or isinstance(field, models.ForeignKey):
        return None
    if isinstance(value, str) and field.max_length and len(value) > field.max_length:
        return f"{len(value)} символов — допускается не больше {field.max_length}"
    if isinstance(field, models.IntegerField) and not isinstance(value, bool):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        if not low <= value <= high:
            return f"число {value} вне допустимых пределов (от {low} до {high})"
    if field.choices and value not in {key for key, _label in field.flatchoices}:
        return f"«{value}» — недопустимое значение"
    if isinstance(field, models.DecimalField):
        try:
            field.run_validators(value)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return None


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value).replace(".", ",")


@transaction.atomic
def apply_school_import(user, plan: ImportPlan) -> ImportPlan:
    """Write a plan all-or-nothing. A plan with rejected rows is refused whole.

    Bulk statements, a few per thousand rows (a 20 000-row registry is written in seconds),
    each with its audit-trail records.
    """
    require(user, "registry.import_registry")
    if plan.rejected:
        raise UploadError("В файле есть ошибки — ничего не записано.")
    rows = [r for r in plan.rows if r.action != "unchanged"]
    schools = {
        s.code: s
        for s in School.objects.select_for_update().filter(code__in=[r.code for r in rows])
    }
    new_schools, changed_schools, school_fields = [], [], set()
    for row in rows:
        school = schools.get(row.code)
        if school is None:
            schools[row.code] = school = School(code=row.code, **row.school_fields)
            new_schools.append(school)
        elif row.school_fields:
            for key, value in row.school_fields.items():
                setattr(school, key, value)
            school_fields.update(row.school_fields)
            changed_schools.append(school)
    if new_schools:
        bulk_create_with_history(new_schools, School, batch_size=_BATCH, default_user=user)
        ids = dict(
            School.objects.filter(code__in=[s.code for s in new_schools]).values_list("code", "pk")
        )
        for school in new_schools:
            school.pk = ids[school.code]
    if changed_schools:
        bulk_update_with_history(
            changed_schools, School, sorted(school_fields), batch_size=_BATCH, default_user=user
        )
    _write_passports(user, plan.year, [(schools[r.code], r.passport_fields) for r in rows])
    return plan


_BATCH = 500


def _write_passports(user, year: int, rows: list[tuple[School, dict]]) -> None:
    rows = [(school, fields) for school, fields in rows if fields]
    existing = {
        p.school_id: p
        for p in SchoolPassport.objects.select_for_update().filter(
            school_id__in=[school.pk for school, _ in rows], year=year
        )
    }
    new, changed, names = [], [], set()
    for school, fields in rows:
        passport = existing.get(school.pk)
        if passport is None:
            new.append(SchoolPassport(school=school, year=year, **fields))
            continue
        for key, value in fields.items():
            setattr(passport, key, value)
        names.update(fields)
        changed.append(passport)
    if new:
        bulk_create_with_history(new, SchoolPassport, batch_size=_BATCH, default_user=user)
    if changed:
        bulk_update_with_history(
            changed, SchoolPassport, sorted(names), batch_size=_BATCH, default_user=user
        )


# ---------------------------------------------------------------- applied by the task worker


def start_school_import(user, token: str, year: int, file_name: str) -> RegistryImport:
    """Queue the import of the previewed file waiting under ``token``; a second confirmation
    of the same preview (a double click) returns the import already queued."""
    if not user.has_perm("registry.import_registry"):
        raise PermissionDenied("Импорт реестра доступен региональному уровню.")
    with transaction.atomic():
        twin = (
            RegistryImport.objects.filter(token=token).exclude(status=ImportStatus.FAILED).first()
        )
        if twin is not None:
            return twin
        job = RegistryImport.objects.create(
            token=token, year=year, file_name=file_name[:300], created_by=user
        )
        from opora.registry.tasks import apply_registry_import

        transaction.on_commit(lambda: apply_registry_import.enqueue(job.pk))
    return job


def run_school_import(job_id: int) -> RegistryImport:
    """The import itself (run by the task worker): plan the stashed file again — the registry
    may have changed since the preview — and write it all or nothing."""
    started = RegistryImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, progress=10
    )
    job = RegistryImport.objects.select_related("created_by").get(pk=job_id)
    if not started:  # run already (a retried task) or by another worker
        return job
    data = pending.read(job.token)
    if data is None:
        return _finish(
            job, ImportStatus.FAILED, "Файл для применения не найден — загрузите его ещё раз."
        )
    try:
        plan = plan_school_import(data, job.year, job.file_name)
        job.progress = 40
        job.save(update_fields=["progress"])
        if plan.rejected:
            job.rejected = [r.to_dict() for r in plan.rejected[:1000]]
            return _finish(
                job,
                ImportStatus.FAILED,
                "С момента проверки реестр изменился, и в файле появились ошибки — ничего не "
                "записано.",
            )
        apply_school_import(job.created_by, plan)
    except (UploadError, PermissionDenied) as exc:
        return _finish(job, ImportStatus.FAILED, f"Импорт не выполнен, ничего не записано: {exc}")
    except DatabaseError:
        logger.exception("registry import %s failed", job_id)
        return _finish(
            job,
            ImportStatus.FAILED,
            "Импорт не выполнен, ничего не записано: база данных отказала в записи (возможно, "
            "те же школы меняли одновременно). Попробуйте применить ещё раз.",
        )
    except Exception:
        _finish(
            job, ImportStatus.FAILED, "Импорт не выполнен, ничего не записано: внутренняя ошибка."
        )
        raise
    job.created, job.updated = plan.created, plan.updated
    pending.remove(job.token)  # applied: the copy of the file goes
    return _finish(job, ImportStatus.DONE, "")


def _finish(job: RegistryImport, status: str, message: str) -> RegistryImport:
    job.status, job.message, job.progress = status, message, 100
    job.finished_at = timezone.now()
    job.save()
    return job
