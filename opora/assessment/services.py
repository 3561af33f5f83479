"""Writes of the assessment app: result imports (as background tasks), runs, approval."""

from __future__ import annotations

import hashlib
import itertools
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from opora.accounts.guards import require, stamp
from opora.assessment import defaults, engine, store
from opora.assessment.models import (
    BatchStatus,
    IdentificationRun,
    Methodology,
    ResultBatch,
    ResultSlice,
    RunSchool,
    RunStatus,
)
from opora.assessment.results_file import ResultsFileError, read_results
from opora.registry import services as registry_services
from opora.registry.models import School, SchoolPassport, StatusKind

# Explanations are kept for schools a decision concerns; a national run has 40 000 schools.
MAX_STORED_EXPLANATIONS = 5000


def database_key() -> str:
    """Which database this is, as a folder name: its engine, host, port and name hashed.

    The Parquet store belongs to its database (issue 13): batches are numbered by the
    database, so two databases given one data folder would write each other's batch 7.
    """
    db = connection.settings_dict
    identity = "|".join(str(db.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))
    return "db-" + hashlib.sha256(identity.encode()).hexdigest()[:16]


def results_root() -> Path:
    """The Parquet store, uploads and progress files of this database: a folder of its own
    under the data folder (``OPORA_RESULTS_DIR``), named by :func:`database_key`."""
    base = Path(getattr(settings, "OPORA_RESULTS_DIR", settings.DATA_DIR / "results"))
    root = base / database_key()
    root.mkdir(parents=True, exist_ok=True)
    return root


def _uploads() -> Path:
    path = results_root() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------- imports


CHUNK = 16 * 1024 * 1024
# A national file of three years is ≈ 2.5 GB; the page and the command take it whole.
MAX_RESULTS_UPLOAD_BYTES = getattr(settings, "MAX_RESULTS_UPLOAD_BYTES", 8 * 1024**3)


def start_import(
    user, source, filename: str, *, valid_only: bool = False, enqueue: bool = True
) -> ResultBatch:
    """Register a file and queue its import; the same file imported again changes nothing.

    ``source`` is the file's bytes, an upload (streamed into the uploads folder in chunks
    while its checksum is computed — never held whole in memory), or a path on this machine
    (``opora import-results``: imported in place, linked from the uploads folder, no copy).
    """
    require(user, "assessment.manage_results")
    uploads = _uploads()
    received = uploads / f".receiving-{os.getpid()}-{time.monotonic_ns()}"
    try:
        checksum = _receive(source, received)
        done = ResultBatch.objects.filter(checksum=checksum, status=BatchStatus.DONE).first()
        if done is not None:
            return done
        batch = _new_batch(user, filename, checksum, valid_only)
        os.replace(received, uploads / f"batch-{batch.pk}.bin")
    finally:
        received.unlink(missing_ok=True)
    if enqueue:
        from opora.assessment.tasks import import_batch

        transaction.on_commit(lambda: import_batch.enqueue(batch.pk))
    return batch


def _receive(source, target: Path | None) -> str:
    """Put the file at ``target`` (a copy, or a link to a path) and return its sha256; a path
    without a ``target`` is only hashed.

    Each pass over the bytes is one: the copy is hashed as it is written (the hash of a block
    on another thread while the next block is read and written — hashlib and file writes let
    go of the GIL), into two reused buffers (a fresh 16 MB block per read costs the kernel as
    much as the copy: every page of it zeroed)."""
    digest = hashlib.sha256()
    if isinstance(source, (bytes, bytearray, memoryview)):
        digest.update(source)
        target.write_bytes(source)
        return digest.hexdigest()
    if isinstance(source, (str, os.PathLike)):
        path = Path(source).resolve()
        with open(path, "rb", buffering=0) as handle:
            _pass(handle.readinto, digest)
        if target is not None:
            target.symlink_to(path)
        return digest.hexdigest()
    temporary = getattr(source, "temporary_file_path", None)
    if temporary is not None:
        # Django has already written a large upload to a temporary file: link it, no copy.
        try:
            os.link(temporary(), target)
        except OSError:
            pass  # another file system: copied below
        else:
            with open(target, "rb", buffering=0) as handle:
                _pass(handle.readinto, digest)
            return digest.hexdigest()
    if hasattr(source, "seek"):
        source.seek(0)
    with open(target, "wb") as out:
        if _copied_in_kernel(source, out):
            _pass(source.readinto, digest)
        elif hasattr(source, "readinto"):
            _pass(source.readinto, digest, out.write)
        else:
            chunks = (
                source.chunks(CHUNK)
                if hasattr(source, "chunks")
                else iter(lambda: source.read(CHUNK), b"")
            )
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
    return digest.hexdigest()


