"""The per-school deficit counts (:class:`~opora.development.models.DeficitSummary`), kept
equal to the latest results they count.

A region's aggregate over 200 000 results costs a grouped scan per page; the summary has a
row per school and area (6 000 for 300 schools), so the region's and a municipality's pages
sum a few thousand small rows instead. It is rewritten, never patched: one ``DELETE`` and one
grouped ``INSERT … SELECT`` over the latest results of the schools concerned, inside the
caller's transaction (an import, a level changed), so a rolled-back import leaves the old
counts and a committed one the new.

Example: school 7 has, in «Оценивание» (level 60 %), the latest results 45, 72 and 58 — its
row says ``assessed=3, in_deficit=2``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.signals import post_delete, pre_delete

from opora.development.models import CompetenceArea, DeficitSummary, Diagnostic, DiagnosticResult
from opora.people.models import Person

#: Schools per statement: well under SQLite's smallest limit of bound parameters (999).
_CHUNK = 500


def recount(*, schools: Iterable[int] | None = None, area: int | None = None) -> None:
    """Rewrite the summary of ``schools`` (ids; every school when None), in every area or in
    ``area`` only. Call it inside the transaction that changed the results or a level."""
    if schools is None:
        _recount_part("", [], area)
        return
    ids = sorted(set(schools))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        _recount_part(f"school_id IN ({', '.join(['%s'] * len(chunk))})", chunk, area)


def _recount_part(where: str, params: list[int], area: int | None) -> None:
    quote = connection.ops.quote_name
    summary = quote(DeficitSummary._meta.db_table)
    results = quote(DiagnosticResult._meta.db_table)
    areas = quote(CompetenceArea._meta.db_table)
    conditions = [c for c in (where, "area_id = %s" if area is not None else "") if c]
    args = [*params, *([area] if area is not None else [])]
    delete_where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    select_where = " AND ".join(["r.is_latest", *(f"r.{c}" for c in conditions)])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {summary}{delete_where}", args)
        # One latest result per teacher and area (the import retires the earlier ones), so
        # the rows counted are the teachers assessed.
        cursor.execute(
            f"INSERT INTO {summary} (school_id, area_id, assessed, in_deficit) "
            f"SELECT r.school_id, r.area_id, COUNT(*), "
            f"SUM(CASE WHEN r.score < a.threshold THEN 1 ELSE 0 END) "
            f"FROM {results} r JOIN {areas} a ON a.id = r.area_id "
            f"WHERE {select_where} GROUP BY r.school_id, r.area_id",
            args,
        )


def follow_deletions() -> None:
    """A teacher or a diagnostic deleted (in the admin: no page deletes them) takes its
    results along; the summaries they counted are recounted in the same transaction."""
    pre_delete.connect(_note_schools, sender=Person, dispatch_uid="development-summary-note")
    post_delete.connect(_person_gone, sender=Person, dispatch_uid="development-summary-person")
    post_delete.connect(_all_again, sender=Diagnostic, dispatch_uid="development-summary-diag")


def _note_schools(sender, instance, **kwargs) -> None:
    instance._result_schools = set(
        DiagnosticResult.objects.filter(person_id=instance.pk).values_list("school_id", flat=True)
    )


def _person_gone(sender, instance, **kwargs) -> None:
    schools = getattr(instance, "_result_schools", set())
    if schools:
        recount(schools=schools)


def _all_again(sender, instance, **kwargs) -> None:
    recount()
