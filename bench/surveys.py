"""Questionnaires at the region's scale (issue 15, «Measured»).

    .venv/bin/python bench/surveys.py                       # 300 schools × 100 answers, both backends
    .venv/bin/python bench/surveys.py --answers 50 --backend postgres
    .venv/bin/python bench/surveys.py --quick               # 300 schools × 20 answers, SQLite only

The results page reads the running totals counted as each answer is stored (``Tally``;
the synthetic load counts them once at the end, ``tallies.rebuild``). One campaign asks two
audiences — the pupils' and the parents' questionnaires of the demo (scales, choices,
conditions, a multiple choice, free texts …) — over 300 synthetic schools («(синтетическая)»
in their names), half the synthetic answers (``opora.surveys.synthetic``) from each audience.
Figures: the results page (both audiences together; the pupils, one school against the
region) — p95 under 500 ms; the Excel export (together; the pupils) — under 5 s; on
PostgreSQL, 300 anonymous answers posted at once to a started gunicorn through the pupils'
and the parents' links of one school — 300 stored, none lost or doubled.
"""

from __future__ import annotations

import argparse
import sys
import time
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

RESULTS_P95_MS = 500.0
EXPORT_S = 5.0
SCHOOLS = 300
CONCURRENT = 300


def build(answers_per_school: int):
    """300 schools; the pupils' and the parents' questionnaires sent to all in one campaign;
    ``answers_per_school`` answers each, half from pupils, half from parents."""
    from datetime import timedelta

    from django.utils import timezone

    from opora.accounts.models import Role, User
    from opora.registry.models import Municipality, Region, School
    from opora.surveys import demo, services, synthetic

    region_body = Region.objects.create(name="Синтетическая область")
    municipality = Municipality.objects.create(
        region=region_body, name="Синтетический район", kind="district"
    )
    School.objects.bulk_create(
        School(
            code=f"99{i:05d}",
            full_name=f"МБОУ СОШ № {i} (синтетическая)",
            short_name=f"СОШ № {i} (синтетическая)",
            number=i,
            kind="sosh",
            municipality=municipality,
        )
        for i in range(1, SCHOOLS + 1)
    )
    schools = list(School.objects.order_by("pk"))
    region = User.objects.create(username="region", role=Role.REGION)
    pupils = demo.build_questionnaire(*demo.QUESTIONNAIRES[2])
    parents = demo.build_questionnaire(*demo.QUESTIONNAIRES[3])
    today = timezone.localdate()
    campaign = services.create_campaign(
        region,
        questionnaire=pupils,
        also={parents.audience: parents},
        title="Анкетирование обучающихся и родителей (синтетические ответы)",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=10),
        schools=schools,
    )
    started = time.perf_counter()
    half = answers_per_school // 2
    total = synthetic.fill(campaign, {s.pk: half for s in schools}, audience=pupils.audience)
    total += synthetic.fill(
        campaign,
        {s.pk: answers_per_school - half for s in schools},
        seed=16,
        audience=parents.audience,
    )
    log(f"{total} synthetic answers in {time.perf_counter() - started:.1f} s")
    return region, campaign, schools, total


def _timed_export(client, url: str, repeat: int = 3) -> tuple[float, float, int]:
    import statistics

    wall, cpu = [], []
    status = 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        status = response.status_code
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), status


def concurrent_answers(database, campaign) -> Figure:
    """300 answers posted at once to gunicorn on the bench database."""
    import tempfile

    from harness import PG_SERVER

    from opora.surveys.models import Response
    from opora.testing.live_survey import Server, resend, send_at_once
    from opora.testing.surveys import link_of

    url = f"{PG_SERVER}/{database.pg_name}"
    school = campaign.targets.order_by("pk").first().school
    path = [f"/surveys/a/{link_of(campaign, school, a)}/" for a in ("pupils", "parents")]
    before = Response.objects.filter(campaign=campaign).count()
    with tempfile.TemporaryDirectory() as tmp, Server(url, Path(tmp)) as server:
        started_cpu = time.process_time()
        statuses, forms, seconds = send_at_once(server.url, path, CONCURRENT)
        cpu = time.process_time() - started_cpu
        resend(server.url, path[0], forms[:50:2])
    stored = Response.objects.filter(campaign=campaign).count() - before
    receipts = Response.objects.filter(receipt__in=[f["receipt"] for f in forms]).count()
    problems = []
    if stored != CONCURRENT or receipts != CONCURRENT:
        problems.append(f"stored {stored}, by receipt {receipts}")
    if set(statuses) != {302}:
        problems.append(f"statuses {sorted(set(statuses))}")
    return Figure(
        name=f"{CONCURRENT} answers at once, 2 links (gunicorn 3×8)",
        backend=database.backend,
        scale=f"{stored} stored",
        median_ms=seconds * 1000,
        cpu_ms=cpu * 1000,
        target=f"{CONCURRENT} stored, none doubled",
        ok=not problems,
        note="; ".join(problems) or "wall = all 300 answered",
    )