def _copied_in_kernel(source, out) -> bool:
    """Copy a file-backed upload (Django's temporary file on another file system than the
    uploads folder) by the kernel, page cache to page cache (``copy_file_range``: 0.2 s for
    850 MB, against 1 s through this process's buffers); ``False`` when the source is no
    file or the kernel cannot (then it is copied through the buffers)."""
    try:
        source_fd = source.fileno()
        size = os.fstat(source_fd).st_size
        done = 0
        while done < size:
            copied = os.copy_file_range(source_fd, out.fileno(), size - done, done, done)
            if not copied:
                break
            done += copied
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        out.truncate(0)
        return False
    if done != size:
        out.truncate(0)
        return False
    return True


def _pass(readinto, digest, write=None) -> None:
    """Read a file to its end in blocks, each hashed (on a thread of its own, while the next
    block is read and written) and, with ``write``, written."""
    buffers = (bytearray(CHUNK), bytearray(CHUNK))
    with ThreadPoolExecutor(1) as hasher:
        hashing = None
        for turn in itertools.count():
            # The buffer read into now was hashed two turns ago (waited for below).
            block = memoryview(buffers[turn % 2])
            size = readinto(block)
            if not size:
                break
            if write is not None:
                write(block[:size])
            if hashing is not None:
                hashing.result()
            hashing = hasher.submit(digest.update, block[:size])
        if hashing is not None:
            hashing.result()


class LostRace(Exception):
    """The batch left the state this import started from (recovered as interrupted, or
    deleted) while the import was at work: nothing of it is kept."""


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _move(batch: ResultBatch, expected: str, **fields) -> bool:
    """One conditional update from the state ``expected`` (and, for a running batch, the
    worker that runs it); the batch object follows only when the row changed."""
    rows = ResultBatch.objects.filter(pk=batch.pk, status=expected)
    if expected == BatchStatus.RUNNING:
        rows = rows.filter(worker=batch.worker)
    if not rows.update(**fields):
        return False
    for name, value in fields.items():
        setattr(batch, name, value)
    return True


class _LiveProgress:
    """The share done inside a long step (reading the CSV, writing Parquet), written to a
    small file beside the upload — from the reader's threads, without a database write —
    so the page's bar moves with the real work and recovery sees the worker is alive."""

    def __init__(self, batch: ResultBatch):
        self.path = _progress_file(batch.pk)
        self.shown = -1

    def step(self, low: int, high: int):
        def report(share: float) -> None:
            percent = int(low + (high - low) * share)
            if percent > self.shown:
                self.shown = percent
                temporary = self.path.with_name(self.path.name + ".tmp")
                temporary.write_text(str(percent))
                os.replace(temporary, self.path)

        return report


def _progress_file(batch_id: int) -> Path:
    return _uploads() / f"batch-{batch_id}.progress"


def live_progress(batch: ResultBatch) -> int:
    """The progress to show: the last phase recorded, or further within a long step."""
    if batch.status != BatchStatus.RUNNING:
        return batch.progress
    try:
        return max(batch.progress, min(int(_progress_file(batch.pk).read_text()), 99))
    except (OSError, ValueError):
        return batch.progress


def _progress(batch: ResultBatch, progress: int, **fields) -> None:
    if not _move(
        batch, BatchStatus.RUNNING, progress=progress, heartbeat_at=timezone.now(), **fields
    ):
        raise LostRace(
            f"Загрузка пакета № {batch.pk} прервана: пакет больше не загружается этим "
            "обработчиком (признан прерванным или удалён)."
        )


