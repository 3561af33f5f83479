"""Benchmark of the results pipeline as the user runs it, beside its inner steps.

    python bench/identify.py --schools 40000 [--years 3] [--repeat 3] [--keep DIR]
                             [--database postgres://…/opora_NAME]

Generates a synthetic country (labelled synthetic: files ``synthetic_results_<year>.csv``)
into a temporary folder, loads its schools and passports into a fresh database (SQLite in
the folder by default; with a PostgreSQL database given, a schema of the bench's own
created in it, ``opora_bench_<pid>``, and dropped at the end — nothing else of that database
is read, changed or dropped), then runs each
stage in its own process so that its wall time, CPU time (all threads) and peak memory are
its own (Python's bytecode cached in the bench's folder, as an installed copy has it):

* ``opora import-results <file> --json`` for every year — what the user waits for: the
  file registered in place, validated against the registry, Parquet written, the per-school
  aggregates written beside it (the batch's cells file, with each cell's journal-mark counts:
  what the pages and the identification read), the batch committed;
* the same files through the web page's task path — the upload copied (streamed) into the
  uploads folder, then the queued task ``import_batch`` run as the worker runs it;
* inner import — ``read_results`` + ``write_batch`` alone, as before;
* ``opora identify --year Y --json`` — passports read from the database, the cells of the
  loaded batches summed from their cells files (not counted again from the pupil rows, as the
  reference below does); and the saved run (``create_run``: with its explanations);
  and the same command as a user starts it, a process of its own timed whole (Python, Django
  and the libraries loaded before the command runs: shown beside, not a target);
* inner identification — ``engine.run`` on passports read from the CSV (the same cells files);
* reference — the same ШНОР list in plain DuckDB SQL (``reference.reference_sql``); every list
  must be identical to it.

Identification stages run ``--repeat`` times, alternating with the reference; the median is
shown. Targets (issue 10): at 40 000 schools or more, import end to end ≥ 1.5 million rows/s
(command and task), ``identify`` ≤ 1.2 × the reference and ≤ 3 s; at 300 schools or fewer the
whole pipeline as the user runs it (command import + identify) < 2 s; peak memory of every
stage < 4 GB. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NATIONAL_SCALE = 40_000
DEMO_SCALE = 300
MEMORY_LIMIT_MB = 4096


def _peak_mb() -> float:
    """This process's own peak resident memory.

    ``ru_maxrss`` would do, but Linux carries the parent's high-water mark over fork and
    exec — and the parent has just generated the data — so the kernel's VmHWM comes first."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Clock:
    """Wall and CPU (user + system, all threads) seconds since creation."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def figures(self) -> dict:
        return {"seconds": time.perf_counter() - self.wall, "cpu": self._cpu() - self.cpu}


def _passports(data_dir: Path, year: int) -> dict[str, dict[str, float]]:
    passports = {}
    with open(data_dir / "synthetic_passports.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if int(row["Год"]) == year:
                code = row.pop("Код ОО")
                row.pop("Год")
                passports[code] = {k: float(v) for k, v in row.items()}
    return passports


def _warm() -> None:
    """Import what the stages use before the clock starts, as a running worker has.

    (Here Python does not write bytecode caches, so a cold import of numpy alone costs a
    second; that is start-up, not the pipeline.)"""
    import duckdb  # noqa: F401
    import numpy  # noqa: F401
    import numpy.ma  # noqa: F401 - pyarrow asks for it on the first array made from numpy
    import pyarrow.compute  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import opora.assessment.engine  # noqa: F401
    import opora.assessment.results_file  # noqa: F401
    import opora.assessment.store  # noqa: F401


def _django(base: Path, database: str) -> None:
    """Set Django up on the bench's database and data folder (before the clock starts)."""
    os.environ["DATABASE_URL"] = database
    os.environ["OPORA_DATA_DIR"] = str(base / "opora-data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    import django

    django.setup()


class _NoMigrations(dict):
    def __contains__(self, app: str) -> bool:
        return True

    def __getitem__(self, app: str) -> None:
        return None


def stage_seed(base: Path, database: str) -> dict:
    """A fresh database with the country's schools, passports and a regional user."""
    _django(base, database)
    from django.conf import settings
    from django.core.management import call_command

    from opora.accounts.models import Role, User
    from opora.registry.models import (
        Municipality,
        MunicipalityKind,
        Region,
        School,
        SchoolKind,
        SchoolPassport,
    )

    clock = _Clock()
    # The tables straight from the models (as Django's test runner can make them): replaying
    # every migration costs a minute of CPU and is no part of what is measured.
    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)
    data_dir = base / "data"
    region = Region.objects.create(name="Синтетическая страна")
    codes = sorted(_passports(data_dir, _years(data_dir)[-1]))
    districts = Municipality.objects.bulk_create(
        Municipality(region=region, name=f"Район {k + 1}", kind=MunicipalityKind.DISTRICT)
        for k in range(max(1, len(codes) // 50))
    )
    School.objects.bulk_create(
        (
            School(
                code=code,
                full_name=f"Синтетическая школа {code}",
                short_name=f"Школа {code}",
                kind=SchoolKind.SOSH,
                municipality=districts[k % len(districts)],
            )
            for k, code in enumerate(codes)
        ),
        batch_size=5000,
    )
    ids = dict(School.objects.values_list("code", "pk"))
    passports = []
    for year in _years(data_dir):
        for code, p in _passports(data_dir, year).items():
            passports.append(
                SchoolPassport(
                    school_id=ids[code],
                    year=year,
                    **{k: v for k, v in p.items() if k.startswith("share")},
                    is_rural=bool(p["is_rural"]),
                    is_small=bool(p["is_small"]),
                )
            )
    SchoolPassport.objects.bulk_create(passports, batch_size=5000)
    User.objects.create(username="bench-region", role=Role.REGION, is_superuser=True)
    return {"schools": len(ids), **clock.figures()}


def stage_import_command(base: Path, database: str) -> dict:
    """``opora import-results <file> --json`` for every year's file."""
    _django(base, database)
    import io

    from django.core.management import call_command

    rows = 0
    clock = _Clock()
    for path in _files(base / "data"):
        out = io.StringIO()
        call_command("import-results", str(path), "--json", stdout=out)
        rows += json.loads(out.getvalue())["rows"]
    return {"rows": rows, **clock.figures()}


def stage_import_task(base: Path, database: str) -> dict:
    """The web page's path: the upload streamed into the uploads folder, the batch queued,
    then the task run as the worker runs it (the earlier command import is removed first,
    outside the clock, or the content check would refuse the same results)."""
    _django(base, database)
    from django.core.files.uploadedfile import UploadedFile

    from opora.accounts.models import User
    from opora.assessment import services
    from opora.assessment.models import BatchStatus, ResultBatch
    from opora.assessment.tasks import import_batch

    user = User.objects.get(username="bench-region")
    for batch in ResultBatch.objects.all():
        services.delete_batch(user, batch)
    rows = 0
    clock = _Clock()
    for path in _files(base / "data"):
        with open(path, "rb") as handle:
            upload = UploadedFile(handle, path.name, "text/csv", path.stat().st_size)
            batch = services.start_import(user, upload, path.name, enqueue=False)
        import_batch.call(batch.pk)
        batch.refresh_from_db()
        if batch.status != BatchStatus.DONE:
            raise SystemExit(f"{path.name}: {batch.message}")
        rows += batch.rows
    return {"rows": rows, **clock.figures()}


def stage_import(base: Path, database: str) -> dict:
    from opora.assessment.results_file import read_results
    from opora.assessment.store import write_batch

    data_dir, root = base / "data", base / "store-inner"
    shutil.rmtree(root, ignore_errors=True)
    known = set(_passports(data_dir, _years(data_dir)[-1]))
    rows = 0
    clock = _Clock()
    for batch, path in enumerate(_files(data_dir), start=1):
        result = read_results(path, path.name, known)
        if result.rejected_total:
            raise SystemExit(f"{path.name}: {result.rejected_total} rows rejected")
        rows += write_batch(root, batch, result.table)
    return {"rows": rows, **clock.figures()}


def stage_identify_command(base: Path, database: str) -> dict:
    """``opora identify --year Y --json``: passports from the database, loaded batches."""
    _django(base, database)
    import io

    from django.core.management import call_command

    year = _years(base / "data")[-1]
    out = io.StringIO()
    clock = _Clock()
    call_command("identify", "--year", str(year), "--json", stdout=out)
    figures = clock.figures()
    printed = json.loads(out.getvalue())
    return {
        **figures,
        "reported": printed["seconds"],
        "low_results": printed["low_results"],
        "unfavourable": len(printed["unfavourable"]),
        "biased": len(printed["biased"]),
    }


def stage_identify_run(base: Path, database: str) -> dict:
    """A run saved with its explanations, as the runs page makes it."""
    _django(base, database)
    from opora.accounts.models import User
    from opora.assessment import services

    user = User.objects.get(username="bench-region")
    year = _years(base / "data")[-1]
    methodology = services.default_methodology()
    clock = _Clock()
    run = services.create_run(user, methodology, year)
    figures = clock.figures()
    return {**figures, "low_results": sorted(run.low_results)}


def _store_root(base: Path) -> Path:
    """The store of the bench's database: one folder per database under the data folder."""
    folders = sorted((base / "opora-data" / "results").glob("db-*"))
    if len(folders) != 1:
        raise SystemExit(f"expected one database folder in the store, found {len(folders)}")
    return folders[0]


def stage_identify(base: Path, database: str) -> dict:
    from opora.assessment import engine

    data_dir = base / "data"
    year = _years(data_dir)[-1]
    passports = _passports(data_dir, year)
    clock = _Clock()
    result = engine.run(_store_root(base), passports, engine.Params(), year)
    return {
        **clock.figures(),
        "low_results": result.low_results,
        "unfavourable": len(result.unfavourable),
        "biased": len(result.biased),
    }


def stage_reference(base: Path, database: str) -> dict:
    from opora.assessment import engine, reference

    year = _years(base / "data")[-1]
    clock = _Clock()
    listed = reference.reference_sql(_store_root(base), year, engine.Params())
    return {**clock.figures(), "low_results": listed}


STAGES = {
    "seed": stage_seed,
    "import-command": stage_import_command,
    "import-task": stage_import_task,
    "import": stage_import,
    "identify-command": stage_identify_command,
    "identify-run": stage_identify_run,
    "identify": stage_identify,
    "reference": stage_reference,
}


def _identify_process(base: Path, database: str) -> dict:
    """``opora identify --year Y --json`` as a user starts it: a process of its own, with
    Python, Django and the libraries to load before the command runs (wall and CPU of the
    whole process, from here)."""
    year = _years(base / "data")[-1]
    env = {**_environment(base), "DATABASE_URL": database}
    env["OPORA_DATA_DIR"] = str(base / "opora-data")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "manage.py", "identify", "--year", str(year), "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-3000:])
        raise SystemExit("opora identify failed")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    printed = json.loads(completed.stdout)
    print(f"  · identify-process: seconds {wall:.2f}, cpu {cpu:.2f}", flush=True)
    return {"seconds": wall, "cpu": cpu, "low_results": printed["low_results"], "peak_mb": 0.0}


def _files(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob("synthetic_results_*.csv"))


def _years(data_dir: Path) -> list[int]:
    return sorted(int(p.stem.rsplit("_", 1)[1]) for p in _files(data_dir))


def _environment(base: Path) -> dict:
    """The stages' environment: Python's bytecode cached in the bench's folder, as an installed
    Opora has it (this machine's ``PYTHONDONTWRITEBYTECODE`` would make every process compile
    every module it imports — seconds no user of an installed copy waits for)."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(base / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(stage: str, base: Path, database: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--base", str(base), "--db", database],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env=_environment(base),
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-6000:])
        raise SystemExit(f"stage {stage} failed")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    # Each stage as it ends (a national run takes a while; the table comes at the end).
    shown = ", ".join(
        f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
        for k, v in figures.items()
        if not isinstance(v, list)
    )
    print(f"  · {stage}: {shown}", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=DEMO_SCALE)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the data in (reused if present)")
    parser.add_argument(
        "--database",
        default="",
        help="PostgreSQL URL of a database to use: the bench works in a schema it creates there "
        "and drops at the end",
    )
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--base", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.stage:
        _warm()
        figures = STAGES[args.stage](args.base, args.db)
        figures["peak_mb"] = _peak_mb()
        print(json.dumps(figures))
        return 0

    with tempfile.TemporaryDirectory(prefix="opora-bench-") as temporary:
        base = args.keep or Path(temporary)
        if not args.database:
            return _run(args, base, f"sqlite:///{base / 'bench.sqlite3'}")
        with _own_schema(args.database) as database:
            return _run(args, base, database)


@contextmanager
def _own_schema(url: str):
    """A schema of the bench's own in the PostgreSQL database ``url``: created here (it must
    not exist), used through ``currentSchema`` (the connection's ``search_path``), dropped at
    the end — the only thing the bench ever drops, and only what it created."""
    import psycopg

    schema = f"opora_bench_{os.getpid()}"
    address = url.split("?", 1)[0].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(address, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")  # fails if it exists: never reused
    try:
        yield f"{url}{'&' if '?' in url else '?'}currentSchema={schema}"
    finally:
        with psycopg.connect(address, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def _run(args, base: Path, database: str) -> int:
    from opora.assessment.synthetic import generate

    data_dir = base / "data"
    last_year = 2025
    years = range(last_year - args.years + 1, last_year + 1)
    print(
        f"Синтетические данные: {args.schools} школ, {len(years)} года ВПР, 4–8 классы, "
        f"2 предмета; база: {database.split(':')[0]}; машина: {os.cpu_count()} ядра, "
        f"средняя нагрузка {_load()}"
    )
    started = time.perf_counter()
    if not (data_dir / f"synthetic_results_{last_year}.csv").exists():
        summary = generate(args.schools, years, data_dir)
        print(
            f"сгенерировано {_int(summary['rows'])} строк за "
            f"{time.perf_counter() - started:.1f} с — {summary['note']}"
        )
    for leftover in ("opora-data", "store-inner", "bench.sqlite3"):
        path = base / leftover
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    seeded = _child("seed", base, database)
    print(f"реестр: {_int(seeded['schools'])} школ с паспортами за {seeded['seconds']:.1f} с")

    imported = {name: _child(name, base, database) for name in ("import-command", "import")}
    imported["import-task"] = _child("import-task", base, database)
    runs: dict[str, list[dict]] = {
        k: [] for k in ("identify-command", "identify-run", "identify", "reference")
    }
    process: list[dict] = []
    for _ in range(max(args.repeat, 1)):
        for name in runs:
            runs[name].append(_child(name, base, database))
        process.append(_identify_process(base, database))
    reference_list = runs["reference"][-1]["low_results"]
    same = all(r["low_results"] == reference_list for rs in runs.values() for r in rs) and all(
        r["low_results"] == reference_list for r in process
    )
    med = {name: _median(rs) for name, rs in runs.items()}
    rows = imported["import"]["rows"]
    national = args.schools >= NATIONAL_SCALE
    demo = args.schools <= DEMO_SCALE
    checks: list[bool] = []

    print(
        f"{'этап':<34} {'строк':>11} {'секунд':>8} {'ЦП, с':>7} {'строк/с':>11} "
        f"{'строк/с ЦП':>11} {'пик, МБ':>8}  цель"
    )

    def line(name: str, figures: dict, target: str = "", ok: bool = True) -> None:
        verdict = (" " + _verdict(ok)) if target else ""
        print(
            f"{name:<34} {_int(rows):>11} {figures['seconds']:>8.2f} {figures['cpu']:>7.2f} "
            f"{_int(rows / figures['seconds']):>11} {_int(rows / figures['cpu']):>11} "
            f"{figures['peak_mb']:>8.0f}  {target}{verdict}".rstrip()
        )
        if target:
            checks.append(ok)

    for name, label in (
        ("import-command", "opora import-results (3 файла)"),
        ("import-task", "импорт через страницу (задача)"),
    ):
        figures = imported[name]
        if figures["rows"] != rows:
            print(f"{label}: загружено {figures['rows']} строк из {rows} — ПРОВАЛ")
            checks.append(False)
        line(
            label,
            figures,
            "≥ 1 500 000 строк/с" if national else "",
            rows / figures["seconds"] >= 1_500_000,
        )
    line("  внутри: read_results+write_batch", imported["import"])
    reference = med["reference"]
    _identify_lines(med, _median(process), line, national)
    line("  внутри: engine.run", med["identify"])
    line("эталон DuckDB SQL", reference)
    pipeline = {
        "seconds": imported["import-command"]["seconds"] + med["identify-command"]["seconds"],
        "cpu": imported["import-command"]["cpu"] + med["identify-command"]["cpu"],
        "peak_mb": max(imported["import-command"]["peak_mb"], med["identify-command"]["peak_mb"]),
    }
    line("весь конвейер (команды)", pipeline, "< 2 с" if demo else "", pipeline["seconds"] < 2)
    peak = max(
        max(f["peak_mb"] for f in imported.values()), max(f["peak_mb"] for f in med.values())
    )
    memory_ok = peak < MEMORY_LIMIT_MB
    checks.append(memory_ok)
    print(
        "строк/с ЦП — строк на секунду процессорного времени этапа (все его потоки): на "
        "машине, занятой другой работой, честнее секунд по часам, которые считают цели\n"
        f"пик памяти этапов: {peak:.0f} МБ, цель < {MEMORY_LIMIT_MB} МБ {_verdict(memory_ok)}"
    )
    last = runs["identify-command"][-1]
    print(
        f"ШНОР: {len(last['low_results'])}, ШНСУ: {last['unfavourable']}, признак "
        f"необъективности: {last['biased']}; списки команды, сохранённого расчёта, движка и SQL "
        f"{'совпадают' if same else 'РАЗЛИЧАЮТСЯ'}; медиана {len(runs['reference'])} запусков; "
        f"нагрузка в конце {_load()}"
    )
    checks.append(same)
    return 0 if all(checks) else 1


def _identify_lines(med: dict, whole: dict, line, national: bool) -> None:
    """The identification's lines: the command (the target), the saved run and the command's
    whole process, each against the reference."""
    reference = med["reference"]

    def against(figures: dict, note: str = "") -> None:
        ratio = figures["seconds"] / reference["seconds"]
        by_cpu = figures["cpu"] / reference["cpu"]
        text = f"{'':<34} {ratio:.2f} × эталона SQL ({by_cpu:.2f} × по времени ЦП){note}"
        print(text.replace(".", ","))

    for name, label in (
        ("identify-command", "opora identify"),
        ("identify-run", "расчёт с сохранением"),
    ):
        figures = med[name]
        ratio = figures["seconds"] / reference["seconds"]
        ok = figures["seconds"] <= 3 and ratio <= 1.2
        target = "≤ 3 с и ≤ 1,2 × эталона" if national and name == "identify-command" else ""
        line(label, figures, target, ok)
        against(figures)
    print(f"{'':<34} «секунды» команды identify: {med['identify-command']['reported']:.2f}")
    line("  процесс целиком (Python, Django)", whole)
    against(whole, ": что ждёт запустивший команду")


def _median(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return {**middle, "peak_mb": max(r["peak_mb"] for r in runs)}


def _int(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _verdict(ok: bool) -> str:
    return "OK" if ok else "ПРОВАЛ"


def _load() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg()).replace(".", ",")


if __name__ == "__main__":
    sys.exit(main())
