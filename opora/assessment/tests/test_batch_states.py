"""Issue 9 for result batches: an import killed mid-way is recovered and never read, the same
results re-saved are refused by content, and every state change happens once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from opora.assessment import selectors, services, store
from opora.assessment.models import BatchStatus, ResultBatch, ResultSlice
from opora.testing.assessment import (
    CODES,
    HEADER,
    csv_bytes,
    import_bytes,
    make_region,
    region_rows,
    stored_cells,
)


def _every_file() -> list[str]:
    """Every file under the store, staged ones included (not what readers are given)."""
    root = services.results_root()
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.parent != root
    )


def _dead_worker() -> str:
    """The worker name of a process that has ended, as a killed worker leaves it."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    host = services._worker_id().rpartition(":")[0]
    return f"{host}:{ended.pid}"


class Killed(BaseException):
    """What the code after a SIGKILL sees of it: nothing — no handler runs."""


# ---------------------------------------------------------------- interrupted imports


def test_an_import_killed_between_the_files_and_the_commit_is_never_read_and_is_recovered(
    region, monkeypatch
):
    loaded = import_bytes(region.user, csv_bytes(region_rows(years=(2025,))), "2025.csv")
    assert loaded.status == BatchStatus.DONE
    readable = store.batch_files(services.results_root())
    cells = stored_cells().num_rows

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(store, "publish_batch", killed)  # the last step before the commit
    batch = services.start_import(
        region.user, csv_bytes(region_rows(years=(2026,))), "2026.csv", enqueue=False
    )
    with pytest.raises(Killed):
        services.run_import(batch.pk)
    monkeypatch.undo()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING  # as the killed worker left it
    assert any("year=2026" in f and f.endswith(".staged") for f in _every_file())
    assert f"cells/.batch-{batch.pk}.parquet.staged" in _every_file()
    # Readers see only loaded batches: not one file nor cell of the interrupted one.
    assert store.batch_files(services.results_root()) == readable
    assert services.loaded_batch_ids() == [loaded.pk]
    result, batch_ids, _ = services.compute(2026, services.engine.Params())
    assert batch_ids == [loaded.pk] and result.low_results == []
    assert selectors.term_comparison_for(region.schools[CODES[0]], 2026) == []
    assert stored_cells().num_rows == cells

    # A worker that is still alive keeps its batch; a gone one loses it at the next start.
    assert services.recover_imports() == []
    ResultBatch.objects.filter(pk=batch.pk).update(worker=_dead_worker())
    call_command("recover-imports")

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.message.startswith("Загрузка прервана: обработчик задач остановился")
    assert not [f for f in _every_file() if "2026" in f or f"batch-{batch.pk}" in f]
    assert not (services.results_root() / "uploads" / f"batch-{batch.pk}.bin").exists()
    # The same file sent again is imported as if nothing had happened.
    again = import_bytes(region.user, csv_bytes(region_rows(years=(2026,))), "2026.csv")
    assert again.status == BatchStatus.DONE, again.message
    assert stored_cells([again.pk]).num_rows == len(CODES) * 4


def test_a_batch_silent_for_longer_than_the_limit_is_recovered_whoever_ran_it(region):
    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    ResultBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING,
        worker="другой-сервер:123",
        heartbeat_at=services.timezone.now() - services.STALE_AFTER * 2,
    )
    assert [b.pk for b in services.recover_imports()] == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED


def test_the_worker_recovers_at_the_start_of_its_next_task(region):
    from opora.assessment.tasks import import_batch

    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    ResultBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, worker=_dead_worker(), heartbeat_at=services.timezone.now()
    )
    nxt = services.start_import(region.user, csv_bytes(region_rows()), "y.csv", enqueue=False)

    import_batch.enqueue(nxt.pk)  # the next task the worker runs

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert ResultBatch.objects.get(pk=nxt.pk).status == BatchStatus.DONE


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("sqlite") or "DATABASE_URL" not in os.environ,
    reason="a process blocked on a table lock needs PostgreSQL (SQLite locks the whole file)",
)
def test_a_worker_process_killed_with_sigkill_mid_import_is_recovered(transactional_db, tmp_path):
    """A real worker process: it writes its staged files, then waits on a lock we hold on the
    slices table (inside its commit) and is killed there with SIGKILL."""
    import psycopg
    from django.conf import settings

    region = make_region()
    data_dir = tmp_path / "data"
    settings.OPORA_RESULTS_DIR = data_dir / "results"
    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"
    with psycopg.connect(url) as lock:
        lock.execute("LOCK TABLE assessment_resultslice IN EXCLUSIVE MODE")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from opora.assessment.services import "
                f"run_import; run_import({batch.pk})",
            ],
            cwd=Path(__file__).resolve().parents[3],
            env={**os.environ, "DATABASE_URL": url, "OPORA_DATA_DIR": str(data_dir)},
        )
        deadline = time.monotonic() + 60
        while services.live_progress(ResultBatch.objects.get(pk=batch.pk)) < 85:
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1)  # files written, the commit's transaction waiting on our lock
        assert any(f.endswith(".staged") for f in _every_file())
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        lock.rollback()

    assert ResultBatch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING
    assert store.batch_files(services.results_root(), batch_ids=services.loaded_batch_ids()) == []
    call_command("recover-imports")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert _every_file() == []
    assert not stored_cells().num_rows


