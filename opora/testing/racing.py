"""Real races for tests: N threads, each with its own database connection, released at once.

Only PostgreSQL runs writing transactions side by side (SQLite takes them one at a time), so
the parallel tests are marked with :data:`needs_postgres` and run by ``.ci/run`` on its
PostgreSQL pass; the stale-page tests run on both databases.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel transactions need PostgreSQL (SQLite runs writers one at a time): "
    "set DATABASE_URL=postgres://…",
)


def race(n: int, load: Callable[[int], object], act: Callable[[int, object], object]) -> list:
    """Run ``act(i, load(i))`` in ``n`` threads: every thread loads its objects first, as each
    request reads its page's object, then all act together. Returns each thread's result or
    the exception it raised, in thread order."""
    barrier = threading.Barrier(n, timeout=30)

    def run(i: int):
        try:
            loaded = load(i)
            barrier.wait()
            return act(i, loaded)
        except Exception as exc:  # the losers' domain errors are the point of the test
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))
