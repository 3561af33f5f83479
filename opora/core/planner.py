"""Fresh statistics for the database's query planner.

A planner without statistics guesses: on SQLite, which keeps none until ``ANALYZE`` is run
(Django never runs it), the home page of a municipality counted its listed schools by walking
every status row of the region and looking each school up (25 ms at 10 000 schools) instead of
its own schools' statuses (2 ms), because nothing told it that a municipality is small.

``refresh()`` gathers them: on SQLite ``ANALYZE`` (0.2 s at 10 000 schools; a sampling limit
would be cheaper but misjudged the rows per year of the statuses fourfold and kept the bad
plan); on PostgreSQL ``ANALYZE``, which autovacuum also does in production but not on a server
where it is off. ``opora schedule`` enqueues it once an hour
(``core.tasks.refresh_planner_statistics``) so statistics follow the data; the demo runs it
after loading; the benchmarks run it after generating their data.
"""

from __future__ import annotations

from django.db import connections


def refresh(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor in ("sqlite", "postgresql"):
            cursor.execute("ANALYZE")
