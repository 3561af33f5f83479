"""Lists that are most often empty, loaded the cheap way.

Building the SQL of a wide query (a report with its event, roadmap, school, period and
reporter: 150 columns, subqueries) costs the ORM a few milliseconds of CPU before the database
is asked anything; «Ждут меня» asks a dozen such lists on every home page, and most of them
are empty for most people most of the time (bench/load.py: the inbox was half of the home
page's CPU). ``listed`` asks for the keys first through a narrow query and builds the wide one
only when there is something to show.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

type Rows[T] = QuerySet[T] | Callable[[], QuerySet[T]]


def listed[T](rows: Rows[T], limit: int, *, candidates: QuerySet | None = None) -> list[T]:
    """At most ``limit`` rows of ``rows`` in its order. ``candidates``, if given, is a cheaper
    query of the same model that holds every row of ``rows`` (a superset: the same scope
    without an expensive condition); when it is empty, ``rows`` (a queryset or a function
    making one, when making it is itself the cost) is never built."""
    if candidates is not None and not candidates.exists():
        return []
    rows = rows() if callable(rows) else rows
    keys = list(rows.values_list("pk", flat=True)[:limit])
    if not keys:
        return []
    return list(rows.filter(pk__in=keys)[:limit])


def counted(rows: Rows, *, candidates: QuerySet) -> int:
    """How many rows ``rows`` has, without building it when the cheaper superset
    ``candidates`` is empty."""
    if not candidates.exists():
        return 0
    return (rows() if callable(rows) else rows).count()
