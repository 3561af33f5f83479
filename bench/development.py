"""Professional development measured (issue 14, «Measured»): a region of 10 000 teachers in
300 schools with diagnostics over 20 competence areas — the import under 5 s, a school's team
summary and the region's aggregate under 300 ms p95, proposing routes for a whole school
under 1 s.

    .venv/bin/python bench/development.py                    # both backends, full scale
    .venv/bin/python bench/development.py --quick            # 1 000 teachers, SQLite

The data is synthetic (labelled «(синтетика)»): 20 municipalities of 15 schools, teachers
spread evenly, one result per teacher and area in the operator's long layout (200 000 rows
at full scale), scores drawn so that about a third are deficits; a catalogue of 60 offers.
The import is timed whole: reading the CSV, planning against the database, writing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    BACKENDS,
    Database,
    Figure,
    p95,
    print_table,
    run_children,
    write_figures,
)

IMPORT_TARGET_S = 5.0
READ_TARGET_MS = 300.0
PROPOSE_TARGET_S = 1.0
AREAS = 20
MUNICIPALITIES = 20


def _region(schools: int):
    from opora.accounts.models import Role, User
    from opora.registry.models import Municipality, Region, School

    region = Region.objects.create(name="Синтетическая область")
    munis = Municipality.objects.bulk_create(
        Municipality(region=region, name=f"Район {n} (синтетика)") for n in range(MUNICIPALITIES)
    )
    School.objects.bulk_create(
        School(
            code=f"9{n:05d}",
            full_name=f"МБОУ «Школа {n}» (синтетика)",
            short_name=f"Школа {n}",
            municipality=munis[n % MUNICIPALITIES],
            kind="sosh",
        )
        for n in range(schools)
    )
    operator = User.objects.create(username="operator", role=Role.OPERATOR)
    User.objects.create(username="region", role=Role.REGION)
    return operator


def _file(teachers: int, schools: int) -> bytes:
    rng = random.Random(14)
    lines = ["ФИО;Код ОО;Должность;Предмет;Область компетенций;Балл"]
    for t in range(teachers):
        school = t % schools
        position = "директор" if t < schools else "учитель"
        name = f"Педагогова{t} Анна Петровна"
        for a in range(AREAS):
            score = rng.randint(20, 100)
            lines.append(f"{name};9{school:05d};{position};математика;Область {a:02d};{score}")
    return "\n".join(lines).encode("utf-8")


def _catalogue() -> None:
    from opora.development.models import CompetenceArea, Offer

    rng = random.Random(7)
    areas = list(CompetenceArea.objects.all())
    for n in range(60):
        offer = Offer.objects.create(kind="course", title=f"Курс {n} (синтетика)", hours=36)
        offer.areas.set(rng.sample(areas, 3))


def _timed(fn, repeat: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def child(args: argparse.Namespace) -> None:
    figures: list[Figure] = []
    with Database(args.backend, args.pg_name) as db:
        from django.db import transaction

        from opora.accounts.models import User
        from opora.development import selectors, services
        from opora.development.importing import apply_diagnostics_import, plan_diagnostics_import
        from opora.registry.models import School

        operator = _region(args.schools)
        data = _file(args.teachers, args.schools)
        scale = f"{args.teachers} teachers, {args.schools} schools, {AREAS} areas"

        w, c = time.perf_counter(), time.process_time()
        plan = plan_diagnostics_import(
            data, "bench.csv", title="Диагностика (синтетика)", year=2026
        )
        assert plan.ok, plan.rejected[:3]
        apply_diagnostics_import(operator, plan)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        figures.append(
            Figure(
                f"import ({len(plan.rows)} rows)",
                args.backend,
                scale,
                median_ms=wall * 1000,
                p95_ms=wall * 1000,
                cpu_ms=cpu * 1000,
                target=f"< {IMPORT_TARGET_S:.0f} s",
                ok=wall < IMPORT_TARGET_S,
            )
        )
        db.analyze()
        _catalogue()
        school = School.objects.order_by("code").first()
        region = User.objects.get(username="region")

        def read_figure(name, fn):
            fn()  # warm
            wall, cpu = _timed(fn, args.repeat)
            figures.append(
                Figure(
                    name,
                    args.backend,
                    scale,
                    median_ms=statistics.median(wall),
                    p95_ms=p95(wall),
                    cpu_ms=statistics.median(cpu),
                    target=f"p95 < {READ_TARGET_MS:.0f} ms",
                    ok=p95(wall) < READ_TARGET_MS,
                )
            )

        read_figure("school team summary", lambda: selectors.team_summary(operator, school))
        read_figure("region aggregate", lambda: selectors.region_aggregate(region))

        def propose():
            with transaction.atomic():
                routes = services.propose_routes(operator, school, 2026)
                assert routes
                transaction.set_rollback(True)

        wall, cpu = _timed(propose, max(3, args.repeat // 6))
        figures.append(
            Figure(
                f"propose routes, a school of {args.teachers // args.schools} teachers",
                args.backend,
                scale,
                median_ms=statistics.median(wall),
                p95_ms=p95(wall),
                cpu_ms=statistics.median(cpu),
                target=f"< {PROPOSE_TARGET_S:.0f} s",
                ok=max(wall) < PROPOSE_TARGET_S * 1000,
            )
        )
    write_figures(args.child_out, figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--teachers", type=int, default=10_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="1 000 педагогов, только SQLite")
    parser.add_argument(
        "--pg-name", default=None, help="база PostgreSQL для замера (её пересоздают и удаляют)"
    )
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.teachers = 1000
    if args.child_out:
        child(args)
        return 0
    passthrough = ["--teachers", str(args.teachers), "--schools", str(args.schools)]
    passthrough += ["--repeat", str(args.repeat)]
    if args.pg_name:
        passthrough += ["--pg-name", args.pg_name]
    figures = run_children(Path(__file__).resolve(), args, passthrough)
    title = (
        "bench/development.py — diagnostics import, deficit summaries, proposing routes "
        f"(targets: import < {IMPORT_TARGET_S:.0f} s, summaries p95 < {READ_TARGET_MS:.0f} ms, "
        f"proposing < {PROPOSE_TARGET_S:.0f} s)"
    )
    return 0 if print_table(title, figures) else 1


if __name__ == "__main__":
    sys.exit(main())
