"""Reads of assessment results, scoped by who asks."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q

from opora.accounts.scopes import can_write_region, scope_for
from opora.assessment.models import (
    BatchStatus,
    IdentificationRun,
    ResultBatch,
    ResultSlice,
    RunSchool,
    RunStatus,
)
from opora.core.russian.search import search_words


def can_see_runs(user) -> bool:
    """Runs hold every school of the region: region-wide roles only."""
    return scope_for(user).everything


def _cells_source():
    """Where the pages read the per-school aggregates: the store of this database and the
    batches loaded (the cells of an import in progress are never read)."""
    from opora.assessment.services import loaded_batch_ids, results_root

    return results_root(), loaded_batch_ids()


def filter_choices() -> dict:
    """The procedures, years, grades and subjects of the loaded results (the slices each
    import records: one query, no read of the store)."""
    values = (
        ResultSlice.objects.filter(batch__status=BatchStatus.DONE)
        .values_list("procedure", "year", "grade", "subject")
        .distinct()
    )
    procedures, years, grades, subjects = set(), set(), set(), set()
    for p, y, g, s in values:
        procedures.add(p)
        years.add(y)
        grades.add(g)
        subjects.add(s)
    return {
        "procedures": sorted(procedures),
        "years": sorted(years, reverse=True),
        "grades": sorted(grades),
        "subjects": sorted(subjects),
    }


def _dist(row) -> dict:
    n = row["participants"] or 0
    marks = [row["n2"] or 0, row["n3"] or 0, row["n4"] or 0, row["n5"] or 0]
    return {
        "participants": n,
        "marks": marks,
        "shares": [m / n if n else 0 for m in marks],
        "share_45": (marks[2] + marks[3]) / n if n else 0,
        "mean": sum(k * m for k, m in zip((2, 3, 4, 5), marks, strict=True)) / n if n else None,
    }


COUNTS = ("participants", "n2", "n3", "n4", "n5")


def _added(rows) -> dict:
    total = dict.fromkeys(COUNTS, 0)
    for row in rows:
        for k in COUNTS:
            total[k] += row[k] or 0
    return total


def overview(user, *, procedure: str, year: int, grade: int | None, subject: str) -> dict:
    """The distribution of marks: the region, each visible municipality, visible schools —
    the loaded cells summed per school in the store, the schools the user sees from the
    registry (two queries whatever the size of the region)."""
    from opora.assessment import store
    from opora.registry.models import School

    root, batch_ids = _cells_source()
    sums = store.cell_sums(
        root,
        batch_ids,
        ("school_code",),
        procedure=procedure,
        year=year,
        grade=grade or None,
        subject=subject or None,
    ).to_pylist()
    region = _dist(_added(sums))
    visible = scope_for(user).filter(
        School.objects.all(), school="pk", municipality="municipality_id"
    )
    schools_by_code = {
        s["code"]: s for s in visible.values("pk", "code", "short_name", "municipality__name")
    }
    seen = [
        (schools_by_code[r["school_code"]], r) for r in sums if r["school_code"] in schools_by_code
    ]
    by_municipality: dict[str, list[dict]] = {}
    for school, row in seen:
        by_municipality.setdefault(school["municipality__name"], []).append(row)
    municipalities = [
        {"name": name, **_dist(_added(rows))} for name, rows in sorted(by_municipality.items())
    ]
    seen.sort(key=lambda pair: -pair[1]["n2"])
    schools = [
        {"pk": school["pk"], "name": school["short_name"], "code": school["code"], **_dist(row)}
        for school, row in seen[:300]
    ]
    schools.sort(key=lambda s: -s["shares"][0])
    return {"region": region, "municipalities": municipalities, "schools": schools}


def school_results(school) -> list[dict]:
    """The school's cells as each loaded batch stored them, latest year first (200 at most)."""
    from opora.assessment import store

    root, batch_ids = _cells_source()
    rows = store.stored_cells(root, batch_ids, school_codes=[school.code]).to_pylist()
    rows.sort(key=lambda r: (-r["year"], r["procedure"], r["grade"], r["subject"]))
    return [
        {
            "year": r["year"],
            "procedure": r["procedure"],
            "grade": r["grade"],
            "subject": r["subject"],
            **_dist(r),
        }
        for r in rows[:200]
    ]


