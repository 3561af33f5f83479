"""Benchmark of the results pipeline: CSV import, identification, the whole pipeline.

    python bench/identify.py --schools 40000 [--years 3] [--repeat 3] [--keep DIR]

Generates a synthetic country (labelled synthetic: files ``synthetic_results_<year>.csv``)
into a temporary folder, then runs each stage in its own process so that its peak memory
is its own:

* import — ``read_results`` + ``write_batch`` of every year's CSV into the Parquet store;
* identification — ``engine.run``: the cells counted from the stored Parquet and the default
  methodology applied for the last year (passports are loaded before the clock starts:
  in the system they come from the database);
* reference — the same ШНОР list computed by ``engine.reference_sql`` in plain DuckDB SQL on
  the same files; the identification must give the same list.

Identification and reference run ``--repeat`` times, alternating, and the median is shown.
Targets (issue 5): at 40 000 schools or more, identification ≤ 5 s and ≤ 1.5 × the
reference, import ≥ 1 million rows/s; at 300 schools or fewer, the whole pipeline (import +
identification) < 2 s; peak memory of every stage < 4 GB. Exit code 1 when a target is missed.
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
    import pyarrow.compute  # noqa: F401
    import pyarrow.csv  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import opora.assessment.engine  # noqa: F401
    import opora.assessment.results_file  # noqa: F401
    import opora.assessment.store  # noqa: F401


def stage_import(data_dir: Path, root: Path) -> dict:
    from opora.assessment.results_file import read_results
    from opora.assessment.store import write_batch

    known = set(_passports(data_dir, _years(data_dir)[-1]))
    rows = 0
    clock = _Clock()
    for batch, path in enumerate(sorted(data_dir.glob("synthetic_results_*.csv")), start=1):
        result = read_results(path, path.name, known)
        if result.rejected_total:
            raise SystemExit(f"{path.name}: {result.rejected_total} rows rejected")
        rows += write_batch(root, batch, result.table)
    return {"rows": rows, **clock.figures()}


def stage_identify(data_dir: Path, root: Path) -> dict:
    from opora.assessment import engine

    year = _years(data_dir)[-1]
    passports = _passports(data_dir, year)
    clock = _Clock()
    result = engine.run(root, passports, engine.Params(), year)
    return {
        **clock.figures(),
        "low_results": result.low_results,
        "unfavourable": len(result.unfavourable),
        "biased": len(result.biased),
    }


def stage_reference(data_dir: Path, root: Path) -> dict:
    from opora.assessment import engine

    year = _years(data_dir)[-1]
    clock = _Clock()
    listed = engine.reference_sql(root, year, engine.Params())
    return {**clock.figures(), "low_results": listed}


STAGES = {"import": stage_import, "identify": stage_identify, "reference": stage_reference}


def _years(data_dir: Path) -> list[int]:
    return sorted(int(p.stem.rsplit("_", 1)[1]) for p in data_dir.glob("synthetic_results_*.csv"))


def _child(stage: str, data_dir: Path, root: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--data", str(data_dir), "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"stage {stage} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=DEMO_SCALE)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the data in (reused if present)")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.stage:
        _warm()
        figures = STAGES[args.stage](args.data, args.root)
        figures["peak_mb"] = _peak_mb()
        print(json.dumps(figures))
        return 0

    with tempfile.TemporaryDirectory(prefix="opora-bench-") as temporary:
        base = args.keep or Path(temporary)
        return _run(args, base)


def _run(args, base: Path) -> int:
    from opora.assessment.synthetic import generate

    data_dir, root = base / "data", base / "store"
    last_year = 2025
    years = range(last_year - args.years + 1, last_year + 1)
    print(
        f"Синтетические данные: {args.schools} школ, {len(years)} года ВПР, 4–8 классы, "
        f"2 предмета; машина: {os.cpu_count()} ядра, средняя нагрузка {_load()}"
    )
    started = time.perf_counter()
    if not (data_dir / f"synthetic_results_{last_year}.csv").exists():
        summary = generate(args.schools, years, data_dir)
        print(
            f"сгенерировано {_int(summary['rows'])} строк за "
            f"{time.perf_counter() - started:.1f} с — {summary['note']}"
        )
    if root.exists():
        shutil.rmtree(root)

    imported = _child("import", data_dir, root)
    identifications, references = [], []
    for _ in range(max(args.repeat, 1)):
        identifications.append(_child("identify", data_dir, root))
        references.append(_child("reference", data_dir, root))
    same = all(
        i["low_results"] == r["low_results"]
        for i, r in zip(identifications, references, strict=True)
    )
    identified = _median(identifications)
    reference = _median(references)
    rows = imported["rows"]
    ratio = identified["seconds"] / reference["seconds"]
    pipeline = {
        "seconds": imported["seconds"] + identified["seconds"],
        "cpu": imported["cpu"] + identified["cpu"],
        "peak_mb": max(imported["peak_mb"], identified["peak_mb"]),
    }
    national = args.schools >= NATIONAL_SCALE
    demo = args.schools <= DEMO_SCALE
    checks: list[bool] = []

    print(
        f"{'этап':<22} {'строк':>11} {'секунд':>8} {'ЦП, с':>7} {'строк/с':>11} "
        f"{'пик, МБ':>8}  цель"
    )

    def line(name: str, figures: dict, target: str = "", ok: bool = True) -> None:
        verdict = ("OK" if ok else "ПРОВАЛ") if target else ""
        print(
            f"{name:<22} {_int(rows):>11} {figures['seconds']:>8.2f} {figures['cpu']:>7.2f} "
            f"{_int(rows / figures['seconds']):>11} {figures['peak_mb']:>8.0f}  "
            f"{target} {verdict}".rstrip()
        )
        if target:
            checks.append(ok)

    line(
        "импорт CSV",
        imported,
        "≥ 1 000 000 строк/с" if national else "",
        rows / imported["seconds"] >= 1_000_000,
    )
    line(
        "определение (Parquet)", identified, "≤ 5 с" if national else "", identified["seconds"] <= 5
    )
    line("эталон DuckDB SQL", reference)
    line("весь конвейер", pipeline, "< 2 с" if demo else "", pipeline["seconds"] < 2)
    peak = max(pipeline["peak_mb"], reference["peak_mb"])
    memory_ok = peak < MEMORY_LIMIT_MB
    checks.append(memory_ok)
    print(f"пик памяти этапов: {peak:.0f} МБ, цель < {MEMORY_LIMIT_MB} МБ {_verdict(memory_ok)}")
    ratio_ok = ratio <= 1.5
    if national:
        checks.append(ratio_ok)
    print(
        f"определение / эталон SQL: {ratio:.2f}".replace(".", ",")
        + (f", цель ≤ 1,5 {_verdict(ratio_ok)}" if national else "")
    )
    print(
        f"ШНОР: {len(identifications[-1]['low_results'])}, "
        f"ШНСУ: {identifications[-1]['unfavourable']}, "
        f"признак необъективности: {identifications[-1]['biased']}; списки движка и SQL "
        f"{'совпадают' if same else 'РАЗЛИЧАЮТСЯ'}; медиана {len(identifications)} запусков; "
        f"нагрузка в конце {_load()}"
    )
    checks.append(same)
    return 0 if all(checks) else 1


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
