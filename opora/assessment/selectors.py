"""Reads of assessment results, scoped by who asks."""

from __future__ import annotations

from django.db.models import Sum

from opora.accounts.scopes import can_write_region, scope_for
from opora.assessment.models import CellResult, IdentificationRun, ResultBatch, RunStatus


def can_see_runs(user) -> bool:
    """Runs hold every school of the region: region-wide roles only."""
    return scope_for(user).everything


def results_for(user):
    return scope_for(user).filter(
        CellResult.objects.all(), school="school_id", municipality="school__municipality_id"
    )


def filter_choices() -> dict:
    values = CellResult.objects.values_list("procedure", "year", "grade", "subject").distinct()
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


SUMS = {
    "participants": Sum("participants"),
    "n2": Sum("n2"),
    "n3": Sum("n3"),
    "n4": Sum("n4"),
    "n5": Sum("n5"),
}


def overview(user, *, procedure: str, year: int, grade: int | None, subject: str) -> dict:
    """The distribution of marks: the region, each visible municipality, visible schools."""
    base = CellResult.objects.filter(procedure=procedure, year=year)
    if grade:
        base = base.filter(grade=grade)
    if subject:
        base = base.filter(subject=subject)
    region = _dist(base.aggregate(**SUMS))
    scoped = scope_for(user).filter(
        base, school="school_id", municipality="school__municipality_id"
    )
    municipalities = [
        {"name": r["school__municipality__name"], **_dist(r)}
        for r in scoped.values("school__municipality__name")
        .annotate(**SUMS)
        .order_by("school__municipality__name")
    ]
    schools = [
        {
            "pk": r["school_id"],
            "name": r["school__short_name"],
            "code": r["school__code"],
            **_dist(r),
        }
        for r in scoped.values("school_id", "school__short_name", "school__code")
        .annotate(**SUMS)
        .order_by("-n2")[:300]
    ]
    schools.sort(key=lambda s: -s["shares"][0])
    return {"region": region, "municipalities": municipalities, "schools": schools}


def school_results(school) -> list[dict]:
    rows = CellResult.objects.filter(school=school).order_by(
        "-year", "procedure", "grade", "subject"
    )
    return [
        {
            "year": r.year,
            "procedure": r.procedure,
            "grade": r.grade,
            "subject": r.subject,
            **_dist(
                {"participants": r.participants, "n2": r.n2, "n3": r.n3, "n4": r.n4, "n5": r.n5}
            ),
        }
        for r in rows[:200]
    ]


def school_explanation(school) -> tuple[IdentificationRun | None, dict | None]:
    """The latest run's word on this school (approved runs first)."""
    # By creation, not pk: a pk says nothing about age once rows were loaded with their own.
    latest = ("-year", "-created_at", "-pk")
    run = (
        IdentificationRun.objects.filter(status=RunStatus.APPROVED).order_by(*latest).first()
        or IdentificationRun.objects.order_by(*latest).first()
    )
    if run is None:
        return None, None
    return run, run.explanations.get(school.code)


def home_panel(user) -> dict | None:
    """The home page's card: the latest run and batches (region-wide roles)."""
    if not can_see_runs(user):
        return None
    run = IdentificationRun.objects.select_related("methodology").order_by("-created_at").first()
    batches = ResultBatch.objects.order_by("-created_at")[:3]
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
    query = f"""
        SELECT subject, count(*) AS pupils, count_if(mark < term_mark) AS below,
               count_if(mark = term_mark) AS equal, count_if(mark > term_mark) AS above
        FROM read_parquet({store._sql_list(files)})
        WHERE term_mark IS NOT NULL AND school_code = $code
        GROUP BY subject ORDER BY subject"""
    with store.connect() as con:
        rows = con.execute(query, {"code": school.code}).fetchall()
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