def school_year_totals(school_ids) -> dict[int, dict[int, dict]]:
    """Per school (by id) and year, the loaded cells summed: ``participants, n2…n5`` — what
    the risk profile reads of results."""
    from opora.assessment import store
    from opora.registry.models import School

    codes = dict(School.objects.filter(pk__in=list(school_ids)).values_list("code", "pk"))
    if not codes:
        return {}
    root, batch_ids = _cells_source()
    sums = store.cell_sums(root, batch_ids, ("school_code", "year"), school_codes=list(codes))
    totals: dict[int, dict[int, dict]] = {}
    for row in sums.to_pylist():
        totals.setdefault(codes[row["school_code"]], {})[row["year"]] = {k: row[k] for k in COUNTS}
    return totals


#: What a page that names a run shows of it: never its lists of codes.
RUN_HEADING = ("pk", "year", "status", "created_at", "methodology_id")


def school_explanation(school) -> tuple[IdentificationRun | None, dict | None]:
    """The latest run's word on this school (approved runs first): the run's heading and the
    one row of this school, never the run's other schools."""
    # By creation, not pk: a pk says nothing about age once rows were loaded with their own.
    latest = ("-year", "-created_at", "-pk")
    runs = IdentificationRun.objects.only(*RUN_HEADING)
    run = (
        runs.filter(status=RunStatus.APPROVED).order_by(*latest).first()
        or runs.order_by(*latest).first()
    )
    if run is None:
        return None, None
    return run, run.explanation_of(school.code) or None


def home_panel(user) -> dict | None:
    """The home page's card: the latest run and batches (region-wide roles)."""
    if not can_see_runs(user):
        return None
    # The lists of codes give their sizes (a few kilobytes); the explanations stay unread.
    run = (
        IdentificationRun.objects.only(*RUN_HEADING, "low_results", "unfavourable", "biased")
        .order_by("-created_at")
        .first()
    )
    batches = ResultBatch.objects.only("pk", "created_at", "file_name", "status", "rows")
    batches = batches.order_by("-created_at")[:3]
    return {"run": run, "batches": list(batches), "can_manage": can_write_region(user)}


def school_panel(user, school) -> dict:
    """The school card's panel: the results of assessments and the latest run's word on it.

    The school page has checked that ``user`` sees ``school``."""
    run, explanation = school_explanation(school)
    return {
        "results": school_results(school),
        "run": run,
        "explanation": explanation,
        "term_comparison": term_comparison_for(school, run.year) if run else [],
    }


