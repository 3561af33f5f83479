"""Time of the main pages at the demo scale and at 10 000 schools (issues 3 and 16, «Measured»).

    .venv/bin/python bench/pages.py                    # 300 and 10 000 schools, SQLite and PostgreSQL
    .venv/bin/python bench/pages.py --schools 3000 --backend postgres --repeat 50
    .venv/bin/python bench/pages.py --quick            # 300 schools, SQLite only (make bench)

The region is the Tomsk demo topped up with generated schools, each marked «(демо)» in its name
(``opora.registry.demo.load_demo``), with three years of synthetic ВПР results of every school
(``opora.assessment.synthetic``, files named «synthetic_results_…») and an identification run
of them, approved (``opora.assessment.demo.load``), in a throwaway database: an SQLite file in
a temporary folder, or a database of its own on the local PostgreSQL server (created here and
dropped at the end; an existing one is never dropped). Every page is requested by a signed-in
region user and by the municipal coordinator of the largest municipality (the city of Tomsk;
the run pages are the region's only). Targets: p95 under 150 ms (the run page under 300 ms),
and the same number of SQL queries at every scale. Requests go through ``django.test.Client``:
the whole Django stack (middleware, view, template) without the network and the WSGI server.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    Database,
    Figure,
    common_arguments,
    log,
    print_table,
    run_children,
    time_page,
    write_figures,
)

TARGET_P95_MS = 150.0
TARGET_RUN_P95_MS = 300.0
DEMO_SCALE = 300


def pages_of(user, ids: dict) -> list[tuple[str, str, float]]:
    """(name, address, target p95 in ms) of every page the user is timed on."""
    from django.urls import reverse

    from opora.assessment.selectors import can_see_runs

    schools = reverse("registry:schools")
    own_school = ids["tomsk_school"] if user.municipality_id else ids["kargasok_school"]
    pages = [
        ("home", reverse("home")),
        ("school list", schools),
        ("school list, filtered", f"{schools}?status=any&kind=sosh"),
        ("school list, searched", f"{schools}?q=вертикосская+сош"),
        ("school list, search, many hits", f"{schools}?q=сош"),
        ("school card", reverse("registry:school", args=[own_school])),
        ("municipality list", reverse("registry:municipalities")),
        ("municipality card (Tomsk)", reverse("registry:municipality", args=[ids["tomsk"]])),
    ]
    timed = [(name, url, TARGET_P95_MS) for name, url in pages]
    if can_see_runs(user):
        run = reverse("assessment:run", args=[ids["run"]])
        timed += [
            ("run page", run, TARGET_RUN_P95_MS),
            ("run page, all schools, page 5", f"{run}?list=all&page=5", TARGET_RUN_P95_MS),
            ("run page, Tomsk, searched", f"{run}?list=all&municipality={ids['tomsk']}&q=сош",
             TARGET_RUN_P95_MS),
        ]  # fmt: skip
    return timed


def load_results_and_run() -> tuple[int, int]:
    """Every school's synthetic results and an approved run of them (a previous scale's
    results and runs are removed first): (rows of results, schools explained by the run)."""
    from opora.accounts.models import User
    from opora.assessment import demo, services
    from opora.assessment.models import IdentificationRun, ResultBatch, RunSchool
    from opora.core.calendar import current_year

    region = User.objects.get(username="region")
    IdentificationRun.objects.all().delete()
    for batch in ResultBatch.objects.all():
        services.delete_batch(region, batch)
    demo.load(current_year(), context_passports=False)
    run = IdentificationRun.objects.get()
    services.approve_run(
        region, run, kind="распоряжение", number="1-р (синтетика)", day=date.today()
    )
    rows = sum(ResultBatch.objects.values_list("rows", flat=True))
    return rows, RunSchool.objects.filter(run=run).count()


def child(args: argparse.Namespace) -> None:
    scales = [DEMO_SCALE] if args.quick else sorted({DEMO_SCALE, args.schools})
    figures: list[Figure] = []
    with Database(args.backend) as database:
        from django.test import Client

        from opora.accounts.models import User
        from opora.assessment.models import IdentificationRun
        from opora.registry.demo import load_demo
        from opora.registry.models import Municipality, School

        baseline: dict[tuple[str, str], int] = {}
        for scale in scales:
            started = time.perf_counter()
            counts, _ = load_demo(target_schools=scale)  # tops the region up to ``scale`` schools
            generated = time.perf_counter() - started
            results, explained = load_results_and_run()
            database.analyze()
            log(
                f"{args.backend}: {counts.schools} schools, {counts.listed_schools} listed "
                f"({generated:.1f} s to generate); {results} synthetic results, a run "
                f"explaining {explained} schools ({time.perf_counter() - started - generated:.1f} s)"
            )
            ids = {
                "tomsk": Municipality.objects.get(name="Город Томск").pk,
                "kargasok_school": School.objects.get(full_name="МКОУ «Вертикосская СОШ»").pk,
                "tomsk_school": School.objects.get(full_name="МАОУ СОШ № 28").pk,
                "run": IdentificationRun.objects.get().pk,
            }
            for username, label in (("region", "region"), ("tomsk", "municipal")):
                user = User.objects.get(username=username)
                client = Client()
                client.force_login(user)
                for page, url, target in pages_of(user, ids):
                    t = time_page(client, url, args.repeat)
                    key = (label, page)
                    baseline.setdefault(key, t.queries)
                    problems = []
                    if t.status != 200:
                        problems.append(f"HTTP {t.status}")
                    if t.p95_ms >= target:
                        problems.append(f"p95 ≥ {target:.0f} ms")
                    if t.queries != baseline[key]:
                        problems.append(f"queries grow: {baseline[key]} at {scales[0]}")
                    figures.append(
                        Figure(
                            name=f"{page} [{label}]",
                            backend=args.backend,
                            scale=f"{counts.schools} schools",
                            median_ms=t.median_ms,
                            p95_ms=t.p95_ms,
                            cpu_ms=t.cpu_ms,
                            queries=t.queries,
                            target=f"p95 < {target:.0f} ms, queries constant",
                            ok=not problems,
                            note="; ".join(problems),
                        )
                    )
                    log(f"{args.backend} {scale} {label:9} {page:32} {t.p95_ms:7.1f} ms p95")
    write_figures(args.child_out, figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser)
    args = parser.parse_args()
    if args.child_out:
        child(args)
        return 0
    passthrough = ["--schools", str(args.schools), "--repeat", str(args.repeat)]
    if args.quick:
        passthrough.append("--quick")
    figures = run_children(Path(__file__).resolve(), args, passthrough)
    title = (
        f"bench/pages.py — registry and run pages with results and an approved run, "
        f"{args.repeat} requests each (target: p95 < {TARGET_P95_MS:.0f} ms, run pages "
        f"< {TARGET_RUN_P95_MS:.0f} ms; queries constant across scales)"
    )
    return 0 if print_table(title, figures) else 1


if __name__ == "__main__":
    sys.exit(main())