def child(args: argparse.Namespace) -> None:
    figures: list[Figure] = []
    with Database(args.backend, pg_name=args.pg_name) as database:
        from django.test import Client
        from django.urls import reverse

        region, campaign, schools, total = build(args.answers)
        database.analyze()
        client = Client()
        client.force_login(region)
        scale = f"{SCHOOLS} schools, {total} answers"
        results = reverse("surveys:campaign_results", args=[campaign.pk])
        for name, url in (
            ("results page [both audiences, region]", results),
            (
                "results page [both audiences, school vs region]",
                f"{results}?school={schools[7].pk}",
            ),
            (
                "results page [pupils, school vs region]",
                f"{results}?audience=pupils&school={schools[7].pk}",
            ),
        ):
            t = time_page(client, url, args.repeat)
            figures.append(
                Figure(
                    name=name,
                    backend=args.backend,
                    scale=scale,
                    median_ms=t.median_ms,
                    p95_ms=t.p95_ms,
                    cpu_ms=t.cpu_ms,
                    queries=t.queries,
                    target=f"p95 < {RESULTS_P95_MS:.0f} ms",
                    ok=t.status == 200 and t.p95_ms < RESULTS_P95_MS,
                    note="" if t.status == 200 else f"HTTP {t.status}",
                )
            )
            log(f"{args.backend} {name}: {t.p95_ms:.0f} ms p95, {t.cpu_ms:.0f} ms cpu")
        export = reverse("surveys:campaign_export", args=[campaign.pk])
        for name, url in (
            ("Excel export [both audiences]", export),
            ("Excel export [pupils]", f"{export}?audience=pupils"),
        ):
            wall, cpu, status = _timed_export(client, url)
            figures.append(
                Figure(
                    name=name,
                    backend=args.backend,
                    scale=scale,
                    median_ms=wall * 1000,
                    cpu_ms=cpu * 1000,
                    target=f"< {EXPORT_S:.0f} s",
                    ok=status == 200 and wall < EXPORT_S,
                )
            )
            log(f"{args.backend} {name}: {wall:.2f} s, {cpu:.2f} s cpu")
        if args.backend == "postgres":
            figures.append(concurrent_answers(database, campaign))
    write_figures(args.child_out, figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser)
    parser.add_argument(
        "--answers", type=int, default=100, help="ответов на школу (по умолчанию 100: 30 000)"
    )
    parser.add_argument(
        "--pg-name", help="имя базы PostgreSQL для замера (по умолчанию opora_bench_surveys)"
    )
    args = parser.parse_args()
    if args.quick:
        args.answers = min(args.answers, 20)
    if args.child_out:
        child(args)
        return 0
    passthrough = ["--repeat", str(args.repeat), "--answers", str(args.answers)]
    if args.pg_name:
        passthrough += ["--pg-name", args.pg_name]
    figures = run_children(Path(__file__).resolve(), args, passthrough)
    title = (
        f"bench/surveys.py — a campaign over {SCHOOLS} schools, {args.answers} answers each "
        f"(targets: results p95 < {RESULTS_P95_MS:.0f} ms, Excel < {EXPORT_S:.0f} s, "
        f"{CONCURRENT} concurrent answers all stored once)"
    )
    return 0 if print_table(title, figures) else 1


if __name__ == "__main__":
    sys.exit(main())
