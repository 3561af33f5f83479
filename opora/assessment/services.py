"""Writes of the assessment app: result imports (as background tasks), runs, approval."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.accounts.guards import require, stamp
from opora.assessment import engine, store
from opora.assessment.models import (
    BatchStatus,
    CellResult,
    IdentificationRun,
    Methodology,
    ResultBatch,
    RunStatus,
)
from opora.assessment.results_file import ResultsFileError, read_results
from opora.registry import services as registry_services
from opora.registry.models import School, SchoolPassport, StatusKind

DEFAULT_NAME = "Региональная методика (по умолчанию)"
# Explanations are kept for schools a decision concerns; a national run has 40 000 schools.
MAX_STORED_EXPLANATIONS = 5000


def results_root() -> Path:
    root = Path(getattr(settings, "OPORA_RESULTS_DIR", settings.DATA_DIR / "results"))
    root.mkdir(parents=True, exist_ok=True)
    return root


def _uploads() -> Path:
    path = results_root() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------- imports


def start_import(
    user, data: bytes, filename: str, *, valid_only: bool = False, enqueue: bool = True
) -> ResultBatch:
    """Register a file and queue its import; the same file imported again changes nothing."""
    require(user, "assessment.manage_results")
    checksum = hashlib.sha256(data).hexdigest()
    done = ResultBatch.objects.filter(checksum=checksum, status=BatchStatus.DONE).first()
    if done is not None:
        return done
    batch = ResultBatch.objects.create(
        file_name=filename[:300], checksum=checksum, valid_only=valid_only, created_by=user
    )
    (_uploads() / f"batch-{batch.pk}.bin").write_bytes(data)
    if enqueue:
        from opora.assessment.tasks import import_batch

        transaction.on_commit(lambda: import_batch.enqueue(batch.pk))
    return batch


def run_import(batch_id: int) -> ResultBatch:
    """The import itself (run by the task worker): validate, store Parquet and aggregates."""
    batch = ResultBatch.objects.get(pk=batch_id)
    path = _uploads() / f"batch-{batch.pk}.bin"
    # The same file sent twice before the first was imported (a double click): count it once.
    twin = (
        ResultBatch.objects.filter(checksum=batch.checksum, status=BatchStatus.DONE)
        .exclude(pk=batch.pk)
        .first()
    )
    if twin is not None:
        return _finish(
            batch,
            BatchStatus.REFUSED,
            f"Этот файл уже загружен (пакет № {twin.pk}) — ничего не изменено.",
        )
    batch.status, batch.progress = BatchStatus.RUNNING, 5
    batch.save(update_fields=["status", "progress"])
    codes = dict(School.objects.values_list("code", "pk"))
    try:
        result = read_results(path, batch.file_name, set(codes))
    except (ResultsFileError, OSError) as exc:
        return _finish(batch, BatchStatus.REFUSED, str(exc))
    except Exception:
        _finish(batch, BatchStatus.FAILED, "Файл не удалось прочитать: внутренняя ошибка.")
        raise
    batch.kind = result.kind
    batch.rows_total = result.rows_total
    batch.rejected = [r.to_dict() for r in result.rejected[:1000]]
    batch.rejected_count = result.rejected_total
    batch.years, batch.procedures = result.years, result.procedures
    batch.progress = 40
    batch.save()
    if result.rejected_total and not batch.valid_only:
        return _finish(
            batch,
            BatchStatus.REFUSED,
            f"В файле {result.rejected_total} ошибочных строк — файл не загружен. Исправьте "
            "строки или выберите «загрузить только корректные строки».",
        )
    if result.rows_valid == 0:
        return _finish(batch, BatchStatus.REFUSED, "В файле нет ни одной корректной строки.")
    root = results_root()
    try:
        store.write_batch(root, batch.pk, result.table)
        batch.progress = 70
        batch.save(update_fields=["progress"])
        aggregates = store.school_aggregates(root, [batch.pk]).to_pylist()
        with transaction.atomic():
            CellResult.objects.bulk_create(
                [
                    CellResult(
                        batch=batch,
                        school_id=codes[row["school_code"]],
                        year=row["year"],
                        procedure=row["procedure"],
                        grade=row["grade"],
                        subject=row["subject"],
                        participants=row["participants"],
                        n2=row["n2"],
                        n3=row["n3"],
                        n4=row["n4"],
                        n5=row["n5"],
                    )
                    for row in aggregates
                ],
                batch_size=2000,
            )
            batch.rows = result.rows_valid
            batch.schools = result.schools
            _finish(batch, BatchStatus.DONE, "")
    except Exception as exc:
        store.delete_batch(root, batch.pk)  # nothing half-written stays behind
        # The page polls until the batch is finished: a crash must end the polling too.
        _finish(batch, BatchStatus.FAILED, f"Ошибка при записи результатов: {exc}")
        raise
    path.unlink(missing_ok=True)
    return batch


def _finish(batch: ResultBatch, status: str, message: str) -> ResultBatch:
    # A finished batch never runs again (a refused file is sent anew): drop the upload.
    (_uploads() / f"batch-{batch.pk}.bin").unlink(missing_ok=True)
    batch.status, batch.message, batch.progress = status, message, 100
    batch.finished_at = timezone.now()
    batch.save()
    return batch


@transaction.atomic
def delete_batch(user, batch: ResultBatch) -> None:
    """A batch goes with its data: the Parquet files and the aggregates."""
    require(user, "assessment.manage_results")
    store.delete_batch(results_root(), batch.pk)
    (_uploads() / f"batch-{batch.pk}.bin").unlink(missing_ok=True)
    batch.delete()


# ---------------------------------------------------------------- methodologies


def default_methodology() -> Methodology:
    m = Methodology.objects.filter(is_default=True).order_by("-version").first()
    if m is None:
        m, _ = Methodology.objects.get_or_create(
            name=DEFAULT_NAME,
            version=1,
            defaults={
                "params": engine.Params().to_dict(),
                "is_default": True,
                "description": "Методика по умолчанию: доля «2» по ВПР за три года, "
                "порог — 90-й процентиль, не ниже 10 %.",
            },
        )
    return m


@transaction.atomic
def save_methodology(
    user, base: Methodology | None, *, name: str, description: str, params: dict
) -> Methodology:
    """Editing saves a new version, so every old run can still be reproduced."""
    require(user, "assessment.manage_results")
    try:
        parsed = engine.Params.from_dict(params)
    except (TypeError, ValueError) as exc:
        unknown = sorted(set(params) - set(engine.Params().to_dict()))
        if unknown:
            raise ValidationError(
                "Неизвестные параметры методики: " + ", ".join(unknown) + "."
            ) from exc
        raise ValidationError(f"Неверные параметры методики: {exc}") from exc
    try:
        errors = parsed.errors()
    except TypeError as exc:  # a text where a number belongs
        raise ValidationError(f"Неверные параметры методики: {exc}") from exc
    if errors:
        raise ValidationError(errors)
    last = Methodology.objects.filter(name=name).order_by("-version").first()
    m = Methodology(
        name=name,
        version=(last.version + 1) if last else 1,
        description=description,
        params=parsed.to_dict(),
        created_by=user,
        is_default=bool(base and base.is_default and base.name == name),
    )
    stamp(m, user)
    m.save()
    if m.is_default:
        Methodology.objects.filter(name=name).exclude(pk=m.pk).update(is_default=False)
    return m


# ---------------------------------------------------------------- runs


def passports_for(year: int) -> dict[str, dict[str, float | None]]:
    """Context indicators of each school for a list year (the passport of that year,
    else the latest earlier one)."""
    rows = (
        SchoolPassport.objects.filter(year__lte=year)
        .order_by("school_id", "-year")
        .values(
            "school__code",
            "school_id",
            "share_special_needs",
            "share_non_native",
            "share_low_income",
            "share_single_parent",
            "is_rural",
            "is_small",
        )
    )
    result: dict[str, dict] = {}
    for r in rows:
        code = r.pop("school__code")
        r.pop("school_id")
        if code in result:
            continue
        result[code] = {k: (float(v) if v is not None else None) for k, v in r.items()}
    return result


def compute(year: int, params: engine.Params, batch_ids: list[int] | None = None):
    """Identification from the stored results, without saving anything (what-if)."""
    started = time.perf_counter()
    if batch_ids is None:
        batch_ids = list(
            ResultBatch.objects.filter(status=BatchStatus.DONE).values_list("pk", flat=True)
        )
    # An empty list means no batches (a run of a year before any import), not all of them.
    result = engine.run(results_root(), passports_for(year), params, year, batch_ids)
    return result, batch_ids, time.perf_counter() - started


def _explanations(result) -> dict:
    interesting = (
        set(result.low_results)
        | set(result.unfavourable)
        | set(result.biased)
        | set(result.worse_than_expected)
    )
    stored = {}
    for code in sorted(interesting)[:MAX_STORED_EXPLANATIONS]:
        e = result.explain(code)
        stored[code] = {
            "lines": e.lines_ru(),
            "low_years": e.low_years,
            "context_index": e.context_index,
            "residual": e.residual,
            "expected_share": e.expected_share,
            "actual_share": e.actual_share,
            "small": e.small,
            "interval": list(e.interval) if e.interval else None,
            "flags": e.flags,
            "low_results": e.low_results,
            "unfavourable": e.unfavourable,
            "biased": e.biased,
            "worse": e.worse_than_expected,
        }
    return stored


@transaction.atomic
def create_run(user, methodology: Methodology, year: int) -> IdentificationRun:
    require(user, "assessment.manage_results")
    params = engine.Params.from_dict(methodology.params)
    result, batch_ids, seconds = compute(year, params)
    run = IdentificationRun(
        methodology=methodology,
        params=params.to_dict(),
        year=year,
        batch_ids=batch_ids,
        low_results=result.low_results,
        unfavourable=result.unfavourable,
        biased=result.biased,
        explanations=_explanations(result),
        fair_table=result.fair_table(),
        seconds=round(seconds, 3),
        created_by=user,
    )
    stamp(run, user)
    run.save()
    return run


def compare_lists(a: list[str], b: list[str]) -> dict[str, list[str]]:
    """Entered (in b, not in a), left (in a, not in b), stayed."""
    sa, sb = set(a), set(b)
    return {"entered": sorted(sb - sa), "left": sorted(sa - sb), "stayed": sorted(sa & sb)}


@transaction.atomic
def approve_run(user, run: IdentificationRun, *, kind: str, number: str, day) -> int:
    """Set the year's statuses from the run (with the run as their basis); returns how many."""
    require(user, "assessment.manage_results")
    if run.status == RunStatus.APPROVED:
        raise ValidationError("Этот расчёт уже утверждён.")
    if not (kind and number and day):
        raise ValidationError("Укажите вид, номер и дату документа.")
    codes = dict(School.objects.values_list("code", "pk"))
    touched = 0
    for kind_code, lst in (
        (StatusKind.LOW_RESULTS, run.low_results),
        (StatusKind.UNFAVOURABLE, run.unfavourable),
    ):
        touched += registry_services.replace_regional_list(
            user,
            year=run.year,
            kind=kind_code,
            school_ids={codes[c] for c in lst if c in codes},
            basis=(kind, number, day),
            note=f"Расчёт № {run.pk}, {run.methodology}",
        )
    run.status = RunStatus.APPROVED
    run.approved_by, run.approved_at = user, timezone.now()
    run.basis_kind, run.basis_number, run.basis_date = kind, number, day
    stamp(run, user)
    run.save()
    return touched
