"""Lists that are most often empty, loaded the cheap way.

Building the SQL of a wide query (a report with its event, roadmap, school, period and
reporter: 150 columns, subqueries) costs the ORM a few milliseconds of CPU before the database
is asked anything; «Ждут меня» asks a dozen such lists on every home page, and most of them
are empty for most people most of the time (bench/load.py: the inbox was half of the home
page's CPU). ``listed`` asks for the keys first through a narrow query and builds the wide one
only when there is something to show.
"""

from __future__ import annotations

from django.db.models import QuerySet


def listed[T](rows: QuerySet[T], limit: int, *, candidates: QuerySet | None = None) -> list[T]:
    """At most ``limit`` rows of ``rows`` in its order. ``candidates``, if given, is a cheaper
    query of the same model that holds every row of ``rows`` (a superset: the same scope
    without an expensive condition); when it is empty, ``rows`` is never built."""
    if candidates is not None and not candidates.exists():
        return []
    keys = list(rows.values_list("pk", flat=True)[:limit])
    if not keys:
        return []
    return list(rows.filter(pk__in=keys)[:limit])


def counted(rows: QuerySet, *, candidates: QuerySet) -> int:
    """``rows.count()``, without building ``rows`` when the cheaper superset ``candidates``
    is empty."""
    return rows.count() if candidates.exists() else 0