def run_import(batch_id: int) -> ResultBatch | None:
    """The import itself (run by the task worker): validate, store Parquet and aggregates.

    The batch goes queued → running → done (or refused, failed), each step one conditional
    update: a task run twice, or a batch recovered as interrupted meanwhile, makes no second
    transition. The Parquet files stay staged until the batch is committed.
    """
    batch = ResultBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != BatchStatus.QUEUED:
        return batch  # deleted, or already taken by another run of the task
    path = _uploads() / f"batch-{batch.pk}.bin"
    # The same file sent twice before the first was imported (a double click): count it once.
    twin = (
        ResultBatch.objects.filter(checksum=batch.checksum, status=BatchStatus.DONE)
        .exclude(pk=batch.pk)
        .first()
    )
    if twin is not None:
        _end(
            batch,
            BatchStatus.QUEUED,
            BatchStatus.REFUSED,
            f"Этот файл уже загружен (пакет № {twin.pk}) — ничего не изменено.",
        )
        return batch
    now = timezone.now()
    if not _move(
        batch,
        BatchStatus.QUEUED,
        status=BatchStatus.RUNNING,
        progress=5,
        worker=_worker_id(),
        heartbeat_at=now,
    ):
        return ResultBatch.objects.filter(pk=batch_id).first()
    try:
        return _import_running(batch, path)
    except LostRace:
        return _lost(batch)


def _lost(batch: ResultBatch) -> ResultBatch:
    """Another hand ended the batch while it was imported: keep nothing of it."""
    store.delete_batch(results_root(), batch.pk)
    _progress_file(batch.pk).unlink(missing_ok=True)  # (the writer may have told more)
    batch.refresh_from_db()
    return batch


def _import_running(batch: ResultBatch, path: Path) -> ResultBatch:
    codes = set(School.objects.values_list("code", flat=True))
    live = _LiveProgress(batch)
    try:
        result = read_results(path, batch.file_name, codes, on_read=live.step(5, 40))
    except (ResultsFileError, OSError) as exc:
        return _end(batch, BatchStatus.RUNNING, BatchStatus.REFUSED, str(exc))
    except Exception:
        _end(
            batch,
            BatchStatus.RUNNING,
            BatchStatus.FAILED,
            "Файл не удалось прочитать: внутренняя ошибка.",
        )
        raise
    return _import_read(batch, result, live)


def import_file(user, path: Path, *, valid_only: bool = False) -> tuple[ResultBatch, bool]:
    """``opora import-results``: a file on this machine imported in place, read once.

    The checksum that finds a file already loaded is computed on the blocks the reader
    takes, not by a read of its own (a national file is 2.5 GB), so the file is read first
    and the batch made after: a file loaded before changes nothing and is answered with its
    batch — ``(batch, True)``; else ``(the new batch, False)``, done or refused as the task
    would leave it. Example: ``import_file(user, Path("ВПР-2025.csv"))``.
    """
    require(user, "assessment.manage_results")
    codes = set(School.objects.values_list("code", flat=True))
    try:
        result = read_results(path, path.name, codes, checksum=True)
    except (ResultsFileError, OSError) as exc:
        batch = _new_batch(user, path.name, _receive(path, None), valid_only)
        return _end(batch, BatchStatus.QUEUED, BatchStatus.REFUSED, str(exc)), False
    done = ResultBatch.objects.filter(checksum=result.checksum, status=BatchStatus.DONE).first()
    if done is not None:
        return done, True
    batch = _new_batch(user, path.name, result.checksum, valid_only)
    _move(
        batch,
        BatchStatus.QUEUED,
        status=BatchStatus.RUNNING,
        progress=40,
        worker=_worker_id(),
        heartbeat_at=timezone.now(),
    )
    try:
        return _import_read(batch, result, _LiveProgress(batch)), False
    except LostRace:
        return _lost(batch), False


def _new_batch(user, filename: str, checksum: str, valid_only: bool) -> ResultBatch:
    batch = ResultBatch(
        file_name=filename[:300], checksum=checksum, valid_only=valid_only, created_by=user
    )
    stamp(batch, user)
    batch.save()
    return batch