def term_comparison_for(school, year: int, procedure: str = "ВПР") -> list[dict]:
    """Per subject: shares of pupils whose assessment mark is below / equal to / above their
    journal mark — a sign of (non-)objective marking, shown and never applied silently."""
    from opora.assessment import store
    from opora.assessment.services import loaded_batch_ids, results_root

    files = store.batch_files(
        results_root(), years=[year], procedures=[procedure], batch_ids=loaded_batch_ids()
    )
    if not files:
        return []
    # A scan of the year's pupil rows (half a second at 10 000 schools, most of the school
    # card's time): kept per school for the files it read, which a loaded batch never changes
    # (a new or deleted batch changes the files, and with them the key).
    stamp = "|".join(f"{f}:{os.stat(f).st_mtime_ns}" for f in files)
    key = "assessment:terms:" + hashlib.sha256(f"{school.code}|{stamp}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _term_comparison(files, school.code)
        cache.set(key, found, TERM_COMPARISON_SECONDS)
    return found


TERM_COMPARISON_SECONDS = 24 * 3600


def _term_comparison(files, code: str) -> list[dict]:
    from opora.assessment import store

    query = f"""
        SELECT subject, count(*) AS pupils, count_if(mark < term_mark) AS below,
               count_if(mark = term_mark) AS equal, count_if(mark > term_mark) AS above
        FROM read_parquet({store._sql_list(files)})
        WHERE term_mark IS NOT NULL AND school_code = $code
        GROUP BY subject ORDER BY subject"""
    with store.connect() as con:
        rows = con.execute(query, {"code": code}).fetchall()
    return [
        {"subject": s, "pupils": n, "below": b / n, "equal": e / n, "above": a / n}
        for s, n, b, e, a in rows
        if n
    ]


def list_changes(run: IdentificationRun) -> list[dict]:
    """What approving ``run`` would change in its year's lists, before anything is replaced
    (issue 16): for ШНОР and ШНСУ, the schools that enter, those that leave (the region's own
    statuses the run no longer gives) and how many stay; and the schools on the list by another
    basis (the federal list, the authority's decision), which approval leaves as they are.

    Four queries whatever the size of the lists.
    """
    from opora.registry.models import School, SchoolStatus, StatusKind, StatusSource

    lists = ((StatusKind.LOW_RESULTS, run.low_results), (StatusKind.UNFAVOURABLE, run.unfavourable))
    current = list(
        SchoolStatus.objects.filter(year=run.year, kind__in=[k for k, _ in lists]).values_list(
            "kind", "source", "school__code"
        )
    )
    codes = {c for _, proposed in lists for c in proposed} | {c for _, _, c in current}
    schools = {
        s.code: s
        for s in School.objects.filter(code__in=codes)
        .select_related("municipality")
        .only("code", "short_name", "full_name", "municipality__name")
    }
    changes = []
    for kind, proposed in lists:
        regional = {c for k, s, c in current if k == kind and s == StatusSource.REGIONAL}
        other = {c for k, s, c in current if k == kind and s != StatusSource.REGIONAL}
        wanted = {c for c in proposed if c in schools}
        changes.append(
            {
                "kind": kind,
                "label": StatusKind(kind).label,
                "entered": [schools[c] for c in sorted(wanted - regional - other)],
                "left": [schools[c] for c in sorted(regional - wanted) if c in schools],
                "stayed": len(wanted & regional),
                "other_basis": [schools[c] for c in sorted(other) if c in schools],
                "before": len(regional | other),
                "after": len(wanted | other),
            }
        )
    return changes


# ---------------------------------------------------------------- the run page


class RunList(models.TextChoices):
    """Which of a run's schools the run page lists."""

    LOW_RESULTS = "low_results", "ШНОР"
    UNFAVOURABLE = "unfavourable", "ШНСУ"
    BIASED = "biased", "признаки необъективности"
    NOT_ASSESSED = "not_assessed", "не оцениваются"
    ALL = "all", "все объяснённые"


RUN_PAGE_SIZE = 50


def _list_counts() -> dict:
    """Counts of a run's schools on each list, as aggregates (one query, whatever the size)."""
    counts = {
        f"{name}_count": Count("pk", filter=Q(**{name: True}))
        for name in ("low_results", "unfavourable", "biased", "not_assessed")
    }
    return {**counts, "all_count": Count("pk")}


@dataclass(frozen=True)
class RunSchoolFilter:
    listing: str = RunList.LOW_RESULTS
    municipality: int | None = None
    q: str = ""

    @property
    def is_low_results(self) -> bool:
        return self.listing == RunList.LOW_RESULTS

    @property
    def is_unfavourable(self) -> bool:
        return self.listing == RunList.UNFAVOURABLE

    @property
    def is_biased(self) -> bool:
        return self.listing == RunList.BIASED

    @property
    def is_not_assessed(self) -> bool:
        return self.listing == RunList.NOT_ASSESSED


def run_schools(run: IdentificationRun, f: RunSchoolFilter):
    """The run's schools on the chosen list, in the chosen municipality, matching the words
    searched (the registry's search form), by code; with their school and municipality."""
    qs = RunSchool.objects.filter(run=run)
    if f.municipality:
        qs = qs.filter(school__municipality_id=f.municipality)
    for word in search_words(f.q):
        qs = qs.filter(Q(school__search_name__contains=word) | Q(code__contains=word))
    counts = qs.aggregate(**_list_counts())
    if f.listing != RunList.ALL:
        qs = qs.filter(**{f.listing: True})
    qs = qs.select_related("school__municipality").only(
        "code", "low_results", "unfavourable", "biased", "not_assessed", "explanation",
        "school__id", "school__short_name", "school__municipality__name",
    ).order_by("code")  # fmt: skip
    return qs, counts


def run_school_rows(page_rows, f: RunSchoolFilter) -> list[dict]:
    """The rows of one page as the run page shows them: the school, its marks, and the lines
    of its explanation that answer the list shown (why biased, how a small school compares)."""
    rows = []
    for r in page_rows:
        e = r.explanation or {}
        if f.is_biased:
            lines = [line for line in e.get("lines", []) if "необъектив" in line]
        elif f.is_not_assessed:
            lines = e.get("small_lines", [])
        else:
            lines = e.get("lines", [])
        rows.append(
            {
                "code": r.code,
                "school": r.school,
                "lines": lines,
                "low_results": r.low_results,
                "unfavourable": r.unfavourable,
                "biased": r.biased,
                "not_assessed": r.not_assessed,
                "small": bool(e.get("small")),
                "alarm": bool(e.get("above_region")) and f.is_not_assessed,
            }
        )
    return rows
