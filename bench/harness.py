"""What the benchmarks share: a throwaway database per backend, timing of pages, the table.

Each benchmark runs every backend in a fresh child process of itself (``--backend sqlite``
or ``--backend postgres``) so that Django's settings are read anew; the child writes its
figures as JSON and the parent prints one table and exits 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
BACKENDS = ("sqlite", "postgres")


@dataclass
class Figure:
    """One line of the table: a measured figure and whether it meets its target."""

    name: str
    backend: str
    scale: str
    median_ms: float | None = None
    p95_ms: float | None = None
    cpu_ms: float | None = None
    queries: int | None = None
    target: str = ""
    ok: bool = True
    note: str = ""
    extra: dict = field(default_factory=dict)


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument(
        "--schools", type=int, default=10_000, help="школ в регионе (по умолчанию 10 000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="запросов на страницу (по умолчанию 30)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="демо-масштаб (300 школ) и только SQLite — для make bench",
    )
    parser.add_argument("--child-out", help=argparse.SUPPRESS)


# ---------------------------------------------------------------- parent


def run_children(script: Path, args: argparse.Namespace, passthrough: list[str]) -> list[Figure]:
    """Run the benchmark once per backend in a child process; collect its figures."""
    backends = (
        ["sqlite"] if args.quick else (BACKENDS if args.backend == "both" else [args.backend])
    )
    figures: list[Figure] = []
    for backend in backends:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
            out_path = Path(out.name)
        command = [sys.executable, str(script), "--backend", backend, "--child-out", str(out_path)]
        print(f"· {script.name}: {backend} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        done = subprocess.run([*command, *passthrough], cwd=ROOT)
        print(
            f"· {script.name}: {backend} — {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        text = out_path.read_text() if out_path.exists() else ""
        out_path.unlink(missing_ok=True)
        if done.returncode != 0 or not text:
            figures.append(
                Figure(
                    "benchmark run",
                    backend,
                    "—",
                    target="завершиться без ошибки",
                    ok=False,
                    note=f"exit {done.returncode}",
                )
            )
        figures.extend(Figure(**row) for row in json.loads(text or "[]"))
    return figures


def print_table(title: str, figures: list[Figure]) -> bool:
    """Print the figures, each beside its target; True when every one meets it."""
    head = ("page", "backend", "scale", "median ms", "p95 ms", "cpu ms", "queries", "target",
            "result")  # fmt: skip
    rows = [
        (
            f.name,
            f.backend,
            f.scale,
            _ms(f.median_ms),
            _ms(f.p95_ms),
            _ms(f.cpu_ms),
            "" if f.queries is None else str(f.queries),
            f.target,
            ("OK" if f.ok else "FAIL") + (f"  {f.note}" if f.note else ""),
        )
        for f in figures
    ]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
    ]
    right = {3, 4, 5, 6}

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(f"\n{title}")
    load = os.getloadavg()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other work on the machine inflates times)"
    )
    print(line(head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    failed = [f for f in figures if not f.ok]
    print(
        "cpu ms: median processor time of the benchmark's own process per request (Python, and"
        " SQLite's work, but not PostgreSQL's); far below the median, the machine was busy."
    )
    print(
        f"{len(figures) - len(failed)} of {len(figures)} figures meet their targets"
        + (f"; {len(failed)} FAIL" if failed else ".")
    )
    return not failed


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


# ---------------------------------------------------------------- child


class Database:
    """A throwaway database for one backend: an SQLite file in a temporary folder, or
    ``opora_bench_<benchmark>_<process id>`` on the local PostgreSQL server.

    A benchmark drops only the database it created itself: a name that already exists is
    refused, never dropped (it may be someone's database, or another benchmark's running
    beside this one), and the database is dropped at the end only if this run created it."""

    def __init__(self, backend: str, pg_name: str | None = None) -> None:
        self.backend = backend
        self.pg_name = pg_name or f"opora_bench_{Path(sys.argv[0]).stem}_{os.getpid()}"
        self.created = False
        self.folder = Path(tempfile.mkdtemp(prefix=f"opora-bench-{backend}-"))

    def __enter__(self) -> Database:
        os.environ["OPORA_DATA_DIR"] = str(self.folder)
        os.environ["OPORA_DEBUG"] = "0"  # timings as in production; DEBUG only while counting
        # Connections kept between requests, as production keeps them (OPORA_DB_CONN_MAX_AGE).
        os.environ.setdefault("OPORA_DB_CONN_MAX_AGE", "60")
        os.environ.pop("OPORA_ENV", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "opora.settings"
        if self.backend == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        else:
            if self._pg_exists():
                shutil.rmtree(self.folder, ignore_errors=True)
                raise SystemExit(
                    f"База данных «{self.pg_name}» уже существует: бенчмарк не удаляет базу, "
                    "которую не создавал. Удалите её сами или дайте другое имя."
                )
            self._pg(f'CREATE DATABASE "{self.pg_name}"')
            self.created = True
            # A benchmark stopped with ``kill`` still drops the database it made (SIGINT is
            # ignored by a job started in the background, so TERM is the way to stop one).
            signal.signal(signal.SIGTERM, _exit_on_term)
            os.environ["DATABASE_URL"] = f"{PG_SERVER}/{self.pg_name}"
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command

        try:
            django.setup()
            call_command("migrate", verbosity=0, interactive=False)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        from django.db import connections

        connections.close_all()
        if self.created:  # only the database this run created, never another one
            self._pg(f'DROP DATABASE "{self.pg_name}" WITH (FORCE)')
            self.created = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load, as the product gathers them
        (``opora.core.planner``: ``opora schedule`` enqueues it; autovacuum also does on
        PostgreSQL in production)."""
        from opora.core import planner

        planner.refresh()

    def _pg_exists(self) -> bool:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.pg_name])
            return found.fetchone() is not None

    @staticmethod
    def _pg(sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(sql)


def _exit_on_term(signum, frame) -> None:
    raise SystemExit(f"остановлен сигналом {signum}")


def write_figures(path: str, figures: list[Figure]) -> None:
    Path(path).write_text(json.dumps([asdict(f) for f in figures], ensure_ascii=False))


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile: of 30 requests, the 29th slowest-but-one."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class PageTiming:
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    cpu_ms: float = 0.0


def time_page(client, url: str, repeat: int, warmup: int = 2) -> PageTiming:
    """Count the queries of one request (DEBUG on), then time ``repeat`` requests (DEBUG off)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext, override_settings

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            return PageTiming(0.0, 0.0, 0, response.status_code)
    with override_settings(DEBUG=True), CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)  # read before the log is cleared: the capture is lazy
    reset_queries()
    samples, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        if response.status_code == 200:
            b"".join(response) if response.streaming else response.content
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return PageTiming(
        statistics.median(samples),
        p95(samples),
        queries,
        response.status_code,
        statistics.median(cpu),
    )


def queries_of(client, url: str) -> int:
    """The number of SQL queries of one request (for the comparison across scales)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    client.get(url)
    with override_settings(DEBUG=True), CaptureQueriesContext(connection) as captured:
        client.get(url)
    count = len(captured)
    return count


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)