def _import_read(batch: ResultBatch, result, live) -> ResultBatch:
    """The import of a file read and validated: refused as a whole, or stored (Parquet,
    cells, slices) and committed."""
    path = _uploads() / f"batch-{batch.pk}.bin"
    _progress(
        batch,
        50,
        kind=result.kind,
        rows_total=result.rows_total,
        rejected=[r.to_dict() for r in result.rejected[:1000]],
        rejected_count=result.rejected_total,
        years=result.years,
        procedures=result.procedures,
    )
    if result.rejected_total and not batch.valid_only:
        return _end(
            batch,
            BatchStatus.RUNNING,
            BatchStatus.REFUSED,
            f"В файле {result.rejected_total} ошибочных строк — файл не загружен. Исправьте "
            "строки или выберите «загрузить только корректные строки».",
        )
    if result.rows_valid == 0:
        return _end(
            batch,
            BatchStatus.RUNNING,
            BatchStatus.REFUSED,
            "В файле нет ни одной корректной строки.",
        )
    root = results_root()
    # The files are written (staged: unseen by readers) while the cells are counted, checked
    # against what is loaded and written beside them — the Parquet writer's threads
    # and this one share the cores instead of taking turns. A refused or failed import
    # waits for the writer before removing what it wrote.
    with ThreadPoolExecutor(1) as pool:
        writing = pool.submit(
            store.write_batch,
            root,
            batch.pk,
            result.table,
            publish=False,
            on_written=live.step(60, 85),
        )
        slices: list[dict] = []
        try:
            aggregates = store.table_cells(result.table)
            slices = store.slice_digests(aggregates)
            _check_and_commit(batch, result, aggregates, slices, root, writing)
        except LostRace:
            wait([writing])
            raise
        except IntegrityError:
            # The same content committed by a concurrent import a moment ago (its slices).
            wait([writing])
            store.delete_batch(root, batch.pk)
            return _end(
                batch,
                BatchStatus.RUNNING,
                BatchStatus.REFUSED,
                _already_loaded(slices)
                or "Результаты не сохранены: загруженные результаты изменились во время "
                "загрузки. Загрузите файл снова.",
            )
        except Exception as exc:
            wait([writing])
            store.delete_batch(root, batch.pk)  # nothing half-written stays behind
            # The page polls until the batch is finished: a crash must end the polling too.
            _end(
                batch,
                BatchStatus.RUNNING,
                BatchStatus.FAILED,
                f"Ошибка при записи результатов: {exc}",
            )
            raise
    if batch.status == BatchStatus.DONE:
        path.unlink(missing_ok=True)
        _progress_file(batch.pk).unlink(missing_ok=True)
    return batch


def _check_and_commit(batch, result, aggregates, slices, root: Path, writing) -> None:
    """Refuse results already loaded, else the cells written beside the results and in one
    transaction: the slices, the files (once written) published, the batch done."""
    loaded = _already_loaded(slices)
    if loaded:
        wait([writing])
        store.delete_batch(root, batch.pk)
        _end(batch, BatchStatus.RUNNING, BatchStatus.REFUSED, loaded)
        return
    _progress(batch, 60)
    # The per-school aggregates the pages show, a small file of the batch beside its results
    # (staged, published with them): no copy of a country's 1.2 million cells in the database.
    store.write_cells(root, batch.pk, aggregates)
    with transaction.atomic():
        ResultSlice.objects.bulk_create(ResultSlice(batch=batch, **s) for s in slices)
        writing.result()
        if not _move(
            batch,
            BatchStatus.RUNNING,
            status=BatchStatus.DONE,
            message="",
            progress=100,
            finished_at=timezone.now(),
            rows=result.rows_valid,
            schools=result.schools,
        ):
            raise LostRace(f"Пакет № {batch.pk} уже не загружается.")
        # The last step before the commit: readers take only the files of loaded batches,
        # so files published a moment before a failed commit are unread.
        store.publish_batch(root, batch.pk)