# ---------------------------------------------------------------- one transition each


def test_an_import_run_twice_makes_one_transition(region):
    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    assert services.run_import(batch.pk).status == BatchStatus.DONE
    cells, files = stored_cells().num_rows, _every_file()

    again = services.run_import(batch.pk)  # the task delivered a second time

    assert again.status == BatchStatus.DONE
    assert (stored_cells().num_rows, _every_file()) == (cells, files)


def test_an_import_whose_batch_was_recovered_meanwhile_keeps_nothing(region, monkeypatch):
    count = store.table_cells

    def count_then_lose(table):
        services.recover_imports(everything=True)  # the batch was judged interrupted
        return count(table)

    monkeypatch.setattr(store, "table_cells", count_then_lose)
    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    batch = services.run_import(batch.pk)

    assert batch.status == BatchStatus.FAILED  # not done: no second transition
    assert batch.message.startswith("Загрузка прервана")
    assert not stored_cells().num_rows and not ResultSlice.objects.exists()
    assert _every_file() == []


def test_a_batch_being_imported_is_not_deleted(region):
    batch = services.start_import(region.user, csv_bytes(region_rows()), "x.csv", enqueue=False)
    ResultBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    with pytest.raises(ValidationError, match="Пакет ещё загружается"):
        services.delete_batch(region.user, batch)
    assert ResultBatch.objects.filter(pk=batch.pk).exists()


# ---------------------------------------------------------------- duplicates by content


def test_the_same_results_saved_again_are_refused_by_content_naming_what_is_loaded(region):
    rows = region_rows(years=(2026,))
    first = import_bytes(region.user, csv_bytes(rows), "ВПР-2026.csv")
    assert first.status == BatchStatus.DONE
    cells = stored_cells().num_rows

    # Re-saved: other bytes (an extra empty line, another encoding and order of rows).
    resaved = csv_bytes(list(reversed(rows)), encoding="cp1251") + b"\r\n"
    again = import_bytes(region.user, resaved, "ВПР-2026 (исправлен).csv")

    assert again.status == BatchStatus.REFUSED
    assert again.message.startswith("Эти результаты уже загружены (те же отметки тех же школ)")
    assert f"ВПР 2026, 5 класс, «Математика» — пакет № {first.pk} («ВПР-2026.csv»)" in again.message
    assert stored_cells().num_rows == cells
    assert not store.batch_files(services.results_root(), batch_ids=[again.pk])


def test_the_same_results_as_school_counts_are_refused_too(region):
    rows = region_rows(years=(2026,))
    assert import_bytes(region.user, csv_bytes(rows)).status == BatchStatus.DONE
    counts: dict[tuple, list[int]] = {}
    for year, procedure, code, grade, subject, _, _, mark, _ in rows:
        counts.setdefault((year, procedure, code, grade, subject), [0, 0, 0, 0])[mark - 2] += 1
    header = [*HEADER[:5], "Участников", "Кол-во «2»", "Кол-во «3»", "Кол-во «4»", "Кол-во «5»"]
    school_rows = [[*key, sum(marks), *marks] for key, marks in counts.items()]

    again = import_bytes(region.user, csv_bytes(school_rows, header=header), "по школам.csv")

    assert again.status == BatchStatus.REFUSED
    assert "уже загружены" in again.message


def test_other_results_of_the_same_slices_are_loaded(region):
    assert import_bytes(region.user, csv_bytes(region_rows(years=(2026,)))).status == "done"
    other = [row[:7] + [5 if row[7] == 2 else row[7], row[8]] for row in region_rows(years=(2026,))]
    assert import_bytes(region.user, csv_bytes(other), "другие.csv").status == BatchStatus.DONE


def test_two_imports_of_the_same_results_racing_load_them_once(region, monkeypatch):
    data = csv_bytes(region_rows(years=(2026,)))
    first = services.start_import(region.user, data, "a.csv", enqueue=False)
    second = services.start_import(region.user, data + b"\r\n", "b.csv", enqueue=False)
    progress = services._progress

    def the_other_commits_meanwhile(batch, percent, **fields):
        progress(batch, percent, **fields)
        if batch.pk == first.pk and percent == 60:  # past its content check, before its commit
            assert services.run_import(second.pk).status == BatchStatus.DONE

    monkeypatch.setattr(services, "_progress", the_other_commits_meanwhile)
    first = services.run_import(first.pk)

    assert first.status == BatchStatus.REFUSED
    assert f"пакет № {second.pk} («b.csv»)" in first.message
    assert stored_cells().num_rows == len(CODES) * 4
    assert not store.batch_files(services.results_root(), batch_ids=[first.pk])
    assert not [f for f in _every_file() if f"batch-{first.pk}" in f]
