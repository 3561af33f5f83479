"""The bias signal against a ground truth: precision and recall of «признаки необъективности».

A synthetic region (3 000 schools, three years of ВПР, :mod:`opora.assessment.synthetic`)
plants schools that inflate their ВПР marks — a third of them every year, the others from a
later year on — and records them. The default methodology is run on the Parquet store (no
database: the engine is what is measured) and its flag — the share of results whose ВПР mark
is above the journal mark, against the region and against the schools of similar ВПР
results, year by year and over the years pooled — is compared with the planted list. The
schools missed are the small ones: their cells of fewer than 10 pupils are never evidence.

Targets (issue 13): precision ≥ 70 %, recall ≥ 80 %, and no school flagged on cells of fewer
than 10 pupils alone. Each figure is printed beside its target, with wall and CPU time.

    .venv/bin/python bench/bias.py [--schools 3000] [--seeds 1 2 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(2022, 2025)


def measure(schools: int, seed: int) -> dict:
    from opora.assessment import engine, store
    from opora.assessment.reference import reference_sql
    from opora.assessment.results_file import read_results
    from opora.assessment.synthetic import generate

    with tempfile.TemporaryDirectory(prefix="opora-bias-") as tmp:
        folder = Path(tmp)
        summary = generate(schools, YEARS, folder / "data", seed=seed)
        root = folder / "store"
        for batch, path in enumerate(summary["files"], start=1):
            table = read_results(path, path.name, set(summary["codes"])).table
            store.write_batch(root, batch, table)
        params = engine.Params()
        strict = engine.Params(exclude_biased=True)
        wall, cpu = time.perf_counter(), time.process_time()
        result = engine.run(root, summary["passports"], params, YEARS[-1])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        truth = set(summary["inflating_schools"])
        persistent = set(summary["inflating_persistent"])
        flagged = set(result.biased)
        # A flag that rests on small cells alone: the school's pupils with a journal mark
        # counted by the signal (cells of ≥ bias_min_pupils) — none means small cells made it.
        terms = store.term_cells(root, years=YEARS)
        big = {
            r["school_code"]
            for r in terms.to_pylist()
            if r["pupils"] >= params.bias_min_pupils and r["year"] == YEARS[-1]
        }
        small_only = len(flagged - big)
        return {
            "flagged": len(flagged),
            "true": len(flagged & truth),
            "truth": len(truth),
            "persistent_found": len(flagged & persistent),
            "persistent": len(persistent),
            "small_only": small_only,
            "low_results": len(result.low_results),
            "reference_same": result.low_results == reference_sql(root, YEARS[-1], params)
            and engine.run(root, summary["passports"], strict, YEARS[-1]).low_results
            == reference_sql(root, YEARS[-1], strict),
            "seconds": wall,
            "cpu": cpu,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")

    print(
        f"Синтетический регион: {args.schools} школ, ВПР {YEARS[0]}–{YEARS[-1]}, сиды "
        f"{', '.join(map(str, args.seeds))}; машина: {os.cpu_count()} ядра, нагрузка "
        + ", ".join(f"{v:.1f}" for v in os.getloadavg())
    )
    head = f"{'сид':>4} {'флагов':>7} {'верных':>7} {'сажали':>7} {'точность':>9} {'полнота':>8} "
    head += (
        f"{'постоянные':>11} {'только малые':>13} {'ШНОР':>5} {'= SQL':>6} {'с':>6} {'ЦП, с':>6}"
    )
    print(head)
    rows = []
    for seed in args.seeds:
        m = measure(args.schools, seed)
        rows.append(m)
        precision = m["true"] / m["flagged"] if m["flagged"] else 0.0
        recall = m["true"] / m["truth"] if m["truth"] else 0.0
        print(
            f"{seed:>4} {m['flagged']:>7} {m['true']:>7} {m['truth']:>7} "
            f"{precision:>9.1%} {recall:>8.1%} "
            f"{m['persistent_found']:>5} из {m['persistent']:<3} {m['small_only']:>13} "
            f"{m['low_results']:>5} {'да' if m['reference_same'] else 'НЕТ':>6} "
            f"{m['seconds']:>6.2f} {m['cpu']:>6.2f}"
        )
    flagged = sum(m["flagged"] for m in rows)
    true = sum(m["true"] for m in rows)
    truth = sum(m["truth"] for m in rows)
    precision = true / flagged if flagged else 0.0
    recall = true / truth if truth else 0.0
    small_only = sum(m["small_only"] for m in rows)
    checks = [
        ("точность признака", f"{precision:.1%}", "≥ 70 %", precision >= 0.70),
        ("полнота признака", f"{recall:.1%}", "≥ 80 %", recall >= 0.80),
        ("флаги только на ячейках < 10 уч.", str(small_only), "0", small_only == 0),
        (
            "список ШНОР = эталон SQL",
            "да" if all(m["reference_same"] for m in rows) else "нет",
            "да",
            all(m["reference_same"] for m in rows),
        ),
    ]
    print(f"\n{'показатель':<34} {'значение':>9}  {'цель':<8} итог")
    for name, value, target, ok in checks:
        print(f"{name:<34} {value:>9}  {target:<8} {'OK' if ok else 'ПРОВАЛ'}")
    print(
        f"расчёт engine.run (все сиды): стена {sum(m['seconds'] for m in rows):.2f} с, "
        f"ЦП {sum(m['cpu'] for m in rows):.2f} с. «= SQL»: списки ШНОР движка и эталона DuckDB "
        "совпадают и по умолчанию, и с исключением школ с признаком. По умолчанию признак "
        "«показан, не применён»."
    )
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