def _already_loaded(slices: list[dict]) -> str:
    """A Russian message naming the slices of this content already loaded, or ''."""
    if not slices:
        return ""
    same = (
        ResultSlice.objects.filter(
            batch__status=BatchStatus.DONE, digest__in={s["digest"] for s in slices}
        )
        .select_related("batch")
        .order_by("year", "procedure", "grade", "subject")
    )
    wanted = {(s["year"], s["procedure"], s["grade"], s["subject"], s["digest"]) for s in slices}
    found = [s for s in same if (s.year, s.procedure, s.grade, s.subject, s.digest) in wanted]
    if not found:
        return ""
    named = [
        f"{s.procedure} {s.year}, {s.grade} класс, «{s.subject}» — пакет № {s.batch_id} "
        f"(«{s.batch.file_name}»)"
        for s in found[:5]
    ]
    more = f"; и ещё {len(found) - 5}" if len(found) > 5 else ""
    return (
        "Эти результаты уже загружены (те же отметки тех же школ): "
        + "; ".join(named)
        + more
        + ". Файл не загружен, чтобы не посчитать их дважды. Если это исправленные "
        "результаты, сначала удалите прежний пакет."
    )


def _end(batch: ResultBatch, expected: str, status: str, message: str, **fields) -> ResultBatch:
    """Finish a batch from the state ``expected``; a batch another hand finished stays as
    that hand left it (the object is refreshed)."""
    if _move(
        batch,
        expected,
        status=status,
        message=message,
        progress=100,
        finished_at=timezone.now(),
        **fields,
    ):
        # A finished batch never runs again (a refused file is sent anew): drop the upload.
        (_uploads() / f"batch-{batch.pk}.bin").unlink(missing_ok=True)
        _progress_file(batch.pk).unlink(missing_ok=True)
    else:
        batch.refresh_from_db()
    return batch


STALE_AFTER = timedelta(minutes=30)
INTERRUPTED = (
    "Загрузка прервана: обработчик задач остановился, не закончив её (сбой или перезапуск "
    "сервера). Данные пакета не сохранены — загрузите файл снова."
)


def _worker_gone(batch: ResultBatch, now) -> bool:
    worker, heartbeat_at = batch.worker, batch.heartbeat_at
    host, _, pid = worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass  # alive, someone else's
    try:  # the reader's threads keep the progress file fresh during the long steps
        moved = datetime.fromtimestamp(_progress_file(batch.pk).stat().st_mtime, tz=UTC)
        heartbeat_at = max(heartbeat_at, moved) if heartbeat_at else moved
    except OSError:
        pass
    return heartbeat_at is None or now - heartbeat_at > STALE_AFTER


def recover_imports(*, everything: bool = False) -> list[ResultBatch]:
    """Batches left «загружается» by a worker that is gone (its process no longer exists on
    this machine, or no sign of work for :data:`STALE_AFTER`): marked failed with a Russian
    reason, their staged or published files and upload removed. ``everything`` treats every
    running batch so (when no worker runs at all). Called at every task start in the worker
    and by ``opora recover-imports`` before the worker starts."""
    now = timezone.now()
    recovered = []
    for batch in ResultBatch.objects.filter(status=BatchStatus.RUNNING):
        if not (everything or _worker_gone(batch, now)):
            continue
        if not _move(
            batch,
            BatchStatus.RUNNING,
            status=BatchStatus.FAILED,
            message=INTERRUPTED,
            progress=100,
            finished_at=now,
        ):
            continue  # it finished (or was recovered) meanwhile
        store.delete_batch(results_root(), batch.pk)
        ResultSlice.objects.filter(batch=batch).delete()
        (_uploads() / f"batch-{batch.pk}.bin").unlink(missing_ok=True)
        _progress_file(batch.pk).unlink(missing_ok=True)
        recovered.append(batch)
    return recovered


def loaded_batch_ids() -> list[int]:
    """The batches readers may see: loaded ones only (never one being imported)."""
    return list(ResultBatch.objects.filter(status=BatchStatus.DONE).values_list("pk", flat=True))


def approved_runs_using(batch_id: int) -> list[IdentificationRun]:
    """Approved runs that read the batch: their lists must still reproduce from its data."""
    approved = IdentificationRun.objects.filter(status=RunStatus.APPROVED).only(
        "pk", "year", "batch_ids"
    )
    return [run for run in approved.order_by("year", "pk") if batch_id in (run.batch_ids or [])]


