"""Lists that are most often empty, loaded the cheap way.

Building the SQL of a wide query (a report with its event, roadmap, school, period and
reporter: 150 columns, subqueries) costs the ORM a few milliseconds of CPU before the database
is asked anything; «Ждут меня» asks a dozen such lists on every home page, and most of them
are empty for most people most of the time (bench/load.py: the inbox was half of the home
page's CPU). ``listed`` asks for the keys first through a narrow query and builds the wide one
only when there is something to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from opora.core.memo import known, per_request

type Rows[T] = QuerySet[T] | Callable[[], QuerySet[T]]


def listed[T](rows: Rows[T], limit: int, *, candidates: QuerySet | None = None) -> list[T]:
    """At most ``limit`` rows of ``rows`` in its order. ``candidates``, if given, is a cheaper
    query of the same model that holds every row of ``rows`` (a superset: the same scope
    without an expensive condition); when it is empty, ``rows`` (a queryset or a function
    making one, when making it is itself the cost) is never built."""
    if candidates is not None and not _exists([candidates])[0]:
        return []
    rows = rows() if callable(rows) else rows
    keys = list(rows.values_list("pk", flat=True)[:limit])
    if not keys:
        return []
    return list(rows.filter(pk__in=keys)[:limit])


@dataclass(frozen=True)
class Counted:
    """Rows to count only if the cheaper superset ``candidates`` has any (see ``listed``)."""

    rows: Rows
    candidates: QuerySet


type Countable = QuerySet | Counted


def count_all(parts: Iterable[Countable]) -> int:
    """The rows of every part added up, asked of the database in one statement whatever the
    number of parts and whatever they hold: every count a scalar subquery of one ``SELECT``;
    a ``Counted``'s rows counted only where its candidates exist (``CASE WHEN EXISTS``: the
    database skips the expensive count when the cheap superset is empty), or not at all where
    this request already knows its candidates are none. The menu counts «Ждут меня» from five
    apps on every page; on PostgreSQL each count was a round trip."""
    statements = []
    for part in parts:
        if not isinstance(part, Counted):
            statements.append(_count_sql(part))
            continue
        guard = _exists_sql(part.candidates)
        if guard is None or known(("exists", guard[0], tuple(guard[1]))) is False:
            continue  # no candidates: nothing of the rows to count, nothing to build
        counted = _count_sql(part.rows() if callable(part.rows) else part.rows)
        if counted is not None:
            (guard_sql, guard_params), (count_sql, count_params) = guard, counted
            statements.append(
                (
                    f"SELECT CASE WHEN ({guard_sql}) > 0 THEN ({count_sql}) ELSE 0 END",
                    (*guard_params, *count_params),
                )
            )
    return sum(_scalars(statements))


def _count_sql(qs: QuerySet) -> tuple[str, tuple] | None:
    try:
        # The rows' keys, or the columns a ``values()`` queryset selects (distinct people).
        narrow = qs.order_by() if qs.query.values_select else qs.order_by().values_list("pk")
        sql, params = narrow.query.sql_with_params()
    except EmptyResultSet:  # ``none()``, or a condition that can match nothing
        return None
    return f"SELECT COUNT(*) FROM ({sql}) AS counted", params


def counts_each(parts: Iterable[QuerySet]) -> list[int]:
    """The rows of each queryset, asked of the database in one statement."""
    return _scalars([_count_sql(qs) for qs in parts])


def check_all(querysets: list[QuerySet]) -> list[bool]:
    """Whether each queryset has rows, in one statement: a source with several lists checks
    their supersets at once before ``listed`` reads them (the answers are kept for the
    request)."""
    return _exists(querysets)


def _exists(querysets: list[QuerySet]) -> list[bool]:
    """Whether each queryset has rows, in one statement; within a request each answer is kept
    (core.memo), so a list checked by ``listed`` is not asked again by ``count_all``."""
    statements = [_exists_sql(qs) for qs in querysets]
    keys = [("exists", s) if s is None else ("exists", s[0], tuple(s[1])) for s in statements]
    unknown = [i for i, key in enumerate(keys) if known(key) is None]
    found = _scalars([statements[i] for i in unknown])
    answers = {i: bool(n) for i, n in zip(unknown, found, strict=True)}
    for i, answer in answers.items():
        per_request(keys[i], lambda answer=answer: answer)
    return [answers[i] if i in answers else known(keys[i]) for i in range(len(keys))]


def _exists_sql(qs: QuerySet) -> tuple[str, tuple] | None:
    try:
        sql, params = qs.order_by().values_list("pk")[:1].query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"SELECT COUNT(*) FROM ({sql}) AS found", params


def _scalars(statements: list[tuple[str, tuple] | None]) -> list[int]:
    """The single numbers the statements give, read in one ``SELECT`` (None gives 0)."""
    asked = [s for s in statements if s is not None]
    if not asked:
        return [0] * len(statements)
    sql = "SELECT " + ", ".join(f"({s})" for s, _ in asked)
    params = [p for _, ps in asked for p in ps]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = iter(cursor.fetchone())
    return [0 if s is None else int(next(row)) for s in statements]
