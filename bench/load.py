"""The region's home page under gunicorn (issue 16, «Measured»): 2 workers, 50 connections.

    .venv/bin/python bench/load.py                     # 10 000 schools, SQLite and PostgreSQL
    .venv/bin/python bench/load.py --backend postgres --connections 50 --requests 1000
    .venv/bin/python bench/load.py --quick             # 300 schools, SQLite only

The data are those of ``bench/pages.py`` (the Tomsk demo topped up with generated schools,
synthetic ВПР results of every school and an approved identification run), in a throwaway
database of the benchmark's own. Then ``gunicorn opora.wsgi`` is started with 2 sync workers
on that database, as the README serves Opora, and 50 client threads — each its own
connection, as 50 browsers — request the home page of the signed-in region user until the
number of requests is reached. Printed: p50 and p95 of the response time seen by the clients,
the errors (anything but 200, refused or timed-out connections), requests per second, and the
workers' CPU time per request. Target: p95 under 1 s with no errors. Without gunicorn installed
the benchmark says so and fails.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    ROOT,
    Database,
    Figure,
    common_arguments,
    log,
    p95,
    print_table,
    run_children,
    write_figures,
)
from pages import load_results_and_run  # noqa: E402

TARGET_P95_MS = 1000.0
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_cpu(database: str) -> dict[int, float]:
    """CPU seconds of each backend of the local PostgreSQL server connected to ``database``
    (the workers' connections; other databases' work on the machine is not counted)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            title = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if not title.startswith("postgres:") or f" {database} " not in title:
                continue
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, UnicodeDecodeError):
            continue
        found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def _measured(args, server, port: int, cookie: str):
    """The hammering: (outcomes, seconds, the workers' CPU seconds, the clients', the
    PostgreSQL server's or None)."""
    cpu_before = _cpu_seconds(server.pid)
    from django.conf import settings

    database = settings.DATABASES["default"]["NAME"] if args.backend == "postgres" else None
    database_before = _postgres_cpu(database) if database else {}
    client_before = time.process_time()
    outcomes, seconds = hammer(port, cookie, args.connections, args.requests, args.timeout)
    cpu = _cpu_seconds(server.pid) - cpu_before
    client_cpu = time.process_time() - client_before
    database_cpu = (
        sum(cpu - database_before.get(pid, 0.0) for pid, cpu in _postgres_cpu(database).items())
        if database
        else None
    )
    return outcomes, seconds, cpu, client_cpu, database_cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (the gunicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _get(port: int, path: str, cookie: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        conn.close()
    return status, time.perf_counter() - started


def _wait_ready(port: int, cookie: str, server: subprocess.Popen, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        if _get(port, "/", cookie, 30)[0] == 200:
            return True
        time.sleep(0.5)
    return False


def hammer(port: int, cookie: str, connections: int, requests: int, timeout: float):
    """``requests`` GETs of the home page by ``connections`` threads at once."""
    lock = threading.Lock()
    left = [requests]
    results: list[tuple[int, float]] = []

    def worker():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            outcome = _get(port, "/", cookie, timeout)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started


def child(args: argparse.Namespace) -> None:
    figures: list[Figure] = []
    schools = 300 if args.quick else args.schools
    scale = f"{schools} schools"
    target = f"p95 < {TARGET_P95_MS:.0f} ms, no errors"
    if importlib.util.find_spec("gunicorn") is None:
        figures.append(
            Figure(
                f"home [region] under gunicorn, {args.connections} connections",
                args.backend,
                scale,
                target=target,
                ok=False,
                note="gunicorn не установлен: .venv/bin/pip install gunicorn (он в pyproject.toml)",
            )
        )
        write_figures(args.child_out, figures)
        return
    with Database(args.backend) as database:
        from django.conf import settings
        from django.test import Client

        from opora.accounts.models import User
        from opora.registry.demo import load_demo

        started = time.perf_counter()
        counts, _ = load_demo(target_schools=schools)
        results, explained = load_results_and_run()
        database.analyze()
        log(
            f"{args.backend}: {counts.schools} schools, {results} synthetic results, a run "
            f"explaining {explained} schools ({time.perf_counter() - started:.1f} s)"
        )
        client = Client()
        client.force_login(User.objects.get(username="region"))
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        from django.db import connections

        connections.close_all()  # SQLite: leave the file to the workers

        port = _free_port()
        # The workers keep their database connections, as in production (OPORA_ENV=production
        # keeps them 60 s; the rest of production's settings need a SECRET_KEY and HTTPS).
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OPORA_DB_CONN_MAX_AGE": "60"}
        command = [
            sys.executable, "-m", "gunicorn", "opora.wsgi", "--workers", str(WORKERS),
            "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning",
        ]  # fmt: skip
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            if not _wait_ready(port, cookie, server):
                figures.append(
                    Figure(
                        f"home [region] under gunicorn, {args.connections} connections",
                        args.backend,
                        scale,
                        target=target,
                        ok=False,
                        note="gunicorn не ответил на главную страницу",
                    )
                )
                write_figures(args.child_out, figures)
                return
            hammer(port, cookie, WORKERS * 2, WORKERS * 10, args.timeout)  # warm both workers
            outcomes, seconds, cpu, client_cpu, database_cpu = _measured(args, server, port, cookie)
        finally:
            server.terminate()  # the gunicorn this benchmark started, by its pid
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        times = [t * 1000 for status, t in outcomes if status == 200]
        errors = sum(1 for status, _ in outcomes if status != 200)
        problems = []
        if errors:
            kinds = Counter(
                "no answer" if status == 0 else f"HTTP {status}"
                for status, _ in outcomes
                if status != 200
            )
            problems.append(
                f"{errors} errors of {len(outcomes)} ("
                + ", ".join(f"{kind}: {n}" for kind, n in kinds.most_common())
                + f"; no answer = refused or over {args.timeout:.0f} s)"
            )
        if not times or p95(times) >= TARGET_P95_MS:
            problems.append(f"p95 ≥ {TARGET_P95_MS:.0f} ms")
        rate = len(outcomes) / seconds if seconds else 0.0
        # Where the machine's processors went, per request: the workers (column «cpu ms»),
        # the database server and the 50 clients of this benchmark, which share the machine.
        spent = [f"clients {client_cpu * 1000 / max(len(outcomes), 1):.1f} ms"]
        if database_cpu is not None:
            spent.insert(0, f"PostgreSQL {database_cpu * 1000 / max(len(outcomes), 1):.1f} ms")
        spent_note = "CPU a request besides the workers': " + ", ".join(spent)
        figures.append(
            Figure(
                name=(
                    f"home [region] under gunicorn ({WORKERS} workers), "
                    f"{args.connections} connections, {rate:.1f} req/s, {errors} errors"
                ),
                backend=args.backend,
                scale=f"{counts.schools} schools, {len(outcomes)} requests",
                median_ms=statistics.median(times) if times else None,
                p95_ms=p95(times) if times else None,
                cpu_ms=cpu * 1000 / len(outcomes) if outcomes else None,
                target=target,
                ok=not problems,
                note="; ".join([*problems, spent_note]),
            )
        )
        log(f"{args.backend}: p95 {p95(times) if times else 0:.0f} ms, {errors} errors")
    write_figures(args.child_out, figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common_arguments(parser)
    parser.add_argument("--connections", type=int, default=50, help="одновременных соединений")
    parser.add_argument("--requests", type=int, default=500, help="запросов всего")
    parser.add_argument("--timeout", type=float, default=30.0, help="ожидание ответа, с")
    args = parser.parse_args()
    if args.child_out:
        child(args)
        return 0
    passthrough = [
        "--schools", str(args.schools), "--connections", str(args.connections),
        "--requests", str(args.requests), "--timeout", str(args.timeout),
    ]  # fmt: skip
    if args.quick:
        passthrough.append("--quick")
    figures = run_children(Path(__file__).resolve(), args, passthrough)
    title = (
        f"bench/load.py — the region's home page under gunicorn, {WORKERS} workers, "
        f"{args.connections} connections (target: p95 < {TARGET_P95_MS:.0f} ms, no errors); "
        "cpu ms: the workers' processor time per request"
    )
    return 0 if print_table(title, figures) else 1


if __name__ == "__main__":
    sys.exit(main())