def delete_batch(user, batch: ResultBatch) -> None:
    """A batch goes with its data: the Parquet files and the aggregates; the history keeps who
    deleted it and when. A batch being imported is not deleted (the worker would go on
    writing it), nor one an approved run used (the run would no longer reproduce)."""
    require(user, "assessment.manage_results")
    with transaction.atomic():
        row = ResultBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if row is None:
            return  # deleted a moment ago by another request
        if row.status == BatchStatus.RUNNING:
            raise ValidationError(
                "Пакет ещё загружается — удалить его можно, когда загрузка закончится."
            )
        used = approved_runs_using(row.pk)
        if used:
            years = ", ".join(sorted({str(run.year) for run in used}))
            raise ValidationError(
                f"Пакет использован в утверждённых списках ({years} г.): без него расчёт не "
                "воспроизвести, поэтому удалить его нельзя."
            )
        stamp(row, user)
        row.delete()
        store.delete_batch(results_root(), batch.pk)
        (_uploads() / f"batch-{batch.pk}.bin").unlink(missing_ok=True)
        _progress_file(batch.pk).unlink(missing_ok=True)


# ---------------------------------------------------------------- methodologies


def default_methodology() -> Methodology:
    """The region's default methodology (reference data: ``defaults.ensure_default_methodology``
    made it after ``migrate``; asked again here should a user have removed it)."""
    return defaults.ensure_default_methodology()


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


PASSPORT_INDICATORS = (
    "share_special_needs",
    "share_non_native",
    "share_low_income",
    "share_single_parent",
    "is_rural",
    "is_small",
)


def passports_for(year: int, max_age: int = 1) -> engine.PassportColumns:
    """Context indicators of each school for a list year (the passport of that year, else
    the latest earlier one no older than ``max_age`` years): one query, straight into arrays,
    with the year of each passport used."""
    passport, school = SchoolPassport._meta, School._meta
    q = connection.ops.quote_name

    def column(name: str) -> str:
        field = passport.get_field(name)
        # Shares are decimals: read as doubles (the nearest, as float(Decimal) gives), so
        # that PostgreSQL sends no Decimal object per value.
        if field.get_internal_type() == "DecimalField":
            return f"CAST(p.{q(field.column)} AS DOUBLE PRECISION)"
        return f"p.{q(field.column)}"

    columns = ", ".join(column(n) for n in PASSPORT_INDICATORS)
    sql = f"""
        SELECT s.{q(school.get_field("code").column)}, p.{q(passport.get_field("year").column)},
               {columns}
        FROM {q(passport.db_table)} p
        JOIN {q(school.db_table)} s ON s.{q(school.pk.column)} = p.school_id
        WHERE p.year <= %s AND p.year >= %s
          AND p.year = (SELECT max(l.year) FROM {q(passport.db_table)} l
                        WHERE l.school_id = p.school_id AND l.year <= %s AND l.year >= %s)
        ORDER BY s.{q(school.get_field("code").column)}"""
    # The window's passports only are matched against the latest (a country keeps years).
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, year - max_age, year, year - max_age])
        rows = cursor.fetchall()
    if not rows:
        return engine.PassportColumns([], {})
    codes, years, *values = zip(*rows, strict=True)
    return engine.PassportColumns(
        list(codes),
        {
            name: np.array(column, dtype=np.float64)
            for name, column in zip(PASSPORT_INDICATORS, values, strict=True)
        },
        years=np.array(years, dtype=np.int64),
    )


def compute(year: int, params: engine.Params, batch_ids: list[int] | None = None):
    """Identification from the stored results, without saving anything (what-if)."""
    result, batch_ids, seconds, _ = _compute(year, params, batch_ids)
    return result, batch_ids, seconds


def _compute(
    year: int, params: engine.Params, batch_ids: list[int] | None = None, *, fingerprint=False
):
    """The run's lists, its batches, its seconds and (with ``fingerprint``, for a run that is
    saved) the fingerprint of the data it read."""
    started = time.perf_counter()
    if batch_ids is None:
        batch_ids = loaded_batch_ids()
    # An empty list means no batches (a run of a year before any import), not all of them.
    read: list[engine.PassportColumns] = []

    def passports() -> engine.PassportColumns:
        # Read while the engine counts the store on other threads (this thread's connection).
        read.append(passports_for(year, params.passport_max_age))
        return read[0]

    result = engine.run(results_root(), passports, params, year, batch_ids)
    seconds = time.perf_counter() - started
    return (
        result,
        batch_ids,
        seconds,
        (data_fingerprint(batch_ids, read[0]) if fingerprint else ""),
    )


def data_fingerprint(batch_ids: list[int], passports: engine.PassportColumns) -> str:
    """What a run reads, as one hash: the content digests of the result slices of its batches
    (the same file loaded again gives the same digests) and the passport indicators it used.

    Two runs with the same methodology version and the same fingerprint give the same lists.
    """
    digest = hashlib.sha256()
    slices = (
        ResultSlice.objects.filter(batch_id__in=batch_ids)
        .order_by("year", "procedure", "grade", "subject", "digest")
        .values_list("year", "procedure", "grade", "subject", "digest")
    )
    for row in slices.distinct():
        digest.update(repr(row).encode())
    digest.update(repr([str(c) for c in passports.codes]).encode())
    years = passports.years if passports.years is not None else []
    digest.update(repr([int(y) for y in years]).encode())
    for name in sorted(passports.columns):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(passports.columns[name], dtype=np.float64).tobytes())
    return digest.hexdigest()[:16]


def _run_schools(run: IdentificationRun, result) -> list[RunSchool]:
    """A row per explained school of ``result`` (and per listed school, explained or not)."""
    explanations = _explanations(result)
    low, unfavourable, biased = (
        set(result.low_results),
        set(result.unfavourable),
        set(result.biased),
    )
    not_assessed = set(result.not_assessed)
    ids = dict(School.objects.values_list("code", "pk"))
    return [
        RunSchool(
            run=run,
            code=code,
            school_id=ids.get(code),
            low_results=code in low,
            unfavourable=code in unfavourable,
            biased=code in biased,
            not_assessed=code in not_assessed,
            explanation=explanations.get(code, {}),
        )
        for code in sorted(set(explanations) | low | unfavourable | biased | not_assessed)
    ]


def _explanations(result) -> dict:
    interesting = (
        set(result.low_results)
        | set(result.unfavourable)
        | set(result.biased)
        | set(result.worse_than_expected)
        | set(result.not_assessed)
    )
    # The listed and the unassessed first; then every other school while there is room, so
    # that each school card can show its comparison schools.
    ordered = sorted(interesting) + sorted(set(result.explanations) - interesting)
    stored = {}
    for code in ordered[:MAX_STORED_EXPLANATIONS]:
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
            "not_assessed": e.not_assessed,
            "small_lines": e.small_school_lines(),
            "above_region": e.above_region,
            "comparisons": [c._asdict() for c in e.comparisons],
            "comparison_share": (
                sum(c.share for c in e.comparisons) / len(e.comparisons) if e.comparisons else None
            ),
        }
    return stored


@transaction.atomic
def create_run(user, methodology: Methodology, year: int) -> IdentificationRun:
    require(user, "assessment.manage_results")
    params = engine.Params.from_dict(methodology.params)
    result, batch_ids, seconds, fingerprint = _compute(year, params, fingerprint=True)
    run = IdentificationRun(
        methodology=methodology,
        params=params.to_dict(),
        year=year,
        batch_ids=batch_ids,
        low_results=result.low_results,
        unfavourable=result.unfavourable,
        biased=result.biased,
        fair_table=result.fair_table(),
        seconds=round(seconds, 3),
        fingerprint=fingerprint,
        created_by=user,
    )
    stamp(run, user)
    run.save()
    RunSchool.objects.bulk_create(_run_schools(run, result), batch_size=2000)
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


# ---------------------------------------------------------------- documents


def draft_lists_order(user, run: IdentificationRun):
    """The order approving the lists of ``run`` (a Document sourced from the run), opened if
    one is being edited, else built now: (document, created)."""
    from opora.assessment.documents import lists_order
    from opora.documents import services as documents

    require(user, "assessment.manage_results")
    return documents.open_draft(user, lambda: lists_order(run, user), kind="order", source=run)
